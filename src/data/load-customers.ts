import { idIndex, type IdIndex } from './id-index.js';
import { table, type ColumnTable } from 'arquero';
import { InvalidInputError } from '../errors.js';
import type { ColumnMapping } from './customer-source.js';
import { readTable, type TableSource } from './read-table.js';
import { computeValue, type CustomerValue } from './value-rule.js';

/**
 * Options of {@link loadCustomers}.
 *
 * @example
 * ```ts
 * const opts: LoadCustomersOptions = { predictions: 'prediction.csv', features: 'test.csv', on: 'customer_id' };
 * ```
 */
export interface LoadCustomersOptions {
  /** The churn model's output: customer id and churn probability. */
  predictions: TableSource;
  /** Customer features (segment, fee, attributes …), joined on `on`. */
  features?: TableSource;
  /** Id column, the same name in both (default `customer_id`). */
  on?: string;
  /** Column overrides; defaults are looked up by common names. */
  columns?: {
    /** Column of churn probabilities. */
    churnProbability?: string;
    /** Column of customer values (a value rule given without it replaces any). */
    value?: string;
    /** Column of segments. */
    segment?: string;
  };
  /**
   * How to compute customer value when the files carry none, or to replace
   * the one they carry: fee × months, a declarative formula, an arquero
   * expression or a function of the joined row (see {@link CustomerValue}).
   * The rule is stated in `warnings`.
   */
  value?: CustomerValue;
}

/**
 * Customers read from files, ready for `model.customers(loaded)`: the joined
 * table, which of its columns hold the core fields, and what the loader
 * noticed but did not treat as an error (unmatched ids, a computed value).
 *
 * @example
 * ```ts
 * const loaded = await loadCustomers({ predictions: 'prediction.csv', features: 'test.csv' });
 * loaded.warnings.forEach((w) => console.warn(w));
 * const model = RetentionModel.create().actions(defaultCatalog()).customers(loaded);
 * ```
 */
export interface LoadedCustomers {
  /** The joined table (predictions and features), with a computed value column when one was computed. */
  table: ColumnTable;
  /** Which columns hold the core fields. */
  mapping: ColumnMapping;
  /** What the loader noticed: ids found in one file only, how value was computed. */
  warnings: string[];
}

const PROBABILITY = ['churn_probability', 'churnProbability', 'probability', 'churn_prob', 'prediction'];
const VALUE = ['clv', 'CLV', 'value', 'customer_value', 'lifetime_value'];
const SEGMENT = ['subscription_type', 'segment', 'plan', 'subscription'];

/**
 * Loads a churn model's predictions and customer features (CSV, JSON or
 * Arrow files, CSV text, or arquero tables), joins them on the customer id and
 * checks them. Errors name the file, column, row and value: duplicate ids,
 * missing or non-numeric probabilities, probabilities outside [0, 1], missing
 * columns. Ids read as numbers in one file and as strings in the other still
 * join (both are compared as text). Ids present in only one file are dropped
 * and reported in `warnings` with counts and examples.
 *
 * @example
 * ```ts
 * const loaded = await loadCustomers({ predictions: 'prediction.csv', features: 'test.csv', on: 'customer_id' });
 * ```
 */
export async function loadCustomers(options: LoadCustomersOptions): Promise<LoadedCustomers> {
  const on = options.on ?? 'customer_id';
  const warnings: string[] = [];
  // Ids are labels: read as text, byte for byte (00123 stays 00123, 19-digit keys keep every digit).
  const predictions = await readTable(options.predictions, 'predictions', { text: [on] });
  requireColumn(predictions, on, 'predictions');
  uniqueIds(predictions, on, 'predictions');

  let joined = predictions;
  if (options.features !== undefined) {
    const features = await readTable(options.features, 'features', { text: [on] });
    requireColumn(features, on, 'features');
    joined = join(predictions, features, uniqueIds(features, on, 'features'), on, warnings);
  }
  const names = joined.columnNames();
  const pick = (given: string | undefined, fallbacks: string[], field: string, required: boolean) => {
    if (given !== undefined) {
      if (!names.includes(given))
        throw new InvalidInputError(
          `columns.${field}`,
          `column "${given}" not found (have: ${names.join(', ')})`,
          given,
        );
      return given;
    }
    const found = fallbacks.find((c) => names.includes(c));
    if (!found && required) {
      throw new InvalidInputError(
        `columns.${field}`,
        `no ${field} column: looked for ${fallbacks.join(', ')} (have: ${names.join(', ')})`,
      );
    }
    return found;
  };
  const churnProbability = pick(options.columns?.churnProbability, PROBABILITY, 'churnProbability', true)!;
  joined = joined.assign({ [churnProbability]: checkProbabilities(joined, churnProbability, on) });
  const segment = pick(options.columns?.segment, SEGMENT, 'segment', false);
  // A rule given (and no value column named) replaces a value column the files may have.
  let value =
    options.value !== undefined && options.columns?.value === undefined
      ? undefined
      : pick(options.columns?.value, VALUE, 'value', false);
  if (!value) {
    if (options.value === undefined && !names.includes('monthly_fee')) {
      throw new InvalidInputError(
        'columns.value',
        `no customer value column (looked for ${VALUE.join(', ')}) and no "monthly_fee" column to compute one from; ` +
          'name a value column with columns.value, or give value: a fee rule { monthlyFee, months }, a formula { base, multipliers, engagement, scale }, { expression } or a function of the row',
      );
    }
    const computed = computeValue(joined, options.value ?? {}, on);
    const replaced = VALUE.find((c) => names.includes(c));
    value = names.includes('clv') ? 'value_by_rule' : 'clv';
    joined = joined.assign({ [value]: computed.values });
    warnings.push(
      `${computed.description} (column "${value}")${replaced ? `; the files' "${replaced}" column is not used` : ' (no value column)'}; pass value: { … } or columns.value to change this`,
    );
    warnings.push(...computed.warnings);
  }
  return { table: joined, mapping: { id: on, churnProbability, value, ...(segment ? { segment } : {}) }, warnings };
}

/** True for the result of {@link loadCustomers}. */
export function isLoadedCustomers(x: unknown): x is LoadedCustomers {
  return x != null && typeof x === 'object' && 'table' in x && 'mapping' in x && 'warnings' in x;
}

function requireColumn(t: ColumnTable, name: string, what: string): void {
  if (!t.columnNames().includes(name)) {
    throw new InvalidInputError(
      `${what}.${name}`,
      `id column "${name}" not found (have: ${t.columnNames().join(', ')}); set on: '<column>'`,
      name,
    );
  }
}

// The index of a table's ids (compared as text), built once for the uniqueness check and the join: for
// whole-number ids in a compact range a typed array, milliseconds where a Set of a million strings takes
// most of a second. Duplicates are an error; the scan that names them runs only then.
function uniqueIds(t: ColumnTable, on: string, what: string): IdIndex {
  const ids = t.array(on) as ArrayLike<unknown>;
  const index = idIndex(labels(ids) ? ids : Array.from(ids, String));
  if (index.duplicates) throwDuplicates(ids, on, what);
  return index;
}

function throwDuplicates(ids: ArrayLike<unknown>, on: string, what: string): never {
  const seen = new Set<string>();
  const dupes: string[] = [];
  let count = 0;
  for (let r = 0; r < ids.length; r++) {
    const key = String(ids[r]);
    if (seen.has(key)) {
      count++;
      if (dupes.length < 5) dupes.push(`${key} (row ${r + 1})`);
    }
    seen.add(key);
  }
  // The index found a duplicate (ids compared as text, as here): count ≥ 1.
  throw new InvalidInputError(
    `${what}.${on}`,
    `${count} duplicate id${count > 1 ? 's' : ''}: ${dupes.join(', ')}${count > 5 ? ', …' : ''}`,
    dupes[0],
  );
}

// True when every id is a string or a number (what the id index takes as it is).
function labels(ids: ArrayLike<unknown>): ids is readonly (string | number)[] {
  for (let r = 0; r < ids.length; r++) if (typeof ids[r] !== 'string' && typeof ids[r] !== 'number') return false;
  return true;
}

// Inner join on ids compared as text, so 42 and "42" meet; the joined table keeps the predictions' id values.
function join(
  predictions: ColumnTable,
  features: ColumnTable,
  index: IdIndex,
  on: string,
  warnings: string[],
): ColumnTable {
  const fIds = features.array(on) as ArrayLike<unknown>;
  const pIds = predictions.array(on) as ArrayLike<unknown>;
  const pRows: number[] = [];
  const fRows: number[] = [];
  const onlyPredictions: string[] = [];
  const matched = new Uint8Array(fIds.length);
  for (let r = 0; r < pIds.length; r++) {
    const id = pIds[r];
    const f = index.find(typeof id === 'number' || typeof id === 'string' ? id : String(id));
    if (f < 0) {
      onlyPredictions.push(String(pIds[r]));
      continue;
    }
    pRows.push(r);
    fRows.push(f);
    matched[f] = 1;
  }
  const onlyFeatures: string[] = [];
  for (let r = 0; r < fIds.length; r++) if (!matched[r]) onlyFeatures.push(String(fIds[r]));
  const report = (ids: string[], where: string, other: string) => {
    if (ids.length)
      warnings.push(
        `${ids.length} id${ids.length > 1 ? 's' : ''} in ${where} but not in ${other}, left out (first: ${ids.slice(0, 5).join(', ')})`,
      );
  };
  report(onlyPredictions, 'predictions', 'features');
  report(onlyFeatures, 'features', 'predictions');
  if (pRows.length === 0) throw new InvalidInputError(on, `no customer id appears in both predictions and features`);
  const columns = Object.create(null) as Record<string, unknown[]>;
  const take = (t: ColumnTable, name: string, rows: number[]) => {
    const src = t.array(name) as ArrayLike<unknown>;
    return rows.map((r) => src[r]);
  };
  for (const name of predictions.columnNames()) columns[name] = take(predictions, name, pRows);
  for (const name of features.columnNames()) {
    if (name === on) continue;
    if (name in columns)
      throw new InvalidInputError(`features.${name}`, `column "${name}" is in both files; rename one`, name);
    columns[name] = take(features, name, fRows);
  }
  return table(columns);
}

// Returns the probabilities as numbers. One bad cell makes a CSV reader keep the whole column
// as text, so numeric text is accepted and the first cell that is not a number is the one named.
function checkProbabilities(t: ColumnTable, column: string, on: string): Float64Array {
  const p = t.array(column) as ArrayLike<unknown>;
  const ids = t.array(on) as ArrayLike<unknown>;
  const out = new Float64Array(p.length);
  for (let r = 0; r < p.length; r++) {
    const raw = p[r];
    // Named only when a cell is wrong (a string per row cost a quarter of a second a million).
    const where = () => `${column}[row ${r + 1}, ${on} ${String(ids[r])}]`;
    const text = typeof raw === 'string' ? raw.trim() : undefined;
    if (raw === null || raw === undefined || text === '' || (typeof raw === 'number' && Number.isNaN(raw))) {
      throw new InvalidInputError(where(), 'missing churn probability', raw);
    }
    const v = text !== undefined ? Number(text) : raw;
    if (typeof v !== 'number' || Number.isNaN(v))
      throw new InvalidInputError(where(), `not a number: ${JSON.stringify(raw)}`, raw);
    if (v < 0 || v > 1) throw new InvalidInputError(where(), `churn probability ${v} is outside [0, 1]`, raw);
    out[r] = v;
  }
  return out;
}
