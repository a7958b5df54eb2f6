import { fileExists, fileRanges, paths, readText } from '../util/files.js';
import { isParquet, readParquet } from './parquet.js';
import { fromCSV, loadArrow, loadCSV, loadJSON, type ColumnTable } from 'arquero';
import { InvalidInputError } from '../errors.js';
import { isTable } from './customer-source.js';

/**
 * Where a table comes from: a file path (`.csv`, `.tsv`, `.json`, `.arrow`,
 * `.parquet`), CSV text (anything with a line break), the bytes of a Parquet
 * file (in a browser: a fetched or dropped file's `arrayBuffer()`), or an
 * arquero table.
 *
 * @example
 * ```ts
 * const a: TableSource = 'data/prediction.csv';
 * const b: TableSource = 'customer_id,churn_probability\n1,0.4\n';
 * const c: TableSource = new Uint8Array(await (await fetch('customers.parquet')).arrayBuffer());
 * ```
 */
export type TableSource = string | ColumnTable | Uint8Array | ArrayBuffer;

/**
 * Options of {@link readTable}.
 *
 * @example
 * ```ts
 * await readTable('prediction.csv', 'predictions', { text: ['customer_id'] });
 * ```
 */
export interface ReadTableOptions {
  /**
   * Columns read as text, byte for byte, from CSV and TSV (ids: `00123` stays
   * `00123`, a 19-digit key keeps every digit). Other columns are typed by
   * inference (numbers come back as numbers).
   */
  text?: readonly string[];
}

/**
 * Reads a table with arquero. CSV and TSV are checked first: a byte-order mark
 * is dropped, blank lines at the end are not rows, and an empty file or a row
 * with more or fewer cells than the header is an `InvalidInputError` naming
 * the file and the row. A file arquero cannot parse (garbled JSON or Arrow) is
 * an `InvalidInputError` naming the file. Parquet (a `.parquet` path, read in
 * byte ranges, or the bytes) is read column chunk by column chunk into one
 * array per column, no row objects (numbers without nulls as `Float64Array`).
 * `what` names the source in errors.
 *
 * @example
 * ```ts
 * const t = await readTable('prediction.csv', 'predictions', { text: ['customer_id'] });
 * ```
 */
export async function readTable(
  source: TableSource,
  what: string,
  options: ReadTableOptions = {},
): Promise<ColumnTable> {
  if (isTable(source)) return source;
  const text = options.text ?? [];
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    if (!isParquet(bytes))
      throw new InvalidInputError(
        what,
        'bytes that are not a Parquet file (they do not start with PAR1)',
        bytes.length,
      );
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return readParquet(buffer, what, 'the Parquet bytes', text);
  }
  if (typeof source !== 'string')
    throw new InvalidInputError(what, 'expected a file path, CSV text, Parquet bytes or an arquero table', source);
  if (source.includes('\n')) return parseDelimited(source, what, 'the CSV text', ',', text);
  if (!fileExists(source)) throw new InvalidInputError(what, `file not found: ${source}`, source);
  const ext = paths.extname(source).toLowerCase();
  switch (ext) {
    case '.csv':
      return parseFile(source, what, ',', text);
    case '.tsv':
      return parseFile(source, what, '\t', text);
    case '.json':
      return readable(what, source, 'JSON', () => loadJSON(source));
    case '.arrow':
    case '.feather':
    case '.ipc':
      return readable(what, source, 'Arrow', () => loadArrow(source));
    case '.parquet':
      return readParquet(await fileRanges(source), what, source, text);
    default:
      throw new InvalidInputError(
        what,
        `unknown file type "${ext}" (use .csv, .tsv, .json, .arrow or .parquet)`,
        source,
      );
  }
}

// A file is checked from its text; when the text needs no mending (no BOM, no blank lines at the end)
// arquero's own streaming reader parses it (measured with `npm run bench:load`: 0.34 s against 0.39 s
// when the whole text went to fromCSV; the previous release, which did not check, 0.28 s).
async function parseFile(file: string, what: string, delimiter: string, text: readonly string[]): Promise<ColumnTable> {
  const raw = await readText(file);
  const body = mended(raw);
  checkBody(body, delimiter, what, file);
  if (body.length !== raw.length) return parseText(body, what, file, delimiter, text);
  return readable(what, file, 'CSV', () => loadCSV(file, { delimiter, parse: parseMap(text) }));
}

// What arquero cannot parse is an InvalidInputError naming the file, not a raw parser error.
async function readable<T>(what: string, file: string, kind: string, parse: () => T | Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (e) {
    throw new InvalidInputError(
      what,
      `${file} is not a readable ${kind} table: ${(e as Error)?.message ?? String(e)}`,
      file,
    );
  }
}

// A byte-order mark would become part of the first column's name; blank lines at the end are not rows.
function mended(raw: string): string {
  return (raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).replace(/(\r?\n[ \t]*)+$/, '\n');
}

function checkBody(body: string, delimiter: string, what: string, file: string): void {
  if (body.trim() === '') throw new InvalidInputError(what, `${file} is empty: no header and no rows`, file);
  checkCells(body, delimiter, what, file);
}

// No prototype: arquero looks every column name up in `parse`, and a column named "toString" would
// otherwise be parsed by Object.prototype.toString.
function parseMap(text: readonly string[]): Record<string, (v: string) => unknown> {
  return Object.assign(
    Object.create(null) as Record<string, (v: string) => unknown>,
    Object.fromEntries(text.map((c) => [c, String])),
  );
}

function parseDelimited(
  raw: string,
  what: string,
  file: string,
  delimiter: string,
  text: readonly string[],
): Promise<ColumnTable> {
  const body = mended(raw);
  checkBody(body, delimiter, what, file);
  return parseText(body, what, file, delimiter, text);
}

function parseText(
  body: string,
  what: string,
  file: string,
  delimiter: string,
  text: readonly string[],
): Promise<ColumnTable> {
  return readable(what, file, 'CSV', () => fromCSV(body, { delimiter, parse: parseMap(text) }));
}

// Every record has as many cells as the header (quoted cells may hold delimiters and line breaks).
function checkCells(body: string, delimiter: string, what: string, file: string): void {
  const d = delimiter.charCodeAt(0);
  let header = -1;
  let cells = 1;
  let record = 0;
  let quoted = false;
  let empty = true;
  for (let at = 0; at < body.length; at++) {
    const ch = body.charCodeAt(at);
    if (quoted) {
      if (ch === 34) {
        if (body.charCodeAt(at + 1) === 34) at++;
        else quoted = false;
      }
      continue;
    }
    if (ch === 34) {
      quoted = true;
      empty = false;
    } else if (ch === d) {
      cells++;
      empty = false;
    } else if (ch === 10) {
      const blank = empty && cells === 1;
      if (record === 0) header = cells;
      else if (!blank && cells !== header) {
        throw new InvalidInputError(
          `${what}[row ${record}]`,
          `${file}: row ${record} has ${cells} cells, the header has ${header}`,
          cells,
        );
      }
      record++;
      cells = 1;
      empty = true;
    } else if (ch !== 13) empty = false;
  }
  if (!empty || cells > 1) {
    if (record === 0) return;
    if (cells !== header)
      throw new InvalidInputError(
        `${what}[row ${record}]`,
        `${file}: row ${record} has ${cells} cells, the header has ${header}`,
        cells,
      );
  }
}
