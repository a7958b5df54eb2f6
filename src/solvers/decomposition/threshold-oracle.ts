import type { ValueFactors } from '../../problem/assignment-problem.js';
import { penalties } from './margins.js';
import { activity, type Oracle } from './oracle.js';
import type { Structure } from './structure.js';

/** Beyond one class per this many customers, a class holds too few customers to pay for the sort. */
const CUSTOMERS_PER_CLASS = 64;

/**
 * The dual oracle for values of the factored form w_ik = s_i·u_ck − c_k
 * (score s, segment c): customers of one class (same coupling-row group,
 * segment and eligible actions) differ only by their score, so each option's
 * reduced value is a line in s and the best response is the upper envelope of
 * K + 1 lines. With each class's scores sorted once and summed as prefix sums,
 * a pass costs O(classes · K · log n) instead of O(n · K): counts and value
 * sums between breakpoints come from binary searches.
 *
 * It gives L(μ) and a subgradient, not per-customer choices; the plan is built
 * from one per-customer pass at the final multipliers.
 */
export class ThresholdOracle implements Oracle {
  /** Penalty per (group, action) at the last evaluation. */
  private readonly penalty: Float64Array;
  /** Customers per (group, action) at the last evaluation. */
  private readonly count: Float64Array;
  // Scratch for one class's lines: action (−1: none), slope, intercept.
  private readonly lineAction: Int32Array;
  private readonly lineSlope: Float64Array;
  private readonly lineIntercept: Float64Array;

  private constructor(
    readonly s: Structure,
    private readonly f: ValueFactors,
    /** Per class: its group, segment, and where its actions and scores are. */
    private readonly classGroup: Int32Array,
    private readonly classSegment: Int32Array,
    private readonly actionStart: Int32Array,
    private readonly actions: Int32Array,
    private readonly start: Int32Array,
    /** Scores sorted ascending within each class; class c holds [start[c], start[c+1]). */
    private readonly sorted: Float64Array,
    /** Prefix sums of `sorted`, one leading zero per class: class c's begin at start[c] + c. */
    private readonly prefix: Float64Array,
  ) {
    this.penalty = new Float64Array(s.G * s.K);
    this.count = new Float64Array(s.G * s.K);
    this.lineAction = new Int32Array(s.K + 1);
    this.lineSlope = new Float64Array(s.K + 1);
    this.lineIntercept = new Float64Array(s.K + 1);
  }

  /**
   * The oracle for a problem with factored values, or null when its classes
   * hold fewer than `customersPerClass` customers on average (with a group per
   * customer, say, a per-class pass gains nothing).
   */
  static build(s: Structure, f: ValueFactors, customersPerClass = CUSTOMERS_PER_CLASS): ThresholdOracle | null {
    const { n, K, G, group, values } = s;
    const row = new Float64Array(K);
    const S = f.uplift.length / K;
    // A mask of eligible actions must fit a 32-bit integer, and a class key a double.
    if (G * S * customersPerClass > n || K > 30 || G * S * 2 ** K > Number.MAX_SAFE_INTEGER) return null;
    // Class of every customer: (group, segment, eligible actions), numbered in order of first appearance.
    const classOf = new Int32Array(n);
    const masks = 2 ** K;
    const table = G * S * masks <= 1 << 22 ? new Int32Array(G * S * masks).fill(-1) : null;
    const map = table ? null : new Map<number, number>();
    const keys: number[] = [];
    for (let i = 0; i < n; i++) {
      values.row(i, row);
      let mask = 0;
      for (let k = 0; k < K; k++) if (row[k] !== -Infinity) mask |= 1 << k;
      const key = (group[i]! * S + f.segment[i]!) * masks + (mask >>> 0);
      let c = table ? table[key]! : (map!.get(key) ?? -1);
      if (c < 0) {
        c = keys.length;
        keys.push(key);
        if (table) table[key] = c; else map!.set(key, c);
      }
      classOf[i] = c;
    }
    const C = keys.length;
    if (C * customersPerClass > n) return null;

    const classGroup = new Int32Array(C);
    const classSegment = new Int32Array(C);
    const actionStart = new Int32Array(C + 1);
    const actionList: number[] = [];
    keys.forEach((key, c) => {
      const mask = key % masks;
      const gs = (key - mask) / masks;
      classGroup[c] = Math.floor(gs / S);
      classSegment[c] = gs % S;
      for (let k = 0; k < K; k++) if (mask & (1 << k)) actionList.push(k);
      actionStart[c + 1] = actionList.length;
    });

    // Scores by class (a counting sort), then each class sorted on its own.
    const start = new Int32Array(C + 1);
    for (let i = 0; i < n; i++) start[classOf[i]! + 1]!++;
    for (let c = 0; c < C; c++) start[c + 1]! += start[c]!;
    const fill = start.slice(0, C);
    const sorted = new Float64Array(n);
    for (let i = 0; i < n; i++) sorted[fill[classOf[i]!]!++] = f.score[i]!;
    const prefix = new Float64Array(n + C);
    for (let c = 0; c < C; c++) {
      const part = sorted.subarray(start[c]!, start[c + 1]!);
      part.sort();
      let sum = 0;
      const base = start[c]! + c;
      for (let r = 0; r < part.length; r++) prefix[base + r + 1] = sum += part[r]!;
    }
    return new ThresholdOracle(s, f, classGroup, classSegment, actionStart, Int32Array.from(actionList), start, sorted, prefix);
  }

  /** Returns L(μ) and writes the subgradient (b − A·x for one best response x) into `grad`. */
  evaluate(mu: Float64Array, grad: Float64Array): number {
    const { K, m, rhs } = this.s;
    const { uplift, cost } = this.f;
    const { sorted, prefix, start, lineAction: act, lineSlope: slope, lineIntercept: icpt } = this;
    const P = penalties(this.s, mu, this.penalty);
    const count = this.count;
    count.fill(0);
    let total = 0;
    for (let c = 0; c < this.classGroup.length; c++) {
      const lo = start[c]!;
      const hi = start[c + 1]!;
      const pBase = this.classGroup[c]! * K;
      const uBase = this.classSegment[c]! * K;
      // The lines: "no action" and every eligible action.
      let lines = 1;
      act[0] = -1; slope[0] = 0; icpt[0] = 0;
      for (let e = this.actionStart[c]!; e < this.actionStart[c + 1]!; e++) {
        const k = this.actions[e]!;
        act[lines] = k; slope[lines] = uplift[uBase + k]!; icpt[lines] = -cost[k]! - P[pBase + k]!;
        lines++;
      }
      // The best line at the lowest score (on a tie, the steeper: it stays best to the right).
      const x0 = sorted[lo]!;
      let cur = 0;
      for (let l = 1; l < lines; l++) {
        const d = slope[l]! * x0 + icpt[l]! - (slope[cur]! * x0 + icpt[cur]!);
        if (d > 0 || (d === 0 && slope[l]! > slope[cur]!)) cur = l;
      }
      // Walk the upper envelope to the right: each step hands over to a steeper line, so at most K + 1 pieces.
      let p = lo;
      while (p < hi) {
        let next = -1;
        let cross = Infinity;
        for (let l = 0; l < lines; l++) {
          if (!(slope[l]! > slope[cur]!)) continue;
          const x = (icpt[cur]! - icpt[l]!) / (slope[l]! - slope[cur]!);
          if (x < cross || (x === cross && next >= 0 && slope[l]! > slope[next]!)) { cross = x; next = l; }
        }
        const q = next < 0 || cross > sorted[hi - 1]! ? hi : lowerBound(sorted, p, hi, cross);
        const k = act[cur]!;
        if (k >= 0 && q > p) {
          const n = q - p;
          const sum = prefix[q + c]! - prefix[p + c]!; // class c's prefix sums sit c places on
          total += slope[cur]! * sum + icpt[cur]! * n;
          count[pBase + k]! += n;
        }
        if (next < 0) break;
        p = q;
        cur = next;
      }
    }
    let L = total;
    for (let j = 0; j < m; j++) L += mu[j]! * rhs[j]!;
    activity(this.s, count, grad);
    for (let j = 0; j < m; j++) grad[j] = rhs[j]! - grad[j]!;
    return L;
  }
}

// First index in [lo, hi) whose value is ≥ x (hi if none).
function lowerBound(a: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}
