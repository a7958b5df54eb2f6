import { turns } from '../../../util/slices.js';
import { Margins, type Response } from '../core/margins.js';
import { MoveLists, type MoveTeam } from './move-lists.js';
import { sharedCopy } from '../../../util/shared-memory.js';
import { activity } from '../core/margins.js';
import { moveOf, type Structure } from '../core/structure.js';
import { addWeightedActivity, weightedDelta } from '../core/weighted.js';

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
 * best gain per multiplier-priced resource first, or a swap of two moves when
 * no single one fits. The fill looks beyond the nearest customers only while
 * `goodEnough(objective)` is false. See {@link Primal} for the phases.
 */
export async function buildPrimal(
  s: Structure,
  mu: Float64Array,
  /** The start: a choice vector, or a {@link Response} at μ (its margins and counts are taken over, its choice copied). */
  start: Int32Array | Response,
  goodEnough: (objective: number) => boolean = () => false,
  /** Checked every 64 steps: a time limit or an abort ends the repair (no plan) or the fill (the plan so far). */
  shouldStop: () => boolean = () => false,
  /** Threads to scan candidate moves on (the same lists as one thread). */
  team?: MoveTeam,
  /** Customers of the whole problem when `s` holds only some of them (the engine's repair): sizes the move lists. */
  base = s.n,
): Promise<PrimalResult> {
  const primal = new Primal(s, mu, start, goodEnough, shouldStop, team, base);
  await primal.listMoves();
  if (!(await primal.repair())) return primal.result(false);
  await primal.fill();
  return primal.result(true);
}

/**
 * One primal construction: the plan being built (choice, counts, row
 * activities, value), the candidate moves (`MoveLists` of the customers
 * nearest a tie, widened as they run out), and the two phases, `repair` and
 * `fill`, with the moves they share (`apply`) and the swap the fill falls
 * back on (`bestSwap`).
 */
export class Primal {
  private readonly x: Int32Array;
  private readonly count: Float64Array;
  private objective: number;
  /** Activity of every row (scaled ≤ form). */
  private readonly act: Float64Array;
  private readonly margins: Margins;
  // Set by listMoves() before the repair (building them scans the candidates, with turns of the event loop).
  private lists!: MoveLists;
  private moves = 0;
  /** Candidates: the customers nearest a tie, 2% of them (2,000 to 20,000); widened when they run out. */
  private pool: number;
  /** Longest move list per type: long lists for large bases, whose repairs move thousands of near-tied customers per type. */
  private readonly cap: number;
  /** Losses this small are float noise: they rank moves as free. */
  private readonly lossFloor: number;
  private readonly stepLimit: number;

  constructor(
    private readonly s: Structure,
    private readonly mu: Float64Array,
    start: Int32Array | Response,
    private readonly goodEnough: (objective: number) => boolean,
    private readonly shouldStop: () => boolean,
    private readonly team?: MoveTeam,
    base = s.n,
  ) {
    const known = start instanceof Int32Array ? describe(s, start) : start;
    // On shared memory with threads: they read the plan as the repair changes it.
    this.x = team ? sharedCopy(known.choice) : known.choice.slice();
    this.count = known.count;
    this.objective = known.objective;
    this.act = addWeightedActivity(s, this.x, activity(s, this.count, new Float64Array(s.m)));
    this.cap = base >= 1_000_000 ? 4096 : 64;
    this.pool = Math.min(s.n, Math.min(20_000, Math.max(2_000, Math.ceil(base / 50))));
    this.margins = new Margins(s, mu, this.x, start instanceof Int32Array ? undefined : start.margin);
    this.lossFloor = 1e-12 * Math.max(1, s.maxAbsW);
    this.stepLimit = 100_000 + 20 * s.n;
  }

  /** Lists the first candidate moves (call once, before {@link repair}). */
  async listMoves(): Promise<void> {
    this.lists = await this.listsFor(this.cap);
  }

  /** The plan as it stands. */
  result(feasible: boolean): PrimalResult {
    return { choice: this.x, objective: this.objective, feasible, moves: this.moves };
  }

  /**
   * Phase 1: while a row is violated, apply the move with the most weighted violation removed per unit
   * of loss priced at μ (ties at the optimal multipliers cost almost nothing). False when it gives up
   * (step limit, a stop, or no candidate left after widening three times).
   */
  async repair(): Promise<boolean> {
    const { s, mu, x, act } = this;
    // A repair of ten million customers makes tens of thousands of moves: the event loop turns between them.
    const turn = turns();
    const m = s.m;
    const W = s.weightedRows.length;
    const wRows = s.weightedRows;
    let maxMu = 0;
    for (let j = 0; j < m; j++) maxMu = Math.max(maxMu, mu[j]!);
    const weight = Float64Array.from(mu, (v) => v + 1e-3 * (maxMu + 1));
    let repairCap = this.cap;
    let rebuilt = 0;
    let steps = 0;
    while (true) {
      let violated = false;
      let violatedBits = 0;
      for (let j = 0; j < m; j++) {
        if (this.violation(j, act[j]!) > 0) {
          violated = true;
          if (j < 31) violatedBits |= 1 << j;
        }
      }
      if (!violated) return true;
      if (++steps > this.stepLimit || ((steps & 63) === 0 && this.shouldStop())) return false;
      if ((steps & 63) === 0) await turn();
      const lists = this.lists;
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
          const change = this.violation(j, act[j]!) - this.violation(j, act[j]! + dj);
          if (change > 0) helpsSomeRow = true;
          benefit += weight[j]! * change;
        }
        for (let q = 0; q < W; q++) {
          const j = wRows[q]!;
          const dj = this.wDelta(t, e, q);
          reduced += mu[j]! * dj;
          const change = this.violation(j, act[j]!) - this.violation(j, act[j]! + dj);
          if (change > 0) helpsSomeRow = true;
          benefit += weight[j]! * change;
        }
        if (benefit <= 1e-15) continue;
        const score = benefit / Math.max(reduced, this.lossFloor);
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
        this.lists = await this.listsFor(repairCap);
        continue;
      }
      if (bestT < 0 && helpsSomeRow) {
        // Moves exist that fix a violated row at the price of another: make violations weigh more.
        for (let j = 0; j < m; j++) if (this.violation(j, act[j]!) > 0) weight[j]! *= 2;
        continue;
      }
      if (bestT < 0) {
        // Every list that helps is used up: collect fresh candidates from the current plan.
        if (rebuilt++ >= 3) return false;
        this.pool *= 8;
        repairCap *= 4;
        this.lists = await this.listsFor(repairCap);
        continue;
      }
      // Identical customers tie: move as many of them as keep helping at the same price.
      const firstLoss = lists.loss[lists.base[bestT]! + bestE]!;
      let e = bestE;
      do {
        this.apply(bestT, e);
        e = lists.front(bestT, x);
      } while (
        e >= 0 &&
        lists.loss[lists.base[bestT]! + e]! <= firstLoss + this.lossFloor &&
        this.stillHelps(bestT, e)
      );
      for (let j = 0; j < m; j++) if (this.violation(j, act[j]!) > 0) weight[j]! *= 1.05;
    }
  }

  /**
   * Phase 2: apply moves of positive gain that fit every slack, best gain per priced resource first;
   * when none fits, a swap ({@link bestSwap}); when none of those either, look further out, as long as
   * looking further paid off.
   */
  async fill(): Promise<void> {
    const { s, mu, x, act } = this;
    const turn = turns();
    const { rhs, tol } = s;
    const W = s.weightedRows.length;
    const wRows = s.weightedRows;
    let fillCap = this.cap;
    // Fresh candidates from the repaired plan; when the repair moved nobody, the lists are those already.
    if (this.moves > 0) this.lists = await this.listsFor(fillCap);
    let fillSteps = 0;
    let movesAtWidening = -1;
    while (fillSteps++ < this.stepLimit) {
      if ((fillSteps & 63) === 0) {
        if (this.shouldStop()) break;
        await turn();
      }
      const lists = this.lists;
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
          const d = this.wDelta(t, e, q);
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
      if (bestT < 0 && lists.truncatedRanOut && fillCap < 1 << 16 && !this.goodEnough(this.objective)) {
        fillCap *= 4;
        this.lists = await this.listsFor(fillCap);
        continue;
      }
      if (bestT < 0) {
        // No single move fits: a swap may (free a binding row with one move, use it with another).
        const pair = this.bestSwap();
        if (pair) {
          this.apply(pair.out, pair.eOut);
          this.apply(pair.in, this.lists.front(pair.in, x));
          continue;
        }
        // Nothing among the nearest customers: look further out, as long as looking further paid off.
        if (
          this.pool < s.n &&
          !this.goodEnough(this.objective) &&
          (movesAtWidening < 0 || this.moves > movesAtWidening)
        ) {
          movesAtWidening = this.moves;
          this.pool *= 4;
          this.lists = await this.listsFor(fillCap);
          continue;
        }
      }
      if (bestT < 0) break;
      this.apply(bestT, bestE);
    }
  }

  // Fresh move lists from the `pool` customers nearest a tie.
  private async listsFor(capacity: number): Promise<MoveLists> {
    const near = await this.margins.nearestInSlices(this.pool);
    return MoveLists.build(this.s, capacity, this.x, near.customers, near.cutoff, this.margins, this.team);
  }

  // Applies the move at entry e of slot t: the customer, the counts, the rows, the value, its margin.
  private apply(t: number, e: number): void {
    const { s, lists, x, act } = this;
    const K = s.K;
    const { g, k1, k2 } = moveOf(K, lists.typeOf[t]!);
    const i = lists.who[lists.base[t]! + e]!;
    this.objective -= lists.loss[lists.base[t]! + e]!;
    x[i] = k2;
    this.margins.update(i);
    if (k1 >= 0) this.count[g * K + k1]!--;
    if (k2 >= 0) this.count[g * K + k2]!++;
    for (let d = lists.dStart[t]!; d < lists.dStart[t + 1]!; d++) act[lists.dRow[d]!]! += lists.dVal[d]!;
    for (let q = 0; q < s.weightedRows.length; q++) act[s.weightedRows[q]!]! += weightedDelta(s, q, i, k1, k2);
    lists.pos[t]!++;
    this.moves++;
  }

  private violation(j: number, a: number): number {
    return Math.max(0, a - this.s.rhs[j]! - this.s.tol[j]!);
  }

  // The change in weighted row q of the move at entry e of slot t (its customer's own).
  private wDelta(t: number, e: number, q: number): number {
    const { k1, k2 } = moveOf(this.s.K, this.lists.typeOf[t]!);
    return weightedDelta(this.s, q, this.lists.who[this.lists.base[t]! + e]!, k1, k2);
  }

  // Does the move at entry e of slot t still cut a violation (without breaking a row)?
  private stillHelps(t: number, e: number): boolean {
    const { lists, act, s } = this;
    const { rhs, tol } = s;
    const W = s.weightedRows.length;
    const { dStart, dRow, dVal } = lists;
    let cuts = false;
    for (let d = dStart[t]!; d < dStart[t + 1]!; d++)
      if (dVal[d]! < 0 && this.violation(dRow[d]!, act[dRow[d]!]!) > 0) cuts = true;
    for (let q = 0; q < W; q++) {
      const j = s.weightedRows[q]!;
      if (this.wDelta(t, e, q) < 0 && this.violation(j, act[j]!) > 0) cuts = true;
    }
    if (!cuts) return false;
    for (let d = dStart[t]!; d < dStart[t + 1]!; d++) {
      const j = dRow[d]!;
      if (dVal[d]! > 0 && act[j]! + dVal[d]! > rhs[j]! + tol[j]!) return false;
    }
    for (let q = 0; q < W; q++) {
      const j = s.weightedRows[q]!;
      const dj = this.wDelta(t, e, q);
      if (dj > 0 && act[j]! + dj > rhs[j]! + tol[j]!) return false;
    }
    return true;
  }

  // Per row, the move types that lower its activity (for the current lists; kept until they change).
  private freesFor: MoveLists | undefined;
  private freesCache: number[][] = [];
  private freeingTypes(): number[][] {
    const { lists, s } = this;
    if (this.freesFor === lists) return this.freesCache;
    const frees: number[][] = Array.from({ length: s.m }, () => []);
    for (const t of lists.active) {
      for (let d = lists.dStart[t]!; d < lists.dStart[t + 1]!; d++)
        if (lists.dVal[d]! < 0) frees[lists.dRow[d]!]!.push(t);
      // Whether a move frees a weighted row depends on its customer: every slot is a candidate (pairFits decides).
      for (const j of s.weightedRows) frees[j]!.push(t);
    }
    this.freesFor = lists;
    this.freesCache = frees;
    return frees;
  }

  // Activity after a pair of moves, on the rows they touch (scratch, reset at each check).
  private after: Float64Array | undefined;

  // Do a move of slot a and one of slot b together keep every row met? Only the rows they touch change.
  private pairFits(a: number, b: number): boolean {
    const { lists, act, s, x } = this;
    const { rhs, tol } = s;
    const after = (this.after ??= new Float64Array(s.m));
    const { dStart, dRow, dVal } = lists;
    for (const t of [a, b]) for (let d = dStart[t]!; d < dStart[t + 1]!; d++) after[dRow[d]!] = act[dRow[d]!]!;
    for (const t of [a, b]) for (let d = dStart[t]!; d < dStart[t + 1]!; d++) after[dRow[d]!]! += dVal[d]!;
    let fits = true;
    for (const t of [a, b])
      for (let d = dStart[t]!; d < dStart[t + 1]!; d++)
        if (after[dRow[d]!]! > rhs[dRow[d]!]! + tol[dRow[d]!]!) fits = false;
    for (let q = 0; q < s.weightedRows.length; q++) {
      const j = s.weightedRows[q]!;
      const both = act[j]! + this.wDelta(a, lists.front(a, x), q) + this.wDelta(b, lists.front(b, x), q);
      if (both > rhs[j]! + tol[j]!) fits = false;
    }
    return fits;
  }

  // The best swap: a move of positive gain blocked by some rows, plus a move that frees those rows.
  private bestSwap(): { in: number; out: number; eOut: number } | null {
    const { lists, act, s, x } = this;
    const { rhs, tol } = s;
    const gains: { t: number; gain: number }[] = [];
    for (const t of lists.active) {
      const e = lists.front(t, x);
      if (e >= 0 && lists.loss[lists.base[t]! + e]! < -1e-12) gains.push({ t, gain: -lists.loss[lists.base[t]! + e]! });
    }
    gains.sort((a, b) => b.gain - a.gain || a.t - b.t);
    let best: { in: number; out: number; eOut: number } | null = null;
    let bestNet = 1e-9 * Math.max(1, s.maxAbsW);
    const frees = this.freeingTypes();
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
      for (let q = 0; q < s.weightedRows.length; q++) {
        const j = s.weightedRows[q]!;
        if (
          act[j]! + this.wDelta(tIn, lists.front(tIn, x), q) > rhs[j]! + tol[j]! &&
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
        if (this.pairFits(tIn, tOut)) {
          bestNet = net;
          best = { in: tIn, out: tOut, eOut };
        }
      }
    }
    return best;
  }
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
