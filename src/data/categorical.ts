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

/**
 * Codes of an encoded column: the narrowest integer array that holds them.
 *
 * @example
 * ```ts
 * const codes: Codes = new Uint8Array([0, 1, 0]); // rows 0 and 2 hold the first value
 * ```
 */
export type Codes = Uint8Array | Uint16Array | Int32Array;

/**
 * A column as codes into its distinct values (in order of first appearance).
 *
 * @example
 * ```ts
 * const encoded: Encoded = { codes: new Uint8Array([0, 1, 0]), values: ['North', 'South'] };
 * ```
 */
export interface Encoded {
  /** The code of each row: an index into `values`. */
  codes: Codes;
  /** The distinct values. */
  values: readonly CellValue[];
}

/**
 * A text or true/false column stored as it is in Arrow and Parquet files: one
 * small integer code per row into the column's distinct values. Customers'
 * segments and their text and flag attributes are kept this way (1 byte per
 * customer for up to 256 values, where an array of strings takes 8). Read a
 * cell with `at(i)`, or iterate.
 *
 * @example
 * ```ts
 * const region = data.attributes.region; // a DictionaryColumn for a text column
 * region.at(0); // 'North'
 * [...region].filter((r) => r === 'North').length;
 * ```
 */
export class DictionaryColumn<T extends CellValue = CellValue> implements Encoded {
  /** The code of each row: an index into {@link DictionaryColumn.values}. */
  readonly codes: Codes;
  /** The distinct values, in order of first appearance. */
  readonly values: readonly T[];

  /** A column from codes and the values they index (not copied: the caller hands them over). */
  constructor(codes: Codes, values: readonly T[]) {
    this.codes = codes;
    this.values = Object.freeze(values.slice());
  }

  /** Number of rows. */
  get length(): number {
    return this.codes.length;
  }

  /** The value of row `index` (negative counts from the end, like `Array.prototype.at`); undefined outside the column. */
  at(index: number): T | undefined {
    const i = Math.trunc(index) < 0 ? this.codes.length + Math.trunc(index) : Math.trunc(index);
    return i >= 0 && i < this.codes.length ? this.values[this.codes[i]!] : undefined;
  }

  /** The rows' values in order. */
  *[Symbol.iterator](): IterableIterator<T> {
    const { codes, values } = this;
    for (let i = 0; i < codes.length; i++) yield values[codes[i]!]!;
  }
}

/**
 * A customer attribute column: numbers without gaps as a `Float64Array`, text
 * and true/false columns with up to 4,096 distinct values as a
 * {@link DictionaryColumn}, anything else (numbers with nulls, ids, free text)
 * as an array. All three read with `at(i)` and iterate.
 *
 * @example
 * ```ts
 * const tenure: AttributeColumn = data.attributes.tenure_months;
 * tenure.at(0); // 14
 * ```
 */
export type AttributeColumn = Float64Array | DictionaryColumn | readonly CellValue[];

/** Row `i` of a column of any form (a dictionary's value, or the array's cell). */
export function cellAt(col: AttributeColumn, i: number): CellValue {
  return col instanceof DictionaryColumn ? col.values[col.codes[i]!]! : col[i]!;
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
export function encode(column: ArrayLike<CellValue> | DictionaryColumn): Encoded;
/** With `maxDistinct`: null when the column has more distinct values (ids, free text), whose map would cost more than it saves. */
export function encode(column: ArrayLike<CellValue> | DictionaryColumn, maxDistinct: number): Encoded | null;
export function encode(column: ArrayLike<CellValue> | DictionaryColumn, maxDistinct = Infinity): Encoded | null {
  if (column instanceof DictionaryColumn) return column;
  const hit = cache.get(column);
  if (hit !== undefined && (hit !== null || maxDistinct !== Infinity)) return hit;
  const encoded = dictionaryOf(column, maxDistinct);
  cache.set(column, encoded);
  return encoded;
}

const NEGATIVE_ZERO = Symbol('-0');

/** Text and flag columns with more distinct values than this stay arrays (ids, free text): their map would cost more than codes save. */
export const MAX_CATEGORIES = 4096;

/**
 * `column` as a {@link DictionaryColumn}, or null when it has more than
 * `maxDistinct` distinct values. Not cached: for columns the caller still owns.
 */
export function dictionaryOf<T extends CellValue>(
  column: ArrayLike<T>,
  maxDistinct = Infinity,
): DictionaryColumn<T> | null {
  const builder = new DictionaryBuilder<T>(column.length, maxDistinct);
  for (let i = 0; i < column.length; i++) if (!builder.set(i, column[i]!)) return null;
  return builder.finish();
}

/** Builds a {@link DictionaryColumn} row by row, in any order (a file's column read chunk by chunk). */
export class DictionaryBuilder<T extends CellValue> {
  readonly #index = new Map<T | typeof NEGATIVE_ZERO, number>();
  readonly #values: T[] = [];
  readonly #maxDistinct: number;
  // Bytes first (most columns have a handful of values), widened when the values outgrow them:
  // at millions of rows, 4-byte codes would be tens of MB of fresh memory per column.
  #codes: Codes;

  constructor(length: number, maxDistinct = Infinity) {
    this.#codes = customerArray(Uint8Array, length);
    this.#maxDistinct = maxDistinct;
  }

  /** Row `i` holds `v`; false (and nothing set) when `v` would be a value beyond `maxDistinct`. */
  set(i: number, v: T): boolean {
    // A Map takes -0 for 0; the column gives back what went in.
    const key = v === 0 && Object.is(v, -0) ? NEGATIVE_ZERO : v;
    let c = this.#index.get(key);
    if (c === undefined) {
      const values = this.#values;
      if (values.length >= this.#maxDistinct) return false;
      this.#index.set(key, (c = values.length));
      values.push(v);
      if (c === 256 && this.#codes instanceof Uint8Array) this.#codes = widen(this.#codes, Uint16Array);
      else if (c === 65_536 && this.#codes instanceof Uint16Array) this.#codes = widen(this.#codes, Int32Array);
    }
    this.#codes[i] = c;
    return true;
  }

  /** The column (rows never set hold the first value, code 0). */
  finish(): DictionaryColumn<T> {
    return new DictionaryColumn(this.#codes, this.#values);
  }
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
