import type { AssignmentProblem } from '../problem/assignment-problem.js';
import type { BackendRequest, BackendResult, SolverBackend } from '../problem/backend.js';
import { duckdbEngine } from './decomposition/engine/duckdb.js';
import { loadProblem } from './decomposition/engine/problem.js';
import { solveEngineProblem, type EngineSolveResult } from './decomposition/engine/solve.js';
import type { EngineProblem } from './decomposition/engine/problem.js';
import { highsLinearSolver } from './decomposition-backend.js';
import type { SqlEngine } from './decomposition/engine/sql-engine.js';

/**
 * Options of the {@link engineBackend}.
 *
 * @example
 * ```ts
 * const options: EngineBackendOptions = { engine: () => duckdbEngine('/tmp/scratch.duckdb') };
 * ```
 */
export interface EngineBackendOptions {
  /**
   * The engine to solve in: a function that opens a connection (called once per solve; closed
   * after it), or an open {@link SqlEngine} (left open). Default: a fresh in-memory DuckDB.
   */
  engine?: SqlEngine | (() => Promise<SqlEngine>);
}

let solves = 0;

/**
 * The decomposition with its passes over the customers run in a SQL engine
 * (DuckDB by default): the problem is put in the engine as a table, each dual
 * pass is one query, the plan is a table there, repaired over the customers
 * nearest a tie and verified by a query; the choices are read back. For
 * customers that already live in an engine, {@link solveInEngine} solves
 * without loading them into Node. See docs/scale.md.
 *
 * @example
 * ```ts
 * const plan = await model.solve({ solver: engineBackend() }); // or solver: 'duckdb'
 * ```
 */
export function engineBackend(options: EngineBackendOptions = {}): SolverBackend {
  return {
    name: 'duckdb',
    async solve(problem: AssignmentProblem, request: BackendRequest): Promise<BackendResult> {
      const given = options.engine;
      const engine = typeof given === 'function' ? await given() : (given ?? (await duckdbEngine()));
      const prefix = `ro_${process.pid}_${++solves}`;
      const table = `${prefix}_customers`;
      const planTable = `${prefix}_plan`;
      try {
        const ep = await loadProblem(engine, problem, table);
        const out = await solveEngineProblem(engine, ep, request, { planTable, lp: highsLinearSolver });
        let choice: Int32Array | null = null;
        if (out.plan) {
          choice = new Int32Array(problem.n);
          const read = await engine.columns(`SELECT k FROM ${out.plan} ORDER BY i`, [choice]);
          if (read !== problem.n) throw new Error(`the plan in the engine has ${read} customers for ${problem.n}`);
        }
        return {
          status: out.status,
          choice,
          bound: out.bound,
          shadowPrices: out.shadowPrices,
          shadowPriceSource: 'lagrangian',
          iterations: out.passes,
          message: out.violations.length ? `${out.message}; ${out.violations.join('; ')}` : out.message,
        };
      } finally {
        if (given && typeof given !== 'function') {
          await engine.run(`DROP TABLE IF EXISTS ${table}`);
          await engine.run(`DROP TABLE IF EXISTS ${planTable}`);
        } else await engine.close();
      }
    },
  };
}

/**
 * Solves a problem whose customers live in a SQL engine without reading them
 * into Node (see {@link EngineProblem} for the tables it expects): each dual
 * pass is one aggregate query, the plan is written as table `planTable`, its
 * repair moves the customers nearest a tie (read into Node, tens of thousands
 * at a time; the feasibility phase and tie-settling LP run on HiGHS) and a
 * query verifies every row and the value. See docs/scale.md.
 *
 * @example
 * ```ts
 * const engine = await duckdbEngine('customers.duckdb');
 * const out = await solveInEngine(engine, problem, { gapTolerance: 1e-4, timeLimit: 900 }, 'weekly_plan');
 * out.status; out.gap; // the plan is the table weekly_plan
 * ```
 */
export function solveInEngine(
  engine: SqlEngine,
  problem: EngineProblem,
  options: Pick<BackendRequest, 'signal' | 'onProgress'> & { gapTolerance?: number; timeLimit?: number } = {},
  planTable = 'retention_plan',
): Promise<EngineSolveResult> {
  return solveEngineProblem(
    engine,
    problem,
    { ...options, gapTolerance: options.gapTolerance ?? 1e-4, timeLimit: options.timeLimit ?? Infinity },
    { planTable, lp: highsLinearSolver },
  );
}
