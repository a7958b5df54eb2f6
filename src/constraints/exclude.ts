import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { checkFilterDepth, filterToJSON, type Filter } from '../data/filter.js';
import type { ConstraintPlugin } from './plugin.js';

/**
 * Options of {@link exclude}.
 *
 * @example
 * ```ts
 * const optedOut: ExcludeOptions = { name: 'do-not-contact', where: { do_not_contact: { eq: true } } };
 * ```
 */
export interface ExcludeOptions {
  /** Customers matching this get no action (do-not-contact lists, legal holds). */
  where: Filter;
  /** Constraint name, unique in the model (default derived from the type and arguments). */
  name?: string;
}

/**
 * Removes customers from every action.
 *
 * @example
 * ```ts
 * model.use(exclude({ where: { doNotContact: { eq: true } } }));
 * ```
 */
export function exclude(options: ExcludeOptions): ConstraintPlugin {
  if (options != null && typeof options === 'object') checkKeys(options, ['name', 'where'], 'exclude');
  // Before anything walks the filter (its default name is its JSON text).
  checkFilterDepth(options?.where, 'exclude.where');
  if (options?.where == null) throw new InvalidInputError('exclude.where', 'is required');
  const name =
    options.name ?? (typeof options.where === 'function' ? 'exclude' : `exclude:${JSON.stringify(options.where)}`);
  const where = options.where;
  return {
    type: 'exclude',
    name,
    compile: (ctx) => ({ exclude: ctx.filter(where, `constraints.${name}.where`) }),
    toJSON: () => ({
      type: 'exclude',
      ...(options.name ? { name } : {}),
      where: filterToJSON(where, `exclude "${name}"`),
    }),
  };
}
