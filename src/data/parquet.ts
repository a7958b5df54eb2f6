// Parquet in and out with hyparquet (pure JavaScript: the same code in Node and in a browser). Reading
// goes column chunk by column chunk (hyparquet's onChunk) straight into one array per column: no row
// object is built, and a numeric column without nulls becomes a Float64Array, which arquero keeps
// without copying and the model reads as is.
import { table, type ColumnTable } from 'arquero';
import { parquetMetadataAsync, parquetRead, type AsyncBuffer, type DecodedArray } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { InvalidInputError } from '../errors.js';

/** Parquet files start and end with these four bytes. */
export function isParquet(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31;
}

/**
 * Reads a Parquet file (bytes, or a file read in ranges) into an arquero
 * table, column by column. Columns named in `text` are read as text (ids);
 * a 64-bit integer beyond 2^53 is kept as its digits (text), never rounded.
 */
export async function readParquet(
  file: AsyncBuffer,
  what: string,
  label: string,
  text: readonly string[] = [],
): Promise<ColumnTable> {
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new InvalidInputError(
      what,
      `${label} is not a readable Parquet file: ${(e as Error)?.message ?? String(e)}`,
      label,
    );
  }
  const n = Number(metadata.num_rows);
  const leaves = metadata.schema.slice(1);
  for (const el of leaves) {
    if (el.num_children) {
      throw new InvalidInputError(
        `${what}.${el.name}`,
        `${label}: column "${el.name}" is nested (a struct or a list); give flat columns`,
        el.name,
      );
    }
  }
  const chunks = new Map<string, { start: number; data: DecodedArray }[]>();
  try {
    await parquetRead({
      file,
      metadata,
      onChunk: (c) => {
        let list = chunks.get(c.columnName);
        if (!list) chunks.set(c.columnName, (list = []));
        list.push({ start: c.rowStart, data: c.columnData });
      },
    });
  } catch (e) {
    throw new InvalidInputError(
      what,
      `${label} is not a readable Parquet file: ${(e as Error)?.message ?? String(e)}`,
      label,
    );
  }
  const columns: Record<string, ArrayLike<unknown>> = {};
  for (const el of leaves) columns[el.name] = assemble(chunks.get(el.name) ?? [], n, text.includes(el.name));
  return table(columns);
}

// One column from its chunks: a Float64Array when every value is a number (no null), else an Array.
// A 64-bit integer column with a value beyond 2^53 is read as text, all of it (one type per column).
function assemble(list: { start: number; data: DecodedArray }[], n: number, text: boolean): ArrayLike<unknown> {
  let asText = text;
  for (const { data } of list) if (!fitsNumbers(data)) asText = true;
  let numeric = !asText;
  for (const { data } of list) {
    if (!numeric) break;
    if (!ArrayBuffer.isView(data)) for (const v of data as unknown[]) if (typeof v !== 'number') numeric = false;
  }
  if (numeric) {
    const out = new Float64Array(n);
    for (const { start, data } of list) {
      const end = Math.min(n, start + data.length);
      for (let i = start, j = 0; i < end; i++, j++) out[i] = Number((data as ArrayLike<number | bigint>)[j]);
    }
    return out;
  }
  const out = new Array<unknown>(n).fill(null);
  for (const { start, data } of list) {
    const end = Math.min(n, start + data.length);
    for (let i = start, j = 0; i < end; i++, j++) out[i] = cell((data as ArrayLike<unknown>)[j], asText);
  }
  return out;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
function fitsNumbers(data: DecodedArray): boolean {
  if (ArrayBuffer.isView(data) && !(data instanceof BigInt64Array || data instanceof BigUint64Array)) return true;
  for (const v of data as ArrayLike<unknown> & Iterable<unknown>)
    if (typeof v === 'bigint' && (v > SAFE || v < -SAFE)) return false;
  return true;
}

function cell(v: unknown, asText: boolean): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v <= SAFE && v >= -SAFE && !asText ? Number(v) : v.toString();
  if (asText && typeof v !== 'string') return v instanceof Date ? v.toISOString() : String(v);
  return v;
}

type Kind = 'int' | 'double' | 'bool' | 'text';

// The type that holds values of both kinds: whole and fractional numbers are doubles; anything else mixed is text.
function widest(a: Kind | undefined, b: Kind): Kind {
  if (a === undefined || a === b) return b;
  const numbers = (k: Kind) => k === 'int' || k === 'double';
  return numbers(a) && numbers(b) ? 'double' : 'text';
}

/**
 * An arquero table as Parquet bytes: numbers as DOUBLE (whole numbers that
 * fit as INT32 as INT32), booleans as BOOLEAN, the rest as text; a column
 * with nulls is nullable.
 */
export function parquetBytes(t: ColumnTable): Uint8Array {
  const columnData = t.columnNames().map((name) => {
    const values = t.array(name) as ArrayLike<unknown>;
    let kind: Kind | undefined;
    let nulls = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        nulls = true;
        continue;
      }
      const k =
        typeof v === 'number'
          ? Number.isInteger(v) && Math.abs(v) < 2 ** 31
            ? 'int'
            : 'double'
          : typeof v === 'boolean'
            ? 'bool'
            : 'text';
      kind = widest(kind, k);
    }
    kind ??= 'text';
    const data =
      kind === 'text'
        ? Array.from(values, (v) => (v === null || v === undefined ? null : String(v)))
        : kind === 'int' && !nulls
          ? Int32Array.from(values as ArrayLike<number>)
          : kind === 'double' && !nulls
            ? Float64Array.from(values as ArrayLike<number>)
            : Array.from(values);
    const type = kind === 'text' ? 'STRING' : kind === 'int' ? 'INT32' : kind === 'double' ? 'DOUBLE' : 'BOOLEAN';
    return { name, data, type, nullable: nulls } as const;
  });
  return new Uint8Array(parquetWriteBuffer({ columnData: columnData as never }));
}
