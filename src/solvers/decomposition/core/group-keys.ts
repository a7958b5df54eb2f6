// The keys that split groups of customers (structure.ts groupCustomers): computed for a range of
// customers at a time, so the threads of a team can share them out (parallel/team.ts); the numbering
// of the keys in order of first appearance follows on one thread.

/** Keys of customers [from, to) that split their groups by up to 20 0/1 masks: group · 2^B + bits. */
export interface MaskKeys {
  op: 'maskKeys';
  group: Int32Array;
  masks: Uint8Array[];
  keys: Float64Array;
  from: number;
  to: number;
}

/** Keys of customers [from, to) that split their groups by segment and eligible actions: (group · S + segment) · 2^K + eligible bits. */
export interface SegmentKeys {
  op: 'segmentKeys';
  group: Int32Array;
  segment: Uint8Array | Uint16Array | Int32Array;
  S: number;
  eligible: Uint8Array;
  K: number;
  keys: Float64Array;
  from: number;
  to: number;
}

/** A key computation over a range of customers. */
export type KeyTask = MaskKeys | SegmentKeys;

/** Runs a key computation over all customers [0, n): `make(from, to)` gives the task of one range. */
export type KeyRunner = (n: number, make: (from: number, to: number) => KeyTask) => Promise<void>;

/** Writes the keys of one task's customers into `task.keys`. */
export function computeKeys(task: KeyTask): void {
  if (task.op === 'maskKeys') maskKeys(task.group, task.masks, task.keys, task.from, task.to);
  else segmentKeys(task.group, task.segment, task.S, task.eligible, task.K, task.keys, task.from, task.to);
}

// Mask by mask over the range (a loop per mask streams through one array; a loop over the masks per
// customer was 3× slower once V8 had seen both shapes of task).
function maskKeys(group: Int32Array, masks: Uint8Array[], keys: Float64Array, from: number, to: number): void {
  const scale = 2 ** masks.length;
  for (let i = from; i < to; i++) keys[i] = group[i]! * scale;
  for (let b = 0; b < masks.length; b++) {
    const m = masks[b]!;
    const bit = 2 ** b;
    for (let i = from; i < to; i++) keys[i]! += m[i]! * bit;
  }
}

function segmentKeys(
  group: Int32Array,
  segment: Uint8Array | Uint16Array | Int32Array,
  S: number,
  eligible: Uint8Array,
  K: number,
  keys: Float64Array,
  from: number,
  to: number,
): void {
  const scale = 2 ** K;
  for (let i = from; i < to; i++) {
    let mask = 0;
    for (let k = 0, at = i * K; k < K; k++, at++) mask |= eligible[at]! << k;
    keys[i] = (group[i]! * S + segment[i]!) * scale + mask;
  }
}

/** New group ids: each customer's key numbered in order of first appearance, with each group's first customer and size. */
export interface Numbered {
  rep: number[];
  size: number[];
}

/**
 * Numbers `keys` (each below `keySpace`) in order of first appearance into `group`; a flat table
 * when the key space is moderate, a map otherwise.
 */
export function numberKeys(keys: Float64Array, keySpace: number, group: Int32Array): Numbered {
  const rep: number[] = [];
  const n = keys.length;
  if (keySpace <= 1 << 22) {
    const table = new Int32Array(keySpace).fill(-1);
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      let g = table[key]!;
      if (g < 0) {
        g = table[key] = rep.length;
        rep.push(i);
      }
      group[i] = g;
    }
  } else {
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      let g = map.get(key);
      if (g === undefined) {
        map.set(key, (g = rep.length));
        rep.push(i);
      }
      group[i] = g;
    }
  }
  const counts = new Float64Array(rep.length);
  for (let i = 0; i < n; i++) counts[group[i]!]!++;
  return { rep, size: Array.from(counts) };
}
