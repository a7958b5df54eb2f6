// HiGHS in the current thread, for a thread that may block: a Web Worker (the dashboard's). It runs the
// same code as the Node worker (HIGHS_RUN_SOURCE) on a runtime the caller loads (its wasm inlined in
// the page), so the decomposition's tie-settling LP and feasibility phase run in a browser too and its
// plans are the ones Node makes. A time limit or an abort is heard at HiGHS's interrupt callbacks.
import { HIGHS_RUN_SOURCE } from './highs-run.js';
import type { HighsControl, HighsJob, HighsOutcome } from './highs-job.js';

/** What the decomposition asks of an exact LP solver (its `LinearSolver`), written here without importing it: worker/ stays below the decomposition. */
export interface LocalHighs {
  solve(job: HighsJob, control: HighsControl): Promise<HighsOutcome>;
  prewarm(): void;
}

type RunJob = (
  highs: unknown,
  job: unknown,
  shouldStop: () => boolean,
  post: (m: {
    type: string;
    iterations?: number;
    bound?: number;
    objective?: number;
    gap?: number;
    colValue?: Float64Array;
  }) => void,
) => Omit<HighsOutcome, 'terminated'>;

/**
 * The decomposition's exact LP solver running HiGHS synchronously in this
 * thread, on the runtime `load` gives, loaded on first use.
 */
export function localHighsSolver(load: () => Promise<unknown>): LocalHighs {
  let runtime: Promise<unknown> | undefined;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- one shared text, see highs-run.ts
  const run = new Function(`${HIGHS_RUN_SOURCE}\nreturn runHighsJob;`)() as RunJob;
  return {
    async solve(job, control) {
      const highs = await (runtime ??= load());
      const started = performance.now();
      const deadline = Date.now() + control.timeLimit * 1000;
      let incumbent: Float64Array | null = null;
      const out = run(
        highs,
        job,
        () => control.signal?.aborted === true || Date.now() > deadline,
        (m) => {
          if (m.type === 'incumbent') incumbent = m.colValue ?? null;
          else if (m.type === 'progress')
            control.onProgress?.({
              iteration: m.iterations ?? 0,
              bound: m.bound ?? Infinity,
              objective: m.objective ?? NaN,
              gap: m.gap ?? Infinity,
              seconds: (performance.now() - started) / 1000,
            });
        },
      );
      return { ...out, colValue: out.colValue ?? incumbent, terminated: false };
    },
    prewarm() {
      void (runtime ??= load()).catch(() => undefined);
    },
  };
}
