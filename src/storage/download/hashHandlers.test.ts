// The hashing worker's handlers over a real MessageChannel (structured clones, transfers), as chunkHasher.ts calls them.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RpcClient } from '../../shared/rpc';
import { channelWorker, type ChannelWorker } from '../../shared/rpcChannel.test-support';
import type { HashApi } from '../../shared/hashProtocol';
import { createHashHandlers, hashError } from './hashHandlers';

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};
const chunk = (length: number, seed: number) => new Uint8Array(length).map((_, i) => (i * 31 + seed) & 0xff);

let worker: ChannelWorker | undefined;
function client(): RpcClient<HashApi> {
  const limit = 5_000;
  return new RpcClient<HashApi>({
    name: 'hashing',
    start: () => (worker = channelWorker<HashApi>(createHashHandlers(), hashError)),
    silenceTimeoutMs: { open: limit, update: limit, save: limit, load: limit, init: limit, digest: limit, close: limit },
    crashRemedy: '',
  });
}
afterEach(() => worker?.terminate());

describe('hashing worker calls', () => {
  it('takes calls sent back to back, without waiting for replies, in the order sent', async () => {
    const rpc = client();
    const [a, b] = [chunk(70_000, 1), chunk(30_000, 2)];
    // Nothing awaited until the end: open's hasher is still being created when the updates arrive.
    const calls = [
      rpc.call('open', { id: 1 }).done,
      rpc.call('update', { id: 1, bytes: a.slice() }).done,
      rpc.call('save', { id: 1 }).done,
      rpc.call('update', { id: 1, bytes: b.slice() }).done,
    ];
    const digest = rpc.call('digest', { id: 1 }).done;
    const [, , state] = await Promise.all(calls);
    expect(await digest).toBe(sha256(a, b));
    // Rolled back to the saved state: b hashed again gives the same digest, a chunk more gives another.
    const rolledBack = [rpc.call('load', { id: 1, state: state as Uint8Array }).done, rpc.call('update', { id: 1, bytes: b.slice() }).done];
    await Promise.all(rolledBack);
    expect(await rpc.call('digest', { id: 1 }).done).toBe(sha256(a, b));
  });

  it('hands the chunk buffer back and keeps hashers apart', async () => {
    const rpc = client();
    await Promise.all([rpc.call('open', { id: 1 }).done, rpc.call('open', { id: 2 }).done]);
    const sent = chunk(4096, 3);
    const returned = await rpc.call('update', { id: 1, bytes: sent }, { transfer: [sent.buffer] }).done;
    expect(sent.byteLength).toBe(0); // moved to the worker, not copied
    expect(new Uint8Array(returned)).toEqual(chunk(4096, 3));
    expect(await rpc.call('digest', { id: 1 }).done).toBe(sha256(chunk(4096, 3)));
    expect(await rpc.call('digest', { id: 2 }).done).toBe(sha256());
  });

  it('fails a call for a hasher that was closed, or never opened, with a storage error', async () => {
    const rpc = client();
    await rpc.call('open', { id: 1 }).done;
    await rpc.call('close', { id: 1 }).done;
    await expect(rpc.call('digest', { id: 1 }).done).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringContaining('no hasher 1'),
    });
    await expect(rpc.call('update', { id: 7, bytes: chunk(8, 0) }).done).rejects.toMatchObject({ code: 'storage' });
  });
});
