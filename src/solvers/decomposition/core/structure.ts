import { forSlices } from '../../../util/slices.js';
import {
  integerRhs,
  isIntegerRow,
  rowCoef,
  rowTolerance,
  supportOf,
  type AssignmentProblem,
  type CouplingRow,
} from '../../../problem/assignment-problem.js';
import { DenseValues, pairValuesOf, type PairValues } from './pair-values.js';
import { computeKeys, numberKeys, type KeyRunner, type Numbered } from './group-keys.js';
import { sharedArray } from '../../../util/shared-memory.js';

/**
 * The problem as the decomposition solver sees it: every row turned into a
 * scaled "≤" row, and customers grouped by their row coefficients. A row's
 * coefficient depends only on (action, group), so a pass over the data needs
 * per-(group, action) penalties and counters, not per-row work per customer.
 */
export interface Structure {
  n: number;
  K: number;
  /** Rows. */
  m: number;
  /** Groups of customers with identical row coefficients. */
  G: number;
  group: Int32Array;
  /** Net values of the pairs, −Infinity where a pair is not eligible. */
  values: PairValues;
  /**
   * The scaled ≤-form coefficients: the nonzero ones of each (group g, action k), gk = g·K + k,
   * as rows `nzRow` (ascending) and values `nzValue` in [nzStart[gk], nzStart[gk+1]). A choice
   * touches a handful of rows (its budget, its channel, its customer's sets), so passes price and
   * count them sparsely, and memory stays O(nonzeros) with thousands of rows (a dense G·K·m array
   * was 1.8 GB for fairness by 4,000 postcodes).
   */
  nzStart: Int32Array;
  nzRow: Int32Array;
  nzValue: Float64Array;
  /**
   * Rows whose coefficients vary customer by customer within an action (a budget with a cost per
   * customer): kept out of the groups (which would be one per customer) and priced per customer
   * from `weightedCoef[w]`, the scaled ≤-form coefficients of row `weightedRows[w]` (n × K). Empty
   * for most problems. See docs/decomposition.md, "Rows weighted per customer".
   */
  weightedRows: Int32Array;
  weightedCoef: Float64Array[];
  /** Scaled ≤-form right-hand sides. */
  rhs: Float64Array;
  /** Scaled feasibility tolerance of each row. */
  tol: Float64Array;
  /** Original row j = sign[j] · scale[j] · (scaled row j). */
  sign: Float64Array;
  scale: Float64Array;
  /** Number of customers in each group. */
  groupSize: Float64Array;
  /** The least any plan can be worth: Σ_i min(0, min_k w_ik). Below it a dual bound proves infeasibility. */
  lowest: number;
  /** Largest |w| over eligible pairs (sets the first trust region). */
  maxAbsW: number;
}

/** Customers grouped by identical row coefficients (the first step of a {@link Structure}). */
export interface Grouping {
  G: number;
  group: Int32Array;
  /** A customer of each group (its first), whose factors stand for the group's. */
  rep: Int32Array;
  /** Customers per group. */
  size: Float64Array;
  /** True when the groups are also split by segment and eligible actions (see {@link groupCustomers}). */
  bySegmentAndActions: boolean;
  /** Rows left out of the grouping: their per-customer columns have too many distinct values (see {@link Structure.weightedRows}). */
  weighted: Int32Array;
}

/** Above this many distinct values a per-customer column is priced per customer, not grouped by. */
const GROUP_BY_VALUES_UP_TO = 256;

/** What the values span: the least any plan can be worth, and the largest |value| of an eligible pair. */
export interface ValueRange {
  lowest: number;
  maxAbsW: number;
}

/**
 * Groups customers by their customer-factor vector: 0/1 masks (sets, segments)
 * up to 20 at a time, other factors one row at a time. Ids are numbered in
 * order of first appearance either way. With `bySegmentAndActions` (and
 * factored values), groups are split further by uplift segment and eligible
 * actions: customers of one group then differ only by their score, the classes
 * the per-class passes work on.
 */
export async function groupCustomers(
  problem: AssignmentProblem,
  bySegmentAndActions = false,
  perCustomerRows: 'auto' | 'group' | 'price' = 'auto',
  /** Where the splitting keys are computed: here (default) or on a team's threads. */
  run: KeyRunner = keysHere,
): Promise<Grouping> {
  // On shared memory when threads compute the keys (they read the groups; the numbering writes them here).
  const group = run === keysHere ? new Int32Array(problem.n) : sharedArray(Int32Array, problem.n);
  // Groups (first customer, size) as the last refinement numbered them.
  let split: { rep: number[]; size: number[] } = { rep: [0], size: [problem.n] };
  const masks: Uint8Array[] = [];
  // One array of keys for every refinement (each writes every customer's key): at 10,000,000 customers a
  // fresh one per stage was 80 MB of garbage each, which a heap holding little else collects late.
  let keys: Float64Array | undefined;
  const keysOf = () => (keys ??= keyArray(problem.n, run));
  // 0/1 masks of one constraint on disjoint sets (fairness by a column: thousands of rows) refine as one
  // categorical column, in one pass; other masks 20 at a time.
  const byConstraint = new Map<string, CouplingRow[]>();
  const bySupport = problem.rows.filter((r) => r.customerCoef).length > 32;
  const weighted: number[] = [];
  for (const [j, row] of problem.rows.entries()) {
    // Per-customer columns with few values (a share of a fee: one group per fee) split groups; with
    // many (a cost per customer), the row is priced per customer instead of making a group each.
    if (row.pairCoef) {
      const few =
        perCustomerRows === 'group' ||
        (perCustomerRows === 'auto' && row.pairCoef.every((col) => !col || distinctUpTo(col, GROUP_BY_VALUES_UP_TO)));
      if (few) {
        for (const col of row.pairCoef) if (col) split = refineByValue(group, col);
      } else {
        weighted.push(j);
        continue;
      }
    }
    const c = row.customerCoef;
    if (!c) continue;
    if (c instanceof Uint8Array && !row.pairCoef && (await isZeroOne(row, bySupport))) {
      const list = byConstraint.get(row.constraint);
      if (list) list.push(row);
      else byConstraint.set(row.constraint, [row]);
    } else split = refineByValue(group, c);
  }
  for (const rows of byConstraint.values()) {
    const owner = rows.length > 20 ? disjointOwner(problem.n, rows) : null;
    if (owner) split = refineByCategory(group, split.rep.length, owner, rows.length + 1);
    else for (const row of rows) masks.push(row.customerCoef as Uint8Array);
  }
  for (let at = 0; at < masks.length; at += 20)
    split = await refineByMasks(group, split.rep.length, masks.slice(at, at + 20), keysOf(), run);
  const f = problem.valueFactors;
  const K = problem.K;
  // The eligible actions as a 32-bit mask, and a key of (group, segment, mask) that a double holds exactly.
  const classes =
    bySegmentAndActions &&
    f !== undefined &&
    K <= 30 &&
    split.rep.length * (f.uplift.length / K) * 2 ** K <= Number.MAX_SAFE_INTEGER;
  if (classes)
    split = await refineBySegmentAndActions(
      group,
      split.rep.length,
      f.segment,
      f.uplift.length / K,
      problem.eligible,
      K,
      keysOf(),
      run,
    );
  return {
    G: split.rep.length,
    group,
    rep: Int32Array.from(split.rep),
    size: Float64Array.from(split.size),
    bySegmentAndActions: classes,
    weighted: Int32Array.from(weighted),
  };
}

/**
 * Builds the {@link Structure} of a problem. O(n·(K + rows with a customer
 * factor)); the value range is measured customer by customer unless given.
 */
export function buildStructure(problem: AssignmentProblem, grouping: Grouping, range?: ValueRange): Structure {
  const { n, K, rows } = problem;
  const m = rows.length;
  const { G, group, rep, size: groupSize } = grouping;

  const sign = new Float64Array(m);
  const scale = new Float64Array(m);
  const isWeighted = new Uint8Array(m);
  const unscaled = new Map<number, Float64Array>();
  for (const j of grouping.weighted) isWeighted[j] = 1;
  const rhs = new Float64Array(m);
  const tol = new Float64Array(m);
  rows.forEach((row, j) => {
    sign[j] = row.sense === '<=' ? 1 : -1;
    let maxA = 0;
    for (let k = 0; k < K; k++) maxA = Math.max(maxA, Math.abs(row.actionCoef[k]!));
    let maxC = row.customerCoef ? 0 : 1;
    for (let g = 0; g < G && row.customerCoef; g++) maxC = Math.max(maxC, Math.abs(row.customerCoef[rep[g]!]!));
    let largest = maxA * maxC;
    if (row.pairCoef && isWeighted[j]) {
      // Built once unscaled here, scaled in place below.
      const coef = scaledCoef(row, n, K, 1);
      unscaled.set(j, coef);
      for (let e = 0; e < coef.length; e++) largest = Math.max(largest, Math.abs(coef[e]!));
    } else if (row.pairCoef)
      for (let g = 0; g < G; g++)
        for (let k = 0; k < K; k++) largest = Math.max(largest, Math.abs(rowCoef(row, rep[g]!, k)));
    const s = largest > 0 ? largest : 1;
    scale[j] = s;
    // A count row is held exactly: its right-hand side is made an integer, and a quarter of a unit of
    // slack absorbs the float noise of scaled sums without letting a whole unit through.
    rhs[j] = (sign[j]! * integerRhs(row)) / s;
    tol[j] = isIntegerRow(row) ? 0.25 / s : rowTolerance(row) / s / 2;
  });
  // Nonzeros by row (a row skips the groups its customer factor leaves out), then bucketed by (group, action).
  const nzStart = new Int32Array(G * K + 1);
  // A row with a customer factor and more groups than customers (fairness by postcode) visits only
  // the groups whose representative it weighs (its support); others look at every group.
  const supports = rows.map((row) => (row.customerCoef && G > n / 64 ? supportOf(row) : null));
  const visit = (f: (gk: number, j: number, v: number) => void) => {
    rows.forEach((row, j) => {
      if (isWeighted[j]) return;
      const groupAt = row.pairCoef
        ? (g: number) => {
            for (let k = 0; k < K; k++) {
              const a = rowCoef(row, rep[g]!, k);
              if (a !== 0) f(g * K + k, j, (sign[j]! * a) / scale[j]!);
            }
          }
        : (g: number) => {
            const c = row.customerCoef ? row.customerCoef[rep[g]!]! : 1;
            if (c === 0) return;
            for (let k = 0; k < K; k++) {
              const a = row.actionCoef[k]!;
              if (a !== 0) f(g * K + k, j, (sign[j]! * a * c) / scale[j]!);
            }
          };
      const support = supports[j];
      if (!support || support.length >= G) for (let g = 0; g < G; g++) groupAt(g);
      else for (const i of support) if (rep[group[i]!] === i) groupAt(group[i]!);
    });
  };
  visit((gk) => {
    nzStart[gk + 1]!++;
  });
  for (let gk = 0; gk < G * K; gk++) nzStart[gk + 1]! += nzStart[gk]!;
  const nzRow = new Int32Array(nzStart[G * K]!);
  const nzValue = new Float64Array(nzRow.length);
  const fill = nzStart.slice(0, G * K);
  visit((gk, j, v) => {
    const e = fill[gk]!++;
    nzRow[e] = j;
    nzValue[e] = v;
  });

  const values = pairValuesOf(problem);
  const { lowest, maxAbsW } = range ?? valueRange(values, n);
  const weightedRows = grouping.weighted;
  const weightedCoef = Array.from(weightedRows, (j) => {
    const coef = unscaled.get(j)!;
    const f = sign[j]! / scale[j]!;
    for (let e = 0; e < coef.length; e++) coef[e] = f * coef[e]!;
    return coef;
  });
  return {
    n,
    K,
    m,
    G,
    group,
    values,
    nzStart,
    nzRow,
    nzValue,
    weightedRows,
    weightedCoef,
    rhs,
    tol,
    sign,
    scale,
    groupSize,
    lowest,
    maxAbsW,
  };
}

/** The least any plan of customers 0 … n − 1 can be worth and the largest |value| of an allowed pair, customer by customer. */
export function valueRange(values: PairValues, n: number): ValueRange {
  const K = values.K;
  const row = new Float64Array(K);
  let lowest = 0;
  let maxAbsW = 0;
  for (let i = 0; i < n; i++) {
    values.row(i, row);
    let least = 0;
    for (let k = 0; k < K; k++) {
      const v = row[k]!;
      if (v === -Infinity) continue;
      if (v < least) least = v;
      if (Math.abs(v) > maxAbsW) maxAbsW = Math.abs(v);
    }
    lowest += least;
  }
  return { lowest, maxAbsW };
}

// Splits every group by segment and by the set of eligible actions; ids in order of first appearance.
async function refineBySegmentAndActions(
  group: Int32Array,
  G: number,
  segment: Uint8Array | Uint16Array | Int32Array,
  S: number,
  eligible: Uint8Array,
  K: number,
  keys: Float64Array,
  run: KeyRunner,
): Promise<Numbered> {
  await run(group.length, (from, to) => ({ op: 'segmentKeys', group, segment, S, eligible, K, keys, from, to }));
  return numberKeys(keys, G * S * 2 ** K, group);
}

// Splits every group by up to 20 0/1 masks at once; ids are numbered in order of first appearance.
async function refineByMasks(
  group: Int32Array,
  G: number,
  masks: Uint8Array[],
  keys: Float64Array,
  run: KeyRunner,
): Promise<Numbered> {
  await run(group.length, (from, to) => ({ op: 'maskKeys', group, masks, keys, from, to }));
  return numberKeys(keys, G * 2 ** masks.length, group);
}

// Where keys go: shared memory when threads compute them.
function keyArray(n: number, run: KeyRunner): Float64Array {
  return run === keysHere ? new Float64Array(n) : sharedArray(Float64Array, n);
}

/** Computes keys on this thread, in slices with turns of the event loop between. */
export const keysHere: KeyRunner = (n, make) => forSlices(n, (from, to) => computeKeys(make(from, to)));

// New group ids for keys below `keys`, in order of first appearance, with each group's first customer and size.
class Numbering {
  readonly rep: number[] = [];
  readonly size: number[] = [];
  private readonly table: Int32Array | null;
  private readonly map: Map<number, number> | null;

  constructor(keys: number) {
    this.table = keys <= 1 << 22 ? new Int32Array(keys).fill(-1) : null;
    this.map = this.table ? null : new Map();
  }

  of(key: number, i: number): number {
    let g = this.table ? this.table[key]! : (this.map!.get(key) ?? -1);
    if (g < 0) {
      g = this.rep.length;
      this.rep.push(i);
      this.size.push(0);
      if (this.table) this.table[key] = g;
      else this.map!.set(key, g);
    }
    this.size[g]!++;
    return g;
  }
}

// Over the row's support where many rows will need their supports anyway (thousands of fairness rows:
// n bytes a row would be the cost), else a straight scan (at 1,000,000 customers and a dozen masks,
// building supports just for this cost 180 ms).
async function isZeroOne(row: CouplingRow, bySupport: boolean): Promise<boolean> {
  const c = row.customerCoef!;
  if (bySupport) {
    for (const i of supportOf(row)!) if (c[i]! > 1) return false;
    return true;
  }
  let zeroOne = true;
  await forSlices(c.length, (from, to) => {
    for (let i = from; i < to && zeroOne; i++) if (c[i]! > 1) zeroOne = false;
  });
  return zeroOne;
}

// Per customer, 1 + the position of the one mask it is in (0: none); null when two masks share a customer.
function disjointOwner(n: number, rows: CouplingRow[]): Int32Array | null {
  const owner = new Int32Array(n);
  for (let r = 0; r < rows.length; r++) {
    for (const i of supportOf(rows[r]!)!) {
      if (owner[i]) return null;
      owner[i] = r + 1;
    }
  }
  return owner;
}

// Splits every group by a categorical code in [0, C); ids in order of first appearance.
function refineByCategory(group: Int32Array, G: number, code: Int32Array, C: number): Numbering {
  const ids = new Numbering(G * C);
  for (let i = 0; i < group.length; i++) group[i] = ids.of(group[i]! * C + code[i]!, i);
  return ids;
}

// Splits every group by any coefficient value (slower; for weighted customer factors).
// A weighted row's coefficients × f, n × K, action by action with the columns in hand (what rowCoef
// gives pair by pair).
function scaledCoef(row: CouplingRow, n: number, K: number, f: number): Float64Array {
  const coef = new Float64Array(n * K);
  const c = row.customerCoef;
  for (let k = 0; k < K; k++) {
    const a = row.actionCoef[k]!;
    const extra = row.pairCoef![k];
    for (let i = 0, at = k; i < n; i++, at += K) {
      const base = a * (c ? c[i]! : 1);
      coef[at] = f * (extra ? base + extra[i]! : base);
    }
  }
  return coef;
}

// True when the column has at most `cap` distinct values (stops counting past it).
function distinctUpTo(col: Float64Array, cap: number): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < col.length; i++) {
    seen.add(col[i]!);
    if (seen.size > cap) return false;
  }
  return true;
}

function refineByValue(group: Int32Array, c: Float64Array | Uint8Array): { rep: number[]; size: number[] } {
  const next = new Map<string, number>();
  const rep: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < group.length; i++) {
    const key = `${group[i]}|${c[i]}`;
    let g = next.get(key);
    if (g === undefined) {
      next.set(key, (g = next.size));
      rep.push(i);
      size.push(0);
    }
    size[g]!++;
    group[i] = g;
  }
  return { rep, size };
}

/**
 * A move type: customers of group g going from option k1 to option k2 (−1 is
 * "no action"), numbered ((g·(K+1) + k1+1)·(K+1) + k2+1). Every customer of a
 * type changes the rows by the same amount.
 */
export function moveOf(K: number, type: number): { g: number; k1: number; k2: number } {
  return {
    k2: (type % (K + 1)) - 1,
    k1: (Math.floor(type / (K + 1)) % (K + 1)) - 1,
    g: Math.floor(type / ((K + 1) * (K + 1))),
  };
}

/** Writes the (scaled) row change of a move of `type` into `out` (length m) and returns the move. */
export function moveDelta(s: Structure, type: number, out: Float64Array): { g: number; k1: number; k2: number } {
  const { K, nzStart, nzRow, nzValue } = s;
  const move = moveOf(K, type);
  const { g, k1, k2 } = move;
  out.fill(0);
  if (k2 >= 0) for (let e = nzStart[g * K + k2]!; e < nzStart[g * K + k2 + 1]!; e++) out[nzRow[e]!]! += nzValue[e]!;
  if (k1 >= 0) for (let e = nzStart[g * K + k1]!; e < nzStart[g * K + k1 + 1]!; e++) out[nzRow[e]!]! -= nzValue[e]!;
  return move;
}

/**
 * Appends the nonzero row changes of a move of `type` to `rows` / `vals`, rows
 * ascending (a merge of the two options' sparse coefficients).
 */
export function moveDeltaSparse(s: Structure, type: number, rows: number[], vals: number[]): void {
  const { K, nzStart, nzRow, nzValue } = s;
  const { g, k1, k2 } = moveOf(K, type);
  let a = k2 >= 0 ? nzStart[g * K + k2]! : 0;
  const aEnd = k2 >= 0 ? nzStart[g * K + k2 + 1]! : 0;
  let b = k1 >= 0 ? nzStart[g * K + k1]! : 0;
  const bEnd = k1 >= 0 ? nzStart[g * K + k1 + 1]! : 0;
  while (a < aEnd || b < bEnd) {
    const ra = a < aEnd ? nzRow[a]! : Infinity;
    const rb = b < bEnd ? nzRow[b]! : Infinity;
    let j: number, v: number;
    if (ra < rb) {
      j = ra;
      v = nzValue[a++]!;
    } else if (rb < ra) {
      j = rb;
      v = -nzValue[b++]!;
    } else {
      j = ra;
      v = nzValue[a++]! - nzValue[b++]!;
    }
    if (v !== 0) {
      rows.push(j);
      vals.push(v);
    }
  }
}

/** Shadow prices (d objective / d rhs, original units) from scaled ≤-form multipliers. */
export function shadowPricesOf(s: Structure, mu: Float64Array): Float64Array {
  return Float64Array.from(mu, (v, j) => (v === 0 ? 0 : (s.sign[j]! * v) / s.scale[j]!));
}

/** Scaled ≤-form multipliers from shadow prices (a warm start); wrong-signed prices become 0. */
export function multipliersOf(s: Structure, prices: Float64Array): Float64Array {
  return Float64Array.from(prices, (p, j) => Math.max(0, s.sign[j]! * p * s.scale[j]!));
}

/**
 * Every `stride`-th customer, as a smaller problem for a warm start. Each
 * row's right-hand side is scaled by how much of the row the sample can reach
 * (per-group customer counts), so a floor of 60% of a set stays 60% of the
 * sample's share of that set, not a fraction of the whole base.
 */
export function sampleStructure(s: Structure, stride: number): Structure {
  const { K } = s;
  const n = Math.ceil(s.n / stride);
  const group = new Int32Array(n);
  const w = new Float64Array(n * K);
  const groupSize = new Float64Array(s.G);
  let lowest = 0;
  for (let r = 0; r < n; r++) {
    const i = r * stride;
    group[r] = s.group[i]!;
    groupSize[group[r]!]!++;
    const row = s.values.row(i, w.subarray(r * K, r * K + K));
    let least = 0;
    for (let k = 0; k < K; k++) if (row[k]! < least) least = row[k]!;
    lowest += least;
  }
  const full = reachOf(s, s.groupSize);
  const part = reachOf(s, groupSize);
  // A weighted row's reach: Σ_i max_k |a_ik| over the base and over the sample.
  const weightedCoef = s.weightedCoef.map((coef, q) => {
    const j = s.weightedRows[q]!;
    for (let e = 0, at = 0; e < s.n; e++) {
      let most = 0;
      for (let k = 0; k < K; k++, at++) {
        const a = coef[at]!;
        most = a > most ? a : -a > most ? -a : most;
      }
      full[j]! += most;
    }
    // The sample's rows, copied element by element (a subarray per customer cost 0.4 s at 200,000).
    const out = new Float64Array(n * K);
    for (let r = 0; r < n; r++) {
      let most = 0;
      for (let k = 0, from = r * stride * K; k < K; k++) {
        const a = coef[from + k]!;
        out[r * K + k] = a;
        most = a > most ? a : -a > most ? -a : most;
      }
      part[j]! += most;
    }
    return out;
  });
  const rhs = sampleRhs(s, full, part, n);
  return { ...s, n, group, values: new DenseValues(w, K), groupSize, rhs, lowest, weightedCoef };
}

/**
 * How much of each row customers in groups of the given sizes can reach: Σ_g size_g · max_k |a_j(g, k)|
 * (a sample's right-hand sides are the base's scaled by its reach over the base's).
 */
export function reachOf(s: Structure, sizes: Float64Array): Float64Array {
  const { K, m, G, nzStart, nzRow, nzValue } = s;
  const total = new Float64Array(m);
  const most = new Float64Array(m);
  for (let g = 0; g < G; g++) {
    const from = nzStart[g * K]!,
      to = nzStart[g * K + K]!;
    for (let e = from; e < to; e++) most[nzRow[e]!] = Math.max(most[nzRow[e]!]!, Math.abs(nzValue[e]!));
    for (let e = from; e < to; e++) {
      const j = nzRow[e]!;
      total[j]! += sizes[g]! * most[j]!;
      most[j] = 0;
    }
  }
  return total;
}

/**
 * A sample's right-hand sides: each row's scaled by how much of it the sample reaches (`part`) over
 * how much the base does (`full`, both from {@link reachOf}); by the sample's share of customers where
 * the base reaches none of it.
 */
export function sampleRhs(s: Structure, full: Float64Array, part: Float64Array, n: number): Float64Array {
  return Float64Array.from(s.rhs, (b, j) => (full[j]! > 0 ? (b * part[j]!) / full[j]! : (b * n) / s.n));
}
