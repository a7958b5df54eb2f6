// Worker threads that share a solve's per-customer work (docs/decomposition.md, "Threads").
//
// Why threads that share memory: a best response, a sort of each class's scores, are loops over every
// customer with nothing to say to each other until the end; on shared typed arrays (SharedArrayBuffer)
// each thread writes its own customers' entries, and only a few numbers per slice come back. A team of
// T threads is the main thread and T − 1 workers: the main thread takes the first part, in slices with
// turns of the event loop between (as it does alone), so timers and aborts are still heard.
//
// Why the result does not depend on the number of threads: work is cut at the same slice boundaries as
// the single-thread loops (util/slices.ts SLICE); sums of floats come back per slice and are added in
// slice order, as the single-thread loop adds them; counts are whole numbers (exact in any order).
import type { Worker } from 'node:worker_threads';
import { SLICE, turns } from '../../../util/slices.js';
import { pricesAt, type Response } from '../core/margins.js';
import type { Structure } from '../core/structure.js';
import { keptFor, runTask, type RespondDone, type Task } from './kernels.js';
import {
  countMovesOf,
  keepMovesOf,
  sortKept,
  type KeptMoves,
  type MoveScan,
  type MoveSlots,
  type MoveTeam,
} from '../primal/move-lists.js';
import type { KeyRunner } from '../core/group-keys.js';
import { shareStructure } from './shared.js';
import { shared, sharedArray, sharedCopy } from '../../../util/shared-memory.js';
import { cores, spawn } from './spawn.js';

/**
 * From this many customers on, `threads: 'auto'` uses every core. Below, starting and feeding threads costs
 * more than they save: first solves from the built package on this 2-core machine, one thread against
 * two, 300,000 customers 0.37 s against 0.42–0.45 s, 1,000,000 0.69 s against 0.68–0.70 s, 2,000,000
 * 1.10–1.14 s against 1.00–1.01 s (docs/decomposition.md, "Tuning constants").
 */
export const THREADS_FROM = 1_000_000;

/** How many threads a solve of `n` customers uses for a `threads` setting. */
export function threadsFor(setting: number | 'auto', n: number): number {
  if (setting === 'auto') return n >= THREADS_FROM ? cores() : 1;
  if (!Number.isInteger(setting) || setting < 1)
    throw new RangeError(`threads must be a whole number ≥ 1 or 'auto', got ${setting}`);
  return setting;
}

// Threads kept between solves (unreferenced: they never hold the process open).
const idle: Worker[] = [];

/** Starts threads (kept idle, unreferenced) until `threads − 1` are ready for the next team. */
export function prewarmThreads(threads: number): void {
  while (idle.length < threads - 1) {
    const w = spawn();
    w.unref();
    idle.push(w);
  }
}

type Reply = { type: 'ok' } | { type: 'done'; result: unknown } | { type: 'failed'; message: string };

// One request to one thread, answered by its next message (a thread works on one request at a time).
function ask(w: Worker, msg: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (r: Reply) => {
      off();
      if (r.type === 'failed') reject(new Error(`a solver thread failed: ${r.message}`));
      else resolve(r.type === 'done' ? r.result : undefined);
    };
    const onError = (e: Error) => {
      off();
      reject(e);
    };
    const onExit = (code: number) => {
      off();
      reject(new Error(`a solver thread exited with code ${code}`));
    };
    const off = () => {
      w.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    w.on('message', onMessage).on('error', onError).on('exit', onExit);
    w.postMessage(msg);
  });
}

/**
 * The threads of one solve, attached to its structure. Open with {@link Team.open}, give back
 * with {@link Team.close} (the threads stay for the next solve, holding nothing of this one).
 */
export class Team implements MoveTeam {
  private attached: Structure | null = null;
  private broken = false;

  private constructor(private readonly workers: Worker[]) {}

  /** A team of `threads` threads: this one and `threads − 1` workers (those kept from earlier solves first). */
  static open(threads: number): Team {
    const workers: Worker[] = [];
    while (workers.length < threads - 1) workers.push(idle.pop() ?? spawn());
    for (const w of workers) w.ref();
    return new Team(workers);
  }

  /** Threads in the team, this one included. */
  get size(): number {
    return this.workers.length + 1;
  }

  /** Gives every worker the structure's arrays (per-customer ones on shared memory, copied there once if needed). */
  async attach(s: Structure): Promise<void> {
    const structure = shareStructure(s);
    await this.all(() => ({ type: 'attach', structure }));
    this.attached = s;
  }

  /**
   * The best response at μ (margins.ts `bestResponse`), each thread taking a run of slices; the same
   * bits as the single-thread loop.
   */
  async respond(s: Structure, mu: Float64Array): Promise<Response> {
    if (this.attached !== s) await this.attach(s);
    const choice = sharedArray(Int32Array, s.n);
    const margin = sharedArray(Float64Array, s.n);
    const at = pricesAt(s, mu);
    const range = this.ranges(s.n);
    const done = (await this.each((t) => ({ op: 'respond', at, choice, margin, ...range(t) }), s)) as RespondDone[];
    const count = new Float64Array(s.G * s.K);
    let objective = 0;
    for (const d of done) {
      for (let q = 0; q < d.slices.length; q++) objective += d.slices[q]!;
      for (let gk = 0; gk < count.length; gk++) count[gk]! += d.count[gk]!;
    }
    return { choice, margin, count, objective };
  }

  /**
   * Sorts each run [start[r], start[r+1]) of `sorted` (on shared memory) ascending, the runs
   * shared out so that each thread sorts about as many numbers.
   */
  async sortRuns(sorted: Float64Array, start: Int32Array): Promise<void> {
    const R = start.length - 1;
    const n = start[R]!;
    const cut = [0];
    for (let t = 1; t < this.size; t++) {
      let r = cut[t - 1]!;
      while (r < R && start[r]! < (t * n) / this.size) r++;
      cut.push(r);
    }
    cut.push(R);
    await this.each((t) => ({ op: 'sort', sorted, start, r0: cut[t]!, r1: cut[t + 1]! }), null);
  }

  /** Computes grouping keys (core/group-keys.ts) over [0, n), each thread taking a run of slices. */
  readonly keys: KeyRunner = async (n, make) => {
    const range = this.ranges(n);
    await this.each((t) => {
      const { from, to } = range(t);
      const task = make(from, to);
      // The problem's masks and columns are read-only: shared copies, made once per array.
      return task.op === 'maskKeys'
        ? { ...task, masks: task.masks.map(shared) }
        : { ...task, segment: shared(task.segment), eligible: shared(task.eligible) };
    }, null);
  };

  /** Candidate moves per type (primal/move-lists.ts), each thread counting a run of the candidates. */
  async countMoves(s: Structure, scan: MoveScan, types: number): Promise<Float64Array> {
    if (this.attached !== s) await this.attach(s);
    const onShared = this.sharedScan(scan);
    const range = this.ranges(scan.customers.length);
    const counts = (await this.each(
      (t) => ({ op: 'countMoves', scan: onShared, types, ...range(t) }),
      s,
    )) as Float64Array[];
    const total = new Float64Array(types);
    for (const c of counts) for (let type = 0; type < types; type++) total[type]! += c[type]!;
    return total;
  }

  /** Each thread's best candidate moves per slot (primal/move-lists.ts), in thread order. */
  async keepMoves(s: Structure, scan: MoveScan, slots: MoveSlots): Promise<KeptMoves[]> {
    if (this.attached !== s) await this.attach(s);
    const onShared = this.sharedScan(scan);
    const range = this.ranges(scan.customers.length);
    return (await this.each((t) => ({ op: 'keepMoves', scan: onShared, slots, ...range(t) }), s)) as KeptMoves[];
  }

  /** Lets go of the structure and gives the threads back for later solves (unreferenced). */
  close(): void {
    for (const w of this.workers) {
      if (this.broken) {
        void w.terminate();
        continue;
      }
      // No answer comes back: the thread's next message is its answer to the next request.
      if (this.attached) w.postMessage({ type: 'detach' });
      w.unref();
      idle.push(w);
    }
    this.attached = null;
    this.workers.length = 0;
  }

  // The plan and the candidates of a scan on shared memory (the plan changes between scans: a fresh copy
  // unless it is shared already).
  private sharedScan(scan: MoveScan): MoveScan {
    const x = scan.x.buffer instanceof SharedArrayBuffer ? scan.x : sharedCopy(scan.x);
    return { ...scan, x, customers: sharedCopy(scan.customers) };
  }

  // [0, length) cut at slice boundaries into one contiguous run per thread: thread t's run.
  private ranges(length: number): (t: number) => { from: number; to: number } {
    const units = Math.ceil(length / SLICE);
    const at = (t: number) => Math.floor((t * units) / this.size) * SLICE;
    return (t) => ({ from: at(t), to: Math.min(length, at(t + 1)) });
  }

  // Task t on thread t, the first here (cut into its slices or runs, with turns of the event loop between)
  // and the others on the workers; the answers in thread order. A worker that fails breaks the team
  // (terminated at close).
  private async each(task: (t: number) => Task, s: Structure | null): Promise<unknown[]> {
    const others = Promise.all(this.workers.map((w, t) => ask(w, { type: 'task', task: task(t + 1) }))).catch(
      (e: unknown) => {
        this.broken = true;
        throw e;
      },
    );
    let mine: unknown;
    try {
      mine = await runHere(s, task(0));
    } catch (e) {
      // No worker is left working for a dropped request.
      await others.catch(() => undefined);
      throw e;
    }
    return [mine, ...(await others)];
  }

  // One request to every worker.
  private async all(message: (t: number) => unknown): Promise<unknown[]> {
    try {
      return await Promise.all(this.workers.map((w, t) => ask(w, message(t))));
    } catch (e) {
      this.broken = true;
      throw e;
    }
  }
}

// This thread's task, a slice or a run at a time with turns of the event loop between; the same answer
// as a worker's runTask.
async function runHere(s: Structure | null, task: Task): Promise<unknown> {
  const turn = turns();
  if (task.op === 'sort') {
    for (let r = task.r0; r < task.r1; r++) {
      runTask(null, { ...task, r0: r, r1: r + 1 });
      await turn();
    }
    return null;
  }
  const slices: number[] = [];
  const count = new Float64Array(task.op === 'respond' ? s!.G * s!.K : task.op === 'countMoves' ? task.types : 0);
  const kept = task.op === 'keepMoves' ? keptFor(task.slots) : null;
  for (let from = task.from; from < task.to; from += SLICE) {
    const to = Math.min(task.to, from + SLICE);
    if (task.op === 'respond') {
      const d = runTask(s, { ...task, from, to }) as RespondDone;
      slices.push(...d.slices);
      for (let gk = 0; gk < count.length; gk++) count[gk]! += d.count[gk]!;
    } else if (task.op === 'countMoves') countMovesOf(s!, task.scan, count, from, to);
    else if (task.op === 'keepMoves') keepMovesOf(s!, task.scan, task.slots, kept!, from, to);
    else runTask(s, { ...task, from, to });
    await turn();
  }
  if (task.op === 'respond') return { slices: Float64Array.from(slices), count } satisfies RespondDone;
  if (task.op === 'countMoves') return count;
  if (task.op === 'keepMoves') sortKept(task.slots, kept!);
  return kept;
}
