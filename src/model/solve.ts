import { RetentionError, SolverError } from '../errors.js';
import type { Action } from '../data/actions.js';
import type { CustomerData } from '../data/customers.js';
import { measureChoice, type AssignmentProblem, type CouplingRow } from '../problem/assignment-problem.js';
import { withRows } from './compile.js';
import type { HeldBack } from '../plan/plan.js';
import { diagnoseInfeasibility, type Conflict } from '../plan/diagnose.js';
import { makePlan, rowReports, type MeasuredRow, type Plan, type SolverInfo } from '../plan/plan.js';
import { checkHoldout, type HoldoutOptions } from '../plan/holdout.js';
import { verifyChoiceInSlices } from '../plan/verify.js';
import { relativeGap, type BackendResult, type SolveProgress, type SolverBackend } from '../problem/backend.js';
import { resolveBackend, type SolverName } from '../solvers/registry.js';

/**
 * Options of `model.solve(...)`.
 *
 * @example
 * ```ts
 * await model.solve({ solver: 'highs', gapTolerance: 1e-6, timeLimit: 30, onProgress: console.log });
 * ```
 */
export interface SolveOptions {
  /** Backend name or your own {@link SolverBackend} (default `auto`). */
  solver?: SolverName | SolverBackend;
  /** Relative gap at which the plan counts as optimal (default 1e-4). */
  gapTolerance?: number;
  /** Seconds; the best verified plan so far is returned with status `time_limit`. */
  timeLimit?: number;
  /** Stops the solve; the best verified plan so far is returned with status `time_limit`. */
  signal?: AbortSignal;
  /** Called as the solve progresses (pass, bound, seconds); throw or abort to stop. */
  onProgress?: (progress: SolveProgress) => void;
  /** A previous plan of a similar model: its shadow prices seed the solver. */
  warmStart?: Plan;
  /** Hold out a random share of the treated customers for measurement (overrides the model's). */
  holdout?: HoldoutOptions;
  /**
   * Threads for the decomposition's per-customer work (best responses, sorts): a whole number
   * ≥ 1, or `'auto'` (default): every core from 1,000,000 customers, one below. The plan is the
   * same bit for bit whatever the number. Other backends run on one thread.
   */
  threads?: number | 'auto';
}

/** Up to this many (customer, action) pairs the infeasibility diagnosis runs before the solver. */
const PRECHECK_PAIRS = 200_000;

/** What a model hands the solve step. */
export interface SolveInput {
  modelName: string;
  problem: AssignmentProblem;
  customers: CustomerData;
  actions: readonly Action[];
  /** The model's holdout, if it has one. */
  holdout?: HoldoutOptions;
  /** The model's warnings, carried into the plan. */
  warnings?: readonly string[];
  /** Whom each exclusion and contact policy held back, carried into the plan. */
  heldBack?: readonly HeldBack[];
  /** Rows of report-only constraints: measured with the plan, not enforced. */
  measured?: readonly CouplingRow[];
  /** The model's risk tiers (see `Plan.riskTiers`). */
  riskTiers?: readonly [number, number];
}

/**
 * Before the model compiles: the backend's `prepare` (threads, a runtime start meanwhile). Throws
 * what {@link solveModel} would on a bad solver or thread count.
 */
export function prepareSolve(options: SolveOptions, customers: number): void {
  const threads = threadsOption(options);
  resolveBackend(options.solver ?? 'auto').backend.prepare?.(customers, { threads });
}

function threadsOption(options: SolveOptions): number | 'auto' {
  const threads = options.threads ?? 'auto';
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1))
    throw new RetentionError('INVALID_INPUT', `threads must be a whole number ≥ 1 or 'auto' (got ${String(threads)})`);
  return threads;
}

/** Runs a backend, verifies its answer independently, and builds the {@link Plan}. */
export async function solveModel(input: SolveInput, options: SolveOptions = {}): Promise<Plan> {
  const { problem } = input;
  const gapTolerance = options.gapTolerance ?? 1e-4;
  if (!(gapTolerance >= 0)) throw new RetentionError('INVALID_INPUT', `gapTolerance must be ≥ 0 (got ${gapTolerance})`);
  const timeLimit = options.timeLimit ?? Infinity;
  if (!(timeLimit > 0)) throw new RetentionError('INVALID_INPUT', `timeLimit must be > 0 seconds (got ${timeLimit})`);
  if (options.holdout) checkHoldout(options.holdout, 'solve.holdout');
  const threads = threadsOption(options);
  const { backend, pickedBy } = resolveBackend(options.solver ?? 'auto');

  const { modelName, customers, actions } = input;
  const warnings = input.warnings ?? [];
  const heldBack = input.heldBack ?? [];
  const riskTiers = input.riskTiers;
  const infeasible = (solver: SolverInfo, conflicts: Conflict[]) =>
    makePlan({
      modelName,
      problem,
      customers,
      actions,
      solver,
      warnings,
      heldBack,
      riskTiers,
      status: 'infeasible',
      objective: NaN,
      bound: -Infinity,
      gap: NaN,
      choice: null,
      rows: rowReports(problem, null, null),
      conflicts,
    });

  const started = performance.now();
  // On models small enough for an exact MILP, try the diagnosis first: each finding is a proof of
  // infeasibility that takes milliseconds, where a MILP solver can search for many seconds.
  let diagnosed: Conflict[] | undefined;
  if (problem.n * problem.K <= PRECHECK_PAIRS && problem.rows.some((r) => r.sense === '>=')) {
    diagnosed = diagnoseInfeasibility(problem);
    if (diagnosed.length) {
      return infeasible(
        {
          name: backend.name,
          seconds: (performance.now() - started) / 1000,
          ...(pickedBy ? { pickedBy } : {}),
          message: 'proved infeasible by the diagnosis, before solving',
        },
        diagnosed,
      );
    }
  }
  let result: BackendResult;
  try {
    result = await backend.solve(problem, {
      gapTolerance,
      timeLimit,
      signal: options.signal,
      onProgress: options.onProgress,
      warmStart: warmStartPrices(options.warmStart, problem),
      threads,
    });
  } catch (e) {
    if (e instanceof RetentionError) throw e;
    throw new SolverError(backend.name, (e as Error)?.message ?? String(e));
  }
  const seconds = (performance.now() - started) / 1000;
  const solver = {
    name: result.backend ?? backend.name,
    seconds,
    ...(pickedBy ? { pickedBy } : {}),
    ...(result.iterations !== undefined ? { iterations: result.iterations } : {}),
    ...(result.shadowPriceSource ? { shadowPriceSource: result.shadowPriceSource } : {}),
    ...(result.message ? { message: result.message } : {}),
  };
  const base = { modelName, problem, customers, actions, solver, warnings, heldBack, riskTiers };

  if (result.status === 'error') throw new SolverError(backend.name, result.message ?? 'failed without a message');
  // The pre-check's (empty) findings stand: the diagnosis is not run twice on the same problem.
  if (result.status === 'infeasible') return infeasible(solver, diagnosed ?? diagnoseInfeasibility(problem));
  if (!result.choice) {
    // Stopped before any plan: say so, with no assignments rather than an unverified guess.
    return makePlan({
      ...base,
      status: 'time_limit',
      objective: NaN,
      bound: result.bound,
      gap: Infinity,
      choice: null,
      rows: rowReports(problem, null, null),
      conflicts: [],
    });
  }
  const check = await verifyChoiceInSlices(problem, result.choice);
  if (!check.ok) {
    throw new SolverError(
      backend.name,
      `returned a plan that fails verification: ${check.violations.slice(0, 5).join('; ')}`,
    );
  }
  let bound = result.bound;
  const tol = 1e-6 * Math.max(1, Math.abs(check.objective));
  if (bound < check.objective - tol) {
    throw new SolverError(backend.name, `reported bound ${bound} below the verified objective ${check.objective}`);
  }
  bound = Math.max(bound, check.objective);
  const gap = relativeGap(bound, check.objective);
  const status = result.status === 'time_limit' ? 'time_limit' : gap <= gapTolerance ? 'optimal' : 'feasible';
  const measured = input.measured?.length
    ? await measureRows(input, options, result.choice, check.objective, timeLimit - seconds)
    : [];
  const plan = makePlan({
    ...base,
    status,
    objective: check.objective,
    bound,
    gap,
    choice: result.choice.slice(),
    rows: rowReports(problem, check.lhs, result.shadowPrices),
    conflicts: [],
    measured,
  });
  const holdout = options.holdout ?? input.holdout;
  return holdout ? plan.withHoldout(holdout) : plan;
}

/**
 * Report-only rows on a plan: each row's use; the rows the plan meets get price 0 and cost 0 (enforcing
 * them would change nothing); the rows it breaks are enforced together in a second solve (same backend
 * and options, the time left), whose prices and objective say what enforcing them would mean.
 */
async function measureRows(
  input: SolveInput,
  options: SolveOptions,
  choice: Int32Array,
  objective: number,
  secondsLeft: number,
): Promise<MeasuredRow[]> {
  const rows = input.measured!;
  const measuring = withRows(input.problem, rows);
  const lhs = measureChoice(measuring, choice).lhs;
  const reports = rowReports(measuring, lhs, new Float64Array(rows.length));
  const broken = rows.filter((_, j) => reports[j]!.slack < 0);
  if (broken.length === 0) return reports.map((r) => ({ ...r, costToEnforce: 0 }));
  const unknown = (note: string) =>
    reports.map((r, j) =>
      reports[j]!.slack < 0 ? { ...r, shadowPrice: null, costToEnforce: null, note } : { ...r, costToEnforce: 0 },
    );
  if (!(secondsLeft > 0.05)) return unknown('no time left to solve with it enforced');
  const enforced = await solveModel(
    {
      ...input,
      problem: withRows(input.problem, [...input.problem.rows, ...broken]),
      measured: [],
      heldBack: [],
    },
    { ...options, holdout: undefined, warmStart: undefined, timeLimit: secondsLeft },
  );
  if (enforced.status === 'infeasible') return unknown('enforcing it makes the model infeasible');
  if (!enforced.hasAssignment) return unknown('the solve with it enforced stopped before a plan');
  const price = new Map(enforced.rows.map((r) => [r.name, r.shadowPrice]));
  const cost = objective - enforced.objective;
  const note =
    broken.length > 1
      ? `enforced together with ${broken.length - 1} other report-only row${broken.length > 2 ? 's' : ''}`
      : undefined;
  return reports.map((r) =>
    r.slack < 0
      ? { ...r, shadowPrice: price.get(r.name) ?? null, costToEnforce: cost, ...(note ? { note } : {}) }
      : { ...r, costToEnforce: 0 },
  );
}

// A warm start is matched by row name, so it survives a changed model (other rows start at 0).
function warmStartPrices(plan: Plan | undefined, problem: AssignmentProblem): Float64Array | undefined {
  if (!plan) return undefined;
  const byName = new Map(plan.rows.map((r) => [r.name, r.shadowPrice ?? 0]));
  return Float64Array.from(problem.rows, (r) => byName.get(r.name) ?? 0);
}
