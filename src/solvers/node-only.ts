import { RetentionError } from '../errors.js';
import type { SolverBackend } from '../problem/backend.js';

/**
 * The browser build's stand-in for a backend that needs Node (HiGHS and
 * javascript-lp-solver run on `node:worker_threads`): solving with it is a
 * typed error that names the backend to use instead.
 */
export function nodeOnlyBackend(name: string, needs = 'runs on a Node worker thread'): SolverBackend {
  return {
    name,
    solve() {
      return Promise.reject(
        new RetentionError(
          'NODE_ONLY',
          `the ${name} backend ${needs}; in a browser or an edge worker use solver: 'decomposition'`,
        ),
      );
    },
  };
}
