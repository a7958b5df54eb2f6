import { forSlices, turns } from '../../../util/slices.js';
import type { AssignmentProblem, ValueFactors } from '../../../problem/assignment-problem.js';
import { closePass, penalties } from '../core/margins.js';
import type { Oracle } from './oracle.js';
import type { Grouping, Structure, ValueRange } from '../core/structure.js';
import { sortRuns } from '../parallel/kernels.js';
import { sharedArray } from '../../../util/shared-memory.js';
import type { Team } from '../parallel/team.js';

/** Beyond one class per this many customers, a class holds too few customers to pay for the sort. */
const CUSTOMERS_PER_CLASS = 64;

/** Prefix sums are kept every this many sorted scores; a sum adds up the rest of a block (log2). */
const BLOCK_BITS = 6;

/**
 * Customers of a problem with factored values (w_ik = s_i·u_ck − c_k: score s,
 * segment c) in classes of the same row coefficients, segment and eligible
 * actions (the structure's groups, split that far), with each class's scores
 * sorted and summed by blocks. Within a class,
 * each option's value is a line in the score, so sums over the best option
 * of every customer come from the upper envelope of K + 1 lines and a few
 * binary searches.
 */
export class ScoreClasses {
  private constructor(
    readonly f: ValueFactors,
    readonly K: number,
    /** Per class (a group of the structure): its segment, and where its actions and scores are. */
    readonly classSegment: Int32Array,
    readonly actionStart: Int32Array,
    readonly actions: Int32Array,
    readonly start: Int32Array,
    /** Scores sorted ascending within each class; class c holds [start[c], start[c+1]). */
    readonly sorted: Float64Array,
    /** Sum of `sorted` before position b·64, for every block b (an n-long prefix array would be fresh memory of 8n bytes). */
    readonly blockPrefix: Float64Array,
  ) {}

  /**
   * The classes of a problem with factored values: the groups of a grouping
   * split by segment and eligible actions (see `groupCustomers`). Null when
   * the grouping is not, or when the classes hold fewer than
   * `customersPerClass` customers on average (with a group per customer, say,
   * per-class work gains nothing).
   */
  static async build(
    problem: AssignmentProblem,
    grouping: Grouping,
    customersPerClass = CUSTOMERS_PER_CLASS,
    /** Threads to sort the classes on (their scores then go to shared memory). */
    team: Team | null = null,
  ): Promise<ScoreClasses | null> {
    const f = problem.valueFactors;
    const { n, K, eligible } = problem;
    const { G: C, group, rep, size } = grouping;
    if (!f || !grouping.bySegmentAndActions || C * customersPerClass > n) return null;
    // Every customer of a class has its segment and eligible actions: read them off its first customer.
    const classSegment = Int32Array.from(rep, (i) => f.segment[i]!);
    const actionStart = new Int32Array(C + 1);
    const actionList: number[] = [];
    for (let c = 0; c < C; c++) {
      for (let k = 0; k < K; k++) if (eligible[rep[c]! * K + k]) actionList.push(k);
      actionStart[c + 1] = actionList.length;
    }
    // Scores by class (a counting sort), then each class sorted on its own.
    const start = new Int32Array(C + 1);
    for (let c = 0; c < C; c++) start[c + 1] = start[c]! + size[c]!;
    const fill = start.slice(0, C);
    const sorted = team ? sharedArray(Float64Array, n) : new Float64Array(n);
    // In slices, in order, with turns of the event loop between (ten million customers take seconds).
    await forSlices(n, (from, to) => {
      for (let i = from; i < to; i++) sorted[fill[group[i]!]!++] = f.probability[i]! * f.value[i]!;
    });
    if (team) await team.sortRuns(sorted, start);
    else {
      const turn = turns();
      for (let c = 0; c < C; c++) {
        sortRuns(sorted, start, c, c + 1);
        await turn();
      }
    }
    const blockPrefix = new Float64Array((n >> BLOCK_BITS) + 1);
    let sum = 0;
    await forSlices(n, (from, to) => {
      for (let t = from; t < to; t++) {
        if ((t & ((1 << BLOCK_BITS) - 1)) === 0) blockPrefix[t >> BLOCK_BITS] = sum;
        sum += sorted[t]!;
      }
    });
    if ((n & ((1 << BLOCK_BITS) - 1)) === 0) blockPrefix[n >> BLOCK_BITS] = sum;
    return new ScoreClasses(f, K, classSegment, actionStart, Int32Array.from(actionList), start, sorted, blockPrefix);
  }

  get size(): number {
    return this.classSegment.length;
  }

  /**
   * Walks the upper envelope of lines (slope, intercept) over the sorted scores
   * of class c and writes each run [p, q) of customers on which line l is best
   * (on a tie, the steeper line, which stays best to the right) as
   * (pieces.line, pieces.from, pieces.to); returns the number of runs. Each
   * step hands over to a steeper line: at most `lines` runs.
   */
  envelope(c: number, slope: Float64Array, icpt: Float64Array, lines: number, pieces: Pieces): number {
    const { sorted, start } = this;
    const lo = start[c]!;
    const hi = start[c + 1]!;
    let count = 0;
    if (lo === hi) return count;
    const x0 = sorted[lo]!;
    let cur = 0;
    for (let l = 1; l < lines; l++) {
      const d = slope[l]! * x0 + icpt[l]! - (slope[cur]! * x0 + icpt[cur]!);
      if (d > 0 || (d === 0 && slope[l]! > slope[cur]!)) cur = l;
    }
    let p = lo;
    while (p < hi) {
      const { next, cross } = nextCrossing(slope, icpt, lines, cur);
      const q = next < 0 || cross > sorted[hi - 1]! ? hi : lowerBound(sorted, p, hi, cross);
      if (q > p) {
        pieces.line[count] = cur;
        pieces.from[count] = p;
        pieces.to[count] = q;
        count++;
      }
      if (next < 0) break;
      p = q;
      cur = next;
    }
    return count;
  }

  /**
   * Σ over the runs of `pieces` (as `envelope` left them) whose line is not line 0 of the
   * value slope·score + intercept of that line: the sum, over the class's customers, of
   * the best line when line 0 stands for "no action" (worth 0).
   */
  bestSum(slope: Float64Array, icpt: Float64Array, pieces: Pieces, runs: number): number {
    let total = 0;
    for (let r = 0; r < runs; r++) {
      const l = pieces.line[r]!,
        p = pieces.from[r]!,
        q = pieces.to[r]!;
      if (l > 0) total += slope[l]! * this.scoreSum(p, q) + icpt[l]! * (q - p);
    }
    return total;
  }

  /** Σ of the scores at sorted positions [p, q). */
  scoreSum(p: number, q: number): number {
    return this.prefixAt(q) - this.prefixAt(p);
  }

  // Σ of the scores before sorted position x: the block's prefix and the block's first scores.
  private prefixAt(x: number): number {
    const b = x >> BLOCK_BITS;
    let s = this.blockPrefix[b]!;
    for (let t = b << BLOCK_BITS; t < x; t++) s += this.sorted[t]!;
    return s;
  }

  /** The value range of the problem, class by class (no pass over the customers). */
  range(): ValueRange {
    const { K, f, sorted, start } = this;
    const slope = new Float64Array(K + 1);
    const icpt = new Float64Array(K + 1);
    const pieces = newPieces(K + 1);
    let lowest = 0;
    let maxAbsW = 0;
    for (let c = 0; c < this.size; c++) {
      if (start[c] === start[c + 1]) continue;
      const uBase = this.classSegment[c]! * K;
      const lo = sorted[start[c]!]!;
      const hi = sorted[start[c + 1]! - 1]!;
      // The least value of each customer is the most of the negated values (and "no action", 0).
      let lines = 1;
      for (let e = this.actionStart[c]!; e < this.actionStart[c + 1]!; e++) {
        const k = this.actions[e]!;
        const u = f.uplift[uBase + k]!;
        const cost = f.cost[k]!;
        maxAbsW = Math.max(maxAbsW, Math.abs(u * lo - cost), Math.abs(u * hi - cost));
        slope[lines] = -u;
        icpt[lines] = cost;
        lines++;
      }
      lowest -= this.bestSum(slope, icpt, pieces, this.envelope(c, slope, icpt, lines, pieces));
    }
    return { lowest, maxAbsW };
  }
}

/**
 * The dual oracle on {@link ScoreClasses}: a pass costs O(classes · K · log n)
 * instead of O(n · K). It gives L(μ) and a subgradient, not per-customer
 * choices; the plan is built from one per-customer pass at the final
 * multipliers.
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
  private readonly pieces: Pieces;

  constructor(
    readonly s: Structure,
    private readonly classes: ScoreClasses,
  ) {
    this.pieces = newPieces(s.K + 1);
    this.penalty = new Float64Array(s.G * s.K);
    this.count = new Float64Array(s.G * s.K);
    this.lineAction = new Int32Array(s.K + 1);
    this.lineSlope = new Float64Array(s.K + 1);
    this.lineIntercept = new Float64Array(s.K + 1);
  }

  /** Returns L(μ) and writes the subgradient (b − A·x for one best response x) into `grad`. */
  evaluate(mu: Float64Array, grad: Float64Array): number {
    const { K } = this.s;
    const cl = this.classes;
    const { uplift, cost } = cl.f;
    const { lineAction: act, lineSlope: slope, lineIntercept: icpt, count } = this;
    const P = penalties(this.s, mu, this.penalty);
    count.fill(0);
    let total = 0;
    for (let c = 0; c < cl.size; c++) {
      const pBase = c * K;
      const uBase = cl.classSegment[c]! * K;
      // The lines: "no action" and every eligible action.
      let lines = 1;
      act[0] = -1;
      slope[0] = 0;
      icpt[0] = 0;
      for (let e = cl.actionStart[c]!; e < cl.actionStart[c + 1]!; e++) {
        const k = cl.actions[e]!;
        act[lines] = k;
        slope[lines] = uplift[uBase + k]!;
        icpt[lines] = -cost[k]! - P[pBase + k]!;
        lines++;
      }
      const runs = cl.envelope(c, slope, icpt, lines, this.pieces);
      total += cl.bestSum(slope, icpt, this.pieces, runs);
      for (let r = 0; r < runs; r++) {
        const k = act[this.pieces.line[r]!]!;
        if (k >= 0) count[pBase + k]! += this.pieces.to[r]! - this.pieces.from[r]!;
      }
    }
    return closePass(this.s, mu, total, count, grad);
  }
}

/** Runs of an upper envelope: best line and sorted positions [from, to). */
interface Pieces {
  line: Int32Array;
  from: Int32Array;
  to: Int32Array;
}

function newPieces(most: number): Pieces {
  return { line: new Int32Array(most), from: new Int32Array(most), to: new Int32Array(most) };
}

// First index in [lo, hi) whose value is ≥ x (hi if none).
function lowerBound(a: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where the upper envelope leaves line `cur` going right: the steeper line it crosses first, and the
 * crossing (on a tie, the steepest: it stays best to the right); next −1 when none is steeper.
 */
export function nextCrossing(
  slope: Float64Array,
  icpt: Float64Array,
  lines: number,
  cur: number,
): { next: number; cross: number } {
  let next = -1;
  let cross = Infinity;
  for (let l = 0; l < lines; l++) {
    if (!(slope[l]! > slope[cur]!)) continue;
    const x = (icpt[cur]! - icpt[l]!) / (slope[l]! - slope[cur]!);
    if (x < cross || (x === cross && next >= 0 && slope[l]! > slope[next]!)) {
      cross = x;
      next = l;
    }
  }
  return { next, cross };
}
