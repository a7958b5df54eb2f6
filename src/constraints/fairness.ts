import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { groupableColumns, type AttributeColumn } from '../data/customers.js';
import { encode } from '../data/categorical.js';
import { checkAmount, checkFraction, floorCount, limitNote } from './limits.js';
import type { ConstraintPlugin, RowSpec } from './plugin.js';
import { customerArray } from '../util/shared-memory.js';

/**
 * Options of {@link fairness}.
 *
 * @example
 * ```ts
 * const everySegment: FairnessOptions = { by: 'segment', min: 0.15 };
 * ```
 */
export interface FairnessOptions {
  /** The column whose every value gets a floor: `segment`, `region`, … */
  by: string;
  /** Treat at least this fraction of each group. */
  min?: number;
  /** Floor as a count per group. */
  minCount?: number;
  /** Constraint name, unique in the model (default derived from the type and arguments). */
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
  if (options != null && typeof options === 'object') checkKeys(options, ['name', 'by', 'min', 'minCount'], 'fairness');
  const by = options?.by;
  if (typeof by !== 'string' || by === '') throw new InvalidInputError('fairness.by', 'must be a column name', by);
  const name = options.name ?? `fairness:${by}`;
  const at = `constraints.${name}`;
  const floor = {
    fraction: checkFraction(options.min, `${at}.min`),
    count: checkAmount(options.minCount, `${at}.minCount`),
  };
  if (floor.fraction === undefined && floor.count === undefined)
    throw new InvalidInputError(at, 'needs min or minCount');
  return {
    type: 'fairness',
    name,
    compile(ctx) {
      const data = ctx.customers;
      const col: AttributeColumn | undefined =
        by === 'segment'
          ? data.segment
          : by === 'id' || !Object.hasOwn(data.attributes, by)
            ? undefined
            : data.attributes[by];
      if (!col) {
        const known = groupableColumns(data);
        throw new InvalidInputError(
          `${at}.by`,
          `unknown column "${by}" (groupable columns: ${known.join(', ') || 'none'})`,
          by,
        );
      }
      const { codes, values } = encode(col);
      // One pass over the codes for every group's mask and size (a pass per group was O(groups × n)).
      const masks = values.map(() => customerArray(Uint8Array, col.length));
      const sizes = new Float64Array(values.length);
      for (let i = 0; i < codes.length; i++) {
        masks[codes[i]!]![i] = 1;
        sizes[codes[i]!]!++;
      }
      const ones = ctx.actions.map(() => 1);
      const rows: RowSpec[] = [];
      // Sorted so the row order (and with it the plan) does not depend on data order.
      const order = [...values.keys()].sort((a, b) => String(values[a]).localeCompare(String(values[b])));
      for (const g of order) {
        const note = limitNote(floor, sizes[g]!, 'min');
        rows.push({
          name: `${name}=${String(values[g])}`,
          sense: '>=',
          rhs: floorCount(floor, sizes[g]!)!,
          actionCoef: ones,
          customerCoef: masks[g]!,
          ...(note ? { limitFrom: note } : {}),
        });
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
