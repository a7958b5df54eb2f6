import { choiceValue, type AssignmentProblem } from '../problem/assignment-problem.js';
import { eligiblePairs, relativeGap, type BackendRequest, type BackendResult, type SolverBackend } from './backend.js';
import { decompositionBackend } from './decomposition/index.js';
import { highsBackend } from './highs.js';

/** Up to this many eligible pairs, `auto` solves the exact MILP directly. */
export const AUTO_EXACT_PAIRS = 2_000;
/** Up to this many, `auto` may polish a decomposition plan whose gap is too wide with the exact MILP. */
export const AUTO_POLISH_PAIRS = 50_000;

/**
 * Picks a backend by size: tiny models go to `highs`; everything else to
 * `decomposition`, and when its certified gap is wider than asked on a model
 * small enough for an exact MILP (the LP–integer gap of a few thousand
 * customers can exceed the tolerance), `highs` polishes it within the time left.
 * The returned result names the backend that produced the plan.
 *
 * @example
 * ```ts
 * const plan = await model.solve({ solver: 'auto' });
 * plan.solver.name;      // 'decomposition' (or 'highs')
 * plan.solver.pickedBy;  // 'auto'
 * ```
 */
export function autoBackend(): SolverBackend {
  return {
    name: 'auto',
    async solve(problem: AssignmentProblem, request: BackendRequest): Promise<BackendResult> {
      const started = performance.now();
      const pairs = eligiblePairs(problem);
      if (pairs <= AUTO_EXACT_PAIRS) return { ...(await highsBackend().solve(problem, request)), backend: 'highs' };
      const first = await decompositionBackend().solve(problem, request);
      const gap = first.choice ? relativeGap(first.bound, choiceValue(problem, first.choice)) : Infinity;
      const left = request.timeLimit - (performance.now() - started) / 1000;
      if (first.status === 'infeasible' || gap <= request.gapTolerance || pairs > AUTO_POLISH_PAIRS || left <= 0 || request.signal?.aborted) {
        return { ...first, backend: 'decomposition' };
      }
      const exact = await highsBackend().solve(problem, { ...request, timeLimit: left });
      if (!exact.choice || (first.choice && choiceValue(problem, exact.choice) < choiceValue(problem, first.choice))) {
        return { ...first, backend: 'decomposition' };
      }
      // Keep the tighter of the two proven bounds.
      return { ...exact, bound: Math.min(exact.bound, first.bound), backend: 'highs', message: 'decomposition gap above tolerance; polished by highs' };
    },
  };
}
