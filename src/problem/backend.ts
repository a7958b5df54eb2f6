import type { AssignmentProblem } from './assignment-problem.js';

/**
 * Solver-independent termination status, as in the plan file.
 * `optimal`: gap within tolerance; `feasible`: verified plan, larger gap;
 * `infeasible`: no plan exists; `time_limit`: stopped, best verified plan if any;
 * `error`: the backend failed.
 *
 * @example
 * ```ts
 * const r: BackendResult = { status: 'error' as SolveStatus, choice: null, bound: Infinity, shadowPrices: null };
 * ```
 */
export type SolveStatus = 'optimal' | 'feasible' | 'infeasible' | 'time_limit' | 'error';

/**
 * The status of a returned plan: a backend's `error` is thrown as a
 * `SolverError` (or, with `auto`, handed to another backend), never returned
 * as a plan.
 *
 * @example
 * ```ts
 * const ok = (['optimal', 'feasible'] as PlanStatus[]).includes(plan.status);
 * ```
 */
export type PlanStatus = Exclude<SolveStatus, 'error'>;

/**
 * Progress report passed to `onProgress` during long solves.
 *
 * @example
 * ```ts
 * model.solve({ onProgress: (p) => console.log(p.iteration, p.gap) });
 * ```
 */
export interface SolveProgress {
  /** Passes (or MIP callbacks) so far. */
  iteration: number;
  /** Best proven upper bound so far. */
  bound: number;
  /** Value of the best plan so far (NaN when none yet). */
  objective: number;
  /** Relative gap, (bound − objective) / max(1, |bound|); Infinity when no plan yet. */
  gap: number;
  /** Seconds since the solve started. */
  seconds: number;
}

/**
 * What a backend is asked, beside the problem.
 *
 * @example
 * ```ts
 * const req: BackendRequest = { gapTolerance: 1e-4, timeLimit: 10 };
 * ```
 */
export interface BackendRequest {
  /** Relative gap at which a plan counts as optimal. */
  gapTolerance: number;
  /** Seconds; Infinity for none. */
  timeLimit: number;
  /** Stops the solve (with the best verified plan so far) when aborted. */
  signal?: AbortSignal;
  /** Called as the solve progresses. */
  onProgress?: (p: SolveProgress) => void;
  /** Shadow prices of a previous plan, one per row in `problem.rows` order, in the plan's convention. */
  warmStart?: Float64Array;
  /** Threads the backend may use: a whole number ≥ 1, or `'auto'` (the backend decides; the default). */
  threads?: number | 'auto';
}

/**
 * What a backend returns. The choice vector is checked by the independent
 * verifier before anyone sees it.
 *
 * @example
 * ```ts
 * const r: BackendResult = { status: 'optimal', choice, bound: 3479.1, shadowPrices: null };
 * ```
 */
export interface BackendResult {
  /** How the solve ended. */
  status: SolveStatus;
  /** `choice[i]` = action index or -1, or null when the backend has no plan. */
  choice: Int32Array | null;
  /** Proven upper bound on the optimum (Infinity when none). */
  bound: number;
  /**
   * Shadow price of each row: change of the optimal objective per unit increase of
   * its right-hand side (≥ 0 on binding caps, ≤ 0 on binding floors). Null when unavailable.
   */
  shadowPrices: Float64Array | null;
  /** Where the shadow prices come from, e.g. `lp-relaxation`, `lagrangian`. */
  shadowPriceSource?: string;
  /** Passes over the data, or MIP callbacks. */
  iterations?: number;
  /** What the backend did, in words. */
  message?: string;
  /** The backend that produced the plan, when a composite backend (such as `auto`) delegated. */
  backend?: string;
}

/**
 * The narrow interface every solver adapter implements. Built-ins
 * (`highs`, `lp-solver`, `decomposition`) use it, and so can yours:
 * pass the object as `solve({ solver: myBackend })`.
 *
 * @example
 * ```ts
 * const greedyNothing: SolverBackend = {
 *   name: 'nothing',
 *   async solve(problem) {
 *     return { status: 'feasible', choice: new Int32Array(problem.n).fill(-1), bound: Infinity, shadowPrices: null };
 *   },
 * };
 * ```
 */
export interface SolverBackend {
  /** The backend's name, as plans report it. */
  readonly name: string;
  /** Solves the problem within the request's limits; never mutates it. */
  solve(problem: AssignmentProblem, request: BackendRequest): Promise<BackendResult>;
  /**
   * Optional: told, before the problem is compiled, how many customers it will have, so the
   * backend can start what takes time to start (threads, a WebAssembly runtime) meanwhile.
   * Returns at once.
   */
  prepare?(customers: number, request: Pick<BackendRequest, 'threads'>): void;
}

/** Number of eligible (customer, action) pairs: the MILP's column count. */
export function eligiblePairs(problem: AssignmentProblem): number {
  let s = 0;
  for (let j = 0; j < problem.eligible.length; j++) s += problem.eligible[j]!;
  return s;
}

/** Relative gap as the plan file defines it. */
export function relativeGap(bound: number, objective: number): number {
  if (!Number.isFinite(bound)) return Infinity;
  return Math.max(0, bound - objective) / Math.max(1, Math.abs(bound));
}
