import { forSlices, SLICE } from '../../../util/slices.js';
import { NO_ACTION } from '../../../problem/assignment-problem.js';
import type { Structure } from './structure.js';
import { weightedPrices } from './weighted.js';
import { FactoredValues } from './pair-values.js';

/** Penalty μ·a of every (group, action): what a choice costs in priced resources. */
export function penalties(
  s: Structure,
  mu: Float64Array,
  out: Float64Array = new Float64Array(s.G * s.K),
): Float64Array {
  const { K, G, nzStart, nzRow, nzValue } = s;
  for (let gk = 0; gk < G * K; gk++) {
    let p = 0;
    for (let e = nzStart[gk]!; e < nzStart[gk + 1]!; e++) p += mu[nzRow[e]!]! * nzValue[e]!;
    out[gk] = p;
  }
  return out;
}

/**
 * How close each customer is to changing its choice: the reduced value
 * (w − μ·a) of its current choice minus that of its best alternative. Small
 * margins are the near-ties a repair should move first. Kept up to date per
 * customer as choices change, so repeated look-ups cost O(moved), not O(n·K).
 */
export class Margins {
  readonly value: Float64Array;
  /** Penalty μ·a of every (group, action) at the margins' μ. */
  readonly penalty: Float64Array;
  /** μ of the rows weighted per customer (their penalty is added customer by customer: {@link reducedValues}). */
  readonly prices: Float64Array;
  private readonly row: Float64Array;

  /** `known`: the margins of `x` at μ when the caller has them (from {@link bestResponse}); taken over, not copied. */
  constructor(
    private readonly s: Structure,
    mu: Float64Array,
    private readonly x: Int32Array,
    known?: Float64Array,
  ) {
    this.penalty = penalties(s, mu);
    this.prices = weightedPrices(s, mu);
    this.row = new Float64Array(s.K);
    this.value = known ?? new Float64Array(s.n);
    if (!known) for (let i = 0; i < s.n; i++) this.update(i);
  }

  /** Recomputes customer i's margin after its choice changed. */
  update(i: number): void {
    const K = this.s.K;
    const r = reducedValues(this.s, this.penalty, this.prices, i, this.row);
    const k1 = this.x[i]!;
    const r1 = k1 >= 0 ? r[k1]! : 0;
    let alt = k1 >= 0 ? 0 : -Infinity;
    for (let k = 0; k < K; k++) {
      if (k === k1) continue;
      if (r[k]! > alt) alt = r[k]!;
    }
    this.value[i] = r1 - alt;
  }

  /** About `count` customers with the smallest margins (all of them when count ≥ n), and the cut-off used. */
  nearest(count: number): { customers: Int32Array; cutoff: number } {
    const n = this.s.n;
    if (count >= n) return { customers: Int32Array.from({ length: n }, (_, i) => i), cutoff: Infinity };
    const cutoff = quantile(this.value, count / n);
    const out: number[] = [];
    this.within(cutoff, 0, n, out);
    return { customers: Int32Array.from(out), cutoff };
  }

  /** {@link nearest} with turns of the event loop between slices of customers (the same customers, in order). */
  async nearestInSlices(count: number): Promise<{ customers: Int32Array; cutoff: number }> {
    const n = this.s.n;
    if (count >= n) return this.nearest(count);
    const cutoff = quantile(this.value, count / n);
    const out: number[] = [];
    await forSlices(n, (from, to) => this.within(cutoff, from, to, out));
    return { customers: Int32Array.from(out), cutoff };
  }

  // Appends the customers of [from, to) whose margin is at most `cutoff`, in order.
  private within(cutoff: number, from: number, to: number, out: number[]): void {
    for (let i = from; i < to; i++) if (this.value[i]! <= cutoff) out.push(i);
  }
}

/** A choice vector with what the repair needs to know of it at μ. */
export interface Response {
  choice: Int32Array;
  /** Each customer's margin over its second-best option. */
  margin: Float64Array;
  /** Customers per (group, action). */
  count: Float64Array;
  /** Σ of the chosen values. */
  objective: number;
}

/**
 * Every customer's best option at μ (−1: no action; ties go to the first
 * option, "no action" before the actions), its margin over the second best,
 * the counts and the value, in one pass.
 */
export function bestResponse(s: Structure, mu: Float64Array): Response {
  const out = responseArrays(s, new Int32Array(s.n), new Float64Array(s.n));
  const at = pricesAt(s, mu);
  let objective = 0;
  for (let from = 0; from < s.n; from += SLICE)
    objective += respondRange(s, at, from, Math.min(s.n, from + SLICE), out);
  return { ...out, objective };
}

/**
 * {@link bestResponse} with turns of the event loop between slices of customers (the same response,
 * bit for bit: the value is summed slice by slice, in order, as a team of threads sums it too).
 */
export async function bestResponseInSlices(s: Structure, mu: Float64Array): Promise<Response> {
  const out = responseArrays(s, new Int32Array(s.n), new Float64Array(s.n));
  const at = pricesAt(s, mu);
  let objective = 0;
  await forSlices(s.n, (from, to) => {
    objective += respondRange(s, at, from, to, out);
  });
  return { ...out, objective };
}

/** What a best response writes into: choices and margins (n each) and counts per (group, action). */
export interface ResponseArrays {
  choice: Int32Array;
  margin: Float64Array;
  count: Float64Array;
}

/** {@link ResponseArrays} over the given choice and margin arrays, with zero counts. */
export function responseArrays(s: Structure, choice: Int32Array, margin: Float64Array): ResponseArrays {
  return { choice, margin, count: new Float64Array(s.G * s.K) };
}

/** The prices a best response needs at μ: per (group, action), and per weighted row. */
export interface PricesAt {
  P: Float64Array;
  prices: Float64Array;
}

/** {@link PricesAt} of μ. */
export function pricesAt(s: Structure, mu: Float64Array): PricesAt {
  return { P: penalties(s, mu), prices: weightedPrices(s, mu) };
}

/**
 * The best response of customers [from, to) (see {@link bestResponse}) into `out` (counts
 * added); returns the value of their choices, summed in order.
 */
export function respondRange(s: Structure, at: PricesAt, from: number, to: number, out: ResponseArrays): number {
  const { K, group, values } = s;
  if (values instanceof FactoredValues && at.prices.every((p) => p === 0))
    return respondFactored(values, group, at.P, from, to, out);
  const { choice, margin, count } = out;
  const w = new Float64Array(K);
  const reduced = new Float64Array(K);
  let objective = 0;
  for (let i = from; i < to; i++) {
    const r = reducedValues(s, at.P, at.prices, i, reduced, values.row(i, w));
    let best = 0,
      second = -Infinity,
      arg = NO_ACTION;
    for (let k = 0; k < K; k++) {
      if (r[k]! > best) {
        second = best;
        best = r[k]!;
        arg = k;
      } else if (r[k]! > second) second = r[k]!;
    }
    choice[i] = arg;
    margin[i] = best - second;
    if (arg >= 0) {
      count[group[i]! * K + arg]!++;
      objective += w[arg]!;
    }
  }
  return objective;
}

// respondRange for factored values and no priced weighted row, with the values read in place: the same
// numbers (factoredRow's w = p·v·u − c, then w − P), 2.5× faster than through the row readers.
function respondFactored(
  values: FactoredValues,
  group: Int32Array,
  P: Float64Array,
  from: number,
  to: number,
  out: ResponseArrays,
): number {
  const { K, eligible } = values;
  const { probability, value, segment, uplift, cost } = values.f;
  const { choice, margin, count } = out;
  let objective = 0;
  for (let i = from; i < to; i++) {
    const pv = probability[i]! * value[i]!;
    const u0 = segment[i]! * K;
    const g0 = group[i]! * K;
    let best = 0,
      second = -Infinity,
      arg = NO_ACTION,
      bestW = 0;
    for (let k = 0, e = i * K; k < K; k++, e++) {
      if (!eligible[e]) {
        // −Infinity: never above `second`, which starts at −Infinity.
        continue;
      }
      const w = pv * uplift[u0 + k]! - cost[k]!;
      const r = w - P[g0 + k]!;
      if (r > best) {
        second = best;
        best = r;
        arg = k;
        bestW = w;
      } else if (r > second) second = r;
    }
    choice[i] = arg;
    margin[i] = best - second;
    if (arg >= 0) {
      count[g0 + arg]!++;
      objective += bestW;
    }
  }
  return objective;
}

/**
 * Customer i's reduced values w_ik − μ·a_ik at the penalties `P` (per group and action) and the
 * weighted rows' `prices`, written into `out` (length K) and returned.
 */
export function reducedValues(
  s: Structure,
  P: Float64Array,
  prices: Float64Array,
  i: number,
  out: Float64Array,
  /** Customer i's values when the caller has read them already (then not read again). */
  values?: Float64Array,
): Float64Array {
  const K = s.K;
  const w = values ?? s.values.row(i, out);
  const base = s.group[i]! * K;
  for (let k = 0; k < K; k++) out[k] = w[k]! - P[base + k]!;
  for (let q = 0; q < prices.length; q++) {
    if (prices[q] === 0) continue;
    const coef = s.weightedCoef[q]!;
    for (let k = 0; k < K; k++) out[k] = out[k]! - prices[q]! * coef[i * K + k]!;
  }
  return out;
}

/** The q-quantile of `values`, estimated from a stride sample (no sort of n values). */
function quantile(values: Float64Array, q: number): number {
  if (q >= 1) return Infinity;
  const stride = Math.max(1, Math.floor(values.length / 16_384));
  const sample = new Float64Array(Math.ceil(values.length / stride));
  for (let r = 0; r < sample.length; r++) sample[r] = values[r * stride]!;
  sample.sort();
  return sample[Math.min(sample.length - 1, Math.ceil(q * sample.length))]!;
}

/** Row activities (scaled ≤ form) of per-(group, action) counts, into `out`. */
export function activity(s: Structure, count: Float64Array, out: Float64Array): Float64Array {
  const { nzStart, nzRow, nzValue } = s;
  out.fill(0);
  for (let gk = 0; gk < count.length; gk++) {
    const c = count[gk]!;
    if (c === 0) continue;
    for (let e = nzStart[gk]!; e < nzStart[gk + 1]!; e++) out[nzRow[e]!]! += c * nzValue[e]!;
  }
  return out;
}

/**
 * How a pass ends once its customers are counted: L(μ) = `total` (Σ of the best reduced values) + μ·b,
 * and the subgradient b − A·x from the counts per (group, action), written into `grad`.
 */
export function closePass(
  s: Structure,
  mu: Float64Array,
  total: number,
  count: Float64Array,
  grad: Float64Array,
): number {
  const { m, rhs } = s;
  let L = total;
  for (let j = 0; j < m; j++) L += mu[j]! * rhs[j]!;
  activity(s, count, grad);
  for (let j = 0; j < m; j++) grad[j] = rhs[j]! - grad[j]!;
  return L;
}
