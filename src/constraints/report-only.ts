import { InvalidInputError } from '../errors.js';
import type { ConstraintPlugin } from './plugin.js';

/**
 * Measures a constraint without enforcing it: its rows are reported with
 * each plan (`plan.measured`: the plan's use, and for a row the plan breaks,
 * the shadow price it would have and what enforcing it would cost, from a
 * second solve with it enforced); a policy's exclusions are counted in
 * `plan.heldBack` (marked not enforced) but hold nobody back.
 *
 * @example
 * ```ts
 * const plan = await model.use(reportOnly(capacity({ channel: 'call', max: 40 }))).solve();
 * plan.measured[0]; // { name: 'capacity:call', lhs: 52, rhs: 40, wouldBePrice: 31.5, costToEnforce: 380.2, … }
 * ```
 */
export function reportOnly(plugin: ConstraintPlugin): ConstraintPlugin {
  if (plugin == null || typeof plugin.compile !== 'function')
    throw new InvalidInputError('reportOnly', 'expected a ConstraintPlugin ({ type, name, compile })', plugin);
  if (plugin.reportOnly) return plugin;
  return {
    type: plugin.type,
    name: plugin.name,
    reportOnly: true,
    compile: (ctx) => plugin.compile(ctx),
    ...(plugin.toJSON ? { toJSON: () => ({ ...plugin.toJSON!(), reportOnly: true }) } : {}),
  };
}
