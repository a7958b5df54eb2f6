import { NO_ACTION } from '../../../problem/assignment-problem.js';
import { forSlices, SLICE } from '../../../util/slices.js';
import { above, heapPush, heapSort } from './bounded-heap.js';
import type { Margins } from '../core/margins.js';
import { reducedValues } from '../core/margins.js';
import { moveDeltaSparse, moveOf, type Structure } from '../core/structure.js';

/** From this many candidates on, a team's threads share the scans. */
const TEAM_FROM = 4 * SLICE;

/**
 * Candidate moves, grouped by type (group g, from action k1, to action k2;
 * −1 is "no action"). Every customer of a type moves the rows by the same
 * amount, so a type keeps only its `cap` customers with the smallest loss
 * w[i,k1] − w[i,k2], sorted ascending. Only types that have candidates get a
 * slot (with per-customer weights there can be a group per customer), and
 * everything is indexed by slot; `typeOf` gives a slot's type
 * ((g·(K+1) + k1+1)·(K+1) + k2+1).
 */
export class MoveLists {
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
   * then holds exactly the moves of the whole base below the cut-off. Slots are
   * numbered in type order. The two scans over the candidates (count, then keep)
   * run in slices with turns of the event loop between (at ten million
   * customers the candidates number millions), or on a team's threads, each
   * keeping its own candidates' best moves, merged after: the same lists
   * either way (the heaps order moves totally: bounded-heap.ts).
   */
  static async build(
    s: Structure,
    cap: number,
    x: Int32Array,
    customers: Int32Array,
    cutoff: number,
    margins: Margins,
    team?: MoveTeam,
  ): Promise<MoveLists> {
    const { K, G } = s;
    const T = G * (K + 1) * (K + 1);
    const scan = { x, customers, cutoff, penalty: margins.penalty, prices: margins.prices };
    // Type → slot: a flat table when the number of types is moderate, a map when groups are per customer.
    // Threads pay from a few slices of candidates on (at 1,000,000 customers the 20,000 nearest scan in
    // milliseconds, less than sharing them out costs).
    if (team && T <= 1 << 20 && customers.length >= TEAM_FROM) {
      const perType = await team.countMoves(s, scan, T);
      const types: number[] = [];
      const perSlot: number[] = [];
      for (let type = 0; type < T; type++)
        if (perType[type]! > 0) {
          types.push(type);
          perSlot.push(perType[type]!);
        }
      const lists = new MoveLists(s, cap, types, perSlot);
      const slotOf = new Int32Array(T).fill(-1);
      types.forEach((type, t) => {
        slotOf[type] = t;
      });
      const parts = await team.keepMoves(s, scan, { slotOf, base: lists.base, capOf: lists.capOf });
      lists.merge(parts);
      return lists;
    }
    const table = T <= 1 << 20 ? new Float64Array(T) : null;
    const map = table ? null : new Map<number, number>();
    // Two passes over the candidates rather than a buffer of them: fresh memory is costly to touch.
    await forSlices(customers.length, (from, to) =>
      scanMoves(
        s,
        scan,
        (type) => {
          if (table) table[type]!++;
          else map!.set(type, (map!.get(type) ?? 0) + 1);
        },
        from,
        to,
      ),
    );
    const counted = table
      ? Array.from(table.keys()).filter((type) => table[type]! > 0)
      : [...map!.keys()].sort((a, b) => a - b);
    const perSlot = counted.map((type) => (table ? table[type]! : map!.get(type)!));
    const lists = new MoveLists(s, cap, counted, perSlot);
    const slot = new Map(counted.map((type, t) => [type, t]));
    const slotOf = table ? Int32Array.from(table, () => -1) : null;
    if (slotOf) counted.forEach((type, t) => (slotOf[type] = t));
    await forSlices(customers.length, (from, to) =>
      scanMoves(s, scan, (type, loss, i) => lists.push(slotOf ? slotOf[type]! : slot.get(type)!, loss, i), from, to),
    );
    lists.sortAll();
    return lists;
  }

  // Room for each slot's candidates (min(cap, how many there are)) and each type's row changes; the
  // entries come from `push`, then `sortAll`.
  private constructor(
    private readonly s: Structure,
    cap: number,
    types: readonly number[],
    perSlot: readonly number[],
  ) {
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
  }

  // Sorts every slot (numbered in type order, so scans, and ties between equal scores, do not depend on
  // customer order).
  private sortAll(): void {
    for (let t = 0; t < this.typeOf.length; t++) {
      this.sortType(t);
      this.active.push(t);
    }
  }

  /**
   * Takes the lists of threads that each kept the best moves of their own candidates (each slot
   * sorted, in this layout): per slot, the `capOf` first of their merge.
   */
  private merge(parts: readonly KeptMoves[]): void {
    const at = new Int32Array(parts.length);
    for (let t = 0; t < this.typeOf.length; t++) {
      const base = this.base[t]!;
      at.fill(0);
      let size = 0;
      for (; size < this.capOf[t]!; size++) {
        let from = -1;
        for (let p = 0; p < parts.length; p++) {
          if (at[p]! >= parts[p]!.size[t]!) continue;
          const e = base + at[p]!;
          if (
            from < 0 ||
            above(
              parts[from]!.loss[base + at[from]!]!,
              parts[from]!.who[base + at[from]!]!,
              parts[p]!.loss[e]!,
              parts[p]!.who[e]!,
            )
          )
            from = p;
        }
        if (from < 0) break;
        const e = base + at[from]!++;
        this.loss[base + size] = parts[from]!.loss[e]!;
        this.who[base + size] = parts[from]!.who[e]!;
      }
      this.size[t] = size;
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

/** What a scan of candidate moves reads: the plan, the candidates, the cut-off and the prices at μ. */
export interface MoveScan {
  x: Int32Array;
  customers: Int32Array;
  cutoff: number;
  /** Penalty per (group, action) and per weighted row at μ (see `Margins`). */
  penalty: Float64Array;
  prices: Float64Array;
}

/** The best moves one thread kept of its candidates, in the lists' layout (each slot sorted). */
export interface KeptMoves {
  loss: Float64Array;
  who: Int32Array;
  size: Int32Array;
}

/** Where a thread keeps its moves: each type's slot, and each slot's base and room in the lists' layout. */
export interface MoveSlots {
  slotOf: Int32Array;
  base: Int32Array;
  capOf: Int32Array;
}

/** Threads that scan candidate moves (parallel/team.ts). */
export interface MoveTeam {
  /** Candidates per move type (`types` of them) over all candidates. */
  countMoves(s: Structure, scan: MoveScan, types: number): Promise<Float64Array>;
  /** Each thread's best moves of its own candidates, in thread order. */
  keepMoves(s: Structure, scan: MoveScan, slots: MoveSlots): Promise<KeptMoves[]>;
}

/** Counts the candidate moves [from, to) of `scan.customers` per type into `count`. */
export function countMovesOf(s: Structure, scan: MoveScan, count: Float64Array, from: number, to: number): void {
  scanMoves(s, scan, (type) => count[type]!++, from, to);
}

/** Keeps, per slot, the best candidate moves [from, to) of `scan.customers` in `kept` (heaps: sort them after). */
export function keepMovesOf(
  s: Structure,
  scan: MoveScan,
  slots: MoveSlots,
  kept: KeptMoves,
  from: number,
  to: number,
): void {
  const { slotOf, base, capOf } = slots;
  const { loss: L, who: W, size } = kept;
  scanMoves(
    s,
    scan,
    (type, loss, i) => {
      const t = slotOf[type]!;
      size[t] = heapPush(L, W, base[t]!, size[t]!, capOf[t]!, loss, i);
    },
    from,
    to,
  );
}

/** Sorts every slot of `kept` (heaps) ascending. */
export function sortKept(slots: MoveSlots, kept: KeptMoves): void {
  for (let t = 0; t < kept.size.length; t++) heapSort(kept.loss, kept.who, slots.base[t]!, kept.size[t]!);
}

/**
 * Every candidate move of `scan.customers` from their options in `scan.x`: its type (see
 * `moveOf`), its loss w[i,k1] − w[i,k2] and its customer, for the moves whose
 * reduced loss (at the prices of the scan) is at most `scan.cutoff`.
 */
export function scanMoves(
  s: Structure,
  scan: MoveScan,
  visit: (type: number, loss: number, i: number) => void,
  /** The candidates [from, to) of `customers` (default all). */
  from = 0,
  to = scan.customers.length,
): void {
  const { K, group, values } = s;
  const { x, customers, cutoff } = scan;
  const w = new Float64Array(K);
  const r = new Float64Array(K);
  for (let c = from; c < to; c++) {
    const i = customers[c]!;
    reducedValues(s, scan.penalty, scan.prices, i, r, values.row(i, w));
    const k1 = x[i]!;
    const w1 = k1 >= 0 ? w[k1]! : 0;
    const r1 = k1 >= 0 ? r[k1]! : 0;
    const tBase = (group[i]! * (K + 1) + (k1 + 1)) * (K + 1);
    for (let k2 = NO_ACTION; k2 < K; k2++) {
      if (k2 === k1) continue;
      const w2 = k2 >= 0 ? w[k2]! : 0;
      // Reduced loss above the cut-off: the move is not among the nearest.
      if (w2 === -Infinity || r1 - (k2 >= 0 ? r[k2]! : 0) > cutoff) continue;
      visit(tBase + k2 + 1, w1 - w2, i);
    }
  }
}
