// A worker stand-in for Node tests: serveRpc on one end of a MessageChannel, the Worker interface on the other.
import { StudioError } from './errors';
import { serveRpc, type Api, type ClientEndpoint, type Handlers } from './rpc';

export interface ChannelWorker extends ClientEndpoint {
  terminated: boolean;
  /** Fires `error` as a worker whose code threw outside any handler does. */
  crash(message: string): void;
  /** Fires `messageerror` as a worker whose message could not be deserialised does. */
  garble(): void;
}

/** Serves `handlers` in this process, structured-cloning (and transferring) every message as a Worker would. */
export function channelWorker<A extends Api>(
  handlers: Handlers<A>,
  toError: (error: unknown, method: keyof A) => StudioError = (error) => StudioError.from(error, 'worker'),
): ChannelWorker {
  const { port1, port2 } = new MessageChannel();
  serveRpc<A>(port2, handlers, toError);
  const worker: ChannelWorker = {
    terminated: false,
    onerror: null,
    onmessageerror: null,
    get onmessage() {
      return port1.onmessage;
    },
    set onmessage(listener) {
      port1.onmessage = listener;
    },
    postMessage: (message, transfer) => port1.postMessage(message, transfer),
    terminate() {
      worker.terminated = true;
      port1.close();
      port2.close();
    },
    crash: (message) => worker.onerror?.(new WorkerErrorEvent(message)),
    garble: () => worker.onmessageerror?.(new MessageEvent('messageerror')),
  };
  return worker;
}

/** What a Worker fires on an uncaught error in it (Node has no ErrorEvent). */
class WorkerErrorEvent extends Event implements ErrorEvent {
  readonly filename = 'worker.js';
  readonly lineno = 1;
  readonly colno = 1;
  readonly error = null;
  constructor(readonly message: string) {
    super('error');
  }
}
