// Typed worker RPC: a request->reply map per worker, one client (timeouts, crash restart) and one serve helper.
import { StudioError, type ErrorCode, type WireError } from './errors';

/** One method of a worker: what it takes, what it answers, what it reports while it runs, what it can be told meanwhile. */
export interface Method<Req, Reply, Progress = never, Control = never> {
  req: Req;
  reply: Reply;
  progress: Progress;
  control: Control;
}

/** A worker's API, method name -> Method (declare it with `type`, not `interface`, so it fits this index). */
export type Api = Record<string, Method<unknown, unknown, unknown, unknown>>;

/** The page -> worker messages (a call's `req` is its method's request: RpcClient.call sends them together). */
export type CallMessage<A extends Api> =
  | { kind: 'call'; id: number; method: keyof A & string; req: A[keyof A]['req'] }
  | { kind: 'control'; id: number; control: A[keyof A]['control'] }
  | { kind: 'cancel'; id: number };

/** The worker -> page messages for one call: progress, then one reply or one error. */
export type WorkerMessage<Reply = unknown, Progress = unknown> =
  | { kind: 'progress'; id: number; progress: Progress }
  | { kind: 'reply'; id: number; reply: Reply }
  | { kind: 'error'; id: number; error: WireError };

/** A handler's value with the buffers to move (not copy) to the other side. */
export class Transfer<T> {
  constructor(
    readonly value: T,
    readonly list: Transferable[],
  ) {}
}

export const withTransfer = <T>(value: T, list: Transferable[]): Transfer<T> => new Transfer(value, list);

/** What a handler gets besides its request. */
export interface CallContext<Progress, Control> {
  /** The call's id (unique for the client's lifetime, across worker restarts). */
  id: number;
  /** Aborted when the caller cancels (or stops waiting: timeout). */
  signal: AbortSignal;
  progress(progress: Progress, transfer?: Transferable[]): void;
  onControl(listener: (control: Control) => void): void;
}

export type Handlers<A extends Api> = {
  [M in keyof A]: (
    req: A[M]['req'],
    context: CallContext<A[M]['progress'], A[M]['control']>,
  ) => Promise<A[M]['reply'] | Transfer<A[M]['reply']>>;
};

/** The worker's side of a channel: its global scope, or a MessagePort in tests. */
export interface ServerEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** Answers calls with `handlers`; anything a handler throws crosses as a WireError made by `toError`. */
export function serveRpc<A extends Api>(
  endpoint: ServerEndpoint,
  handlers: Handlers<A>,
  toError: (error: unknown, method: keyof A) => StudioError,
): void {
  const running = new Map<number, { controller: AbortController; controls: ((control: A[keyof A]['control']) => void)[] }>();
  const post = (message: WorkerMessage, transfer: Transferable[] = []) => endpoint.postMessage(message, transfer);

  async function call<M extends keyof A & string>(id: number, method: M, req: A[M]['req']): Promise<void> {
    const controller = new AbortController();
    const controls: ((control: A[M]['control']) => void)[] = [];
    running.set(id, { controller, controls });
    const context: CallContext<A[M]['progress'], A[M]['control']> = {
      id,
      signal: controller.signal,
      progress: (progress, transfer) => post({ kind: 'progress', id, progress }, transfer),
      onControl: (listener) => void controls.push(listener),
    };
    try {
      const result = await handlers[method](req, context);
      const [reply, transfer] = result instanceof Transfer ? [result.value, result.list] : [result, []];
      try {
        post({ kind: 'reply', id, reply }, transfer);
      } catch (error) {
        // A reply that cannot be cloned must still settle the call, or the page waits forever.
        post({ kind: 'error', id, error: toError(error, method).toWire() });
      }
    } catch (error) {
      post({ kind: 'error', id, error: toError(error, method).toWire() });
    } finally {
      running.delete(id);
    }
  }

  endpoint.onmessage = (event: MessageEvent) => {
    const message: CallMessage<A> = event.data;
    if (message.kind === 'call') void call(message.id, message.method, message.req);
    else if (message.kind === 'cancel') running.get(message.id)?.controller.abort();
    else for (const listener of running.get(message.id)?.controls ?? []) listener(message.control);
  };
}

/** The page's side: a Worker, or anything that behaves like one. */
export interface ClientEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
  terminate(): void;
}

export interface RpcClientOptions<A extends Api> {
  /** Names the worker in errors: "The engine worker crashed (...)". */
  name: string;
  start: () => ClientEndpoint;
  /**
   * Per method: how long a call may go without a word (reply or progress) from the worker, in ms; null: no limit
   * (for work that waits on the user, such as a paused step-by-step run). Every method must say.
   */
  silenceTimeoutMs: { [M in keyof A]: number | null };
  /** What the user can do after a crash; the worker itself is restarted for the next call. */
  crashRemedy: string;
  /** Called once per crash, after every pending call was rejected. */
  onCrash?: (error: StudioError) => void;
}

export interface CallOptions<Progress> {
  onProgress?: (progress: Progress) => void;
  /** Buffers of the request to move to the worker (the caller loses them). */
  transfer?: Transferable[];
}

export interface RpcCall<Reply, Control> {
  id: number;
  done: Promise<Reply>;
  cancel(): void;
  control(control: Control): void;
}

/** Anything that makes calls of an API: a worker's RpcClient, or InProcessCaller for handlers in this thread. */
export interface Caller<A extends Api> {
  call<M extends keyof A & string>(
    method: M,
    req: A[M]['req'],
    options?: CallOptions<A[M]['progress']>,
  ): RpcCall<A[M]['reply'], A[M]['control']>;
}

interface Pending {
  receive(event: MessageEvent): void;
  fail(error: StudioError): void;
}

export class RpcClient<A extends Api> implements Caller<A> {
  private worker: ClientEndpoint | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly options: RpcClientOptions<A>) {}

  /** Sends one call; its promise settles with the method's reply or a StudioError (the worker's, a timeout, a crash). */
  call<M extends keyof A & string>(
    method: M,
    req: A[M]['req'],
    options: CallOptions<A[M]['progress']> = {},
  ): RpcCall<A[M]['reply'], A[M]['control']> {
    const id = this.nextId++;
    let worker: ClientEndpoint;
    try {
      worker = this.running();
    } catch (error) {
      // A worker that cannot even start (no Worker support, a blocked script) fails the call, not the caller.
      const failed = Promise.reject(StudioError.from(error, 'worker', `The ${this.options.name} worker could not start; reload the page.`));
      return { id, done: failed, cancel: () => undefined, control: () => undefined };
    }
    const post = (message: CallMessage<A>, transfer: Transferable[] = []) => {
      if (this.pending.has(id)) worker.postMessage(message, transfer);
    };
    const done = new Promise<A[M]['reply']>((resolve, reject) => {
      const limit = this.options.silenceTimeoutMs[method];
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        clearTimeout(timer);
        this.pending.delete(id);
      };
      const restartTimer = () => {
        clearTimeout(timer);
        if (typeof limit === 'number')
          timer = setTimeout(() => {
            post({ kind: 'cancel', id }); // the worker need not finish what nobody waits for
            settle();
            reject(
              this.error(
                'timeout',
                `The ${this.options.name} worker did not answer "${method}" within ${seconds(limit)} s.`,
                'Try again; if it repeats, reload the page.',
              ),
            );
          }, limit);
      };
      this.pending.set(id, {
        receive: (event) => {
          // Structured clones of what serveRpc posted for this call's method (MessageEvent data is untyped).
          const message: WorkerMessage<A[M]['reply'], A[M]['progress']> = event.data;
          if (message.kind === 'progress') {
            restartTimer();
            options.onProgress?.(message.progress);
            return;
          }
          settle();
          if (message.kind === 'reply') resolve(message.reply);
          else reject(StudioError.fromWire(message.error));
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      });
      restartTimer();
      try {
        post({ kind: 'call', id, method, req }, options.transfer);
      } catch (error) {
        settle(); // a request that cannot be cloned (a function, a detached buffer) never reached the worker
        reject(StudioError.from(error, 'worker'));
      }
    });
    return { id, done, cancel: () => post({ kind: 'cancel', id }), control: (control) => post({ kind: 'control', id, control }) };
  }

  /** Stops the worker (pending calls are rejected); a later call starts a fresh one. */
  terminate(): void {
    this.stop(this.error('cancelled', `The ${this.options.name} worker was stopped.`, ''));
  }

  private running(): ClientEndpoint {
    if (this.worker) return this.worker;
    const worker = this.options.start();
    worker.onmessage = (event) => {
      const message: WorkerMessage = event.data;
      this.pending.get(message.id)?.receive(event); // a reply to a call that timed out is dropped here
    };
    const crashed = (detail: string) => {
      if (this.worker !== worker) return;
      const error = this.error(
        'worker-crashed',
        `The ${this.options.name} worker crashed (${detail}); it restarts for the next request.`,
        this.options.crashRemedy,
      );
      this.stop(error);
      this.options.onCrash?.(error);
    };
    worker.onerror = (event) => crashed(errorDetail(event));
    worker.onmessageerror = () => crashed('a message from it could not be read');
    this.worker = worker;
    return worker;
  }

  private stop(error: StudioError): void {
    this.worker?.terminate();
    this.worker = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.fail(error);
  }

  private error(code: ErrorCode, message: string, remedy: string): StudioError {
    return new StudioError({ code, stage: 'worker', message, remedy });
  }
}

/** An ErrorEvent's message; a worker whose script failed to load fires one without. */
function errorDetail(event: ErrorEvent): string {
  return typeof event.message === 'string' && event.message ? event.message : 'no details given';
}

const seconds = (ms: number) => (ms / 1000).toFixed(ms < 1000 ? 1 : 0);

/**
 * Calls handlers in this thread with the calls a worker client makes (ids, progress, control, cancel, errors made by
 * `toError`), without a worker or message cloning: the engine and checker in Node tests, benchmarks and scripts.
 */
export class InProcessCaller<A extends Api> implements Caller<A> {
  private nextId = 1;

  constructor(
    private readonly handlers: Handlers<A>,
    private readonly toError: (error: unknown, method: keyof A) => StudioError,
  ) {}

  call<M extends keyof A & string>(
    method: M,
    req: A[M]['req'],
    options: CallOptions<A[M]['progress']> = {},
  ): RpcCall<A[M]['reply'], A[M]['control']> {
    const id = this.nextId++;
    const controller = new AbortController();
    const controls: ((control: A[M]['control']) => void)[] = [];
    const context: CallContext<A[M]['progress'], A[M]['control']> = {
      id,
      signal: controller.signal,
      progress: (progress) => options.onProgress?.(progress),
      onControl: (listener) => void controls.push(listener),
    };
    const run = async (): Promise<A[M]['reply']> => {
      try {
        const result = await this.handlers[method](req, context);
        return result instanceof Transfer ? result.value : result;
      } catch (error) {
        throw this.toError(error, method);
      }
    };
    return {
      id,
      done: run(),
      cancel: () => controller.abort(),
      control: (control) => {
        for (const listener of controls) listener(control);
      },
    };
  }
}
