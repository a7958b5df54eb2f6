/**
 * `retention-optimizer/solvers`: for people who write or test solvers. The
 * backends as factories (to pass options, or to call `solve` on a problem
 * directly), the problem contract every backend sees, and the helpers that
 * read it. A model picks a backend by name (`solve({ solver: 'highs' })`);
 * this entry is for everything beyond that.
 *
 * @example
 * ```ts
 * import { decompositionBackend, pairValue, verifyChoice } from 'retention-optimizer/solvers';
 * const plan = await model.solve({ solver: decompositionBackend({ maxIterations: 200 }) });
 * ```
 *
 * @module solvers
 */
export { decompositionBackend } from '../solvers/decomposition-backend.js';
export type { DecompositionOptions } from '../solvers/decomposition/index.js';
export { highsBackend, type HighsBackendOptions } from '../solvers/highs.js';
export { lpSolverBackend, type LpSolverBackendOptions } from '../solvers/lp-solver.js';
export type { SolverName } from '../solvers/registry.js';
export type {
  SolverBackend,
  BackendRequest,
  BackendResult,
  PlanStatus,
  SolveStatus,
  SolveProgress,
} from '../problem/backend.js';
export type { AssignmentProblem, CouplingRow, RowSense, ValueFactors } from '../problem/assignment-problem.js';
export { NO_ACTION, rowActivity, choiceValue, pairValue, rowCoef } from '../problem/assignment-problem.js';
export { verifyChoice, type Verification } from '../plan/verify.js';
export { diagnoseInfeasibility } from '../plan/diagnose.js';
export { engineBackend, solveInEngine, type EngineBackendOptions } from '../solvers/engine-backend.js';
export { duckdbEngine, type DuckDBEngineOptions } from '../solvers/decomposition/engine/duckdb.js';
export type { SqlEngine, SqlCell } from '../solvers/decomposition/engine/sql-engine.js';
export { loadProblem, type EngineProblem, type EngineScores } from '../solvers/decomposition/engine/problem.js';
export type { EngineSolveResult } from '../solvers/decomposition/engine/solve.js';
