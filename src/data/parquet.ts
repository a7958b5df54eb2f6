// Parquet in and out with hyparquet (pure JavaScript: the same code in Node and in a browser). Reading
// goes column chunk by column chunk (hyparquet's onChunk) straight into one array per column: no row
// object is built, a numeric column without nulls becomes a Float64Array, and a text or true/false
// column with up to 4,096 values a DictionaryColumn; arquero keeps both without copying and the
// model reads them as they are.
import { table, type ColumnTable } from 'arquero';
import { parquetMetadataAsync, parquetRead, type AsyncBuffer } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { InvalidInputError } from '../errors.js';
import { ColumnAssembler } from './parquet-column.js';

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
  const columns = new Map(leaves.map((el) => [el.name, new ColumnAssembler(n, text.includes(el.name))]));
  try {
    // A row group at a time, each chunk copied as it comes: what hyparquet decoded is garbage before
    // the next group is read (one call for the whole file holds every decoded page to the end).
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      await parquetRead({
        file,
        metadata,
        rowStart,
        rowEnd,
        onChunk: (c) => columns.get(c.columnName)?.add(c.rowStart, c.columnData),
      });
      rowStart = rowEnd;
    }
  } catch (e) {
    throw new InvalidInputError(
      what,
      `${label} is not a readable Parquet file: ${(e as Error)?.message ?? String(e)}`,
      label,
    );
  }
  // arquero reads a column through at(), which a DictionaryColumn has.
  return table(
    Object.fromEntries([...columns].map(([name, c]) => [name, c.finish()])) as Record<string, ArrayLike<unknown>>,
  );
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
