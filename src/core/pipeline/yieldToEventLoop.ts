// Lets queued messages (a cancel request) run between denoising steps.
// A WASM session.run can resolve without ever returning to the event loop, so awaiting it alone
// would starve the worker's onmessage until the whole generation ended. A MessageChannel task
// yields without setTimeout's 4 ms clamp.
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
