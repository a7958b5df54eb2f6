import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import type { CustomerData } from '../data/customers.js';

/**
 * A random holdout of treated customers, kept uncontacted to measure uplift.
 *
 * @example
 * ```ts
 * const plan = await model.solve({ holdout: { fraction: 0.1, seed: 42 } });
 * ```
 */
export interface HoldoutOptions {
  /** Share of each stratum's treated customers held out, in [0, 1). */
  fraction: number;
  /** Seed; with the customer id it decides who is held out (default 0). */
  seed?: number;
  /** Smallest action × segment stratum kept separate; smaller ones pool by action (default 20). */
  minStratum?: number;
}

/** Checks holdout options; returns them with defaults. */
export function checkHoldout(h: HoldoutOptions, path = 'holdout'): Required<HoldoutOptions> {
  if (h == null || typeof h !== 'object') throw new InvalidInputError(path, 'expected { fraction, seed? }', h);
  checkKeys(h, ['fraction', 'seed', 'minStratum'], path);
  if (typeof h.fraction !== 'number' || !(h.fraction >= 0 && h.fraction < 1)) {
    throw new InvalidInputError(
      `${path}.fraction`,
      `must be a number in [0, 1) (got ${String(h.fraction)})`,
      h.fraction,
    );
  }
  const seed = h.seed ?? 0;
  if (!Number.isInteger(seed)) throw new InvalidInputError(`${path}.seed`, 'must be an integer', seed);
  const minStratum = h.minStratum ?? 20;
  return { fraction: h.fraction, seed, minStratum };
}

/**
 * Draws the holdout from a plan's treated customers: within each stratum
 * (action × segment when the stratum has at least `minStratum` customers,
 * otherwise the action's pooled remainder) the customers are ranked by a hash of
 * (seed, customer id) and the first round(fraction × size) are held out. So the
 * draw is exactly stratified, reproducible, and a customer keeps its side when
 * the same plan is drawn again, whatever the order of the data.
 *
 * @example
 * ```ts
 * const flags = drawHoldout(model.customerData!, plan.choice()!, { fraction: 0.1, seed: 7 });
 * ```
 */
export function drawHoldout(customers: CustomerData, choice: Int32Array, options: HoldoutOptions): Uint8Array {
  const { fraction, seed, minStratum } = checkHoldout(options);
  const n = customers.size;
  const flags = new Uint8Array(n);
  if (fraction === 0) return flags;
  const strata = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const k = choice[i]!;
    if (k < 0) continue;
    const key = `${k}|${customers.segment ? customers.segment.at(i) : ''}`;
    let list = strata.get(key);
    if (!list) strata.set(key, (list = []));
    list.push(i);
  }
  // Strata too small to stratify on segment pool into one per action.
  const pooled = new Map<number, number[]>();
  const final: number[][] = [];
  for (const [key, list] of strata) {
    if (list.length >= minStratum) {
      final.push(list);
      continue;
    }
    const k = Number(key.split('|')[0]);
    pooled.set(k, (pooled.get(k) ?? []).concat(list));
  }
  final.push(...pooled.values());
  const rank = (i: number) => hash01(seed, String(customers.id[i]));
  for (const list of final) {
    const keyed = list.map((i) => ({ i, u: rank(i) })).sort((a, b) => a.u - b.u || a.i - b.i);
    const take = Math.round(fraction * list.length);
    for (let r = 0; r < take; r++) flags[keyed[r]!.i] = 1;
  }
  return flags;
}

/**
 * A uniform number in [0, 1) from (seed, text): FNV-1a, then a 32-bit finalizer.
 *
 * @example
 * ```ts
 * hash01(42, 'customer-17'); // the same number on every run and platform
 * ```
 */
function hash01(seed: number, text: string): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let c = 0; c < text.length; c++) {
    h ^= text.charCodeAt(c);
    h = Math.imul(h, 16777619) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
