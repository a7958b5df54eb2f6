/**
 * Lets the event loop turn: timers, I/O and `AbortSignal`s are heard between
 * two slices of a long computation. Node's `setImmediate` where there is one;
 * in a browser or a worker a `MessageChannel` message (a `setTimeout(0)` is
 * clamped to 4 ms after a few nestings, which a solve yielding each pass would
 * pay hundreds of times).
 */
export const breathe: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise<void>((resolve) => setImmediate(resolve))
    : (() => {
        const channel = new MessageChannel();
        const waiting: (() => void)[] = [];
        channel.port1.onmessage = () => waiting.shift()?.();
        return () =>
          new Promise<void>((resolve) => {
            waiting.push(resolve);
            channel.port2.postMessage(0);
          });
      })();
