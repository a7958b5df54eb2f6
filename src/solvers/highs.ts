import type { Highs } from 'highs';
import { getHighs } from './highs-runtime.js';
import { SolverError, SolverLimitError } from '../errors.js';
import type { AssignmentProblem } from '../problem/assignment-problem.js';
import { relativeGap, type BackendRequest, type BackendResult, type SolverBackend } from './backend.js';
import { buildMilp, choiceFromColumns, emptyMilpResult, type MilpForm } from './milp-form.js';

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
 * Exact MILP through HiGHS (WebAssembly). For small models, validation and
 * polishing. Shadow prices come from the LP relaxation (`shadowPriceSource:
 * 'lp-relaxation'`): a MIP has no duals, and the LP with integers fixed has
 * every column fixed, so its duals say nothing about the rows.
 *
 * @example
 * ```ts
 * const plan = await model.solve({ solver: 'highs' });
 * ```
 */
export function highsBackend(options: HighsBackendOptions = {}): SolverBackend {
  const maxColumns = options.maxColumns ?? 100_000;
  const wantDuals = options.shadowPrices ?? true;
  return {
    name: 'highs',
    async solve(problem: AssignmentProblem, request: BackendRequest): Promise<BackendResult> {
      const highs = await getHighs();
      const form = buildMilp(problem, highs.infinity);
      if (form.numCols > maxColumns) {
        throw new SolverLimitError('highs', 'decomposition',
          `highs: the model has ${form.numCols.toLocaleString('en-US')} useful (customer, action) pairs (${problem.n.toLocaleString('en-US')} customers), ` +
          `above this backend's limit of ${maxColumns.toLocaleString('en-US')}; an exact MILP of this size would run for minutes to hours. ` +
          `Use solver: 'decomposition' (or raise maxColumns with highsBackend({ maxColumns })).`);
      }
      if (form.numCols === 0) return emptyMilpResult(problem);
      if (request.signal?.aborted) return { status: 'time_limit', choice: null, bound: Infinity, shadowPrices: null, message: 'aborted before the solve started' };
      return solveMilp(highs, form, problem, request, wantDuals);
    },
  };
}

function solveMilp(highs: Highs, form: MilpForm, problem: AssignmentProblem, request: BackendRequest, wantDuals: boolean): BackendResult {
  const started = performance.now();
  const model = highs.createModel(modelData(highs, form, true));
  try {
    model.options.set({
      output_flag: false,
      mip_rel_gap: request.gapTolerance,
      ...(Number.isFinite(request.timeLimit) ? { time_limit: Math.max(0.01, request.timeLimit) } : {}),
    });
    let iteration = 0;
    const deadline = started + request.timeLimit * 1000;
    const result = model.run({
      // HiGHS does not always honour its own time_limit on MIPs, so the callback enforces it too.
      [highs.constants.callbackType.mipInterrupt]: (event) => {
        const d = event.data;
        iteration++;
        request.onProgress?.({
          iteration,
          bound: d.mip_dual_bound ?? Infinity,
          objective: d.mip_primal_bound ?? NaN,
          gap: d.mip_gap ?? Infinity,
          seconds: (performance.now() - started) / 1000,
        });
        if (performance.now() > deadline || request.signal?.aborted) event.interrupt();
        return undefined;
      },
    });
    const st = highs.constants.modelStatus;
    const status = result.modelStatus;
    if (status === st.infeasible) return { status: 'infeasible', choice: null, bound: -Infinity, shadowPrices: null };
    const limited = status === st.timeLimit || status === st.interrupted || status === st.iterationLimit || status === st.solutionLimit;
    if (status !== st.optimal && !limited) {
      throw new SolverError('highs', `HiGHS ended with model status ${status}`);
    }
    const hasPrimal = Number(model.info.get('primal_solution_status')) === 2;
    const dualBound = Number(model.info.get('mip_dual_bound'));
    const solution = hasPrimal ? model.getSolution() : undefined;
    const choice = solution ? choiceFromColumns(form, problem.n, (c) => solution.colValue[c]!) : null;
    if (solution && !choice) throw new SolverError('highs', 'returned a fractional value for a binary column');
    const bound = Number.isFinite(dualBound) ? dualBound : Infinity;
    const objective = hasPrimal ? model.getObjectiveValue() : NaN;
    let shadowPrices: Float64Array | null = null;
    if (wantDuals && status === st.optimal) shadowPrices = relaxationDuals(highs, form);
    return {
      status: limited ? 'time_limit' : relativeGap(bound, objective) <= request.gapTolerance ? 'optimal' : 'feasible',
      choice,
      bound,
      shadowPrices,
      ...(shadowPrices ? { shadowPriceSource: 'lp-relaxation' } : {}),
      iterations: iteration,
    };
  } finally {
    model.dispose();
  }
}

function relaxationDuals(highs: Highs, form: MilpForm): Float64Array | null {
  const lp = highs.createModel(modelData(highs, form, false));
  try {
    lp.options.set({ output_flag: false });
    const r = lp.run();
    if (r.modelStatus !== highs.constants.modelStatus.optimal) return null;
    // HiGHS reports row duals as d(objective)/d(bound), our convention for a maximization.
    return Float64Array.from(lp.getSolution().rowDual.subarray(0, form.couplingRows), (v) => (v === 0 ? 0 : v));
  } finally {
    lp.dispose();
  }
}

function modelData(highs: Highs, form: MilpForm, integer: boolean) {
  return {
    numCols: form.numCols,
    numRows: form.numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: form.colCost,
    colLower: new Float64Array(form.numCols),
    colUpper: new Float64Array(form.numCols).fill(1),
    rowLower: form.rowLower,
    rowUpper: form.rowUpper,
    matrix: { format: 'csc' as const, numRows: form.numRows, numCols: form.numCols, starts: form.starts, indices: form.indices, values: form.values },
    ...(integer ? { integrality: new Int32Array(form.numCols).fill(highs.constants.variableType.integer) } : {}),
  };
}
