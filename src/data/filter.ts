import { InvalidInputError, SerializationError } from '../errors.js';
import type { CellValue, CustomerData } from './customers.js';
import { andPassing, cellAt, DictionaryColumn, encode, MAX_CATEGORIES, type AttributeColumn } from './categorical.js';
import { customerArray } from '../util/shared-memory.js';

/**
 * Comparison operators of the declarative filter form.
 *
 * @example
 * ```ts
 * const op: FilterOp = 'in'; // { segment: { in: ['Premium', 'Family'] } }
 * ```
 */
export type FilterOp = 'eq' | 'ne' | 'in' | 'nin' | 'gt' | 'gte' | 'lt' | 'lte';
const OPS: readonly FilterOp[] = ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte'];

/**
 * Conditions on one column; several ops in one object mean AND.
 *
 * @example
 * ```ts
 * const adult: ColumnCondition = { gte: 18, lt: 65 };
 * ```
 */
export type ColumnCondition = Partial<
  Record<'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte', CellValue> & Record<'in' | 'nin', CellValue[]>
>;

/**
 * The declarative filter of the model file: `{ column: { op: value } }`,
 * combined with `all`, `any`, `not`.
 *
 * @example
 * ```ts
 * const highRiskPremium: FilterSpec = { all: [{ churnProbability: { gt: 0.5 } }, { segment: { eq: 'Premium' } }] };
 * ```
 */
export type FilterSpec =
  | {
      /** Every filter holds. */
      all: FilterSpec[];
    }
  | {
      /** At least one filter holds. */
      any: FilterSpec[];
    }
  | {
      /** The filter does not hold. */
      not: FilterSpec;
    }
  | { [column: string]: ColumnCondition };

/**
 * One customer as a predicate sees it: the core fields and every attribute.
 *
 * @example
 * ```ts
 * const pred = (c: CustomerView) => c.churnProbability > 0.5 && c.region === 'EU';
 * ```
 */
export interface CustomerView {
  /** The customer's id. */
  id: string | number;
  /** Churn probability. */
  churnProbability: number;
  /** Customer value. */
  value: number;
  /** Segment, when the customers have one. */
  segment?: string;
  /** Any attribute column, by name. */
  [attribute: string]: CellValue | undefined;
}

/**
 * A filter written as code. It works in solves but has no JSON form.
 *
 * @example
 * ```ts
 * const eu: CustomerPredicate = (c) => c.region === 'EU' && c.churnProbability > 0.5;
 * ```
 */
export type CustomerPredicate = (customer: CustomerView) => boolean;

/**
 * Either form: the declarative spec (serializable) or a predicate (code only).
 *
 * @example
 * ```ts
 * const a: Filter = { segment: { in: ['Premium', 'Family'] } };
 * const b: Filter = (c) => c.value > 200;
 * ```
 */
export type Filter = FilterSpec | CustomerPredicate;

/**
 * Evaluates a filter over all customers; returns a 0/1 mask.
 * Throws {@link InvalidInputError} for an unknown column or op.
 *
 * @example
 * ```ts
 * const mask = evaluateFilter({ churnProbability: { gt: 0.5 } }, data, 'coverage.where');
 * ```
 */
export function evaluateFilter(filter: Filter, data: CustomerData, path: string): Uint8Array {
  if (typeof filter === 'function') return evaluatePredicate(filter, data, path);
  return evaluateSpec(filter, data, path);
}

/**
 * Returns the declarative form of a filter for a model file, or throws
 * {@link SerializationError} naming `owner` when the filter is a predicate.
 *
 * @example
 * ```ts
 * filterToJSON({ segment: { eq: 'Free' } }, 'coverage "free"'); // the same spec, deep-copied
 * ```
 */
export function filterToJSON(filter: Filter, owner: string): FilterSpec {
  if (typeof filter === 'function') {
    throw new SerializationError(
      owner,
      `${owner} uses a predicate filter, which has no JSON form; use the declarative { column: { op: value } } form to save the model`,
    );
  }
  return structuredClone(filter);
}

/**
 * Throws when a declarative filter nests deeper than {@link MAX_FILTER_DEPTH}
 * (checked without recursion, so that a filter nested 10,000 deep is an error
 * and not a stack overflow before anything else looks at it).
 */
export function checkFilterDepth(filter: unknown, path: string): void {
  const stack: [unknown, number][] = [[filter, 0]];
  while (stack.length) {
    const [f, depth] = stack.pop()!;
    if (f == null || typeof f !== 'object') continue;
    if (depth > MAX_FILTER_DEPTH) throw new InvalidInputError(path, `filters nest at most ${MAX_FILTER_DEPTH} deep`);
    for (const key of ['all', 'any', 'not']) {
      const v = (f as Record<string, unknown>)[key];
      if (Array.isArray(v)) for (const g of v) stack.push([g, depth + 1]);
      else if (key === 'not' && v !== undefined) stack.push([v, depth + 1]);
    }
  }
}

/** How deep `all` / `any` / `not` may nest in one filter. */
export const MAX_FILTER_DEPTH = 64;

/**
 * Checks a declarative filter's shape against the available columns without
 * evaluating it (used when a model is built, so errors surface early).
 *
 * @example
 * ```ts
 * validateFilter({ tenure: { gte: 12 } }, ['id', 'churnProbability', 'value', 'tenure'], 'eligible');
 * ```
 */
export function validateFilter(filter: Filter, columns: readonly string[], path: string, depth = 0): void {
  if (typeof filter === 'function') return;
  // Recursion on user input is bounded: a filter nested 10,000 deep overflowed the stack.
  if (depth > MAX_FILTER_DEPTH) throw new InvalidInputError(path, `filters nest at most ${MAX_FILTER_DEPTH} deep`);
  if (filter == null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new InvalidInputError(
      path,
      'a filter must be an object like { column: { op: value } } or a function',
      filter,
    );
  }
  const keys = Object.keys(filter);
  if (keys.length === 0) throw new InvalidInputError(path, 'empty filter');
  for (const key of keys) {
    const v = (filter as Record<string, unknown>)[key];
    if (key === 'all' || key === 'any') {
      if (!Array.isArray(v)) throw new InvalidInputError(`${path}.${key}`, 'must be an array of filters', v);
      v.forEach((f, j) => validateFilter(f as Filter, columns, `${path}.${key}[${j}]`, depth + 1));
    } else if (key === 'not') {
      validateFilter(v as Filter, columns, `${path}.not`, depth + 1);
    } else {
      if (!columns.includes(key)) {
        throw new InvalidInputError(`${path}.${key}`, `unknown column "${key}" (known: ${columns.join(', ')})`, key);
      }
      if (v == null || typeof v !== 'object' || Array.isArray(v)) {
        throw new InvalidInputError(`${path}.${key}`, 'must be an object like { eq: value }', v);
      }
      const ops = Object.keys(v);
      if (ops.length === 0) throw new InvalidInputError(`${path}.${key}`, 'no condition given');
      for (const op of ops) {
        if (!OPS.includes(op as FilterOp)) {
          throw new InvalidInputError(`${path}.${key}.${op}`, `unknown op "${op}" (known: ${OPS.join(', ')})`, op);
        }
        const arg = (v as Record<string, unknown>)[op];
        if ((op === 'in' || op === 'nin') && !Array.isArray(arg)) {
          throw new InvalidInputError(`${path}.${key}.${op}`, 'must be an array', arg);
        }
      }
    }
  }
}

/** Names usable in filters over `data`: the core fields present plus attributes. */
function filterColumns(data: CustomerData): string[] {
  const cols = ['id', 'churnProbability', 'value'];
  if (data.segment) cols.push('segment');
  return cols.concat(Object.keys(data.attributes));
}

function column(data: CustomerData, name: string): AttributeColumn {
  switch (name) {
    case 'id':
      return data.id;
    case 'churnProbability':
      return data.churnProbability;
    case 'value':
      return data.value;
    case 'segment':
      return data.segment!;
    default:
      return data.attributes[name]!;
  }
}

function evaluateSpec(spec: FilterSpec, data: CustomerData, path: string): Uint8Array {
  validateFilterOn(spec, data, path);
  return evalNode(spec, data);
}

/**
 * Validates a declarative filter against customers: known columns and ops
 * ({@link validateFilter}), and values of the column's own type in `eq`,
 * `ne`, `in` and `nin` (an exclusion `{ id: { in: [42] } }` on text ids would
 * match nobody: a do-not-contact list that does nothing).
 */
export function validateFilterOn(spec: Filter, data: CustomerData, path: string): void {
  validateFilter(spec, filterColumns(data), path);
  if (typeof spec !== 'function') checkValueTypes(spec, data, path);
}

function checkValueTypes(spec: FilterSpec, data: CustomerData, path: string): void {
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'all' || key === 'any')
      (v as FilterSpec[]).forEach((f, j) => checkValueTypes(f, data, `${path}.${key}[${j}]`));
    else if (key === 'not') checkValueTypes(v as FilterSpec, data, `${path}.not`);
    else {
      const kind = kindOf(column(data, key));
      if (kind === 'mixed') continue;
      for (const [op, arg] of Object.entries(v as ColumnCondition)) {
        if (op !== 'eq' && op !== 'ne' && op !== 'in' && op !== 'nin') continue;
        for (const x of Array.isArray(arg) ? arg : [arg]) {
          if (x === null || typeof x === kind) continue;
          const word = kind === 'string' ? 'text' : kind === 'number' ? 'numbers' : 'true/false';
          const fix = kind === 'string' ? ` (write ${JSON.stringify(String(x))})` : '';
          throw new InvalidInputError(
            `${path}.${key}.${op}`,
            `column "${key}" holds ${word}; ${JSON.stringify(x)} is a ${typeof x}, so it would match nobody${fix}`,
            x,
          );
        }
      }
    }
  }
}

/**
 * Values a declarative filter compares a text or true/false column with
 * (`eq`, `in`) that no customer has: a catalog's `eligible_segment` of
 * `high_value` read as a segment, say, which makes the action eligible for
 * nobody. One message per value, naming the path and the column's values.
 * Predicates are not looked into.
 *
 * @example
 * ```ts
 * unmatchedValues({ segment: { in: ['Premium', 'high_value'] } }, data, 'actions[5].eligible');
 * // ['actions[5].eligible.segment.in[1]: "high_value" matches no customer (segment values: Free, Premium, Family, Student)']
 * ```
 */
export function unmatchedValues(spec: Filter, data: CustomerData, path: string): string[] {
  if (typeof spec === 'function') return [];
  const out: string[] = [];
  for (const [key, v] of Object.entries(spec)) {
    if (key === 'all' || key === 'any')
      (v as FilterSpec[]).forEach((f, j) => out.push(...unmatchedValues(f, data, `${path}.${key}[${j}]`)));
    else if (key === 'not') out.push(...unmatchedValues(v as FilterSpec, data, `${path}.not`));
    else {
      const col = column(data, key);
      const kind = kindOf(col);
      if (kind !== 'string' && kind !== 'boolean') continue;
      const known = encode(col as CellValue[]).values;
      const has = new Set(known);
      for (const [op, arg] of Object.entries(v as ColumnCondition)) {
        if (op !== 'eq' && op !== 'in') continue;
        (Array.isArray(arg) ? arg : [arg]).forEach((x, j) => {
          if (x === null || has.has(x)) return;
          const listed =
            known.slice(0, 12).map(String).join(', ') + (known.length > 12 ? `, … (${known.length} in all)` : '');
          out.push(
            `${path}.${key}.${op}${Array.isArray(arg) ? `[${j}]` : ''}: ${JSON.stringify(x)} matches no customer (${key} values: ${listed})`,
          );
        });
      }
    }
  }
  return out;
}

const kinds = new WeakMap<object, string>();

// The one type of a column's non-null values ('string', 'number', 'boolean'), or 'mixed'.
function kindOf(col: AttributeColumn): string {
  if (col instanceof Float64Array) return 'number';
  // A dictionary's kind is its values' kind: a handful of cells, not one per customer.
  const cells: readonly CellValue[] = col instanceof DictionaryColumn ? col.values : col;
  let kind = kinds.get(cells);
  if (kind === undefined) {
    for (let i = 0; i < cells.length && kind !== 'mixed'; i++) {
      const v = cells[i]!;
      if (v === null) continue;
      kind = kind === undefined || kind === typeof v ? typeof v : 'mixed';
    }
    kind ??= 'mixed';
    kinds.set(cells, kind);
  }
  return kind;
}

function evalNode(spec: FilterSpec, data: CustomerData): Uint8Array {
  const n = data.size;
  const entries = Object.entries(spec);
  // One condition (the usual case): its mask is the answer, no second array to AND into.
  if (entries.length === 1 && !['all', 'any', 'not'].includes(entries[0]![0])) {
    return evalCondition(column(data, entries[0]![0]), entries[0]![1] as ColumnCondition, n);
  }
  const out = customerArray(Uint8Array, n).fill(1);
  for (const [key, v] of entries) {
    let part: Uint8Array;
    if (key === 'all') {
      part = new Uint8Array(n).fill(1);
      for (const f of v as FilterSpec[]) and(part, evalNode(f, data));
    } else if (key === 'any') {
      part = new Uint8Array(n);
      for (const f of v as FilterSpec[]) {
        const m = evalNode(f, data);
        for (let i = 0; i < n; i++) part[i] = part[i]! | m[i]!;
      }
    } else if (key === 'not') {
      part = evalNode(v as FilterSpec, data);
      for (let i = 0; i < n; i++) part[i] = 1 - part[i]!;
    } else {
      part = evalCondition(column(data, key), v as ColumnCondition, n);
    }
    and(out, part);
  }
  return out;
}

function and(into: Uint8Array, m: Uint8Array): void {
  for (let i = 0; i < into.length; i++) into[i] = into[i]! & m[i]!;
}

function evalCondition(col: AttributeColumn, cond: ColumnCondition, n: number): Uint8Array {
  const out = customerArray(Uint8Array, n).fill(1);
  for (const [op, arg] of Object.entries(cond)) {
    const test = compare(op as FilterOp, arg as CellValue | CellValue[]);
    // Categorical columns: decide once per distinct value, then per row by code.
    const encoded =
      col instanceof DictionaryColumn
        ? col
        : Array.isArray(col) && (op === 'eq' || op === 'ne' || op === 'in' || op === 'nin')
          ? encode(col as CellValue[], MAX_CATEGORIES)
          : null;
    if (encoded) {
      andPassing(
        encoded.codes,
        Uint8Array.from(encoded.values, (v) => (test(v) ? 1 : 0)),
        out,
      );
      continue;
    }
    const cells = col as Float64Array | readonly CellValue[];
    for (let i = 0; i < n; i++) if (out[i] && !test(cells[i]!)) out[i] = 0;
  }
  return out;
}

function compare(op: FilterOp, arg: CellValue | CellValue[]): (x: CellValue) => boolean {
  switch (op) {
    case 'eq':
      return (x) => x === arg;
    case 'ne':
      return (x) => x !== arg;
    case 'in': {
      const s = new Set(arg as CellValue[]);
      return (x) => s.has(x);
    }
    case 'nin': {
      const s = new Set(arg as CellValue[]);
      return (x) => !s.has(x);
    }
    // Ordered comparisons never match null, so a missing value is not "less than 5".
    case 'gt':
      return (x) => x !== null && arg !== null && x > (arg as CellValue & {});
    case 'gte':
      return (x) => x !== null && arg !== null && x >= (arg as CellValue & {});
    case 'lt':
      return (x) => x !== null && arg !== null && x < (arg as CellValue & {});
    case 'lte':
      return (x) => x !== null && arg !== null && x <= (arg as CellValue & {});
  }
}

function evaluatePredicate(pred: CustomerPredicate, data: CustomerData, path: string): Uint8Array {
  const n = data.size;
  const out = customerArray(Uint8Array, n);
  const attrs = Object.entries(data.attributes);
  for (let i = 0; i < n; i++) {
    const view: CustomerView = { id: data.id[i]!, churnProbability: data.churnProbability[i]!, value: data.value[i]! };
    if (data.segment) view.segment = cellAt(data.segment, i) as string;
    for (const [name, col] of attrs) view[name] = cellAt(col, i);
    let r: unknown;
    try {
      r = pred(Object.freeze(view));
    } catch (e) {
      throw new InvalidInputError(
        `${path}`,
        `predicate threw for customer ${JSON.stringify(view.id)} (row ${i}): ${(e as Error).message}`,
      );
    }
    out[i] = r ? 1 : 0;
  }
  return out;
}
