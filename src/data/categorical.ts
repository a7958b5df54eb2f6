import { customerArray } from '../util/shared-memory.js';

/**
 * A cell of a customer attribute column: usable in filters.
 *
 * @example
 * ```ts
 * const cell: CellValue = 'Premium'; // or a number, true/false, null
 * ```
 */
export type CellValue = string | number | boolean | null;

/** Codes of an encoded column: the narrowest integer array that holds them. */
export type Codes = Uint8Array | Uint16Array | Int32Array;

/** A column as codes into its distinct values (in order of first appearance). */
export interface Encoded {
  codes: Codes;
  values: CellValue[];
}

// Columns are immutable once validated, so an encoding is computed once per column array
// (null: the column has too many distinct values to be worth encoding).
const cache = new WeakMap<object, Encoded | null>();

/**
 * ANDs into `out` (1 = in) whether each row's value passes: `pass[code]` is 1
 * for the values that pass. Filters and fairness groups all build their masks
 * here, so one loop is compiled once for all of them.
 */
export function andPassing(codes: Codes, pass: Uint8Array, out: Uint8Array): Uint8Array {
  for (let i = 0; i < out.length; i++) out[i] = out[i]! & pass[codes[i]!]!;
  return out;
}

/**
 * Dictionary-encodes a column of strings, booleans or numbers: one hash
 * look-up per row, once; filters, fairness groups and per-segment uplifts then
 * work on integer codes instead of looking strings up per customer.
 */
export function encode(column: readonly CellValue[]): Encoded;
/** With `maxDistinct`: null when the column has more distinct values (ids, free text), whose map would cost more than it saves. */
export function encode(column: readonly CellValue[], maxDistinct: number): Encoded | null;
export function encode(column: readonly CellValue[], maxDistinct = Infinity): Encoded | null {
  const hit = cache.get(column);
  if (hit !== undefined && (hit !== null || maxDistinct !== Infinity)) return hit;
  const index = new Map<CellValue, number>();
  const values: CellValue[] = [];
  // Bytes first (most columns have a handful of values), widened when the values outgrow them:
  // at millions of rows, 4-byte codes would be tens of MB of fresh memory per column.
  let codes: Codes = customerArray(Uint8Array, column.length);
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    let c = index.get(v);
    if (c === undefined) {
      if (values.length >= maxDistinct) {
        cache.set(column, null);
        return null;
      }
      index.set(v, (c = values.length));
      values.push(v);
      if (c === 256 && codes instanceof Uint8Array) codes = widen(codes, Uint16Array);
      else if (c === 65_536 && codes instanceof Uint16Array) codes = widen(codes, Int32Array);
    }
    codes[i] = c;
  }
  const encoded = { codes, values };
  cache.set(column, encoded);
  return encoded;
}

// Codes copied into a wider array (more distinct values than the narrower holds).
function widen<T extends Uint16Array | Int32Array>(
  codes: Codes,
  Ctor: (new (b: SharedArrayBuffer) => T) & (new (length: number) => T),
): T {
  const out = customerArray(Ctor, codes.length);
  out.set(codes);
  return out;
}
