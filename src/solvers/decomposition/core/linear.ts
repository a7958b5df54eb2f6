import type { HighsControl, HighsJob, HighsOutcome } from '../../worker/highs-job.js';

/**
 * What the decomposition needs of an exact LP/MILP solver: its tie-settling
 * LP (`settle.ts`) and its feasibility phase (`feasibility.ts`) hand one a
 * small model. It is passed in (`createDecomposition({ lp })`, internal) rather than
 * imported, so the decomposition depends on no other backend; the package's
 * `decompositionBackend()` passes HiGHS on its worker thread. Without one,
 * those two phases are skipped and the plan says so.
 *
 * @example
 * ```ts
 * const lp: LinearSolver = { solve: (job, control) => runHighs(job, control), prewarm: prewarmHighs };
 * ```
 */
export interface LinearSolver {
  /** Solves the job; resolves within about half a second of the time limit or an abort. */
  solve(job: HighsJob, control: HighsControl): Promise<HighsOutcome>;
  /** Starts the solver ahead of need (large models will likely need it). */
  prewarm?(): void;
}
