// Lets queued messages (a cancel request) run between denoising steps.
// A WASM session.run can resolve without ever returning to the event loop, so awaiting it alone
// would starve the worker's onmessage until the whole generation ended. A MessageChannel task
// yields without setTimeout's 4 ms clamp. One channel serves every yield: opening and closing a
// channel per yield took more of a generation than the yields themselves (Chromium, WASM).

/** Node's ports keep the process alive while referenced (browsers have no such methods): only while a yield waits. */
type NodePort = MessagePort & { ref?: () => void; unref?: () => void };

let channel: { port1: NodePort; port2: MessagePort } | null = null;
const waiting: (() => void)[] = [];

export function yieldToEventLoop(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    const port = channel.port1;
    port.onmessage = () => {
      waiting.shift()?.();
      if (waiting.length === 0) port.unref?.();
    };
  }
  const { port1, port2 } = channel;
  return new Promise((resolve) => {
    waiting.push(resolve);
    port1.ref?.();
    port2.postMessage(null);
  });
}
