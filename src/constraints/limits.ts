import { InvalidInputError } from '../errors.js';

/** Fractions and counts of a floor or cap, as the model file allows them. */
export interface FractionOrCount {
  fraction?: number;
  count?: number;
}

// ε keeps 0.6 × 5 = 3.0000000000000004 from rounding up to 4.
const EPS = 1e-9;

/** Smallest integer count meeting a floor of `fraction·size` and `count`: the tighter wins. */
export function floorCount(limit: FractionOrCount, size: number): number | undefined {
  const parts: number[] = [];
  if (limit.fraction !== undefined) parts.push(Math.ceil(limit.fraction * size - EPS));
  if (limit.count !== undefined) parts.push(Math.ceil(limit.count - EPS));
  return parts.length ? Math.max(...parts) : undefined;
}

/** Largest integer count within a cap of `fraction·size` and `count`: the tighter wins. */
export function capCount(limit: FractionOrCount, size: number): number | undefined {
  const parts: number[] = [];
  if (limit.fraction !== undefined) parts.push(Math.floor(limit.fraction * size + EPS));
  if (limit.count !== undefined) parts.push(Math.floor(limit.count + EPS));
  return parts.length ? Math.min(...parts) : undefined;
}

/**
 * How a floor or cap became its count, in words, when a fraction is involved
 * (`min 0.6 of 98 customers = 58.8, rounded up to 59`); undefined for a plain
 * count. Floors round up (the policy holds), caps round down (the limit holds).
 */
export function limitNote(limit: FractionOrCount, size: number, sense: 'min' | 'max'): string | undefined {
  if (limit.fraction === undefined) return undefined;
  const exact = limit.fraction * size;
  const count =
    sense === 'min' ? floorCount({ fraction: limit.fraction }, size)! : capCount({ fraction: limit.fraction }, size)!;
  const shown = Number(exact.toFixed(6));
  const fromFraction =
    `${sense} ${limit.fraction} of ${grouped(size)} customers = ${grouped(shown)}` +
    (shown === count ? '' : `, rounded ${sense === 'min' ? 'up' : 'down'} to ${grouped(count)}`);
  if (limit.count === undefined) return fromFraction;
  const tighter = sense === 'min' ? floorCount(limit, size) : capCount(limit, size);
  return `${fromFraction}; ${sense}Count ${limit.count}; the tighter, ${grouped(tighter!)}, applies`;
}

// 4055.4 → "4,055.4" without Intl (its first use in a process costs about 15 ms).
function grouped(x: number): string {
  const [whole, part] = String(x).split('.');
  return whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (part ? `.${part}` : '');
}

/** Validates a fraction field (in [0, 1]) when present. */
export function checkFraction(v: unknown, path: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new InvalidInputError(path, `must be a fraction in [0, 1] (got ${String(v)})`, v);
  }
  return v;
}

/** Validates a count or amount field (finite, ≥ 0) when present. */
export function checkAmount(v: unknown, path: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new InvalidInputError(path, `must be a finite number ≥ 0 (got ${String(v)})`, v);
  }
  return v;
}

/** Sums a 0/1 mask. */
export function countMask(mask: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < mask.length; i++) s += mask[i]!;
  return s;
}
