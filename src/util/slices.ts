import { breathe } from './breathe.js';

/** Customers per slice: small enough that a slice of the longest per-customer loop takes milliseconds. */
export const SLICE = 1 << 16;

/**
 * Runs `body(from, to)` over [0, n) in consecutive slices, in order (so sums
 * come out bit for bit as one loop's would), and lets the event loop turn
 * between slices once `everyMs` have passed since the last turn: a loop over
 * ten million customers that takes seconds no longer holds timers, I/O and
 * aborts for all of it.
 */
export async function forSlices(n: number, body: (from: number, to: number) => void, everyMs = 20): Promise<void> {
  const turn = turns(everyMs);
  for (let from = 0; from < n; from += SLICE) {
    body(from, Math.min(n, from + SLICE));
    if (from + SLICE < n) await turn();
  }
}

/**
 * A function to call between steps of a long computation: it lets the event
 * loop turn when `everyMs` have passed since the last turn, and returns at
 * once otherwise (a repair's tens of thousands of moves, a sort per class).
 */
export function turns(everyMs = 20): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last <= everyMs) return;
    await breathe();
    last = performance.now();
  };
}
