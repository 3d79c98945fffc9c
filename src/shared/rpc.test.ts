// The worker RPC over a real MessageChannel: typed replies, typed errors, transfers, progress, cancel, timeouts, crashes.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { StudioError } from './errors';
import { InProcessCaller, RpcClient, withTransfer, type Handlers, type Method } from './rpc';
import { channelWorker, type ChannelWorker } from './rpcChannel.test-support';

type TestApi = {
  add: Method<{ a: number; b: number }, { sum: number }>;
  fail: Method<{ remedy: string }, never>;
  /** Keeps the bytes it was sent and answers with new ones, moved back. */
  echoBytes: Method<{ bytes: Uint8Array }, Uint8Array>;
  /** Reports `steps` progress events `everyMs` apart, then answers; stops when cancelled; 'bump' adds one. */
  count: Method<{ steps: number; everyMs: number }, number, { step: number }, 'bump'>;
  /** Names the type of what it was sent. */
  typeOf: Method<{ value: unknown }, string>;
  /** Answers only when the test releases it. */
  hang: Method<{ tag: string }, string>;
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function harness() {
  const workers: ChannelWorker[] = [];
  const received: Uint8Array[] = [];
  const hung: { tag: string; answer: () => void; signal: AbortSignal }[] = [];
  const handlers: Handlers<TestApi> = {
    add: async ({ a, b }) => ({ sum: a + b }),
    fail: async ({ remedy }) => {
      throw new StudioError({ code: 'model-load', stage: 'load', message: 'The UNet file is damaged.', remedy });
    },
    echoBytes: async ({ bytes }) => {
      received.push(bytes);
      const reply = new Uint8Array([7, 8, 9]);
      received.push(reply);
      return withTransfer(reply, [reply.buffer]);
    },
    count: async ({ steps, everyMs }, { progress, signal, onControl }) => {
      let total = steps;
      onControl((control) => control === 'bump' && (total += 1));
      for (let step = 1; step <= total; step++) {
        if (signal.aborted) throw new StudioError({ code: 'cancelled', stage: 'worker', message: 'Counting cancelled.' });
        await sleep(everyMs);
        progress({ step });
      }
      return total;
    },
    typeOf: async ({ value }) => typeof value,
    hang: ({ tag }, { signal }) => new Promise((resolve) => hung.push({ tag, signal, answer: () => resolve(`late ${tag}`) })),
  };
  const client = new RpcClient<TestApi>({
    name: 'test',
    start: () => {
      const worker = channelWorker<TestApi>(handlers);
      workers.push(worker);
      return worker;
    },
    silenceTimeoutMs: { add: 2000, fail: 2000, echoBytes: 2000, typeOf: 2000, count: 150, hang: 100 },
    crashRemedy: 'Try again.',
  });
  return { client, workers, received, hung, handlers };
}

describe('worker rpc', () => {
  it('answers each method with its own reply type', async () => {
    const { client } = harness();
    const call = client.call('add', { a: 2, b: 3 });
    expectTypeOf(call.done).resolves.toEqualTypeOf<{ sum: number }>();
    expect(await call.done).toEqual({ sum: 5 });
    // @ts-expect-error a method the API does not have
    await expect(client.call('subtract', { a: 1, b: 1 }).done).rejects.toBeInstanceOf(StudioError);
    // @ts-expect-error a request of the wrong shape
    void client.call('add', { a: '2' }).done.catch(() => undefined);
    client.terminate();
  });

  it('turns a thrown StudioError into the same StudioError on the page, message and remedy intact', async () => {
    const { client } = harness();
    const error = await client.call('fail', { remedy: 'Delete the model and download it again.' }).done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect(error).toMatchObject({
      code: 'model-load',
      stage: 'load',
      message: 'The UNet file is damaged.',
      remedy: 'Delete the model and download it again.',
    });
    client.terminate();
  });

  it('fails a request that cannot be cloned at once, with a typed error, and keeps serving', async () => {
    const { client } = harness();
    const error = await client.call('typeOf', { value: () => 1 }).done.catch((e: unknown) => e);
    // 'internal', not 'timeout': it failed when sent, not after the 2 s silence limit.
    expect(error).toMatchObject({
      name: 'StudioError',
      code: 'internal',
      stage: 'worker',
      message: expect.stringContaining('could not be cloned'),
    });
    expect(await client.call('typeOf', { value: 'text' }).done).toBe('string');
    client.terminate();
  });

  it('moves transferred buffers both ways instead of copying them', async () => {
    const { client, received } = harness();
    const sent = new Uint8Array([1, 2, 3]);
    const reply = await client.call('echoBytes', { bytes: sent }, { transfer: [sent.buffer] }).done;
    expect(sent.byteLength).toBe(0); // moved out of the page
    expect([...received[0]]).toEqual([1, 2, 3]);
    expect([...reply]).toEqual([7, 8, 9]);
    expect(received[1].byteLength).toBe(0); // moved out of the worker
    client.terminate();
  });

  it('reports progress before the reply, delivers controls to the running call, and cancels it', async () => {
    const { client } = harness();
    const seen: number[] = [];
    const call = client.call('count', { steps: 3, everyMs: 10 }, { onProgress: (p) => seen.push(p.step) });
    call.control('bump');
    expect(await call.done).toBe(4);
    expect(seen).toEqual([1, 2, 3, 4]);

    const cancelled = client.call('count', { steps: 1000, everyMs: 5 });
    await sleep(30);
    cancelled.cancel();
    await expect(cancelled.done).rejects.toMatchObject({ code: 'cancelled' });
    client.terminate();
  });

  it('times out a silent call, tells the worker to stop, and ignores its late reply', async () => {
    const { client, hung } = harness();
    const error = await client.call('hang', { tag: 'a' }).done.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout', stage: 'worker', message: 'The test worker did not answer "hang" within 0.1 s.' });
    await sleep(20);
    expect(hung[0].signal.aborted).toBe(true);
    hung[0].answer(); // the late reply arrives and is dropped
    const next = client.call('hang', { tag: 'b' });
    await sleep(20);
    hung[1].answer();
    expect(await next.done).toBe('late b');
    client.terminate();
  });

  it('keeps a call alive while it reports progress, however long it runs', async () => {
    const { client } = harness();
    // 12 steps of 50 ms: 600 ms in all, four times the 150 ms silence limit, never silent for that long.
    expect(await client.call('count', { steps: 12, everyMs: 50 }).done).toBe(12);
    client.terminate();
  });

  it('rejects every pending call when the worker crashes, and starts a fresh worker for the next call', async () => {
    const { client, workers } = harness();
    const a = client.call('count', { steps: 1000, everyMs: 20 });
    const b = client.call('count', { steps: 1000, everyMs: 20 });
    await sleep(30);
    workers[0].crash('RangeError: Array buffer allocation failed');
    for (const call of [a, b]) {
      await expect(call.done).rejects.toMatchObject({
        code: 'worker-crashed',
        message: 'The test worker crashed (RangeError: Array buffer allocation failed); it restarts for the next request.',
        remedy: 'Try again.',
      });
    }
    expect(workers[0].terminated).toBe(true);
    expect(await client.call('add', { a: 1, b: 1 }).done).toEqual({ sum: 2 });
    expect(workers).toHaveLength(2);

    const c = client.call('hang', { tag: 'c' });
    workers[1].garble();
    await expect(c.done).rejects.toMatchObject({ code: 'worker-crashed', message: expect.stringContaining('could not be read') });
    expect(await client.call('add', { a: 2, b: 2 }).done).toEqual({ sum: 4 });
    expect(workers).toHaveLength(3);
    client.terminate();
  });

  it('fails the call, not the caller, when the worker cannot start', async () => {
    const client = new RpcClient<TestApi>({
      name: 'test',
      start: () => {
        throw new Error('Worker is not defined');
      },
      silenceTimeoutMs: { add: 1000, fail: 1000, echoBytes: 1000, typeOf: 1000, count: 1000, hang: 1000 },
      crashRemedy: '',
    });
    await expect(client.call('add', { a: 1, b: 2 }).done).rejects.toMatchObject({
      message: 'Worker is not defined',
      remedy: 'The test worker could not start; reload the page.',
    });
  });
});

describe('in-process caller', () => {
  const toError = (error: unknown, method: string) => StudioError.from(error, method === 'fail' ? 'load' : 'worker');

  it('answers with the handler reply, unwrapping transfers and keeping the bytes (nothing is moved in one thread)', async () => {
    const { handlers, received } = harness();
    const caller = new InProcessCaller<TestApi>(handlers, toError);
    expect(await caller.call('add', { a: 2, b: 3 }).done).toEqual({ sum: 5 });
    const sent = new Uint8Array([1, 2]);
    const reply = await caller.call('echoBytes', { bytes: sent }).done;
    expect([...reply]).toEqual([7, 8, 9]);
    expect(received[0]).toBe(sent); // the same object: no clone
    expect(sent.byteLength).toBe(2);
  });

  it('reports progress, passes controls, cancels through the signal and gives each call its own id', async () => {
    const { handlers } = harness();
    const caller = new InProcessCaller<TestApi>(handlers, toError);
    const steps: number[] = [];
    const counting = caller.call('count', { steps: 2, everyMs: 5 }, { onProgress: (p) => steps.push(p.step) });
    counting.control('bump');
    expect(await counting.done).toBe(3);
    expect(steps).toEqual([1, 2, 3]);
    const cancelled = caller.call('count', { steps: 50, everyMs: 5 });
    expect(cancelled.id).toBe(counting.id + 1);
    setTimeout(() => cancelled.cancel(), 20);
    await expect(cancelled.done).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('turns what a handler throws into the StudioError its toError makes', async () => {
    const { handlers } = harness();
    const caller = new InProcessCaller<TestApi>(handlers, toError);
    const failure = await caller.call('fail', { remedy: 'Download it again.' }).done.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StudioError);
    expect(failure).toMatchObject({ stage: 'load', message: 'The UNet file is damaged.', remedy: 'Download it again.' });
    const plain = { ...handlers, add: async () => Promise.reject(new TypeError('boom')) };
    await expect(new InProcessCaller<TestApi>(plain, toError).call('add', { a: 1, b: 1 }).done).rejects.toMatchObject({
      stage: 'worker',
      message: expect.stringContaining('boom'),
    });
  });
});
