import type { AssignmentProblem } from '../../problem/assignment-problem.js';
import type { BackendRequest, BackendResult, SolverBackend } from '../../problem/backend.js';
import type { LinearSolver } from './core/linear.js';
import { breathe, isStopped, LARGE, Run } from './run.js';
import { prewarmThreads, threadsFor } from './parallel/team.js';

/**
 * Options of the {@link decompositionBackend}.
 *
 * @example
 * ```ts
 * await model.solve({ solver: decompositionBackend({ maxIterations: 500, passes: 'per-class' }) });
 * ```
 */
export interface DecompositionOptions {
  /** Most bundle iterations (passes over the data) before stopping (default 1,000). */
  maxIterations?: number;
  /**
   * How the dual passes over the data: `per-class` works per class of customers (same rows,
   * segment and eligible actions) on scores sorted once, which needs the problem's
   * `valueFactors`; `per-customer` looks at every customer; `auto` (default) takes
   * `per-class` where classes hold 64 customers or more on average.
   */
  passes?: 'auto' | 'per-class' | 'per-customer';
  /**
   * How rows with per-customer columns (a cost per customer in the budget) are handled: `group`
   * splits customers by the columns' values, `price` prices those rows customer by customer (see
   * docs/decomposition.md), `auto` (default) groups when each column has at most 256 distinct values.
   */
  perCustomerRows?: 'auto' | 'group' | 'price';
}

/** {@link DecompositionOptions} plus the exact LP/MILP solver (see {@link LinearSolver}); without one the phases that need it are skipped. */
export interface DecompositionSetup extends DecompositionOptions {
  lp?: LinearSolver;
}

/**
 * The decomposition backend with the exact LP/MILP solver it is given
 * (`options.lp`); the package's `decompositionBackend()` gives it HiGHS on a
 * worker thread. The phases are described in docs/decomposition.md.
 *
 * @example
 * ```ts
 * const backend = createDecomposition({ lp: highsLinearSolver });
 * ```
 */
export function createDecomposition(options: DecompositionSetup = {}): SolverBackend {
  const settings = {
    maxIterations: options.maxIterations ?? 1000,
    passMode: options.passes ?? 'auto',
    perCustomerRows: options.perCustomerRows ?? 'auto',
    lp: options.lp,
  } as const;
  return {
    name: 'decomposition',
    // Threads load while the model compiles (one core is idle meanwhile); the LP solver too when large.
    prepare(customers, request) {
      const threads = threadsFor(request.threads ?? 'auto', customers);
      if (threads > 1) prewarmThreads(threads);
      if (customers >= LARGE) settings.lp?.prewarm?.();
    },
    // The phases of docs/decomposition.md, in order; each is a method of Run (run.ts).
    async solve(problem: AssignmentProblem, request: BackendRequest): Promise<BackendResult> {
      const run = new Run(problem, request, settings);
      try {
        if (!(await run.prepare())) return run.early();
        let dual = await run.firstDual();
        if (dual.outcome !== 'infeasible' && !isStopped(dual)) {
          let start = await run.repairAt(dual.center, dual.bound);
          await breathe();
          await run.ensurePlan(dual.center, dual.bound);
          ({ dual, start } = await run.finerDual(dual, start));
          await run.settle(dual, start);
        }
        return run.result(dual);
      } finally {
        run.close();
      }
    },
  };
}
