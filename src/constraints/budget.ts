import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { checkAmount } from './limits.js';
import { pairTerms } from '../data/pair-terms.js';
import type { ConstraintPlugin } from './plugin.js';

/**
 * Options of {@link budget}.
 *
 * @example
 * ```ts
 * const options: BudgetOptions = { max: 20_000 };
 * ```
 */
export interface BudgetOptions {
  /** Most that may be spent on actions: Σ cost[i,k]·x[i,k] ≤ max (an action's cost, plus its per-customer part when it has one). */
  max: number;
  /** Constraint name, unique in the model (default derived from the type and arguments). */
  name?: string;
}

/**
 * Caps total spend. Usually set through `model.budget(150)`.
 *
 * @example
 * ```ts
 * model.use(budget({ max: 150 }));
 * ```
 */
export function budget(options: BudgetOptions): ConstraintPlugin {
  if (options != null && typeof options === 'object') checkKeys(options, ['name', 'max'], 'budget');
  const max = checkAmount(options?.max, 'budget.max');
  if (max === undefined) throw new InvalidInputError('budget.max', 'is required');
  const name = options.name ?? 'budget';
  return {
    type: 'budget',
    name,
    compile(ctx) {
      // Costs that vary by customer (a share of each customer's fee) join the row as per-customer columns.
      const { costColumns } = pairTerms(ctx.actions, ctx.customers);
      const pairCoef = costColumns.some(Boolean) ? { pairCoef: costColumns } : {};
      return { rows: [{ name, sense: '<=', rhs: max, actionCoef: ctx.actions.map((a) => a.cost), ...pairCoef }] };
    },
    toJSON: () => ({ type: 'budget', ...(options.name ? { name } : {}), max }),
  };
}
