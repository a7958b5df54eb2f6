import { InvalidInputError } from '../errors.js';
import type { CellValue } from '../data/customers.js';
import { checkAmount, checkFraction, floorCount } from './limits.js';
import type { ConstraintPlugin, RowSpec } from './plugin.js';

/** Options of {@link fairness}. */
export interface FairnessOptions {
  /** The column whose every value gets a floor: `segment`, `region`, … */
  by: string;
  /** Treat at least this fraction of each group. */
  min?: number;
  /** Floor as a count per group. */
  minCount?: number;
  name?: string;
}

/**
 * A treatment floor for every value of a column, so no group is left out.
 * One row per group, named `fairness:<column>=<value>`.
 *
 * @example
 * ```ts
 * model.use(fairness({ by: 'segment', min: 0.15 }));
 * ```
 */
export function fairness(options: FairnessOptions): ConstraintPlugin {
  const by = options?.by;
  if (typeof by !== 'string' || by === '') throw new InvalidInputError('fairness.by', 'must be a column name', by);
  const name = options.name ?? `fairness:${by}`;
  const at = `constraints.${name}`;
  const floor = { fraction: checkFraction(options.min, `${at}.min`), count: checkAmount(options.minCount, `${at}.minCount`) };
  if (floor.fraction === undefined && floor.count === undefined) throw new InvalidInputError(at, 'needs min or minCount');
  return {
    type: 'fairness',
    name,
    compile(ctx) {
      const data = ctx.customers;
      const col: readonly CellValue[] | undefined =
        by === 'segment' ? data.segment : by === 'id' ? undefined : data.attributes[by];
      if (!col) {
        const known = (data.segment ? ['segment'] : []).concat(Object.keys(data.attributes));
        throw new InvalidInputError(`${at}.by`, `unknown column "${by}" (groupable columns: ${known.join(', ') || 'none'})`, by);
      }
      const groups = new Map<CellValue, Uint8Array>();
      for (let i = 0; i < col.length; i++) {
        let m = groups.get(col[i]!);
        if (!m) groups.set(col[i]!, (m = new Uint8Array(col.length)));
        m[i] = 1;
      }
      const ones = ctx.actions.map(() => 1);
      const rows: RowSpec[] = [];
      // Sorted so the row order (and with it the plan) does not depend on data order.
      for (const g of [...groups.keys()].sort((a, b) => String(a).localeCompare(String(b)))) {
        const mask = groups.get(g)!;
        let size = 0;
        for (let i = 0; i < mask.length; i++) size += mask[i]!;
        rows.push({ name: `${name}=${String(g)}`, sense: '>=', rhs: floorCount(floor, size)!, actionCoef: ones, customerCoef: mask });
      }
      return { rows };
    },
    toJSON: () => ({
      type: 'fairness',
      ...(options.name ? { name } : {}),
      by,
      ...(floor.fraction !== undefined ? { min: floor.fraction } : {}),
      ...(floor.count !== undefined ? { minCount: floor.count } : {}),
    }),
  };
}
