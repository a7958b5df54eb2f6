import type { CellValue } from './customers.js';

/** A column as codes into its distinct values (in order of first appearance). */
export interface Encoded {
  codes: Int32Array;
  values: CellValue[];
}

// Columns are immutable once validated, so an encoding is computed once per column array.
const cache = new WeakMap<object, Encoded>();

/**
 * Dictionary-encodes a column of strings, booleans or numbers: one hash
 * look-up per row, once; filters, fairness groups and per-segment uplifts then
 * work on integer codes instead of looking strings up per customer.
 */
export function encode(column: readonly CellValue[]): Encoded {
  const hit = cache.get(column);
  if (hit) return hit;
  const index = new Map<CellValue, number>();
  const values: CellValue[] = [];
  const codes = new Int32Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    let c = index.get(v);
    if (c === undefined) { index.set(v, (c = values.length)); values.push(v); }
    codes[i] = c;
  }
  const encoded = { codes, values };
  cache.set(column, encoded);
  return encoded;
}
