import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fromCSV, loadArrow, loadCSV, loadJSON, type ColumnTable } from 'arquero';
import { InvalidInputError } from '../errors.js';
import { isTable } from './customer-source.js';

/**
 * Where a table comes from: a file path (`.csv`, `.tsv`, `.json`, `.arrow`),
 * CSV text (anything with a line break), or an arquero table.
 *
 * @example
 * ```ts
 * const a: TableSource = 'data/prediction.csv';
 * const b: TableSource = 'customer_id,churn_probability\n1,0.4\n';
 * ```
 */
export type TableSource = string | ColumnTable;

/**
 * Reads a table with arquero (type inference on: numbers come back as numbers).
 * `what` names the source in errors.
 *
 * @example
 * ```ts
 * const t = await readTable('prediction.csv', 'predictions');
 * ```
 */
export async function readTable(source: TableSource, what: string): Promise<ColumnTable> {
  if (isTable(source)) return source;
  if (typeof source !== 'string') throw new InvalidInputError(what, 'expected a file path, CSV text or an arquero table', source);
  if (source.includes('\n')) return fromCSV(source);
  if (!existsSync(source)) throw new InvalidInputError(what, `file not found: ${source}`, source);
  const ext = extname(source).toLowerCase();
  switch (ext) {
    case '.csv': return loadCSV(source);
    case '.tsv': return loadCSV(source, { delimiter: '\t' });
    case '.json': return loadJSON(source);
    case '.arrow': case '.feather': case '.ipc': return loadArrow(source);
    case '.parquet':
      throw new InvalidInputError(what, 'Parquet is not read directly; convert it to Arrow or CSV (for example with DuckDB or pyarrow)', source);
    default:
      throw new InvalidInputError(what, `unknown file type "${ext}" (use .csv, .tsv, .json or .arrow)`, source);
  }
}
