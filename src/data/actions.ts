import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { checkFilterDepth, type Filter } from './filter.js';

/**
 * One retention action of the catalog, as the caller writes it.
 *
 * @example
 * ```ts
 * const discount: ActionSpec = {
 *   id: 'discount', name: '20% Discount', channel: 'email', cost: 20, uplift: 0.15,
 *   upliftBySegment: { Premium: 0.18 }, eligible: { segment: { in: ['Premium', 'Family'] } },
 * };
 * ```
 */
export interface ActionSpec {
  /** Unique id. */
  id: string;
  /** Human-readable name (defaults to the id). */
  name?: string;
  /** Delivery channel, the unit of capacity constraints (`email`, `call`, `push`, …). */
  channel: string;
  /** Cost per customer treated, finite and ≥ 0. */
  cost: number;
  /** Share of the customer's churn risk the action removes, in [0, 1]: expected value kept = p·uplift·value. */
  uplift: number;
  /** Per-segment overrides of `uplift`. */
  upliftBySegment?: Record<string, number>;
  /** Which customers may receive it (default: everyone). */
  eligible?: Filter;
  /**
   * A customer column holding this action's uplift for each customer (an
   * uplift model's treatment effect, in [0, 1]); replaces `uplift` and
   * `upliftBySegment` for the values (they stay the prior that calibration
   * reports against).
   */
  upliftColumn?: string;
  /**
   * Scales `upliftColumn` (capped at 1): what calibration learned of an
   * uplift model's figures, e.g. 0.8 when measured uplift ran at 80% of the
   * model's. By segment where the calibration was by segment.
   */
  upliftScale?: number;
  /** Per-segment overrides of `upliftScale`. */
  upliftScaleBySegment?: Record<string, number>;
  /**
   * A cost that varies by customer, added to `cost`: `share × column[i]`
   * (share defaults to 1). A 20% discount on the monthly fee is
   * `{ column: 'monthly_fee', share: 0.2 }` with `cost: 0`.
   */
  costPerCustomer?: {
    /** The customer column (finite numbers ≥ 0). */
    column: string;
    /** Multiplies the column (default 1). */
    share?: number;
  };
}

/**
 * A validated, frozen action: `name` always present.
 *
 * @example
 * ```ts
 * const call: Action | undefined = model.catalog?.find((a) => a.id === 'call');
 * ```
 */
export interface Action extends Readonly<
  Omit<ActionSpec, 'upliftBySegment' | 'costPerCustomer' | 'upliftScaleBySegment'>
> {
  readonly name: string;
  /** Per-segment overrides of `upliftScale`. */
  readonly upliftScaleBySegment?: Readonly<Record<string, number>>;
  /** Per-segment overrides of `uplift`. */
  readonly upliftBySegment?: Readonly<Record<string, number>>;
  /** A cost per customer added to `cost`: `share × column[i]`. */
  readonly costPerCustomer?: Readonly<{
    /** The customer column. */
    column: string;
    /** Multiplies the column (default 1). */
    share?: number;
  }>;
  /**
   * Set on a bundle (several actions given to one customer together, see
   * `model.maxActionsPerCustomer`): the ids of its actions. Its `channel`
   * joins theirs (`email+call`), its cost is their sum, its uplift their
   * combined uplift.
   */
  readonly members?: readonly string[];
}

// The fields an action may have (anything else is a typo, reported with a suggestion).
const ACTION_KEYS = [
  'id',
  'name',
  'channel',
  'cost',
  'uplift',
  'upliftBySegment',
  'eligible',
  'upliftColumn',
  'upliftScale',
  'upliftScaleBySegment',
  'costPerCustomer',
];

/**
 * Validates an action catalog and returns frozen copies.
 * Throws {@link InvalidInputError} for an empty catalog, a duplicate id, a
 * negative or non-finite cost, or an uplift outside [0, 1].
 *
 * @example
 * ```ts
 * const catalog = validateActions([{ id: 'email', channel: 'email', cost: 2, uplift: 0.08 }]);
 * ```
 */
export function validateActions(specs: readonly ActionSpec[], path = 'actions'): readonly Action[] {
  if (!Array.isArray(specs)) throw new InvalidInputError(path, 'must be an array of actions', specs);
  if (specs.length === 0) throw new InvalidInputError(path, 'the action catalog is empty');
  const seen = new Set<string>();
  const out = specs.map((a, k): Action => {
    const at = `${path}[${k}]`;
    if (a == null || typeof a !== 'object') throw new InvalidInputError(at, 'must be an object', a);
    checkKeys(a, ACTION_KEYS, at);
    if (typeof a.id !== 'string' || a.id === '')
      throw new InvalidInputError(`${at}.id`, 'must be a non-empty string', a.id);
    if (seen.has(a.id)) throw new InvalidInputError(`${at}.id`, `duplicate action id "${a.id}"`, a.id);
    seen.add(a.id);
    if (typeof a.channel !== 'string' || a.channel === '') {
      throw new InvalidInputError(`${at}.channel`, 'must be a non-empty string', a.channel);
    }
    if (typeof a.cost !== 'number' || !Number.isFinite(a.cost) || a.cost < 0) {
      throw new InvalidInputError(`${at}.cost`, `must be a finite number ≥ 0 (action "${a.id}")`, a.cost);
    }
    checkUplift(a.uplift, `${at}.uplift`);
    let upliftBySegment: Record<string, number> | undefined;
    if (a.upliftBySegment !== undefined) {
      if (a.upliftBySegment === null || typeof a.upliftBySegment !== 'object') {
        throw new InvalidInputError(
          `${at}.upliftBySegment`,
          'must be an object of segment → uplift',
          a.upliftBySegment,
        );
      }
      // No prototype: a segment named "constructor" or "__proto__" is a key like any other.
      upliftBySegment = Object.create(null) as Record<string, number>;
      for (const [seg, u] of Object.entries(a.upliftBySegment)) {
        checkUplift(u, `${at}.upliftBySegment.${seg}`);
        upliftBySegment[seg] = u;
      }
      Object.freeze(upliftBySegment);
    }
    if (a.eligible !== undefined && typeof a.eligible !== 'function') checkFilterDepth(a.eligible, `${at}.eligible`);
    const eligible =
      a.eligible === undefined || typeof a.eligible === 'function'
        ? a.eligible
        : Object.freeze(structuredClone(a.eligible));
    if (a.upliftColumn !== undefined && (typeof a.upliftColumn !== 'string' || a.upliftColumn === '')) {
      throw new InvalidInputError(`${at}.upliftColumn`, 'must be the name of a customer column', a.upliftColumn);
    }
    const costPerCustomer =
      a.costPerCustomer === undefined ? undefined : checkCostPerCustomer(a.costPerCustomer, `${at}.costPerCustomer`);
    if ((a.upliftScale !== undefined || a.upliftScaleBySegment !== undefined) && a.upliftColumn === undefined) {
      throw new InvalidInputError(
        `${at}.upliftScale`,
        'scales an upliftColumn; this action has none',
        a.upliftScale ?? a.upliftScaleBySegment,
      );
    }
    if (a.upliftScale !== undefined) checkScale(a.upliftScale, `${at}.upliftScale`);
    let upliftScaleBySegment: Record<string, number> | undefined;
    if (a.upliftScaleBySegment !== undefined) {
      if (a.upliftScaleBySegment === null || typeof a.upliftScaleBySegment !== 'object') {
        throw new InvalidInputError(
          `${at}.upliftScaleBySegment`,
          'must be an object of segment → scale',
          a.upliftScaleBySegment,
        );
      }
      upliftScaleBySegment = Object.create(null) as Record<string, number>;
      for (const [seg, x] of Object.entries(a.upliftScaleBySegment))
        upliftScaleBySegment[seg] = checkScale(x, `${at}.upliftScaleBySegment.${seg}`);
      Object.freeze(upliftScaleBySegment);
    }
    return Object.freeze({
      id: a.id,
      name: a.name ?? a.id,
      channel: a.channel,
      cost: a.cost,
      uplift: a.uplift,
      ...(upliftBySegment ? { upliftBySegment } : {}),
      ...(eligible !== undefined ? { eligible } : {}),
      ...(a.upliftColumn !== undefined ? { upliftColumn: a.upliftColumn } : {}),
      ...(a.upliftScale !== undefined ? { upliftScale: a.upliftScale } : {}),
      ...(upliftScaleBySegment ? { upliftScaleBySegment } : {}),
      ...(costPerCustomer ? { costPerCustomer } : {}),
    });
  });
  return Object.freeze(out);
}

function checkScale(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0)
    throw new InvalidInputError(path, `must be a finite number ≥ 0 (got ${String(x)})`, x);
  return x;
}

function checkCostPerCustomer(c: unknown, path: string): Readonly<{ column: string; share?: number }> {
  if (c === null || typeof c !== 'object' || Array.isArray(c))
    throw new InvalidInputError(path, 'must be { column, share? }', c);
  checkKeys(c, ['column', 'share'], path);
  const { column, share } = c as { column: unknown; share?: unknown };
  if (typeof column !== 'string' || column === '')
    throw new InvalidInputError(`${path}.column`, 'must be the name of a customer column', column);
  if (share !== undefined && (typeof share !== 'number' || !Number.isFinite(share) || share < 0)) {
    throw new InvalidInputError(`${path}.share`, `must be a finite number ≥ 0 (got ${String(share)})`, share);
  }
  return Object.freeze({ column, ...(share !== undefined ? { share } : {}) });
}

function checkUplift(u: unknown, path: string): asserts u is number {
  if (typeof u !== 'number' || !Number.isFinite(u) || u < 0 || u > 1) {
    throw new InvalidInputError(path, `must be a number in [0, 1] (got ${String(u)})`, u);
  }
}

/**
 * The uplift of an action for a customer of a segment: the per-segment
 * override when there is one, the action's uplift otherwise.
 *
 * @example
 * ```ts
 * upliftFor({ id: 'd', name: 'd', channel: 'email', cost: 20, uplift: 0.15, upliftBySegment: { Premium: 0.18 } }, 'Premium'); // 0.18
 * ```
 */
export function upliftFor(
  action: Pick<Action, 'uplift' | 'upliftBySegment'>,
  segment: string | null | undefined,
): number {
  const own = segment != null && action.upliftBySegment !== undefined && Object.hasOwn(action.upliftBySegment, segment);
  return own ? action.upliftBySegment![segment!]! : action.uplift;
}
