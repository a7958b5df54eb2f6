// Starting a team's thread (Node). Browsers get spawn.browser.ts: one thread, no workers.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Cores this process may use. */
export const cores = (): number => availableParallelism();

/**
 * A new thread running worker.ts: the built worker next to the built module, or, running from the
 * sources (tests, tsx), the TypeScript worker through tsx's loader.
 */
export function spawn(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const url = JSON.stringify(new URL('./worker.ts', here).href);
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${url}); });`;
    return new Worker(boot, { eval: true });
  }
  return new Worker(new URL('./decomposition-worker.js', here));
}
