import { InvalidInputError } from '../errors.js';
import { upliftFor, type Action } from './actions.js';
import type { CustomerData } from './customers.js';
import { combineRuleOf, combineUplift } from './bundles.js';
import { cellAt } from './categorical.js';

/**
 * The uplift and cost of every (customer, action) pair, as the model defines
 * them: an action's `uplift` (or its per-segment override) unless it names an
 * `upliftColumn`, and its `cost` plus `share × column` when it has a
 * `costPerCustomer`. Compilation, the budget, analytics, calibration and
 * the testing kit all read pairs through this one definition.
 *
 * @example
 * ```ts
 * const terms = pairTerms(model.catalog!, model.customerData!);
 * terms.uplift(i, k); terms.cost(i, k);
 * ```
 */
export interface PairTerms {
  /** True when some action's uplift or cost varies by customer (not only by segment). */
  readonly perCustomer: boolean;
  /** Per action: its uplift per customer (length n; the column as given, scaled by `upliftScale`), when it has one. */
  readonly upliftColumns: readonly (Float64Array | undefined)[];
  /** Per action: its uplift column as given (before `upliftScale`), when it has one: the prior calibration compares against. */
  readonly rawUpliftColumns: readonly (Float64Array | undefined)[];
  /** Per action: the per-customer part of its cost (`share × column`, length n), when it has one. */
  readonly costColumns: readonly (Float64Array | undefined)[];
  /** Uplift of action k for customer i. */
  uplift(i: number, k: number): number;
  /** Cost of action k for customer i. */
  cost(i: number, k: number): number;
}

const cache = new WeakMap<CustomerData, WeakMap<readonly Action[], PairTerms>>();

/**
 * The {@link PairTerms} of a catalog over customers, its columns read and
 * checked once (and kept for the pair). An uplift column must hold numbers in
 * [0, 1], a cost column finite numbers ≥ 0, on every row: anything else is an
 * {@link InvalidInputError} naming the action, the column, the row and the value.
 *
 * @example
 * ```ts
 * pairTerms(actions, customers).cost(0, 2); // cost of action 2 for the first customer
 * ```
 */
export function pairTerms(actions: readonly Action[], customers: CustomerData): PairTerms {
  let byActions = cache.get(customers);
  if (!byActions) cache.set(customers, (byActions = new WeakMap()));
  let terms = byActions.get(actions);
  if (!terms) byActions.set(actions, (terms = buildTerms(actions, customers)));
  return terms;
}

function buildTerms(actions: readonly Action[], customers: CustomerData): PairTerms {
  const segment = customers.segment;
  const rawUplift = actions.map((a, k) =>
    a.upliftColumn === undefined
      ? undefined
      : numericColumn(customers, a.upliftColumn, `actions[${k}].upliftColumn`, a.id, 1),
  );
  // A calibrated scale multiplies the model's figures, capped at 1.
  const upliftColumns = rawUplift.map((col, k) => {
    const a = actions[k]!;
    if (!col || (a.upliftScale === undefined && a.upliftScaleBySegment === undefined)) return col;
    const bySeg = a.upliftScaleBySegment;
    return Float64Array.from(col, (u, i) => {
      const seg = segment?.at(i);
      const scale = bySeg && seg != null && Object.hasOwn(bySeg, seg) ? bySeg[seg]! : (a.upliftScale ?? 1);
      return Math.min(1, u * scale);
    });
  });
  const costColumns = actions.map((a, k) => {
    const per = a.costPerCustomer;
    if (!per) return undefined;
    const col = numericColumn(customers, per.column, `actions[${k}].costPerCustomer.column`, a.id, Infinity);
    const share = per.share ?? 1;
    return share === 1 ? col : Float64Array.from(col, (x) => share * x);
  });
  combineBundles(actions, customers, upliftColumns, rawUplift, costColumns);
  const upliftBase = actions.map((a) => a.uplift);
  return Object.freeze({
    perCustomer: upliftColumns.some(Boolean) || costColumns.some(Boolean),
    upliftColumns: Object.freeze(upliftColumns),
    rawUpliftColumns: Object.freeze(rawUplift),
    costColumns: Object.freeze(costColumns),
    uplift(i: number, k: number): number {
      const col = upliftColumns[k];
      if (col) return col[i]!;
      const a = actions[k]!;
      return a.upliftBySegment ? upliftFor(a, segment?.at(i)) : upliftBase[k]!;
    },
    cost(i: number, k: number): number {
      const col = costColumns[k];
      return col ? actions[k]!.cost + col[i]! : actions[k]!.cost;
    },
  });
}

// A bundle of actions with figures per customer gets its own columns: each customer's uplifts combined by
// the bundle's rule (a figure given for the bundle stays one figure), and the sum of the per-customer costs.
function combineBundles(
  actions: readonly Action[],
  customers: CustomerData,
  uplift: (Float64Array | undefined)[],
  raw: (Float64Array | undefined)[],
  cost: (Float64Array | undefined)[],
): void {
  const index = new Map(actions.map((a, k) => [a.id, k]));
  const segment = customers.segment;
  actions.forEach((a, k) => {
    if (!a.members) return;
    const ks = a.members.map((id) => index.get(id)!);
    const rule = combineRuleOf(a);
    if (ks.some((b) => uplift[b]) && !(typeof rule === 'object' && Object.hasOwn(rule, a.id))) {
      const col = new Float64Array(customers.size);
      const own = new Array<number>(ks.length);
      for (let i = 0; i < col.length; i++) {
        ks.forEach((b, j) => (own[j] = uplift[b] ? uplift[b]![i]! : upliftFor(actions[b]!, segment?.at(i))));
        col[i] = combineUplift(own, rule, a.id);
      }
      uplift[k] = col;
      raw[k] = col;
    }
    const parts = ks.map((b) => cost[b]).filter((c): c is Float64Array => c !== undefined);
    if (parts.length) cost[k] = Float64Array.from(parts[0]!, (_, i) => parts.reduce((sum, c) => sum + c[i]!, 0));
  });
}

// A customer column as numbers in [0, max], every row checked.
function numericColumn(customers: CustomerData, name: string, path: string, action: string, max: number): Float64Array {
  const src =
    name === 'value'
      ? customers.value
      : name === 'churnProbability'
        ? customers.churnProbability
        : Object.hasOwn(customers.attributes, name)
          ? customers.attributes[name]
          : undefined;
  if (!src) {
    const numeric = Object.keys(customers.attributes).filter((c) => typeof customers.attributes[c]!.at(0) === 'number');
    throw new InvalidInputError(
      path,
      `action "${action}": no customer column "${name}" (numeric columns: ${['value', ...numeric].join(', ')})`,
      name,
    );
  }
  const out = new Float64Array(customers.size);
  for (let i = 0; i < out.length; i++) {
    const v = src instanceof Float64Array ? src[i]! : cellAt(src, i);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) {
      const want = max === 1 ? 'an uplift in [0, 1]' : 'a finite number ≥ 0';
      throw new InvalidInputError(
        `customers.${name}[${i}]`,
        `action "${action}" reads ${want} here (got ${JSON.stringify(v)}; customer ${JSON.stringify(customers.id[i])})`,
        v,
      );
    }
    out[i] = v;
  }
  return out;
}
