// One Parquet column assembled chunk by chunk as the file is read, into the form the model keeps
// (data/categorical.ts): numbers without nulls as a Float64Array, text and true/false with up to
// 4,096 values as a DictionaryColumn, anything else as an array. Each chunk is copied as it arrives
// and then dropped, so the decoded pages die young: at 10,000,000 rows, holding every chunk until
// the end kept about 1 GB alive and made most of the read's time garbage collection.
//
// The form is a guess from the first chunk, revised when a later one does not fit: a value that is
// not a number ends the Float64Array, a value beyond 4,096 distinct ends the dictionary; both become
// an array holding what was written so far. A 64-bit integer beyond 2^53 makes the whole column
// text at the end (its digits, never rounded; the numbers read before it are whole and safe, so
// their text is the same digits).
import type { DecodedArray } from 'hyparquet';
import { DictionaryBuilder, MAX_CATEGORIES, type CellValue, type DictionaryColumn } from './categorical.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Receives a column's chunks in any order, then gives the column. */
export class ColumnAssembler {
  readonly #n: number;
  readonly #text: boolean;
  #numbers: Float64Array | null = null;
  #dictionary: DictionaryBuilder<CellValue> | null = null;
  #categorical = false;
  #cells: unknown[] | null = null;
  #unsafe = false;
  // Rows written so far, as [start, end) ranges: what a change of form copies, and what was never written.
  readonly #ranges: [number, number][] = [];

  /** A column of `n` rows; `text`: read every value as text (ids). */
  constructor(n: number, text: boolean) {
    this.#n = n;
    this.#text = text;
  }

  /** Rows `start…` hold `data`. */
  add(start: number, data: DecodedArray): void {
    const length = Math.max(0, Math.min(this.#n - start, data.length));
    if (length === 0) return;
    if (!this.#numbers && !this.#dictionary && !this.#cells) this.#choose(data);
    if (this.#numbers && !this.#addNumbers(start, data, length)) this.#toCells();
    if (this.#dictionary && !this.#addCategories(start, data, length)) this.#toCells();
    if (this.#cells) this.#addCells(start, data, length);
    this.#ranges.push([start, start + length]);
  }

  /** The column: a Float64Array, a DictionaryColumn or an array (null where no chunk wrote). */
  finish(): Float64Array | DictionaryColumn | unknown[] {
    const written = this.#ranges.reduce((sum, [a, b]) => sum + b - a, 0);
    if (written < this.#n || this.#unsafe || (this.#dictionary && !this.#categorical)) this.#toCells();
    if (this.#numbers) return this.#numbers;
    if (this.#dictionary) return this.#dictionary.finish();
    const cells = this.#cells ?? new Array<unknown>(this.#n).fill(null);
    if (this.#unsafe && !this.#text) for (let i = 0; i < cells.length; i++) cells[i] = cell(cells[i], true);
    return cells;
  }

  // The first chunk's first value decides the first form to try.
  #choose(data: DecodedArray): void {
    const first = (data as ArrayLike<unknown>)[0];
    if (this.#text) this.#cells = new Array<unknown>(this.#n).fill(null);
    else if (ArrayBuffer.isView(data) || typeof first === 'number' || typeof first === 'bigint')
      this.#numbers = new Float64Array(this.#n);
    else if (typeof first === 'string' || typeof first === 'boolean')
      this.#dictionary = new DictionaryBuilder(this.#n, MAX_CATEGORIES);
    else this.#cells = new Array<unknown>(this.#n).fill(null);
  }

  // Copies numbers in (typed chunks natively); false at the first value that is not one.
  #addNumbers(start: number, data: DecodedArray, length: number): boolean {
    const out = this.#numbers!;
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      for (let j = 0; j < length; j++) {
        const v = data[j]!;
        if (v > SAFE || v < -SAFE) return false;
        out[start + j] = Number(v);
      }
    } else if (ArrayBuffer.isView(data)) out.set((data as Float64Array).subarray(0, length), start);
    else {
      const cells = data as ArrayLike<unknown>;
      for (let j = 0; j < length; j++) {
        const v = cells[j];
        if (typeof v === 'number') out[start + j] = v;
        // A nullable 64-bit column comes as an array of bigints (nulls among them).
        else if (typeof v === 'bigint' && v <= SAFE && v >= -SAFE) out[start + j] = Number(v);
        else return false;
      }
    }
    return true;
  }

  // Codes for text and flags; false at a value beyond MAX_CATEGORIES or one that is not a cell.
  #addCategories(start: number, data: DecodedArray, length: number): boolean {
    const builder = this.#dictionary!;
    const cells = data as ArrayLike<unknown>;
    for (let j = 0; j < length; j++) {
      const raw = cells[j];
      const t = typeof raw;
      if (t === 'string' || t === 'boolean') this.#categorical = true;
      else if (!(raw == null || t === 'number')) return false;
      if (!builder.set(start + j, (raw ?? null) as CellValue)) return false;
    }
    return true;
  }

  #addCells(start: number, data: DecodedArray, length: number): void {
    const out = this.#cells!;
    const cells = data as ArrayLike<unknown>;
    for (let j = 0; j < length; j++) {
      const v = cells[j];
      if (typeof v === 'bigint' && (v > SAFE || v < -SAFE)) this.#unsafe = true;
      out[start + j] = typeof v === 'string' ? v : cell(v, this.#text);
    }
  }

  // Another form for what does not fit: an array holding the rows written so far.
  #toCells(): void {
    if (this.#cells) return;
    const out = new Array<unknown>(this.#n).fill(null);
    const numbers = this.#numbers;
    const dictionary = this.#dictionary?.finish();
    for (const [a, b] of this.#ranges)
      for (let i = a; i < b; i++) out[i] = numbers ? numbers[i] : dictionary!.values[dictionary!.codes[i]!];
    this.#numbers = null;
    this.#dictionary = null;
    this.#cells = out;
  }
}

function cell(v: unknown, asText: boolean): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v <= SAFE && v >= -SAFE && !asText ? Number(v) : v.toString();
  if (asText && typeof v !== 'string') return v instanceof Date ? v.toISOString() : String(v);
  return v;
}
