import { SolverError, SolverLimitError } from '../errors.js';
import type { AssignmentProblem } from '../problem/assignment-problem.js';
import { relativeGap, type BackendRequest, type BackendResult, type SolverBackend } from '../problem/backend.js';
import { buildMilp, choiceFromColumns, emptyMilpResult, milpColumnsAbove, type MilpForm } from './milp-form.js';
import { runHighs, type HighsModel } from './worker/highs-job.js';

/**
 * Options of the {@link highsBackend}.
 *
 * @example
 * ```ts
 * await model.solve({ solver: highsBackend({ maxColumns: 200_000 }) });
 * ```
 */
export interface HighsBackendOptions {
  /**
   * Refuse models with more MILP columns than this (default 100,000: about
   * 15,000 customers × 7 actions, a minute or more of HiGHS).
   */
  maxColumns?: number;
  /** Also solve the LP relaxation to report shadow prices (default true). */
  shadowPrices?: boolean;
}

/**
 * Exact MILP through HiGHS (WebAssembly), run on a worker thread: the event
 * loop keeps turning during the solve, and `timeLimit` and `signal` stop it
 * within about half a second (the best plan found so far is kept). For small
 * models, validation and polishing. Shadow prices come from the LP relaxation
 * (`shadowPriceSource: 'lp-relaxation'`): a MIP has no duals, and the LP with
 * integers fixed has every column fixed, so its duals say nothing about the rows.
 *
 * @example
 * ```ts
 * const plan = await model.solve({ solver: 'highs', timeLimit: 10 });
 * ```
 */
export function highsBackend(options: HighsBackendOptions = {}): SolverBackend {
  const maxColumns = options.maxColumns ?? 100_000;
  const wantDuals = options.shadowPrices ?? true;
  return {
    name: 'highs',
    async solve(problem: AssignmentProblem, request: BackendRequest): Promise<BackendResult> {
      // Counted before anything is built: a model far too large is refused in a pass, not after gigabytes.
      const columns = milpColumnsAbove(problem, maxColumns);
      if (columns !== null) {
        throw new SolverLimitError(
          'highs',
          'decomposition',
          `highs: the model has ${columns.toLocaleString('en-US')} useful (customer, action) pairs (${problem.n.toLocaleString('en-US')} customers), ` +
            `above this backend's limit of ${maxColumns.toLocaleString('en-US')}; an exact MILP of this size would run for minutes to hours. ` +
            `Use solver: 'decomposition' (or raise maxColumns with highsBackend({ maxColumns })).`,
        );
      }
      if (request.signal?.aborted)
        return {
          status: 'time_limit',
          choice: null,
          bound: Infinity,
          shadowPrices: null,
          message: 'aborted before the solve started',
        };
      const form = buildMilp(problem, Infinity);
      if (form.numCols === 0) return emptyMilpResult(problem);
      return solveMilp(form, problem, request, wantDuals);
    },
  };
}

async function solveMilp(
  form: MilpForm,
  problem: AssignmentProblem,
  request: BackendRequest,
  wantDuals: boolean,
): Promise<BackendResult> {
  const outcome = await runHighs(
    {
      model: highsModel(form, true),
      options: {
        output_flag: false,
        mip_rel_gap: request.gapTolerance,
        ...(Number.isFinite(request.timeLimit) ? { time_limit: Math.max(0.01, request.timeLimit) } : {}),
      },
      ...(wantDuals ? { duals: { model: highsModel(form, false), rows: form.couplingRows } } : {}),
    },
    request,
  );
  if (outcome.status === 'infeasible')
    return { status: 'infeasible', choice: null, bound: -Infinity, shadowPrices: null };
  if (outcome.status === 'unbounded' || outcome.status === 'other') {
    throw new SolverError('highs', `HiGHS ended with model status ${outcome.modelStatus}`);
  }
  const choice = outcome.colValue ? choiceFromColumns(form, problem.n, (c) => outcome.colValue![c]!) : null;
  if (outcome.colValue && !choice) throw new SolverError('highs', 'returned a fractional value for a binary column');
  const bound = Number.isFinite(outcome.dualBound) ? outcome.dualBound : Infinity;
  const stopped = outcome.status === 'stopped';
  // HiGHS reports row duals as d(objective)/d(bound), our convention for a maximization.
  const shadowPrices = outcome.rowDual ? Float64Array.from(outcome.rowDual, (v) => (v === 0 ? 0 : v)) : null;
  const objective = choice ? objectiveOf(form, outcome.colValue!) : NaN;
  return {
    status: stopped ? 'time_limit' : relativeGap(bound, objective) <= request.gapTolerance ? 'optimal' : 'feasible',
    choice,
    bound,
    shadowPrices,
    ...(shadowPrices ? { shadowPriceSource: 'lp-relaxation' } : {}),
    iterations: outcome.iterations,
    ...(outcome.terminated ? { message: 'HiGHS did not stop by itself; its worker was terminated' } : {}),
  };
}

function objectiveOf(form: MilpForm, x: Float64Array): number {
  let s = 0;
  for (let c = 0; c < form.numCols; c++) s += form.colCost[c]! * x[c]!;
  return s;
}

/** The MILP (binary columns) or its LP relaxation, as a worker job's model. */
function highsModel(form: MilpForm, integer: boolean): HighsModel {
  return {
    numCols: form.numCols,
    numRows: form.numRows,
    maximize: true,
    integerColumns: integer ? form.numCols : 0,
    colCost: form.colCost,
    colLower: new Float64Array(form.numCols),
    colUpper: new Float64Array(form.numCols).fill(1),
    rowLower: form.rowLower,
    rowUpper: form.rowUpper,
    starts: form.starts,
    indices: form.indices,
    values: form.values,
  };
}
