// In a browser the decomposition runs on one thread (its page may already run it in a Web Worker).
import type { Worker } from 'node:worker_threads';

/** One: no solver threads in a browser. */
export const cores = (): number => 1;

/** Never called in a browser (a team of one thread is never opened). */
export function spawn(): Worker {
  throw new Error('solver threads are not available in a browser');
}
