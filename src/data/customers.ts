import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { DictionaryColumn, dictionaryOf, MAX_CATEGORIES, type AttributeColumn, type CellValue } from './categorical.js';
import { customerArray } from '../util/shared-memory.js';

export type { AttributeColumn, CellValue, Codes, Encoded } from './categorical.js';
export { DictionaryColumn } from './categorical.js';

/**
 * Customers in columnar form, validated and owned by the library (copied from
 * what the caller passed, never aliased). Hot loops read the typed arrays.
 *
 * @example
 * ```ts
 * const data = customersFromColumns({ id: ['a', 'b'], churnProbability: [0.2, 0.7], value: [100, 300] });
 * data.size; // 2
 * ```
 */
export interface CustomerData {
  /** Number of customers. */
  readonly size: number;
  /** Unique customer ids, strings or numbers. */
  readonly id: readonly (string | number)[];
  /** Churn probability of each customer, in [0, 1]. */
  readonly churnProbability: Float64Array;
  /** Customer value (CLV) of each customer, finite and ≥ 0. */
  readonly value: Float64Array;
  /** Segment label of each customer (read with `segment.at(i)`), when the data has one. */
  readonly segment: DictionaryColumn<string> | undefined;
  /** Further columns usable in filters, by name: numbers as a `Float64Array`, text and flags as a {@link DictionaryColumn} (read any of them with `at(i)`). */
  readonly attributes: Readonly<Record<string, AttributeColumn>>;
}

/**
 * Plain columns accepted by {@link customersFromColumns}: equal-length arrays.
 *
 * @example
 * ```ts
 * const cols: CustomerColumns = { id: [1, 2], churnProbability: [0.1, 0.9], value: [50, 80], segment: ['Free', 'Premium'] };
 * ```
 */
export interface CustomerColumns {
  /** Unique customer ids, strings or numbers. */
  id: ArrayLike<string | number>;
  /** Churn probability of each customer, in [0, 1]. */
  churnProbability: ArrayLike<number>;
  /** Customer value (CLV), finite and ≥ 0. */
  value: ArrayLike<number>;
  /** Segment of each customer (uplift by segment, fairness), optional. */
  segment?: ArrayLike<string> | DictionaryColumn<string>;
  /** Further columns by name, usable in filters. */
  attributes?: Record<string, ArrayLike<CellValue> | DictionaryColumn>;
}

/** Column names reserved for the core customer fields in filters. */
const CORE_COLUMNS = ['id', 'churnProbability', 'value', 'segment'] as const;

/**
 * Validates and copies plain customer columns into {@link CustomerData}.
 * Throws {@link InvalidInputError} naming the column, row and value at fault.
 *
 * @example
 * ```ts
 * customersFromColumns({ id: ['a'], churnProbability: [1.2], value: [10] });
 * // throws InvalidInputError: customers.churnProbability[0]: must be in [0, 1] (got 1.2)
 * ```
 */
export function customersFromColumns(columns: CustomerColumns, path = 'customers'): CustomerData {
  if (columns == null || typeof columns !== 'object') {
    throw new InvalidInputError(path, 'expected an object of columns or an arquero table', columns);
  }
  checkKeys(columns, ['id', 'churnProbability', 'value', 'segment', 'attributes'], path);
  const ids = requireColumn(columns.id, `${path}.id`);
  const n = ids.length;
  const probability = numericColumn(columns.churnProbability, `${path}.churnProbability`, n, 0, 1);
  const value = numericColumn(columns.value, `${path}.value`, n, 0, Infinity);

  const id: (string | number)[] = new Array(n);
  let allNumbers = true;
  for (let i = 0; i < n; i++) {
    const v = ids[i] as string | number;
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') {
      throw new InvalidInputError(`${path}.id[${i}]`, 'must be a string or a finite number', v);
    }
    if (typeof v !== 'number') allNumbers = false;
    id[i] = v;
  }
  const duplicate = allNumbers ? firstDuplicateNumber(id as number[]) : firstDuplicateText(id);
  if (duplicate) {
    const [first, again] = duplicate;
    throw new InvalidInputError(
      `${path}.id[${again}]`,
      `duplicate id ${JSON.stringify(id[again])} (first at row ${first})`,
      id[again],
    );
  }

  const segment = columns.segment != null ? segmentColumn(columns.segment, `${path}.segment`, n) : undefined;

  // No prototype: an attribute named "toString" or "__proto__" is a column like any other.
  const attributes = Object.create(null) as Record<string, AttributeColumn>;
  for (const [name, col] of Object.entries(columns.attributes ?? {})) {
    if ((CORE_COLUMNS as readonly string[]).includes(name)) {
      throw new InvalidInputError(
        `${path}.attributes.${name}`,
        `"${name}" is a core column and cannot be an attribute`,
      );
    }
    attributes[name] = attributeColumn(col, `${path}.attributes.${name}`, n);
  }
  return Object.freeze({
    size: n,
    id,
    churnProbability: probability,
    value,
    segment,
    attributes: Object.freeze(attributes),
  });
}

// The segment column as a dictionary (every compiled model reads each customer's segment code: uplift by
// segment), built while the column is read for validation anyway.
function segmentColumn(
  col: ArrayLike<string> | DictionaryColumn<string>,
  path: string,
  n: number,
): DictionaryColumn<string> {
  if (col instanceof DictionaryColumn) {
    return copyDictionary(col, path, n, (s, at) => {
      if (typeof s !== 'string') throw new InvalidInputError(at, 'must be a string', s);
    });
  }
  const seg = requireColumn(col, path, n);
  for (let i = 0; i < n; i++) {
    const s = seg[i];
    if (typeof s !== 'string') throw new InvalidInputError(`${path}[${i}]`, 'must be a string', s);
  }
  return dictionaryOf(seg)!;
}

// An attribute validated and copied into the most compact form that gives back the same cells: numbers
// without gaps as a Float64Array, text and flags with few distinct values as a dictionary (what columnar
// stores do: 1 byte per customer where an array of strings takes 8, and a code per row is what filters
// and fairness groups compare), anything else as an array.
function attributeColumn(col: ArrayLike<CellValue> | DictionaryColumn, path: string, n: number): AttributeColumn {
  if (col instanceof DictionaryColumn) return copyDictionary(col, path, n, checkCell);
  let arr = requireColumn(col, path, n);
  // Typed arrays hold numbers only: copied in one call, then checked on the copy (one array type in the loop).
  if (ArrayBuffer.isView(arr) && !(arr instanceof BigInt64Array || arr instanceof BigUint64Array)) {
    const out = customerArray(Float64Array, n);
    out.set(arr as unknown as ArrayLike<number>);
    for (let i = 0; i < n; i++) if (!Number.isFinite(out[i]!)) checkCell(arr[i], path, i);
    return out;
  }
  let numbers = true;
  let categorical = false;
  let missing = false;
  let dates: CellValue[] | undefined;
  for (let i = 0; i < n; i++) {
    let v: unknown = arr[i];
    if (typeof v === 'object' && v !== null) {
      // Dates (a CSV reader's parse of 2024-03-01) become ISO text, which filters compare in date order.
      if (!(v instanceof Date)) checkCell(v, path, i);
      v = (dates ??= Array.from(arr, (x) => x ?? null))[i] = isoText(v as Date, `${path}[${i}]`);
    }
    const t = typeof v;
    if (t === 'number') {
      if (!Number.isFinite(v)) checkCell(v, path, i);
      continue;
    }
    numbers = false;
    if (t === 'string' || t === 'boolean') categorical = true;
    else if (v === undefined) missing = true;
    else if (v !== null) checkCell(v, path, i);
  }
  if (numbers) {
    const out = customerArray(Float64Array, n);
    for (let i = 0; i < n; i++) out[i] = arr[i] as number;
    return out;
  }
  // The cells as they are kept: dates as text, a missing cell (undefined, a hole) as null.
  const cells: readonly CellValue[] =
    dates ?? (missing || !Array.isArray(arr) ? Array.from(arr, (v) => v ?? null) : (arr as CellValue[]));
  return (categorical ? dictionaryOf(cells, MAX_CATEGORIES) : null) ?? (cells === arr ? cells.slice() : cells);
}

// A cell of an attribute: a string, finite number, boolean or null (undefined reads as null); `path[i]` in the error.
function checkCell(v: unknown, path: string, i?: number): CellValue {
  const t = typeof v;
  if (v != null && t !== 'string' && t !== 'boolean' && !(t === 'number' && Number.isFinite(v))) {
    throw new InvalidInputError(
      i === undefined ? path : `${path}[${i}]`,
      'must be a string, finite number, boolean or null',
      v,
    );
  }
  return (v ?? null) as CellValue;
}

// A dictionary passed in (another model's column, a Parquet file's text): each value checked, the codes
// copied onto memory the library owns.
function copyDictionary<T extends CellValue>(
  col: DictionaryColumn<T>,
  path: string,
  n: number,
  check: (v: unknown, path: string) => void,
): DictionaryColumn<T> {
  requireColumn(col.codes, path, n);
  col.values.forEach((v, j) => check(v, `${path}.values[${j}]`));
  return new DictionaryColumn(copyCodes(col, path), col.values);
}

// A dictionary's codes copied, each checked against its values.
function copyCodes(col: DictionaryColumn, path: string): DictionaryColumn['codes'] {
  const src = col.codes;
  const codes =
    src instanceof Uint8Array
      ? customerArray(Uint8Array, src.length)
      : src instanceof Uint16Array
        ? customerArray(Uint16Array, src.length)
        : customerArray(Int32Array, src.length);
  codes.set(src);
  const count = col.values.length;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (!(c >= 0 && c < count)) {
      throw new InvalidInputError(`${path}.codes[${i}]`, `code ${c} has no value (${count} values)`, c);
    }
  }
  return codes;
}

// `2024-03-01` for a date at midnight UTC (how CSV readers parse a plain date), the full ISO text otherwise.
function isoText(d: Date, path: string): string {
  if (Number.isNaN(d.getTime())) throw new InvalidInputError(path, 'invalid date', d);
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** The most customers one model holds (typed arrays of n × K pairs must stay addressable). */
const MAX_ROWS = 200_000_000;

function requireColumn<T>(col: ArrayLike<T> | undefined, path: string, n?: number): ArrayLike<T> {
  if (col == null || typeof (col as ArrayLike<T>).length !== 'number' || typeof col === 'string') {
    throw new InvalidInputError(path, 'missing column (expected an array)', col);
  }
  // An array-like's length is user data too: a negative, fractional or absurd one is not a column.
  const length = col.length;
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_ROWS) {
    throw new InvalidInputError(
      path,
      `length must be a whole number of rows from 0 to ${MAX_ROWS.toLocaleString('en-US')} (got ${String(length)})`,
      length,
    );
  }
  if (n !== undefined && col.length !== n) {
    throw new InvalidInputError(path, `has ${col.length} rows but id has ${n}`);
  }
  return col;
}

function numericColumn(
  col: ArrayLike<number> | undefined,
  path: string,
  n: number,
  lo: number,
  hi: number,
): Float64Array {
  const src = requireColumn(col, path, n);
  const out = customerArray(Float64Array, n);
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(`${path}[${i}]`, 'must be a finite number', v);
    }
    if (v < lo || v > hi) {
      throw new InvalidInputError(
        `${path}[${i}]`,
        hi === Infinity ? `must be ≥ ${lo} (got ${v})` : `must be in [${lo}, ${hi}] (got ${v})`,
        v,
      );
    }
    out[i] = v;
  }
  return out;
}

// Rows [first, again] of the earliest repeated id, or null. Numeric ids: a typed sort, not a
// 10,000,000-entry hash map (hundreds of MB at that size).
function firstDuplicateNumber(ids: number[]): [number, number] | null {
  // Ids in increasing order (a database's export, the sample's) repeat nothing: no sort needed.
  let increasing = true;
  for (let i = 1; i < ids.length && increasing; i++) increasing = ids[i]! > ids[i - 1]!;
  if (increasing) return null;
  const sorted = Float64Array.from(ids).sort();
  let repeated = false;
  for (let r = 1; r < sorted.length && !repeated; r++) repeated = sorted[r] === sorted[r - 1];
  // Only when there is a repeat: find the earliest one in data order.
  return repeated ? firstDuplicateText(ids) : null;
}

// Ids 42 and "42" are the same customer once written to CSV, so text ids are compared as text.
function firstDuplicateText(ids: (string | number)[]): [number, number] | null {
  const seen = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) {
    const key = String(ids[i]);
    const first = seen.get(key);
    if (first !== undefined) return [first, i];
    seen.set(key, i);
  }
  return null;
}

/** Columns a fairness floor can group by: the segment, if any, and every attribute. */
export function groupableColumns(data: CustomerData): string[] {
  return (data.segment ? ['segment'] : []).concat(Object.keys(data.attributes));
}
