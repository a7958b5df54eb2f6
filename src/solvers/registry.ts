import { InvalidInputError } from '../errors.js';
import type { AssignmentProblem } from '../problem/assignment-problem.js';
import { eligiblePairs, type SolverBackend } from './backend.js';
import { highsBackend } from './highs.js';
import { lpSolverBackend } from './lp-solver.js';
import { decompositionBackend } from './decomposition/index.js';

/** Names of the built-in backends. */
export type SolverName = 'auto' | 'highs' | 'lp-solver' | 'decomposition';

/** Up to this many eligible pairs, `auto` uses the exact MILP. */
export const AUTO_EXACT_PAIRS = 20_000;

/**
 * Turns a solver option into a backend. `auto` picks by size and says so.
 *
 * @example
 * ```ts
 * resolveBackend('auto', problem).backend.name; // 'highs' for a small model
 * ```
 */
export function resolveBackend(solver: SolverName | SolverBackend, problem: AssignmentProblem): { backend: SolverBackend; pickedBy?: 'auto' } {
  if (typeof solver === 'object' && solver !== null && typeof solver.solve === 'function') return { backend: solver };
  switch (solver) {
    case 'highs': return { backend: highsBackend() };
    case 'lp-solver': return { backend: lpSolverBackend() };
    case 'decomposition': return { backend: decompositionBackend() };
    case 'auto': {
      void eligiblePairs(problem);
      return { backend: highsBackend(), pickedBy: 'auto' };
    }
    default:
      throw new InvalidInputError('solve.solver', `unknown solver "${String(solver)}" (known: auto, highs, lp-solver, or a SolverBackend object)`, solver);
  }
}
