import type { SolverBackend } from '../problem/backend.js';
import { createDecomposition, type DecompositionOptions } from './decomposition/index.js';
import type { LinearSolver } from './decomposition/core/linear.js';
import { prewarmHighs, runHighs } from './worker/highs-job.js';

/** HiGHS on its worker thread, as the decomposition's exact LP/MILP solver. */
export const highsLinearSolver: LinearSolver = Object.freeze({ solve: runHighs, prewarm: prewarmHighs });

/**
 * The library's own solver for this structure: Lagrangian decomposition over
 * the coupling rows. Each customer's best response is closed-form; the dual is
 * minimized by a box-step bundle method; a repair turns the best response at
 * the final multipliers into a feasible integer plan. The gap is certified by
 * the dual bound, and the multipliers are the shadow prices
 * (`shadowPriceSource: 'lagrangian'`). Its tie-settling LP and feasibility
 * phase run on HiGHS (a worker thread) unless `options.lp` says otherwise.
 * See docs/decomposition.md.
 *
 * @example
 * ```ts
 * const plan = await model.solve({ solver: decompositionBackend({ maxIterations: 500 }), gapTolerance: 1e-6 });
 * ```
 */
export function decompositionBackend(options: DecompositionOptions = {}): SolverBackend {
  return createDecomposition({ lp: highsLinearSolver, ...options });
}
