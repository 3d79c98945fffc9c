// bench.html's script: window.storageBench.run(options) runs the storage bench in a worker and returns its figures.
import type { StorageBenchOptions, StorageBenchResult } from './storageBench';

function run(options: StorageBenchOptions): Promise<StorageBenchResult> {
  const worker = new Worker(new URL('./storageBench.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<StorageBenchResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ result?: StorageBenchResult; error?: string }>) => {
      if (event.data.result) resolve(event.data.result);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => reject(new Error(`storage bench worker failed: ${event.message}`));
    worker.postMessage(options);
  }).finally(() => worker.terminate());
}

(globalThis as { storageBench?: { run: typeof run } }).storageBench = { run };
