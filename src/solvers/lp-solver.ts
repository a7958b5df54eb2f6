import { SolverLimitError } from '../errors.js';
import type { AssignmentProblem } from '../problem/assignment-problem.js';
import type { BackendRequest, BackendResult, SolverBackend } from '../problem/backend.js';
import { buildMilp, choiceFromColumns, emptyMilpResult, milpColumnsAbove } from './milp-form.js';
import { runLpSolver } from './worker/lp-solver-job.js';

/**
 * Options of the {@link lpSolverBackend}.
 *
 * @example
 * ```ts
 * await model.solve({ solver: lpSolverBackend({ maxColumns: 400 }) });
 * ```
 */
export interface LpSolverBackendOptions {
  /** Refuse models with more MILP columns than this (default 300). */
  maxColumns?: number;
}

/**
 * Exact MILP through javascript-lp-solver: pure JavaScript, no WebAssembly,
 * tiny models only, run on a worker thread (a time limit or an abort stops it
 * within about half a second). It reports no bound or duals of its own, and after a
 * timeout it can call a fractional plan feasible, so its answer is accepted only
 * when every binary is 0 or 1 (and then the verifier checks every row).
 *
 * @example
 * ```ts
 * const plan = await model.solve({ solver: 'lp-solver' });
 * ```
 */
export function lpSolverBackend(options: LpSolverBackendOptions = {}): SolverBackend {
  const maxColumns = options.maxColumns ?? 300;
  return {
    name: 'lp-solver',
    async solve(problem: AssignmentProblem, request: BackendRequest): Promise<BackendResult> {
      const columns = milpColumnsAbove(problem, maxColumns);
      if (columns !== null) {
        throw new SolverLimitError(
          'lp-solver',
          'highs',
          `lp-solver: the model has ${columns} useful (customer, action) pairs, above this backend's limit of ${maxColumns}; ` +
            `javascript-lp-solver did not finish 1,000 customers in 120 s. Use solver: 'highs' or 'decomposition'.`,
        );
      }
      const form = buildMilp(problem, Infinity);
      if (form.numCols === 0) return emptyMilpResult(problem);
      if (request.signal?.aborted)
        return {
          status: 'time_limit',
          choice: null,
          bound: Infinity,
          shadowPrices: null,
          message: 'aborted before the solve started',
        };
      const constraints: Record<string, { min?: number; max?: number }> = {};
      for (let r = 0; r < form.numRows; r++) {
        constraints[`r${r}`] = {
          ...(form.rowLower[r]! > -Infinity ? { min: form.rowLower[r]! } : {}),
          ...(form.rowUpper[r]! < Infinity ? { max: form.rowUpper[r]! } : {}),
        };
      }
      const variables: Record<string, Record<string, number>> = {};
      const ints: Record<string, 1> = {};
      for (let c = 0; c < form.numCols; c++) {
        // Synthetic names only: the solver keys everything by name.
        const v: Record<string, number> = { objective: form.colCost[c]!, [`u${c}`]: 1 };
        for (let e = form.starts[c]!; e < form.starts[c + 1]!; e++) v[`r${form.indices[e]!}`] = form.values[e]!;
        constraints[`u${c}`] = { max: 1 };
        variables[`x${c}`] = v;
        ints[`x${c}`] = 1;
      }
      const timed = Number.isFinite(request.timeLimit);
      const { result, ms } = await runLpSolver(
        {
          optimize: 'objective',
          opType: 'max',
          constraints,
          variables,
          ints,
          options: { tolerance: 0, ...(timed ? { timeout: Math.max(1, request.timeLimit * 1000) } : {}) },
        },
        request,
      );
      if (!result)
        return {
          status: 'time_limit',
          choice: null,
          bound: Infinity,
          shadowPrices: null,
          message: 'stopped before javascript-lp-solver answered',
        };
      // The result does not say whether its own timeout cut the search short; the clock does.
      const cut = timed && ms >= request.timeLimit * 1000 * 0.98;
      if (!result.feasible) {
        // Without a timeout the search is complete, so "not feasible" is a proof; after one it is not.
        return cut
          ? {
              status: 'time_limit',
              choice: null,
              bound: Infinity,
              shadowPrices: null,
              message: 'no verified plan before the time limit',
            }
          : { status: 'infeasible', choice: null, bound: -Infinity, shadowPrices: null };
      }
      const choice = choiceFromColumns(form, problem.n, (c) => Number(result[`x${c}`] ?? 0));
      if (!choice) {
        return {
          status: cut ? 'time_limit' : 'error',
          choice: null,
          bound: Infinity,
          shadowPrices: null,
          message: 'javascript-lp-solver returned a fractional value for a binary variable',
        };
      }
      if (cut) return { status: 'time_limit', choice, bound: Infinity, shadowPrices: null };
      return { status: 'optimal', choice, bound: Number(result.result), shadowPrices: null };
    },
  };
}
