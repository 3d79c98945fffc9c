// CallerEngine's load: a load that needs a fresh engine (ORT's other WebAssembly build) restarts it once and loads again.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../shared/errors';
import type { EngineApi, EngineReady, LoadRequest } from '../shared/protocol';
import { InProcessCaller, type Handlers } from '../shared/rpc';
import { CallerEngine } from './engine';

const urls = { builtInModel: 'http://app/models/tiny-sd/', graphs: 'http://app/graphs/' };
const needsRestart = () =>
  new StudioError({ code: 'engine-restart', stage: 'backend', message: 'WEBGPU needs the other build.', remedy: '' });

/** An engine whose load handler fails with `failures` in turn, then answers; it records every request. */
function engineWith(failures: StudioError[], restart?: () => void) {
  const requests: LoadRequest[] = [];
  const handlers = {
    load: async (req: LoadRequest) => {
      requests.push(req);
      const failure = failures.shift();
      if (failure) throw failure;
      return { loadMs: 1, model: { id: 'tiny' }, backend: { ep: req.preference } } as unknown as EngineReady;
    },
  } as unknown as Handlers<EngineApi>;
  return {
    engine: new CallerEngine(new InProcessCaller<EngineApi>(handlers, (e) => StudioError.from(e, 'load')), urls, restart),
    requests,
  };
}

describe('CallerEngine.load', () => {
  it('asks for the built-in model at its URL, or for the installed one it is given', async () => {
    const { engine, requests } = engineWith([]);
    await engine.load('wasm');
    await engine.load('auto', undefined, 'int8', { model: { kind: 'store', modelId: 'sd-turbo' }, hubHosts: { hubBase: 'https://hf.co' } });
    expect(requests).toEqual([
      { preference: 'wasm', model: { kind: 'url', baseUrl: urls.builtInModel }, graphsBaseUrl: urls.graphs },
      {
        preference: 'auto',
        variantId: 'int8',
        model: { kind: 'store', modelId: 'sd-turbo' },
        hubHosts: { hubBase: 'https://hf.co' },
        graphsBaseUrl: urls.graphs,
      },
    ]);
  });

  it('restarts the engine once and loads again when the load needs a fresh engine', async () => {
    let restarts = 0;
    const { engine, requests } = engineWith([needsRestart()], () => restarts++);
    expect(await engine.load('webgpu')).toMatchObject({ backend: { ep: 'webgpu' } });
    expect({ restarts, loads: requests.length }).toEqual({ restarts: 1, loads: 2 });
  });

  it('passes the error on when it cannot restart, when a restart did not help, and for any other failure', async () => {
    await expect(engineWith([needsRestart()]).engine.load('webgpu')).rejects.toMatchObject({ code: 'engine-restart' });
    let restarts = 0;
    await expect(engineWith([needsRestart(), needsRestart()], () => restarts++).engine.load('webgpu')).rejects.toMatchObject({
      code: 'engine-restart',
    });
    expect(restarts).toBe(1);
    const other = new StudioError({ code: 'model-load', stage: 'load', message: 'The UNet is damaged.', remedy: '' });
    await expect(engineWith([other], () => restarts++).engine.load('wasm')).rejects.toMatchObject({ code: 'model-load' });
    expect(restarts).toBe(1);
  });
});
