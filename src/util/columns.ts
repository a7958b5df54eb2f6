import { table, type ColumnTable } from 'arquero';

/**
 * An arquero table whose rows have a known shape: `objects()` and `object()`
 * return `Row`s, so `constraintReport(plan).objects()[0].shadowPrice` type-checks.
 * Everything else is the arquero table (verbs return plain `ColumnTable`s).
 *
 * @example
 * ```ts
 * const rows: ByActionRow[] = byAction(plan).objects();
 * ```
 */
export interface TableOf<Row extends object> extends ColumnTable {
  /** The rows as objects, one property per column. */
  objects(options?: Parameters<ColumnTable['objects']>[0]): Row[];
  /** Row `row` (default 0) as an object. */
  object(row?: number): Row;
}

/**
 * Columns of a table of `Row`s: exactly the row's keys, each an array of that key's values.
 *
 * @example
 * ```ts
 * const columns: ColumnsOf<{ id: string; n: number }> = { id: ['a', 'b'], n: [1, 2] };
 * ```
 */
export type ColumnsOf<Row extends object> = { [K in keyof Row]-?: ArrayLike<Row[K]> };

/**
 * An arquero table typed by its row: the columns must be exactly `Row`'s
 * keys with values of their types, so the type cannot drift from the table.
 */
export function tableOf<Row extends object>(columns: ColumnsOf<Row>): TableOf<Row> {
  return table(columns as unknown as Record<string, ArrayLike<unknown>>) as TableOf<Row>;
}

/** Rows of objects → columns for {@link tableOf}, in the order of `keys`. */
export function columnsOf<T extends object, K extends keyof T>(
  rows: readonly T[],
  keys: readonly K[],
): { [P in K]: T[P][] } {
  return Object.fromEntries(keys.map((k) => [k, rows.map((r) => r[k])])) as { [P in K]: T[P][] };
}
