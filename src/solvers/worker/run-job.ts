// One job on a worker thread, stopped on time: the generic half of the worker-run backends.
//
// A worker gets a shared stop flag with the job; the code in the worker checks it where it can and
// returns early by itself. If it has not answered GRACE_MS after a stop was asked (a time limit or an
// abort), it is terminated and the job resolves with `onKill()`: the last partial answer it posted.
// A worker that answered is kept idle (unreferenced: it never holds the process open) for the next
// job of the same kind, so its runtime (a WebAssembly instance, say) is loaded once.
import { Worker } from 'node:worker_threads';

/** After a stop is asked, how long a worker may take to return by itself before it is terminated. */
export const GRACE_MS = 300;

/** A kind of worker: its source (a CommonJS script) and the data it starts with. */
export interface WorkerKind {
  readonly name: string;
  source: string;
  workerData: () => Promise<unknown>;
}

/** How one job talks to its worker. */
export interface JobSpec<T> {
  /** Posted to the worker with `stop` (a SharedArrayBuffer holding one Int32, set to 1 to stop) and `timeLimit`. */
  message: Record<string, unknown>;
  timeLimit: number;
  signal?: AbortSignal;
  /** Every message of the worker; return a value to end the job with it. */
  onMessage: (msg: { type: string; [key: string]: unknown }) => T | undefined;
  /** The answer when the worker had to be terminated. */
  onKill: () => T;
}

const idle = new Map<string, Worker>();

async function takeWorker(kind: WorkerKind): Promise<Worker> {
  const w = idle.get(kind.name);
  if (w) {
    idle.delete(kind.name);
    w.ref();
    return w;
  }
  return new Worker(kind.source, { eval: true, workerData: await kind.workerData() });
}

/** Starts a worker of `kind` and keeps it idle for the next job (unless one is idle already). */
export async function prewarm(kind: WorkerKind): Promise<void> {
  if (idle.has(kind.name)) return;
  const w = new Worker(kind.source, { eval: true, workerData: await kind.workerData() });
  if (idle.has(kind.name)) {
    void w.terminate();
    return;
  }
  w.unref();
  idle.set(kind.name, w);
}

function release(kind: WorkerKind, w: Worker): void {
  w.removeAllListeners('message').removeAllListeners('error').removeAllListeners('exit');
  if (idle.has(kind.name)) {
    void w.terminate();
    return;
  }
  w.unref();
  idle.set(kind.name, w);
}

/**
 * Runs one job on a worker of `kind`. Resolves with what `onMessage` returns,
 * or with `onKill()` within {@link GRACE_MS} of a stop the worker did not
 * answer; rejects when the worker fails (a `failed` message or an error).
 */
export async function runJob<T>(kind: WorkerKind, spec: JobSpec<T>): Promise<T> {
  const worker = await takeWorker(kind);
  const stop = new Int32Array(new SharedArrayBuffer(4));
  return new Promise<T>((resolve, reject) => {
    let finished = false;
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (f: () => void) => {
      if (finished) return;
      finished = true;
      clearTimeout(limitTimer);
      clearTimeout(graceTimer);
      spec.signal?.removeEventListener('abort', askStop);
      f();
    };
    const kill = () =>
      finish(() => {
        void worker.terminate();
        resolve(spec.onKill());
      });
    function askStop() {
      Atomics.store(stop, 0, 1);
      graceTimer ??= setTimeout(kill, GRACE_MS);
    }
    const limitTimer = Number.isFinite(spec.timeLimit)
      ? setTimeout(askStop, Math.max(0, spec.timeLimit * 1000))
      : undefined;
    spec.signal?.addEventListener('abort', askStop, { once: true });
    worker.on('message', (msg: { type: string; [key: string]: unknown }) => {
      if (msg.type === 'failed') {
        // The worker's runtime may be unusable (an out-of-memory abort, say): retire it.
        finish(() => {
          void worker.terminate();
          reject(new Error(String(msg.message)));
        });
        return;
      }
      const answer = spec.onMessage(msg);
      if (answer !== undefined)
        finish(() => {
          release(kind, worker);
          resolve(answer);
        });
    });
    worker.on('error', (e) =>
      finish(() => {
        void worker.terminate();
        reject(e);
      }),
    );
    worker.on('exit', (code) => finish(() => reject(new Error(`the ${kind.name} worker exited with code ${code}`))));
    if (spec.signal?.aborted) askStop();
    worker.postMessage({ ...spec.message, stop: stop.buffer, timeLimit: spec.timeLimit });
  });
}
