import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { checkFilterDepth, filterToJSON, type Filter } from '../data/filter.js';
import { capCount, checkAmount, checkFraction, countMask, floorCount, limitNote } from './limits.js';
import type { ConstraintPlugin, RowSpec } from './plugin.js';

/**
 * Options of {@link coverage}. Fractions are of the customers matching `where`.
 *
 * @example
 * ```ts
 * const highRisk: CoverageOptions = { name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 };
 * ```
 */
export interface CoverageOptions {
  /** The customers the rule is about. */
  where: Filter;
  /** Floor: treat at least this fraction of them. */
  min?: number;
  /** Floor as a count. */
  minCount?: number;
  /** Quota: treat at most this fraction of them. */
  max?: number;
  /** Quota as a count. */
  maxCount?: number;
  /** Constraint name, unique in the model (default derived from the type and arguments). */
  name?: string;
}

/**
 * A floor and/or a quota on how many customers of a set are treated.
 *
 * @example
 * ```ts
 * model.use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 }));
 * model.use(coverage({ name: 'students', where: (c) => c.segment === 'Student', maxCount: 500 }));
 * ```
 */
export function coverage(options: CoverageOptions): ConstraintPlugin {
  if (options != null && typeof options === 'object')
    checkKeys(options, ['name', 'where', 'min', 'minCount', 'max', 'maxCount'], 'coverage');
  // Before anything walks the filter (its default name is its JSON text).
  checkFilterDepth(options?.where, 'coverage.where');
  if (options?.where == null) throw new InvalidInputError('coverage.where', 'is required');
  const name =
    options.name ?? (typeof options.where === 'function' ? 'coverage' : `coverage:${JSON.stringify(options.where)}`);
  const at = `constraints.${name}`;
  const floor = {
    fraction: checkFraction(options.min, `${at}.min`),
    count: checkAmount(options.minCount, `${at}.minCount`),
  };
  const cap = {
    fraction: checkFraction(options.max, `${at}.max`),
    count: checkAmount(options.maxCount, `${at}.maxCount`),
  };
  if (
    floor.fraction === undefined &&
    floor.count === undefined &&
    cap.fraction === undefined &&
    cap.count === undefined
  ) {
    throw new InvalidInputError(at, 'needs at least one of min, minCount, max, maxCount');
  }
  const where = options.where;
  return {
    type: 'coverage',
    name,
    compile(ctx) {
      const mask = ctx.filter(where, `${at}.where`);
      const size = countMask(mask);
      const lo = floorCount(floor, size);
      const hi = capCount(cap, size);
      const ones = ctx.actions.map(() => 1);
      const both = lo !== undefined && hi !== undefined;
      const rows: RowSpec[] = [];
      const from = (limit: typeof floor, sense: 'min' | 'max') => {
        const note = limitNote(limit, size, sense);
        return note ? { limitFrom: note } : {};
      };
      if (lo !== undefined)
        rows.push({
          name: both ? `${name}:min` : name,
          sense: '>=',
          rhs: lo,
          actionCoef: ones,
          customerCoef: mask,
          ...from(floor, 'min'),
        });
      if (hi !== undefined)
        rows.push({
          name: both ? `${name}:max` : name,
          sense: '<=',
          rhs: hi,
          actionCoef: ones,
          customerCoef: mask,
          ...from(cap, 'max'),
        });
      return { rows };
    },
    toJSON: () => ({
      type: 'coverage',
      ...(options.name ? { name } : {}),
      where: filterToJSON(where, `coverage "${name}"`),
      ...pick(options, ['min', 'minCount', 'max', 'maxCount']),
    }),
  };
}

function pick<T extends object>(o: T, keys: (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
