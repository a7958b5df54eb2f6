import type { Structure } from './structure.js';

/**
 * Rows weighted per customer (see `Structure.weightedRows`): what a choice
 * costs in them and how it moves them. Their coefficients differ from one
 * customer to the next, so they are read per customer, beside the
 * per-(group, action) penalties of the other rows. Most problems have none,
 * and then every function here is a no-op.
 */

/** μ of each weighted row, in `weightedRows` order (the multipliers the per-customer penalty reads). */
export function weightedPrices(s: Structure, mu: Float64Array): Float64Array {
  return Float64Array.from(s.weightedRows, (j) => mu[j]!);
}

/** Adds the weighted rows' activity of a choice vector into `out` (scaled ≤ form, indexed by row). */
export function addWeightedActivity(s: Structure, choice: Int32Array, out: Float64Array): Float64Array {
  const K = s.K;
  s.weightedRows.forEach((j, w) => {
    const coef = s.weightedCoef[w]!;
    let sum = 0;
    for (let i = 0; i < s.n; i++) {
      const k = choice[i]!;
      if (k >= 0) sum += coef[i * K + k]!;
    }
    out[j]! += sum;
  });
  return out;
}

/** How customer i moving from k1 to k2 (−1: no action) changes weighted row w (scaled ≤ form). */
export function weightedDelta(s: Structure, w: number, i: number, k1: number, k2: number): number {
  const coef = s.weightedCoef[w]!;
  const base = i * s.K;
  return (k2 >= 0 ? coef[base + k2]! : 0) - (k1 >= 0 ? coef[base + k1]! : 0);
}
