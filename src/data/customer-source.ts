import type { ColumnTable } from 'arquero';
import { InvalidInputError } from '../errors.js';
import {
  customersFromColumns,
  DictionaryColumn,
  type CellValue,
  type CustomerColumns,
  type CustomerData,
} from './customers.js';

/**
 * Which source columns hold the core customer fields. Each field falls back to
 * common names (`id`/`customer_id`, `churnProbability`/`churn_probability`,
 * `value`/`clv`, `segment`/`subscription_type`) when not given.
 * `attributes` lists the columns to keep for filters (default: all others).
 *
 * @example
 * ```ts
 * const mapping: ColumnMapping = { id: 'customer_id', churnProbability: 'churn_probability', value: 'clv', segment: 'subscription_type' };
 * ```
 */
export interface ColumnMapping {
  /** Column of customer ids (default: id, customer_id or customerId). */
  id?: string;
  /** Column of churn probabilities (default: churnProbability, churn_probability or probability). */
  churnProbability?: string;
  /** Column of customer values (default: value, clv or CLV). */
  value?: string;
  /** Column of segments (default: segment, subscription_type or subscriptionType), optional. */
  segment?: string;
  /** Columns kept for filters and fairness (default: every other column). */
  attributes?: readonly string[];
}

/**
 * Anything {@link RetentionModel.customers} accepts: an arquero table or plain columns.
 *
 * @example
 * ```ts
 * const source: CustomerSource = aq.table({ customer_id: [1, 2], churn_probability: [0.3, 0.8], clv: [120, 400] });
 * ```
 */
export type CustomerSource = ColumnTable | CustomerColumns;

const FALLBACKS: Record<'id' | 'churnProbability' | 'value' | 'segment', string[]> = {
  id: ['id', 'customer_id', 'customerId'],
  churnProbability: ['churnProbability', 'churn_probability', 'probability'],
  value: ['value', 'clv', 'CLV'],
  segment: ['segment', 'subscription_type', 'subscriptionType'],
};

/** True when `x` looks like an arquero table (duck-typed, so any arquero copy works). */
export function isTable(x: unknown): x is ColumnTable {
  return (
    x != null && typeof (x as ColumnTable).columnNames === 'function' && typeof (x as ColumnTable).array === 'function'
  );
}

/**
 * Reads customers from an arquero table (or plain columns) into validated
 * {@link CustomerData}, mapping source columns to the core fields.
 *
 * @example
 * ```ts
 * import * as aq from 'arquero';
 * const t = aq.table({ customer_id: [1, 2], churn_probability: [0.3, 0.8], clv: [120, 400] });
 * const data = readCustomers(t); // uses the fallback names
 * ```
 */
export function readCustomers(source: CustomerSource, mapping: ColumnMapping = {}): CustomerData {
  if (!isTable(source)) {
    if (Object.keys(mapping).length > 0) {
      throw new InvalidInputError(
        'customers',
        'a column mapping applies to arquero tables; pass plain columns by their core names',
      );
    }
    return customersFromColumns(source);
  }
  const names = source.columnNames();
  const pick = (field: keyof typeof FALLBACKS, required: boolean): string | undefined => {
    const given = mapping[field];
    if (given !== undefined) {
      if (!names.includes(given)) {
        throw new InvalidInputError(
          `customers.${field}`,
          `column "${given}" not found (table has: ${names.join(', ')})`,
          given,
        );
      }
      return given;
    }
    const found = FALLBACKS[field].find((c) => names.includes(c));
    if (!found && required) {
      throw new InvalidInputError(
        `customers.${field}`,
        `no column mapped and none of ${FALLBACKS[field].join(', ')} found (table has: ${names.join(', ')})`,
      );
    }
    return found;
  };
  const idCol = pick('id', true)!;
  const pCol = pick('churnProbability', true)!;
  const vCol = pick('value', true)!;
  const sCol = pick('segment', false);
  const used = new Set([idCol, pCol, vCol, sCol]);
  const attrNames = mapping.attributes ?? names.filter((c) => !used.has(c));
  // Validation copies every column anyway: read the table's own arrays where they are plain arrays
  // (unfiltered, unordered tables), rather than have arquero copy them first (at 10,000,000 rows,
  // hundreds of MB of garbage). A dictionary column (a Parquet file's text) is taken as it is where a
  // dictionary may go (segment, attributes): the model copies its codes.
  const own = (name: string): unknown => (source.isFiltered() || source.isOrdered() ? undefined : source.column(name));
  const read = (name: string): ArrayLike<unknown> => {
    const col = own(name);
    return Array.isArray(col) || (ArrayBuffer.isView(col) && !(col instanceof DataView))
      ? (col as ArrayLike<unknown>)
      : source.array(name);
  };
  const readCells = (name: string): ArrayLike<CellValue> | DictionaryColumn => {
    const col = own(name);
    return col instanceof DictionaryColumn ? col : (read(name) as ArrayLike<CellValue>);
  };
  const attributes = Object.create(null) as Record<string, ArrayLike<CellValue> | DictionaryColumn>;
  for (const a of attrNames) {
    if (!names.includes(a)) throw new InvalidInputError(`customers.attributes`, `column "${a}" not found`, a);
    attributes[a] = readCells(a);
  }
  return customersFromColumns({
    id: read(idCol) as ArrayLike<string | number>,
    churnProbability: read(pCol) as ArrayLike<number>,
    value: read(vCol) as ArrayLike<number>,
    segment: sCol ? (readCells(sCol) as ArrayLike<string> | DictionaryColumn<string>) : undefined,
    attributes,
  });
}
