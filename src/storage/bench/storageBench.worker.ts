// Worker of the storage bench page: runs the bench where the app's model store runs (a worker, where OPFS has sync access
// handles), then the PNG encoders where the engine runs them (a worker too).
import { pngEncodeBench } from '../../core/image/pngEncodeBench';
import { runStorageBench, type StorageBenchOptions } from './storageBench';

self.onmessage = async (event: MessageEvent<StorageBenchOptions>) => {
  try {
    self.postMessage({ result: { ...(await runStorageBench(event.data)), ...(await pngEncodeBench()) } });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error) });
  }
};
