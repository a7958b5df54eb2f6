// Runs one HiGHS solve on a worker thread, so that the caller's event loop keeps turning and a time
// limit or an abort is heard within a fraction of a second.
//
// Why a worker: a HiGHS solve is one synchronous WebAssembly call that can last minutes; in the main
// thread no timer fires and no AbortSignal is heard until it returns (measured: a 14,000-customer
// MILP with timeLimit 3 returned after 252 s). In a worker, the solver checks a shared stop flag at
// each of its interrupt callbacks and stops itself (keeping its incumbent); if it is somewhere without
// callbacks (presolve, a long factorization), the worker is terminated after a short grace period and
// the last incumbent it posted is used.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { HIGHS_RUN_SOURCE } from './highs-run.js';
import { GRACE_MS, prewarm, runJob, type WorkerKind } from './run-job.js';

/** A linear program or MILP in CSC form; `Infinity` bounds are mapped to HiGHS's infinity in the worker. */
export interface HighsModel {
  numCols: number;
  numRows: number;
  maximize: boolean;
  /** How many of the first columns are integer: 0 for an LP, `numCols` for a pure MILP. */
  integerColumns: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** One job: a model, HiGHS options, and optionally an LP whose row duals are wanted after it (the relaxation). */
export interface HighsJob {
  model: HighsModel;
  options: Record<string, string | number | boolean>;
  /** Solve this LP afterwards (only if the model ended optimal) and return its first `dualRows` row duals. */
  duals?: { model: HighsModel; rows: number };
}

/** What came back, in solver-independent words. */
export interface HighsOutcome {
  /** `stopped`: time limit, interrupt or abort; `other`: any status we do not map (see `modelStatus`). */
  status: 'optimal' | 'infeasible' | 'unbounded' | 'stopped' | 'other';
  /** HiGHS's own model status code (or -1 when the worker was terminated). */
  modelStatus: number;
  /** Column values of the best solution, or null. */
  colValue: Float64Array | null;
  /** Proven bound (MIP dual bound), or ±Infinity when none. */
  dualBound: number;
  /** Row duals of `job.duals`, or null. */
  rowDual: Float64Array | null;
  /** Calls of the MIP progress callback. */
  iterations: number;
  /** True when the worker had to be terminated (it did not stop by itself within the grace period). */
  terminated: boolean;
}

/** Progress of a MIP solve, in the shape of the backends' `SolveProgress` (kept here: the worker folder imports nothing of the solvers'). */
export interface HighsProgress {
  iteration: number;
  bound: number;
  objective: number;
  gap: number;
  seconds: number;
}

/** How the caller controls a job. */
export interface HighsControl {
  /** Seconds; Infinity for none. */
  timeLimit: number;
  signal?: AbortSignal;
  onProgress?: (p: HighsProgress) => void;
}

// The worker's own code. Plain JavaScript, evaluated as a CommonJS script, so that it runs the same
// from the sources (tsx, vitest) and from the bundle; it loads highs from the path resolved here.
export const WORKER_SOURCE =
  String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const loadHighs = require(workerData.highsPath);
// Instantiated at once, so that a worker started ahead of time (prewarmHighs) is ready when a job comes.
// From the module compiled once in the main thread (highs reads no "wasmModule" option: instantiateWasm is
// emscripten's hook for a module of one's own).
const runtime = loadHighs({
  instantiateWasm(imports, done) {
    WebAssembly.instantiate(workerData.wasmModule, imports).then(done);
    return {};
  },
});
runtime.catch(() => {});
parentPort.on('message', async (job) => {
  try {
    const highs = await runtime;
    const stop = new Int32Array(job.stop);
    const deadline = Date.now() + job.timeLimit * 1000;
    const shouldStop = () => Atomics.load(stop, 0) !== 0 || Date.now() > deadline;
    const out = runHighsJob(highs, job, shouldStop, (m) => parentPort.postMessage(m));
    parentPort.postMessage({ type: 'done', outcome: out });
  } catch (e) {
    // An out-of-memory abort leaves the runtime unusable: the main thread retires this worker.
    parentPort.postMessage({ type: 'failed', message: String((e && e.message) || e) });
  }
});
` + HIGHS_RUN_SOURCE;

let files: { highsPath: string; wasmModule: Promise<WebAssembly.Module> } | undefined;

const HIGHS_WORKER: WorkerKind = {
  name: 'highs',
  source: WORKER_SOURCE,
  // The wasm is compiled once per process and handed to each worker (a compiled module is cloneable).
  async workerData() {
    if (!files) {
      const require = createRequire(import.meta.url);
      files = {
        highsPath: require.resolve('highs'),
        wasmModule: WebAssembly.compile(readFileSync(require.resolve('highs/runtime'))),
      };
    }
    return { highsPath: files.highsPath, wasmModule: await files.wasmModule };
  },
};

/**
 * Starts compiling the HiGHS wasm (off the main thread) and a worker for the
 * next job, for a caller that will likely need one soon.
 */
export function prewarmHighs(): void {
  void prewarm(HIGHS_WORKER).catch(() => undefined);
}

/**
 * Solves `job` with HiGHS on a worker thread. Resolves when HiGHS returns, or
 * within {@link GRACE_MS} of the time limit or an abort (terminating the
 * worker if it does not stop by itself); never rejects for a stop.
 */
export function runHighs(job: HighsJob, control: HighsControl): Promise<HighsOutcome> {
  const startedAt = performance.now();
  let incumbent: Float64Array | null = null;
  let iterations = 0;
  return runJob<HighsOutcome>(HIGHS_WORKER, {
    message: { ...job },
    timeLimit: control.timeLimit,
    signal: control.signal,
    onMessage(msg) {
      const m = msg as unknown as WorkerMessage;
      if (m.type === 'progress') {
        iterations = m.iterations;
        control.onProgress?.({
          iteration: m.iterations,
          bound: m.bound ?? Infinity,
          objective: m.objective ?? NaN,
          gap: m.gap ?? Infinity,
          seconds: (performance.now() - startedAt) / 1000,
        });
      } else if (m.type === 'incumbent') {
        incumbent = m.colValue;
      } else if (m.type === 'done') {
        return { ...m.outcome, colValue: m.outcome.colValue ?? incumbent, terminated: false };
      }
      return undefined;
    },
    onKill: () => ({
      status: 'stopped',
      modelStatus: -1,
      colValue: incumbent,
      dualBound: Infinity,
      rowDual: null,
      iterations,
      terminated: true,
    }),
  });
}

type WorkerMessage =
  | { type: 'progress'; iterations: number; bound?: number; objective?: number; gap?: number }
  | { type: 'incumbent'; colValue: Float64Array }
  | { type: 'done'; outcome: Omit<HighsOutcome, 'terminated'> };
