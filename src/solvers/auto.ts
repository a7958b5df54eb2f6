import { choiceValue, type AssignmentProblem } from '../problem/assignment-problem.js';
import {
  eligiblePairs,
  relativeGap,
  type BackendRequest,
  type BackendResult,
  type SolverBackend,
} from '../problem/backend.js';
import { decompositionBackend } from './decomposition-backend.js';
import { highsBackend } from './highs.js';

/** Up to this many eligible pairs, `auto` solves the exact MILP directly. */
export const AUTO_EXACT_PAIRS = 2_000;
/** Up to this many, `auto` may polish a decomposition plan whose gap is too wide with the exact MILP. */
export const AUTO_POLISH_PAIRS = 50_000;
/** Seconds `auto` gives a polish at most (the exact MILP of 7,000 customers can take minutes). */
export const AUTO_POLISH_SECONDS = 10;
/** Up to this many, `auto` hands a model on which the decomposition failed to the exact MILP. */
export const AUTO_FALLBACK_PAIRS = 100_000;

// A backend that throws becomes a result with status `error`, so that `auto` can fall back and say so.
async function attempt(solve: () => Promise<BackendResult>): Promise<BackendResult> {
  try {
    return await solve();
  } catch (e) {
    return {
      status: 'error',
      choice: null,
      bound: Infinity,
      shadowPrices: null,
      message: (e as Error)?.message ?? String(e),
    };
  }
}

/**
 * Picks a backend by size: tiny models go to `highs`; everything else to
 * `decomposition`, and when its certified gap is wider than asked on a model
 * small enough for an exact MILP (the LP–integer gap of a few thousand
 * customers can exceed the tolerance), `highs` polishes it within the time left.
 * When the decomposition fails (it should not; it has a feasibility phase), a
 * model of up to {@link AUTO_FALLBACK_PAIRS} pairs goes to `highs` instead.
 * The returned result names the backend that produced the plan, and its
 * message says what `auto` did.
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
    // Beyond the exact MILP's size the decomposition solves: its threads start while the model compiles.
    prepare(customers, request) {
      if (customers > AUTO_EXACT_PAIRS) decompositionBackend().prepare?.(customers, request);
    },
    async solve(problem: AssignmentProblem, request: BackendRequest): Promise<BackendResult> {
      const started = performance.now();
      const pairs = eligiblePairs(problem);
      if (pairs <= AUTO_EXACT_PAIRS) return { ...(await highsBackend().solve(problem, request)), backend: 'highs' };
      const first = await attempt(() => decompositionBackend().solve(problem, request));
      const left = request.timeLimit - (performance.now() - started) / 1000;
      const stopped = left <= 0 || request.signal?.aborted;
      if (first.status === 'error') {
        // The decomposition failed: the exact MILP where it is small enough to finish, else the failure as it is.
        if (stopped || pairs > AUTO_FALLBACK_PAIRS) return { ...first, backend: 'decomposition' };
        const exact = await attempt(() =>
          highsBackend({ maxColumns: AUTO_FALLBACK_PAIRS }).solve(problem, { ...request, timeLimit: left }),
        );
        return {
          ...exact,
          backend: 'highs',
          message: `decomposition failed (${first.message ?? 'no message'}); solved by highs${exact.message ? `: ${exact.message}` : ''}`,
        };
      }
      const gap = first.choice ? relativeGap(first.bound, choiceValue(problem, first.choice)) : Infinity;
      if (first.status === 'infeasible' || gap <= request.gapTolerance || pairs > AUTO_POLISH_PAIRS || stopped) {
        return { ...first, backend: 'decomposition' };
      }
      // The polish is an improvement, not a necessity: it gets at most AUTO_POLISH_SECONDS of the time left.
      const exact = await attempt(() =>
        highsBackend().solve(problem, { ...request, timeLimit: Math.min(left, AUTO_POLISH_SECONDS) }),
      );
      // A failed polish proves nothing; its bound counts only when it ran.
      const bound = Math.min(
        exact.status === 'error' || exact.status === 'infeasible' ? Infinity : exact.bound,
        first.bound,
      );
      const userStop = request.signal?.aborted || performance.now() - started >= request.timeLimit * 1000;
      const better =
        exact.choice && (!first.choice || choiceValue(problem, exact.choice) >= choiceValue(problem, first.choice));
      const pick = better ? exact : first;
      const value = pick.choice ? choiceValue(problem, pick.choice) : NaN;
      // Keep the tighter of the two proven bounds; the status follows the gap, unless the caller's own limit stopped the polish.
      return {
        ...pick,
        bound,
        status:
          userStop && exact.status === 'time_limit'
            ? 'time_limit'
            : relativeGap(bound, value) <= request.gapTolerance
              ? 'optimal'
              : 'feasible',
        backend: better ? 'highs' : 'decomposition',
        message: `decomposition gap above tolerance; ${better ? 'polished by highs' : `highs polish did not improve it (${exact.status})`}`,
      };
    },
  };
}
