// The per-customer work a team's thread does, as pure functions of the shared arrays: the same
// functions the main thread runs when it works alone, so one thread or several give the same bits.
import { SLICE } from '../../../util/slices.js';
import { respondRange, type PricesAt } from '../core/margins.js';
import type { Structure } from '../core/structure.js';
import { computeKeys, type KeyTask } from '../core/group-keys.js';
import {
  countMovesOf,
  keepMovesOf,
  sortKept,
  type KeptMoves,
  type MoveScan,
  type MoveSlots,
} from '../primal/move-lists.js';
import { sharedArray } from '../../../util/shared-memory.js';

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

/** One thread's part of counting candidate moves per type: candidates [from, to) of `scan.customers`. */
export interface CountMovesTask {
  op: 'countMoves';
  scan: MoveScan;
  types: number;
  from: number;
  to: number;
}

/** One thread's part of keeping the best candidate moves per slot: candidates [from, to), kept sorted. */
export interface KeepMovesTask {
  op: 'keepMoves';
  scan: MoveScan;
  slots: MoveSlots;
  from: number;
  to: number;
}

/** What a thread is asked to do. */
export type Task = RespondTask | SortTask | KeyTask | CountMovesTask | KeepMovesTask;

/** Room for one thread's kept moves in the lists' layout (on shared memory: the main thread merges them). */
export function keptFor(slots: MoveSlots): KeptMoves {
  const S = slots.base.length;
  const total = S ? slots.base[S - 1]! + slots.capOf[S - 1]! : 0;
  return { loss: sharedArray(Float64Array, total), who: sharedArray(Int32Array, total), size: new Int32Array(S) };
}

/** What a thread answers to a {@link RespondTask}: the value of each slice, in order, and its counts per (group, action). */
export interface RespondDone {
  slices: Float64Array;
  count: Float64Array;
}

/** Runs one task on structure `s` (null for tasks that need none). */
export function runTask(s: Structure | null, task: Task): RespondDone | Float64Array | KeptMoves | null {
  if (task.op === 'countMoves') {
    const count = new Float64Array(task.types);
    countMovesOf(need(s), task.scan, count, task.from, task.to);
    return count;
  }
  if (task.op === 'keepMoves') {
    const kept = keptFor(task.slots);
    keepMovesOf(need(s), task.scan, task.slots, kept, task.from, task.to);
    sortKept(task.slots, kept);
    return kept;
  }
  if (task.op === 'respond') {
    const out = { choice: task.choice, margin: task.margin, count: new Float64Array(need(s).G * need(s).K) };
    const slices = new Float64Array(Math.ceil((task.to - task.from) / SLICE));
    for (let from = task.from, q = 0; from < task.to; from += SLICE, q++)
      slices[q] = respondRange(need(s), task.at, from, Math.min(task.to, from + SLICE), out);
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

function need(s: Structure | null): Structure {
  if (!s) throw new Error('no structure attached to this thread');
  return s;
}
