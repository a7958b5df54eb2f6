import { desc } from 'arquero';
import type { Plan } from '../plan/plan.js';
import { columnsOf, tableOf, type TableOf } from '../util/columns.js';
import { treatedRows, type TreatedCustomer } from './plan-rows.js';

/**
 * A row of {@link topCustomers}.
 *
 * @example
 * ```ts
 * const best: TopCustomerRow = topCustomers(plan, 1).objects()[0]!;
 * ```
 */
export type TopCustomerRow = Pick<
  TreatedCustomer,
  'customer' | 'action' | 'actionName' | 'segment' | 'churnProbability' | 'value' | 'expectedValue' | 'holdout'
>;

/**
 * The `n` treated customers with the highest net expected value.
 *
 * @example
 * ```ts
 * topCustomers(plan, 10).print();
 * ```
 */
export function topCustomers(plan: Plan, n = 20): TableOf<TopCustomerRow> {
  const rows = treatedRows(plan);
  return tableOf<TopCustomerRow>(
    columnsOf(rows, [
      'customer',
      'action',
      'actionName',
      'segment',
      'churnProbability',
      'value',
      'expectedValue',
      'holdout',
    ]),
  )
    .orderby(desc('expectedValue'))
    .slice(0, n) as TableOf<TopCustomerRow>;
}
