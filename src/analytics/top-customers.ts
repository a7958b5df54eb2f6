import { desc, table, type ColumnTable } from 'arquero';
import type { Plan } from '../plan/plan.js';
import { columnsOf } from '../util/columns.js';
import { treatedRows } from './plan-rows.js';

/**
 * The `n` treated customers with the highest net expected value.
 *
 * @example
 * ```ts
 * topCustomers(plan, 10).print();
 * ```
 */
export function topCustomers(plan: Plan, n = 20): ColumnTable {
  const rows = treatedRows(plan);
  return table(columnsOf(rows, ['customer', 'action', 'actionName', 'segment', 'churnProbability', 'value', 'expectedValue', 'holdout']))
    .orderby(desc('expectedValue'))
    .slice(0, n);
}
