// The per-customer work a team's thread does, as pure functions of the shared arrays: the same
// functions the main thread runs when it works alone, so one thread or several give the same bits.
import { SLICE } from '../../../util/slices.js';
import { respondRange, type PricesAt } from '../core/margins.js';
import type { Structure } from '../core/structure.js';
import { computeKeys, type KeyTask } from '../core/group-keys.js';

/** One thread's part of a best response: customers [from, to) (from a multiple of SLICE). */
export interface RespondTask {
  op: 'respond';
  at: PricesAt;
  choice: Int32Array;
  margin: Float64Array;
  from: number;
  to: number;
}

/** One thread's part of sorting runs in place: runs [r0, r1) of `sorted`, run r holding [start[r], start[r+1]). */
export interface SortTask {
  op: 'sort';
  sorted: Float64Array;
  start: Int32Array;
  r0: number;
  r1: number;
}

/** What a thread is asked to do. */
export type Task = RespondTask | SortTask | KeyTask;

/** What a thread answers to a {@link RespondTask}: the value of each slice, in order, and its counts per (group, action). */
export interface RespondDone {
  slices: Float64Array;
  count: Float64Array;
}

/** Runs one task on structure `s` (null for tasks that need none). */
export function runTask(s: Structure | null, task: Task): RespondDone | null {
  if (task.op === 'respond') {
    if (!s) throw new Error('respond: no structure attached');
    const out = { choice: task.choice, margin: task.margin, count: new Float64Array(s.G * s.K) };
    const slices = new Float64Array(Math.ceil((task.to - task.from) / SLICE));
    for (let from = task.from, q = 0; from < task.to; from += SLICE, q++)
      slices[q] = respondRange(s, task.at, from, Math.min(task.to, from + SLICE), out);
    return { slices, count: out.count };
  }
  if (task.op === 'sort') sortRuns(task.sorted, task.start, task.r0, task.r1);
  else computeKeys(task);
  return null;
}

/** Sorts each run [start[r], start[r+1]) of `sorted` ascending, for r in [r0, r1). */
export function sortRuns(sorted: Float64Array, start: Int32Array, r0: number, r1: number): void {
  for (let r = r0; r < r1; r++) sorted.subarray(start[r]!, start[r + 1]!).sort();
}
