import type { Action } from '../data/actions.js';
import type { CustomerData } from '../data/customers.js';
import type { Filter } from '../data/filter.js';
import type { HistoryView } from '../data/history-view.js';
import type { RowSense } from '../problem/assignment-problem.js';

/**
 * The JSON form of a constraint in a `retention-model/v1` file: `type` plus
 * the fields of that type (see the model-format page).
 *
 * @example
 * ```ts
 * const c: ConstraintJSON = { type: 'capacity', channel: 'email', max: 120 };
 * ```
 */
export interface ConstraintJSON {
  /** The constraint type (`budget`, `capacity`, … or a plugin's own). */
  type: string;
  /** Its name, unique in the model (default derived from type and arguments). */
  name?: string;
  [field: string]: unknown;
}

/**
 * What a plugin sees when it compiles: the validated customers and catalog,
 * and helpers that evaluate filters and look up actions with good errors.
 *
 * @example
 * ```ts
 * compile(ctx) { const mask = ctx.filter({ region: { eq: 'EU' } }, 'myRule.where'); ... }
 * ```
 */
export interface ConstraintContext {
  /** The validated customers. */
  readonly customers: CustomerData;
  /**
   * What a customer may be given, in model order: row coefficients are per
   * entry (`actionCoef[k]` for `actions[k]`). The catalog's actions, and with
   * `maxActionsPerCustomer(m > 1)` bundles after them (an action whose
   * `members` are the actions it gives, see {@link ConstraintContext.members}).
   */
  readonly actions: readonly Action[];
  /** The catalog as given (no bundles); `actions` starts with these, in this order. */
  readonly catalog: readonly Action[];
  /** The catalog actions `actions[k]` gives: indices into `catalog` (`[k]` for a single action). */
  members(k: number): readonly number[];
  /** Distinct channels of the catalog. */
  readonly channels: readonly string[];
  /** Evaluates a filter to a 0/1 mask; `path` names it in errors. */
  filter(where: Filter, path: string): Uint8Array;
  /** Index of an action id; throws naming `path` when unknown. */
  actionIndex(id: string, path: string): number;
  /** Past contacts joined with the customers, when the model has a history (`model.history(...)`). */
  readonly history?: HistoryView;
}

/**
 * A row a plugin contributes, in factored form (the `CouplingRow` of `retention-optimizer/solvers`).
 *
 * @example
 * ```ts
 * const row: RowSpec = { name: 'calls', sense: '<=', rhs: 50, actionCoef: [0, 0, 1] };
 * ```
 */
export interface RowSpec {
  /** Row name, unique in the model. */
  name: string;
  /** `<=` for a cap, `>=` for a floor. */
  sense: RowSense;
  /** The limit. */
  rhs: number;
  /** Coefficient of each action (length K), times `customerCoef[i]` for customer i. */
  actionCoef: ArrayLike<number>;
  /** Length n. The compiled problem keeps this array as it is (no copy): do not change it afterwards. */
  customerCoef?: Float64Array | Uint8Array;
  /**
   * Per action k, a length-n column added to the factored coefficient of
   * (i, k), or undefined (see `CouplingRow.pairCoef`): costs that vary by
   * customer. Kept, not copied.
   */
  pairCoef?: readonly (Float64Array | undefined)[];
  /**
   * The channels whose every contact the row counts (a capacity over one or
   * several channels): reports name them instead of guessing from coefficients.
   */
  channels?: readonly string[];
  /** How `rhs` was derived, in words (shown by `constraintReport`), e.g. `min 0.6 of 98 customers = 58.8, rounded up to 59`. */
  limitFrom?: string;
}

/**
 * What compiling a constraint yields: coupling rows, and/or customers to
 * exclude from every action.
 *
 * @example
 * ```ts
 * const out: CompiledConstraint = { rows: [{ name: 'budget', sense: '<=', rhs: 100, actionCoef: [2, 20] }] };
 * ```
 */
export interface CompiledConstraint {
  /** Coupling rows. */
  rows?: RowSpec[];
  /** 0/1 mask of customers who must get no action. */
  exclude?: Uint8Array;
  /**
   * 0/1 per (customer, action) pair, row-major n × K: 1 where the pair is not
   * allowed (a contact policy blocking one channel for one customer). With
   * bundles, block the bundles that give a blocked action too
   * (`ctx.members(k)`): a bundle is not blocked through its actions.
   */
  blockPairs?: Uint8Array;
}

/**
 * Why a plugin keeps a customer from some actions, as `model.explain(id)`
 * reports it: the actions, the reason in words, and the past contact behind
 * it when there is one.
 *
 * @example
 * ```ts
 * const r: BlockReason = { actions: [2], reason: '1 call in the last 28 days (limit 1)', contact: 17 };
 * ```
 */
export interface BlockReason {
  /** Catalog indices of the actions kept from the customer. */
  actions: readonly number[];
  /** The rule and the facts, in words. */
  reason: string;
  /** Row in the contact history of the contact that decided it (the latest one counted). */
  contact?: number;
}

/**
 * The plugin interface every constraint implements, the built-ins included.
 * Implement it for your own rule and pass it to `model.use(...)`.
 *
 * @example
 * ```ts
 * const euCalls: ConstraintPlugin = {
 *   type: 'eu-calls', name: 'eu-calls',
 *   compile: (ctx) => ({
 *     rows: [{
 *       name: 'eu-calls', sense: '<=', rhs: 40,
 *       actionCoef: ctx.actions.map((a) => (a.channel === 'call' ? 1 : 0)),
 *       customerCoef: ctx.filter({ region: { eq: 'EU' } }, 'eu-calls'),
 *     }],
 *   }),
 * };
 * model.use(euCalls);
 * ```
 */
export interface ConstraintPlugin {
  /** Constraint type, e.g. `budget`; the `type` of its JSON form. */
  readonly type: string;
  /** Unique name within a model. */
  readonly name: string;
  /** Turns the constraint into rows / exclusions for given data. Must not mutate the context. */
  compile(ctx: ConstraintContext): CompiledConstraint;
  /** The JSON form; absent (or throwing) when the constraint exists only as code. */
  toJSON?(): ConstraintJSON;
  /** True when the constraint is measured and reported, not enforced (see `reportOnly`). */
  readonly reportOnly?: boolean;
  /**
   * Why customer i (a row of `ctx.customers`) is kept from some actions. When absent, `model.explain`
   * reads what the plugin's `exclude` and `blockPairs` say of the customer.
   */
  explain?(ctx: ConstraintContext, i: number): BlockReason[];
}
