import { supportOf, type AssignmentProblem } from '../../../problem/assignment-problem.js';
import { penalties } from '../core/margins.js';
import { activity } from '../core/margins.js';
import type { Oracle } from './oracle.js';
import type { Structure } from '../core/structure.js';

/**
 * A family of count floors on disjoint customer sets (fairness by a column: one
 * row per value), eliminated from the dual in closed form.
 *
 * With the other multipliers μ fixed, the Lagrangian splits by floor: row j
 * (customers S_j, floor b_j, counted actions A) adds ν_j to the reduced value
 * of every counted action of its customers, so
 *
 *   L_j(ν) = Σ_{i∈S_j} max(base_i, c_i + ν) − ν·b_j,
 *
 * with c_i the customer's best counted reduced value and base_i the best of
 * the others and "no action". L_j falls while fewer than b_j customers have
 * c_i + ν > base_i, so it is least at ν* = max(0, −τ_j), τ_j the b_j-th largest
 * d_i = c_i − base_i (found by selection, O(|S_j|)). The dual over μ alone,
 * Φ(μ) = min_ν L(μ, ν), is convex, every value of it is a valid bound, and
 * with exactly b_j customers treated when ν* > 0 (ties broken by customer
 * order) the gradient of L at (μ, ν*) restricted to μ is a subgradient of Φ.
 * The master then sees only the other rows: fairness by 4,000 postcodes
 * leaves it a dozen instead of 4,000.
 *
 * The family's entries of the μ the master passes in are ignored (and their
 * gradient entries are 0, as Φ does not depend on them); {@link complete}
 * fills them with ν*.
 */
export interface FloorFamily {
  /** Rows of the family. */
  rows: Int32Array;
  /** Per customer: position in `rows` of its floor, or −1. */
  member: Int32Array;
  /** Per action: 1 when it counts toward the floors. */
  counted: Uint8Array;
}

/** Separate a family only from this many rows on: below, the master handles them as well. */
const MIN_ROWS = 32;

/**
 * The largest family of count floors on disjoint sets (rows of one constraint,
 * 0/1 customer masks, the same 0/1 action coefficients, sense ≥), or null
 * when there is none of at least {@link MIN_ROWS} rows.
 */
export function floorFamily(problem: AssignmentProblem): FloorFamily | null {
  const byConstraint = new Map<string, number[]>();
  problem.rows.forEach((row, j) => {
    if (row.sense !== '>=' || !(row.customerCoef instanceof Uint8Array) || row.pairCoef) return;
    if (!row.actionCoef.every((a) => a === 0 || a === 1)) return;
    const list = byConstraint.get(row.constraint);
    if (list) list.push(j);
    else byConstraint.set(row.constraint, [j]);
  });
  let best: number[] = [];
  for (const rows of byConstraint.values()) if (rows.length > best.length) best = rows;
  if (best.length < MIN_ROWS) return null;
  const first = problem.rows[best[0]!]!.actionCoef;
  const member = new Int32Array(problem.n).fill(-1);
  for (let r = 0; r < best.length; r++) {
    const row = problem.rows[best[r]!]!;
    if (!row.actionCoef.every((a, k) => a === first[k])) return null;
    for (const i of supportOf(row)!) {
      if (row.customerCoef![i] !== 1 || member[i]! >= 0) return null;
      member[i] = r;
    }
  }
  return { rows: Int32Array.from(best), member, counted: Uint8Array.from(first) };
}

/** The dual oracle with a floor family eliminated (see {@link FloorFamily}); passes per customer. */
export class SeparatedOracle implements Oracle {
  private readonly muOthers: Float64Array;
  private readonly penalty: Float64Array;
  private readonly count: Float64Array;
  private readonly cBest: Float64Array;
  private readonly bBest: Float64Array;
  private readonly cArg: Int32Array;
  private readonly bArg: Int32Array;
  /** Customers of each floor, grouped: floor r holds [start[r], start[r+1]) of `byFloor`. */
  private readonly start: Int32Array;
  private readonly byFloor: Int32Array;
  private readonly scratch: Float64Array;
  private readonly row: Float64Array;
  /** ν* of each floor at the last evaluation. */
  readonly nu: Float64Array;

  constructor(
    readonly s: Structure,
    private readonly family: FloorFamily,
  ) {
    const { n, m, G, K } = s;
    this.muOthers = new Float64Array(m);
    this.penalty = new Float64Array(G * K);
    this.count = new Float64Array(G * K);
    this.cBest = new Float64Array(n);
    this.bBest = new Float64Array(n);
    this.cArg = new Int32Array(n);
    this.bArg = new Int32Array(n);
    this.row = new Float64Array(K);
    const F = family.rows.length;
    this.nu = new Float64Array(F);
    this.start = new Int32Array(F + 1);
    for (let i = 0; i < n; i++) if (family.member[i]! >= 0) this.start[family.member[i]! + 1]!++;
    for (let r = 0; r < F; r++) this.start[r + 1]! += this.start[r]!;
    this.byFloor = new Int32Array(this.start[F]!);
    const at = this.start.slice(0, F);
    for (let i = 0; i < n; i++) if (family.member[i]! >= 0) this.byFloor[at[family.member[i]!]!++] = i;
    let largest = 0;
    for (let r = 0; r < F; r++) largest = Math.max(largest, this.start[r + 1]! - this.start[r]!);
    this.scratch = new Float64Array(largest);
  }

  /** The full multipliers: `mu` with the family's entries set to ν*(mu). */
  complete(mu: Float64Array): Float64Array {
    this.evaluate(mu, new Float64Array(this.s.m));
    const full = mu.slice();
    this.family.rows.forEach((j, r) => {
      full[j] = this.nu[r]!;
    });
    return full;
  }

  evaluate(mu: Float64Array, grad: Float64Array): number {
    const { n, K, m, group, values, rhs } = this.s;
    const { rows, member, counted } = this.family;
    const muO = this.muOthers;
    muO.set(mu);
    for (const j of rows) muO[j] = 0;
    const P = penalties(this.s, muO, this.penalty);
    const { cBest, bBest, cArg, bArg } = this;
    const w = this.row;
    // Pass 1: each customer's best counted and best other option at μ.
    for (let i = 0; i < n; i++) {
      values.row(i, w);
      const base = group[i]! * K;
      let c = -Infinity,
        ca = -1,
        b = 0,
        ba = -1;
      for (let k = 0; k < K; k++) {
        const r = w[k]! - P[base + k]!;
        if (counted[k]) {
          if (r > c) {
            c = r;
            ca = k;
          }
        } else if (r > b) {
          b = r;
          ba = k;
        }
      }
      cBest[i] = c;
      cArg[i] = ca;
      bBest[i] = b;
      bArg[i] = ba;
    }
    // ν* per floor, and its threshold on d = c − base: treated when d > θ, or d = θ among the first `ties`.
    const theta = new Float64Array(rows.length);
    const ties = new Float64Array(rows.length);
    let L = 0;
    for (let r = 0; r < rows.length; r++) {
      const need = Math.max(0, -rhs[rows[r]!]!);
      const from = this.start[r]!,
        to = this.start[r + 1]!;
      let size = 0;
      for (let e = from; e < to; e++) {
        const i = this.byFloor[e]!;
        if (cBest[i]! > -Infinity) this.scratch[size++] = cBest[i]! - bBest[i]!;
      }
      if (need > size) {
        // Not enough customers can count toward this floor: the dual is unbounded below, no plan exists.
        grad.fill(0);
        return -Infinity;
      }
      const tau = need > 0 ? kthLargest(this.scratch, size, need) : Infinity;
      const nu = need > 0 ? Math.max(0, -tau) : 0;
      this.nu[r] = nu;
      theta[r] = -nu;
      let above = 0;
      for (let e = from; e < to; e++) {
        const i = this.byFloor[e]!;
        if (cBest[i]! - bBest[i]! > -nu) above++;
      }
      ties[r] = Math.max(0, need - above);
      L += nu * rhs[rows[r]!]!;
    }
    // Pass 2: the best response at (μ, ν*), with exactly `need` customers treated where ν* > 0.
    const count = this.count;
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const r = member[i]!;
      const c = cBest[i]!,
        b = bBest[i]!;
      let treat: boolean;
      let value: number;
      if (r < 0) {
        treat = c > b;
        value = treat ? c : b;
      } else {
        const d = c - b;
        treat = d > theta[r]! || (d === theta[r]! && ties[r]! > 0 && (ties[r]!--, true));
        value = treat ? c + this.nu[r]! : b;
      }
      L += value;
      const k = treat ? cArg[i]! : bArg[i]!;
      if (k >= 0) count[group[i]! * K + k]!++;
    }
    for (let j = 0; j < m; j++) L += muO[j]! * rhs[j]!;
    activity(this.s, count, grad);
    for (let j = 0; j < m; j++) grad[j] = rhs[j]! - grad[j]!;
    for (const j of rows) grad[j] = 0;
    return L;
  }
}

/** The k-th largest (k ≥ 1) of a[0..size), by selection; reorders a. */
export function kthLargest(a: Float64Array, size: number, k: number): number {
  let lo = 0,
    hi = size - 1;
  const target = k - 1;
  while (lo < hi) {
    // Median of three as the pivot, then a three-way partition (many equal values are common: ties).
    const mid = (lo + hi) >> 1;
    const x = a[lo]!,
      y = a[mid]!,
      z = a[hi]!;
    const pivot = x > y ? (y > z ? y : x > z ? z : x) : x > z ? x : y > z ? z : y;
    let lt = lo,
      i = lo,
      gt = hi;
    while (i <= gt) {
      const v = a[i]!;
      if (v > pivot) {
        a[i] = a[lt]!;
        a[lt++] = v;
        i++;
      } else if (v < pivot) {
        a[i] = a[gt]!;
        a[gt--] = v;
      } else i++;
    }
    if (target < lt) hi = lt - 1;
    else if (target > gt) lo = gt + 1;
    else return pivot;
  }
  return a[lo]!;
}
