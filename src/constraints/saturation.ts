import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { capCount, checkAmount, checkFraction, limitNote } from './limits.js';
import type { ConstraintPlugin, RowSpec } from './plugin.js';

/**
 * Options of {@link saturation}. Fractions are of all customers.
 *
 * @example
 * ```ts
 * const oneAction: SaturationOptions = { action: 'discount', maxCount: 500 };
 * ```
 */
export interface SaturationOptions {
  /** The action to cap; omitted: every action gets the same cap. */
  action?: string;
  /** At most this fraction of all customers may get the action. */
  max?: number;
  /** Cap as a count. */
  maxCount?: number;
  /** Constraint name, unique in the model (default derived from the type and arguments). */
  name?: string;
}

/**
 * Keeps any one action from being used on too many customers.
 *
 * @example
 * ```ts
 * model.use(saturation({ max: 0.5 }));                       // no action on more than half the base
 * model.use(saturation({ action: 'discount', maxCount: 40 }));
 * ```
 */
export function saturation(options: SaturationOptions): ConstraintPlugin {
  if (options != null && typeof options === 'object')
    checkKeys(options, ['name', 'action', 'max', 'maxCount'], 'saturation');
  const action = options?.action;
  const name = options?.name ?? (action ? `saturation:${action}` : 'saturation');
  const at = `constraints.${name}`;
  const cap = {
    fraction: checkFraction(options?.max, `${at}.max`),
    count: checkAmount(options?.maxCount, `${at}.maxCount`),
  };
  if (cap.fraction === undefined && cap.count === undefined) throw new InvalidInputError(at, 'needs max or maxCount');
  return {
    type: 'saturation',
    name,
    compile(ctx) {
      const rhs = capCount(cap, ctx.customers.size)!;
      const note = limitNote(cap, ctx.customers.size, 'max');
      const from = note ? { limitFrom: note } : {};
      // Customers given catalog action b: alone, or in a bundle.
      const unit = (b: number) => ctx.actions.map((_, k) => (ctx.members(k).includes(b) ? 1 : 0));
      if (action !== undefined) {
        const k = ctx.actionIndex(action, `${at}.action`);
        return { rows: [{ name, sense: '<=', rhs, actionCoef: unit(k), ...from }] };
      }
      const rows: RowSpec[] = ctx.catalog.map((a, k) => ({
        name: `${name}[${a.id}]`,
        sense: '<=',
        rhs,
        actionCoef: unit(k),
        ...from,
      }));
      return { rows };
    },
    toJSON: () => ({
      type: 'saturation',
      ...(options.name ? { name } : {}),
      ...(action !== undefined ? { action } : {}),
      ...(cap.fraction !== undefined ? { max: cap.fraction } : {}),
      ...(cap.count !== undefined ? { maxCount: cap.count } : {}),
    }),
  };
}
