// Runs one javascript-lp-solver model on a worker thread. Its `Solve` is one synchronous call with no
// way in from outside (measured: 4,000 variables gave no answer in 90 s), so a time limit or an abort
// terminates the worker; the main thread's event loop turns throughout.
import { createRequire } from 'node:module';
import { runJob, type WorkerKind } from './run-job.js';

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const solver = require(workerData.solverPath);
parentPort.on('message', (job) => {
  try {
    const started = Date.now();
    const result = solver.Solve(job.model);
    parentPort.postMessage({ type: 'done', result, ms: Date.now() - started });
  } catch (e) {
    parentPort.postMessage({ type: 'failed', message: String((e && e.message) || e) });
  }
});
`;

const LP_SOLVER_WORKER: WorkerKind = {
  name: 'lp-solver',
  source: WORKER_SOURCE,
  workerData: async () => ({ solverPath: createRequire(import.meta.url).resolve('javascript-lp-solver') }),
};

/** The solver's answer and how long it took in the worker, or null when it was stopped first. */
export interface LpSolverOutcome {
  result: Record<string, unknown> | null;
  /** Milliseconds the solve took in the worker (NaN when stopped). */
  ms: number;
}

/**
 * Solves a javascript-lp-solver model on a worker thread; resolves with
 * `{ result: null }` within half a second of the time limit or an abort.
 */
export function runLpSolver(
  model: Record<string, unknown>,
  control: { timeLimit: number; signal?: AbortSignal },
): Promise<LpSolverOutcome> {
  return runJob<LpSolverOutcome>(LP_SOLVER_WORKER, {
    message: { model },
    timeLimit: control.timeLimit,
    signal: control.signal,
    onMessage: (msg) =>
      msg.type === 'done' ? { result: msg.result as Record<string, unknown>, ms: msg.ms as number } : undefined,
    onKill: () => ({ result: null, ms: NaN }),
  });
}
