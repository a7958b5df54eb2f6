import type { LinearSolver } from '../core/linear.js';
import { Margins } from '../core/margins.js';
import { activity } from '../core/margins.js';
import { scanMoves } from './move-lists.js';
import { moveDelta, moveOf, type Structure } from '../core/structure.js';

/** How many customers closest to a tie the settling LP considers. */
const POOL = 40_000;
/** Each move type's candidates are split into this many cost steps. */
const STEPS = 8;

/**
 * Settles the ties of a best response exactly, at the level of move types.
 *
 * At the optimal multipliers many customers are (nearly) indifferent between
 * two options, and which of them move decides whether the plan is optimal. The
 * customers closest to a tie are grouped by move type (group, from, to); every
 * customer of a type changes the rows by the same amount, so one LP variable per
 * type (split into cost steps, cheapest first) and one row per coupling row
 * choose how many customers of each type move: an LP with a few thousand
 * columns whatever the number of customers. Its solution, rounded down, is
 * applied to the cheapest customers of each type; the repair then fixes the
 * few units rounding leaves.
 *
 * Returns the new choice vector, or null when the LP finds nothing (the
 * caller keeps the plain repair).
 */
export async function settleTies(
  s: Structure,
  mu: Float64Array,
  start: Int32Array,
  control: { timeLimit: number; signal?: AbortSignal },
  lp: LinearSolver,
): Promise<Int32Array | null> {
  const { n, K, m, G, group, rhs } = s;
  // The customers closest to a tie, and every move of theirs within the same cut-off.
  const margins = new Margins(s, mu, start);
  const { customers: pool, cutoff } = margins.nearest(POOL);

  // Candidates per move type t = (g, k1, k2), with their true losses.
  // Sparse by type: with per-customer weights there can be a group per customer.
  const byType = new Map<number, { i: number[]; loss: number[] }>();
  const origin = new Float64Array(G * (K + 1));
  for (const i of pool) origin[group[i]! * (K + 1) + start[i]! + 1]!++;
  const scan = { x: start, customers: pool, cutoff, penalty: margins.penalty, prices: margins.prices };
  scanMoves(s, scan, (t, loss, i) => {
    let c = byType.get(t);
    if (!c) byType.set(t, (c = { i: [], loss: [] }));
    c.i.push(i);
    c.loss.push(loss);
  });

  // Columns: cost steps of each type. Rows: coupling rows (residual), then one per origin (g, k1).
  const count = new Float64Array(G * K);
  for (let i = 0; i < n; i++) if (start[i]! >= 0) count[group[i]! * K + start[i]!]!++;
  const act = activity(s, count, new Float64Array(m));
  const colType: number[] = [];
  const colCost: number[] = [];
  const colUpper: number[] = [];
  const order = new Map<number, Int32Array>();
  for (const t of [...byType.keys()].sort((a, b) => a - b)) {
    const c = byType.get(t)!;
    const idx = Int32Array.from(c.i.keys()).sort((a, b) => c.loss[a]! - c.loss[b]! || c.i[a]! - c.i[b]!);
    order.set(t, idx);
    const steps = Math.min(STEPS, idx.length);
    for (let q = 0; q < steps; q++) {
      const from = Math.floor((q * idx.length) / steps);
      const to = Math.floor(((q + 1) * idx.length) / steps);
      let sum = 0;
      for (let e = from; e < to; e++) sum += c.loss[idx[e]!]!;
      colType.push(t);
      colCost.push(sum / (to - from));
      colUpper.push(to - from);
    }
  }
  const numCols = colType.length;
  if (numCols === 0) return null;
  const delta = new Float64Array(m);
  const numRows = m + G * (K + 1);
  const starts = new Int32Array(numCols + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let c = 0; c < numCols; c++) {
    const { g, k1 } = moveDelta(s, colType[c]!, delta);
    for (let j = 0; j < m; j++)
      if (delta[j] !== 0) {
        indices.push(j);
        values.push(delta[j]!);
      }
    indices.push(m + g * (K + 1) + k1 + 1);
    values.push(1);
    starts[c + 1] = indices.length;
  }
  const rowUpper = new Float64Array(numRows);
  for (let j = 0; j < m; j++) rowUpper[j] = rhs[j]! - act[j]!;
  for (let o = 0; o < G * (K + 1); o++) rowUpper[m + o] = origin[o]!;
  // On the HiGHS worker thread, like every HiGHS solve: the event loop keeps turning, a stop is heard.
  const outcome = await lp.solve(
    {
      model: {
        numCols,
        numRows,
        maximize: false,
        integerColumns: 0,
        colCost: Float64Array.from(colCost),
        colLower: new Float64Array(numCols),
        colUpper: Float64Array.from(colUpper),
        rowLower: new Float64Array(numRows).fill(-Infinity),
        rowUpper,
        starts,
        indices: Int32Array.from(indices),
        values: Float64Array.from(values),
      },
      options: { output_flag: false },
    },
    control,
  );
  if (outcome.status !== 'optimal' || !outcome.colValue) return null;
  const y = outcome.colValue;
  const take = new Map<number, number>();
  for (let c = 0; c < numCols; c++) take.set(colType[c]!, (take.get(colType[c]!) ?? 0) + y[c]!);
  // Each type's candidates, cheapest first.
  const cheapest = new Map<number, Int32Array>();
  for (const [t, idx] of order)
    cheapest.set(
      t,
      Int32Array.from(idx, (e) => byType.get(t)!.i[e]!),
    );
  return roundMoves(start, K, take, cheapest);
}

/**
 * The tie-settling LP's rounding: each move type t moves ⌊amount_t⌋ of its
 * candidates (1e-7 of float slack), cheapest first, types in ascending order,
 * no customer twice. Returns the new choice vector (`start` is not changed).
 * The repair that follows fixes the few units rounding leaves.
 */
export function roundMoves(
  start: Int32Array,
  K: number,
  amounts: ReadonlyMap<number, number>,
  cheapest: ReadonlyMap<number, Int32Array>,
): Int32Array {
  const x = start.slice();
  const moved = new Uint8Array(start.length);
  for (const [t, amount] of [...amounts].sort((a, b) => a[0] - b[0])) {
    let left = Math.floor(amount + 1e-7);
    if (left <= 0) continue;
    const { k2 } = moveOf(K, t);
    for (const i of cheapest.get(t) ?? []) {
      if (left === 0) break;
      if (moved[i]) continue;
      moved[i] = 1;
      x[i] = k2;
      left--;
    }
  }
  return x;
}
