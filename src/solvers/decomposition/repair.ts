import { heapPush, heapSort } from './bounded-heap.js';
import { Margins, reducedValues, type Response } from './margins.js';
import { activity } from './oracle.js';
import { moveDeltaSparse, moveOf, type Structure } from './structure.js';
import { addWeightedActivity, weightedDelta } from './weighted.js';

/**
 * Candidate moves, grouped by type (group g, from action k1, to action k2;
 * −1 is "no action"). Every customer of a type moves the rows by the same
 * amount, so a type keeps only its `cap` customers with the smallest loss
 * w[i,k1] − w[i,k2], sorted ascending. Only types that have candidates get a
 * slot (with per-customer weights there can be a group per customer), and
 * everything is indexed by slot; `typeOf` gives a slot's type
 * ((g·(K+1) + k1+1)·(K+1) + k2+1).
 */
class MoveLists {
  readonly loss: Float64Array;
  readonly who: Int32Array;
  readonly size: Int32Array;
  readonly pos: Int32Array;
  readonly typeOf: Int32Array;
  /** Where each slot's entries start in `loss` / `who`, and how many it may hold. */
  readonly base: Int32Array;
  readonly capOf: Int32Array;
  private readonly truncated: Uint8Array;
  /** Slots with candidates. */
  readonly active: number[] = [];
  /**
   * Row change of a move of each slot's type, sparse: rows `dRow` (ascending) and changes `dVal` in
   * [dStart[t], dStart[t+1]). A move touches a handful of rows, so the repair's loops walk these
   * instead of all m rows (with 4,000 fairness rows, dense loops made one repair 25 s).
   */
  readonly dStart: Int32Array;
  readonly dRow: Int32Array;
  readonly dVal: Float64Array;
  /** Per slot, bit j set when its moves lower row j (rows 0–30 only; see `bitsCover`). */
  readonly lowers: Int32Array;
  /** True when `lowers` covers every row (at most 31 rows). */
  readonly bitsCover: boolean;
  /** Set when a type that was cut at `cap` ran out: fresh, longer lists may hold more. */
  truncatedRanOut = false;

  /**
   * Lists the moves of `customers` whose reduced loss is at most `cutoff`: with
   * the customers chosen as those whose margin is at most `cutoff`, each type
   * then holds exactly the moves of the whole base below the cut-off.
   */
  constructor(
    private readonly s: Structure,
    cap: number,
    x: Int32Array,
    customers: Int32Array,
    cutoff: number,
    margins: Margins,
  ) {
    const { K, G } = s;
    // Type → slot: a flat table when the number of types is moderate, a map when groups are per customer.
    const T = G * (K + 1) * (K + 1);
    const table = T <= 1 << 20 ? new Int32Array(T).fill(-1) : null;
    const map = table ? null : new Map<number, number>();
    const types: number[] = [];
    const perSlot: number[] = [];
    // Two passes over the candidates rather than a buffer of them: fresh memory is costly to touch.
    scanMoves(s, x, customers, cutoff, margins, (type) => {
      let t = table ? table[type]! : (map!.get(type) ?? -1);
      if (t < 0) {
        t = types.length;
        if (table) table[type] = t;
        else map!.set(type, t);
        types.push(type);
        perSlot.push(0);
      }
      perSlot[t]!++;
    });
    const S = types.length;
    this.typeOf = Int32Array.from(types);
    // Each slot gets room for min(cap, its candidates): storage stays within the number of candidate
    // moves however large `cap` grows.
    this.base = new Int32Array(S);
    this.capOf = new Int32Array(S);
    this.truncated = new Uint8Array(S);
    let total = 0;
    for (let t = 0; t < S; t++) {
      this.base[t] = total;
      this.capOf[t] = Math.min(cap, perSlot[t]!);
      this.truncated[t] = perSlot[t]! > cap ? 1 : 0;
      total += this.capOf[t]!;
    }
    this.loss = new Float64Array(total);
    this.who = new Int32Array(total);
    this.size = new Int32Array(S);
    this.pos = new Int32Array(S);
    scanMoves(s, x, customers, cutoff, margins, (type, loss, i) =>
      this.push(table ? table[type]! : map!.get(type)!, loss, i),
    );
    this.lowers = new Int32Array(S);
    this.bitsCover = s.m <= 31;
    const rows: number[] = [];
    const vals: number[] = [];
    this.dStart = new Int32Array(S + 1);
    for (let t = 0; t < S; t++) {
      moveDeltaSparse(s, types[t]!, rows, vals);
      this.dStart[t + 1] = rows.length;
    }
    this.dRow = Int32Array.from(rows);
    this.dVal = Float64Array.from(vals);
    // A weighted row's change depends on the customer: every slot may lower it (the repair checks each move exactly).
    let anyCustomer = 0;
    for (const j of s.weightedRows) if (j < 31) anyCustomer |= 1 << j;
    for (let t = 0; t < S; t++) {
      this.lowers[t] = anyCustomer;
      for (let e = this.dStart[t]!; e < this.dStart[t + 1]!; e++)
        if (this.dVal[e]! < 0 && this.dRow[e]! < 31) this.lowers[t]! |= 1 << this.dRow[e]!;
    }
    // Slots in type order, so scans (and so ties between equal scores) do not depend on customer order.
    const order = [...types.keys()].sort((a, b) => types[a]! - types[b]!);
    for (const t of order) {
      this.sortType(t);
      this.active.push(t);
    }
  }

  // Keeps the `cap` smallest losses of slot t (bounded-heap.ts).
  private push(t: number, loss: number, i: number): void {
    this.size[t] = heapPush(this.loss, this.who, this.base[t]!, this.size[t]!, this.capOf[t]!, loss, i);
  }

  // Sorts slot t ascending by loss.
  private sortType(t: number): void {
    heapSort(this.loss, this.who, this.base[t]!, this.size[t]!);
  }

  /** Front candidate of type t still in its "from" state, or −1. Advances past stale entries. */
  front(t: number, x: Int32Array): number {
    const { k1 } = moveOf(this.s.K, this.typeOf[t]!);
    const base = this.base[t]!;
    while (this.pos[t]! < this.size[t]!) {
      const i = this.who[base + this.pos[t]!]!;
      if (x[i] === k1) return this.pos[t]!;
      this.pos[t]!++;
    }
    if (this.truncated[t]) this.truncatedRanOut = true;
    return -1;
  }
}

/**
 * Every candidate move of `customers` from their options in `x`: its type (see
 * `moveOf`), its loss w[i,k1] − w[i,k2] and its customer, for the moves whose
 * reduced loss (at the margins' μ) is at most `cutoff`.
 */
export function scanMoves(
  s: Structure,
  x: Int32Array,
  customers: Int32Array,
  cutoff: number,
  margins: Margins,
  visit: (type: number, loss: number, i: number) => void,
): void {
  const { K, group, values } = s;
  const w = new Float64Array(K);
  const r = new Float64Array(K);
  for (const i of customers) {
    values.row(i, w);
    reducedValues(s, margins.penalty, margins.prices, i, r);
    const k1 = x[i]!;
    const w1 = k1 >= 0 ? w[k1]! : 0;
    const r1 = k1 >= 0 ? r[k1]! : 0;
    const tBase = (group[i]! * (K + 1) + (k1 + 1)) * (K + 1);
    for (let k2 = -1; k2 < K; k2++) {
      if (k2 === k1) continue;
      const w2 = k2 >= 0 ? w[k2]! : 0;
      // Reduced loss above the cut-off: the move is not among the nearest.
      if (w2 === -Infinity || r1 - (k2 >= 0 ? r[k2]! : 0) > cutoff) continue;
      visit(tBase + k2 + 1, w1 - w2, i);
    }
  }
}

/** A verified-shape primal: the choice vector and its true objective. */
export interface PrimalResult {
  choice: Int32Array;
  objective: number;
  feasible: boolean;
  moves: number;
}

/**
 * Turns the best response at the final multipliers into a feasible plan:
 * (1) repair: while a row is violated, apply the move type with the least loss
 * per unit of weighted violation removed (weights grow on rows that stay
 * violated); (2) fill: apply moves of positive true gain that fit every slack,
 * best gain per multiplier-priced resource first. The fill looks beyond the
 * nearest customers only while `goodEnough(objective)` is false.
 */
export function buildPrimal(
  s: Structure,
  mu: Float64Array,
  /** The start: a choice vector, or a {@link Response} at μ (its margins and counts are taken over, its choice copied). */
  start: Int32Array | Response,
  goodEnough: (objective: number) => boolean = () => false,
  /** Checked every 64 steps: a time limit or an abort ends the repair (no plan) or the fill (the plan so far). */
  shouldStop: () => boolean = () => false,
): PrimalResult {
  const { K, m, rhs, tol } = s;
  const known = start instanceof Int32Array ? describe(s, start) : start;
  const x = known.choice.slice();
  const count = known.count;
  let objective = known.objective;
  const margin = start instanceof Int32Array ? undefined : start.margin;
  const act = addWeightedActivity(s, x, activity(s, count, new Float64Array(m)));
  // Rows weighted per customer: a move's change there is its customer's own (see weighted.ts).
  const W = s.weightedRows.length;
  const wRows = s.weightedRows;
  const moverOf = (t: number, e: number) => lists.who[lists.base[t]! + e]!;
  const wDelta = (t: number, e: number, q: number) => {
    const { k1, k2 } = moveOf(K, lists.typeOf[t]!);
    return weightedDelta(s, q, moverOf(t, e), k1, k2);
  };
  // Long lists for large bases: their repairs move thousands of near-tied customers per type.
  const cap = s.n >= 1_000_000 ? 4096 : 64;
  // Candidates start from the 2% of customers nearest a tie (2,000 to 20,000); widened when they run out.
  let pool = Math.min(20_000, Math.max(2_000, Math.ceil(s.n / 50)));
  const margins = new Margins(s, mu, x, margin);
  const listsFor = (capacity: number) => {
    const near = margins.nearest(pool);
    return new MoveLists(s, capacity, x, near.customers, near.cutoff, margins);
  };
  let repairCap = cap;
  let lists = listsFor(repairCap);
  let moves = 0;

  // The move of the type in slot t of the current lists; its row change is the slot's sparse entries.
  const typeDelta = (slot: number) => moveOf(K, lists.typeOf[slot]!);
  const apply = (t: number, e: number) => {
    const { g, k1, k2 } = typeDelta(t);
    const i = lists.who[lists.base[t]! + e]!;
    objective -= lists.loss[lists.base[t]! + e]!;
    x[i] = k2;
    margins.update(i);
    if (k1 >= 0) count[g * K + k1]!--;
    if (k2 >= 0) count[g * K + k2]!++;
    for (let d = lists.dStart[t]!; d < lists.dStart[t + 1]!; d++) act[lists.dRow[d]!]! += lists.dVal[d]!;
    for (let q = 0; q < W; q++) act[wRows[q]!]! += weightedDelta(s, q, i, k1, k2);
    lists.pos[t]!++;
    moves++;
  };
  const violation = (j: number, a: number) => Math.max(0, a - rhs[j]! - tol[j]!);

  // (1) repair
  let maxMu = 0;
  for (let j = 0; j < m; j++) maxMu = Math.max(maxMu, mu[j]!);
  const weight = Float64Array.from(mu, (v) => v + 1e-3 * (maxMu + 1));
  let rebuilt = 0;
  // Losses this small are float noise: they rank moves as free.
  const lossFloor = 1e-12 * Math.max(1, s.maxAbsW);
  // Does the move at entry e of slot t still cut a violation (without breaking a row)?
  const stillHelps = (t: number, e: number) => {
    const { dStart, dRow, dVal } = lists;
    let cuts = false;
    for (let d = dStart[t]!; d < dStart[t + 1]!; d++)
      if (dVal[d]! < 0 && violation(dRow[d]!, act[dRow[d]!]!) > 0) cuts = true;
    for (let q = 0; q < W; q++) if (wDelta(t, e, q) < 0 && violation(wRows[q]!, act[wRows[q]!]!) > 0) cuts = true;
    if (!cuts) return false;
    for (let d = dStart[t]!; d < dStart[t + 1]!; d++) {
      const j = dRow[d]!;
      if (dVal[d]! > 0 && act[j]! + dVal[d]! > rhs[j]! + tol[j]!) return false;
    }
    for (let q = 0; q < W; q++) {
      const j = wRows[q]!,
        dj = wDelta(t, e, q);
      if (dj > 0 && act[j]! + dj > rhs[j]! + tol[j]!) return false;
    }
    return true;
  };
  const stepLimit = 100_000 + 20 * s.n;
  let steps = 0;
  while (true) {
    let violated = false;
    let violatedBits = 0;
    for (let j = 0; j < m; j++) {
      if (violation(j, act[j]!) > 0) {
        violated = true;
        if (j < 31) violatedBits |= 1 << j;
      }
    }
    if (!violated) break;
    if (++steps > stepLimit || ((steps & 63) === 0 && shouldStop()))
      return { choice: x, objective, feasible: false, moves };
    let bestT = -1,
      bestE = -1,
      bestScore = -Infinity,
      bestBenefit = 0;
    let helpsSomeRow = false;
    for (const t of lists.active) {
      // Only moves that lower a violated row can help.
      if (lists.bitsCover && !(lists.lowers[t]! & violatedBits)) continue;
      const e = lists.front(t, x);
      if (e < 0) continue;
      let benefit = 0;
      // Loss priced at the multipliers: ties at the optimal multipliers cost (almost) nothing.
      let reduced = lists.loss[lists.base[t]! + e]!;
      for (let d = lists.dStart[t]!; d < lists.dStart[t + 1]!; d++) {
        const j = lists.dRow[d]!;
        const dj = lists.dVal[d]!;
        reduced += mu[j]! * dj;
        const change = violation(j, act[j]!) - violation(j, act[j]! + dj);
        if (change > 0) helpsSomeRow = true;
        benefit += weight[j]! * change;
      }
      for (let q = 0; q < W; q++) {
        const j = wRows[q]!;
        const dj = wDelta(t, e, q);
        reduced += mu[j]! * dj;
        const change = violation(j, act[j]!) - violation(j, act[j]! + dj);
        if (change > 0) helpsSomeRow = true;
        benefit += weight[j]! * change;
      }
      if (benefit <= 1e-15) continue;
      const score = benefit / Math.max(reduced, lossFloor);
      if (score > bestScore || (score === bestScore && benefit > bestBenefit)) {
        bestScore = score;
        bestT = t;
        bestE = e;
        bestBenefit = benefit;
      }
    }
    if (lists.truncatedRanOut && repairCap < 1 << 16) {
      // The cheapest candidates of some type are used up, and more may exist: list more before settling for worse.
      repairCap *= 4;
      lists = listsFor(repairCap);
      continue;
    }
    if (bestT < 0 && helpsSomeRow) {
      // Moves exist that fix a violated row at the price of another: make violations weigh more.
      for (let j = 0; j < m; j++) if (violation(j, act[j]!) > 0) weight[j]! *= 2;
      continue;
    }
    if (bestT < 0) {
      // Every list that helps is used up: collect fresh candidates from the current plan.
      if (rebuilt++ >= 3) return { choice: x, objective, feasible: false, moves };
      pool *= 8;
      repairCap *= 4;
      lists = listsFor(repairCap);
      continue;
    }
    // Identical customers tie: move as many of them as keep helping at the same price.
    const firstLoss = lists.loss[lists.base[bestT]! + bestE]!;
    let e = bestE;
    do {
      apply(bestT, e);
      e = lists.front(bestT, x);
    } while (e >= 0 && lists.loss[lists.base[bestT]! + e]! <= firstLoss + lossFloor && stillHelps(bestT, e));
    for (let j = 0; j < m; j++) if (violation(j, act[j]!) > 0) weight[j]! *= 1.05;
  }

  // The best swap: a move of positive gain blocked by some rows, plus a move that frees those rows.
  // Activity after a pair of moves, on the rows they touch (scratch, reset after each check).
  const after = new Float64Array(m);
  // Per row, the move types that lower its activity (for the current lists).
  let freesFor: MoveLists | undefined;
  let freesCache: number[][] = [];
  const freeingTypes = () => {
    if (freesFor === lists) return freesCache;
    freesCache = Array.from({ length: m }, () => []);
    for (const t of lists.active) {
      for (let d = lists.dStart[t]!; d < lists.dStart[t + 1]!; d++)
        if (lists.dVal[d]! < 0) freesCache[lists.dRow[d]!]!.push(t);
      // Whether a move frees a weighted row depends on its customer: every slot is a candidate (pairFits decides).
      for (const j of wRows) freesCache[j]!.push(t);
    }
    freesFor = lists;
    return freesCache;
  };
  // Do a move of slot a and one of slot b together keep every row met? Only the rows they touch change.
  const pairFits = (a: number, b: number) => {
    const { dStart, dRow, dVal } = lists;
    for (const t of [a, b]) for (let d = dStart[t]!; d < dStart[t + 1]!; d++) after[dRow[d]!] = act[dRow[d]!]!;
    for (const t of [a, b]) for (let d = dStart[t]!; d < dStart[t + 1]!; d++) after[dRow[d]!]! += dVal[d]!;
    let fits = true;
    for (const t of [a, b])
      for (let d = dStart[t]!; d < dStart[t + 1]!; d++)
        if (after[dRow[d]!]! > rhs[dRow[d]!]! + tol[dRow[d]!]!) fits = false;
    for (let q = 0; q < W; q++) {
      const j = wRows[q]!;
      const both = act[j]! + wDelta(a, lists.front(a, x), q) + wDelta(b, lists.front(b, x), q);
      if (both > rhs[j]! + tol[j]!) fits = false;
    }
    return fits;
  };
  const bestPair = (): { in: number; out: number; eOut: number } | null => {
    const gains: { t: number; gain: number }[] = [];
    for (const t of lists.active) {
      const e = lists.front(t, x);
      if (e >= 0 && lists.loss[lists.base[t]! + e]! < -1e-12) gains.push({ t, gain: -lists.loss[lists.base[t]! + e]! });
    }
    gains.sort((a, b) => b.gain - a.gain || a.t - b.t);
    let best: { in: number; out: number; eOut: number } | null = null;
    let bestNet = 1e-9 * Math.max(1, s.maxAbsW);
    const frees = freeingTypes();
    for (const { t: tIn, gain } of gains.slice(0, 32)) {
      const whoIn = lists.who[lists.base[tIn]! + lists.front(tIn, x)]!;
      // Only moves that free the most contested blocked row can unblock it (the rows are met, so only
      // rows the move raises can be blocked).
      let candidates: number[] | undefined;
      for (let d = lists.dStart[tIn]!; d < lists.dStart[tIn + 1]!; d++) {
        const j = lists.dRow[d]!;
        if (act[j]! + lists.dVal[d]! > rhs[j]! + tol[j]! && (!candidates || frees[j]!.length < candidates.length))
          candidates = frees[j]!;
      }
      for (let q = 0; q < W; q++) {
        const j = wRows[q]!;
        if (
          act[j]! + wDelta(tIn, lists.front(tIn, x), q) > rhs[j]! + tol[j]! &&
          (!candidates || frees[j]!.length < candidates.length)
        )
          candidates = frees[j]!;
      }
      for (const tOut of candidates ?? []) {
        if (tOut === tIn) continue;
        const eOut = lists.front(tOut, x);
        if (eOut < 0) continue;
        const net = gain - lists.loss[lists.base[tOut]! + eOut]!;
        if (net <= bestNet || lists.who[lists.base[tOut]! + eOut] === whoIn) continue;
        if (pairFits(tIn, tOut)) {
          bestNet = net;
          best = { in: tIn, out: tOut, eOut };
        }
      }
    }
    return best;
  };

  // (2) fill
  let fillCap = cap;
  // Fresh candidates from the repaired plan; when the repair moved nobody, the lists are those already.
  if (moves > 0) lists = listsFor(fillCap);
  let fillSteps = 0;
  let movesAtWidening = -1;
  while (fillSteps++ < stepLimit) {
    if ((fillSteps & 63) === 0 && shouldStop()) break;
    let bestT = -1,
      bestE = -1,
      bestScore = 0;
    for (const t of lists.active) {
      const e = lists.front(t, x);
      if (e < 0) continue;
      const loss = lists.loss[lists.base[t]! + e]!;
      if (loss >= -1e-12) continue;
      let fits = true;
      let price = 1e-9;
      for (let e2 = lists.dStart[t]!; e2 < lists.dStart[t + 1]!; e2++) {
        const j = lists.dRow[e2]!;
        const d = lists.dVal[e2]!;
        if (d > 0) {
          if (act[j]! + d > rhs[j]! + tol[j]!) {
            fits = false;
            break;
          }
          price += mu[j]! * d;
        }
      }
      for (let q = 0; q < W && fits; q++) {
        const j = wRows[q]!;
        const d = wDelta(t, e, q);
        if (d > 0) {
          if (act[j]! + d > rhs[j]! + tol[j]!) fits = false;
          price += mu[j]! * d;
        }
      }
      if (!fits) continue;
      const score = -loss / price;
      if (score > bestScore) {
        bestScore = score;
        bestT = t;
        bestE = e;
      }
    }
    if (bestT < 0 && lists.truncatedRanOut && fillCap < 1 << 16 && !goodEnough(objective)) {
      fillCap *= 4;
      lists = listsFor(fillCap);
      continue;
    }
    if (bestT < 0) {
      // No single move fits: a swap may (free a binding row with one move, use it with another).
      const pair = bestPair();
      if (pair) {
        apply(pair.out, pair.eOut);
        apply(pair.in, lists.front(pair.in, x));
        continue;
      }
      // Nothing among the nearest customers: look further out, as long as looking further paid off.
      if (pool < s.n && !goodEnough(objective) && (movesAtWidening < 0 || moves > movesAtWidening)) {
        movesAtWidening = moves;
        pool *= 4;
        lists = listsFor(fillCap);
        continue;
      }
    }
    if (bestT < 0) break;
    apply(bestT, bestE);
  }
  return { choice: x, objective, feasible: true, moves };
}

// Counts and value of a choice vector (its margins are left to the repair's Margins).
function describe(s: Structure, choice: Int32Array): Omit<Response, 'margin'> {
  const { K, G, group, values } = s;
  const count = new Float64Array(G * K);
  let objective = 0;
  for (let i = 0; i < s.n; i++) {
    const k = choice[i]!;
    if (k < 0) continue;
    count[group[i]! * K + k]!++;
    objective += values.at(i, k);
  }
  return { choice, count, objective };
}
