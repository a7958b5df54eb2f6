import { InvalidInputError } from '../errors.js';
import type { SolverBackend } from '../problem/backend.js';
import { autoBackend } from './auto.js';
import { highsBackend } from './highs.js';
import { lpSolverBackend } from './lp-solver.js';
import { decompositionBackend } from './decomposition-backend.js';
import { engineBackend } from './engine-backend.js';

/**
 * Names of the built-in backends.
 *
 * @example
 * ```ts
 * const solver: SolverName = 'decomposition';
 * ```
 */
export type SolverName = 'auto' | 'highs' | 'lp-solver' | 'decomposition' | 'duckdb';

/**
 * Turns a solver option into a backend. `auto` picks by size and says so.
 *
 * @example
 * ```ts
 * resolveBackend('highs').backend.name; // 'highs'
 * ```
 */
export function resolveBackend(solver: SolverName | SolverBackend): { backend: SolverBackend; pickedBy?: 'auto' } {
  if (typeof solver === 'object' && solver !== null && typeof solver.solve === 'function') return { backend: solver };
  switch (solver) {
    case 'highs':
      return { backend: highsBackend() };
    case 'lp-solver':
      return { backend: lpSolverBackend() };
    case 'decomposition':
      return { backend: decompositionBackend() };
    case 'auto':
      return { backend: autoBackend(), pickedBy: 'auto' };
    case 'duckdb':
      return { backend: engineBackend() };
    default:
      throw new InvalidInputError(
        'solve.solver',
        `unknown solver "${String(solver)}" (known: auto, decomposition, highs, lp-solver, duckdb, or a SolverBackend object)`,
        solver,
      );
  }
}
