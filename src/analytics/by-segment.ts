import { InvalidInputError } from '../errors.js';
import { pairTerms } from '../data/pair-terms.js';
import { planData, type Plan } from '../plan/plan.js';
import { pairValue } from '../problem/assignment-problem.js';
import { columnsOf, tableOf, type TableOf } from '../util/columns.js';

/**
 * Risk tiers by churn probability: `low` below the first cut, `medium`
 * between, `high` above the second (defaults 0.3 and 0.5).
 *
 * @example
 * ```ts
 * bySegment(plan, { tiers: [0.2, 0.6] });
 * ```
 */
export interface TierOptions {
  /** The two cuts between low, medium and high risk (default: the plan's `riskTiers`, the model's coverage thresholds, else 0.3 and 0.5). */
  tiers?: readonly [number, number];
}

/**
 * The tiers to use: `tiers` when given (two probabilities, low cut ≤ high cut,
 * else an `InvalidInputError` naming `path`), else the plan's.
 */
export function tiersOf(
  plan: Plan,
  tiers: readonly [number, number] | undefined,
  path: string,
): readonly [number, number] {
  if (tiers === undefined) return plan.riskTiers;
  const ok =
    Array.isArray(tiers) &&
    tiers.length === 2 &&
    tiers.every((x) => typeof x === 'number' && x >= 0 && x <= 1) &&
    tiers[0] <= tiers[1];
  if (!ok)
    throw new InvalidInputError(path, 'must be two churn probabilities [low cut, high cut] with low ≤ high', tiers);
  return tiers;
}

/**
 * The risk tier of a churn probability.
 *
 * @example
 * ```ts
 * riskTier(0.62); // 'high'
 * ```
 */
export function riskTier(p: number, [lo, hi]: readonly [number, number] = [0.3, 0.5]): 'low' | 'medium' | 'high' {
  return p > hi ? 'high' : p >= lo ? 'medium' : 'low';
}

/**
 * A row of {@link bySegment}: one segment × risk tier cell.
 *
 * @example
 * ```ts
 * const premiumHigh = bySegment(plan).objects().find((r: BySegmentRow) => r.segment === 'Premium' && r.riskTier === 'high');
 * ```
 */
export interface BySegmentRow {
  /** Segment (`all` when the customers have none). */
  segment: string;
  /** `low`, `medium` or `high` (see {@link riskTier}). */
  riskTier: string;
  /** Customers in the cell. */
  customers: number;
  /** Of them, treated (held-out included). */
  treated: number;
  /** treated / customers. */
  treatedShare: number;
  /** Σ p·v before planning. */
  valueAtRisk: number;
  /** Σ p·v·u of the treated. */
  retainedValue: number;
  /** retainedValue − their cost. */
  netValue: number;
}

/**
 * Segment × risk tier (the heatmap): customers, treated, treated share, value
 * at risk before planning (Σ p·v), retained value and net value of the plan.
 *
 * @example
 * ```ts
 * bySegment(plan).print();
 * ```
 */
export function bySegment(plan: Plan, options: TierOptions = {}): TableOf<BySegmentRow> {
  const d = plan.customerData;
  const held = planData(plan);
  const terms = pairTerms(plan.catalog, d);
  const tiers = tiersOf(plan, options.tiers, 'bySegment.tiers');
  const cells = new Map<string, BySegmentRow>();
  for (let i = 0; i < d.size; i++) {
    const segment = d.segment ? d.segment.at(i)! : 'all';
    const tier = riskTier(d.churnProbability[i]!, tiers);
    const key = `${segment}\u0000${tier}`;
    let c = cells.get(key);
    if (!c)
      cells.set(
        key,
        (c = {
          segment,
          riskTier: tier,
          customers: 0,
          treated: 0,
          treatedShare: 0,
          valueAtRisk: 0,
          retainedValue: 0,
          netValue: 0,
        }),
      );
    c.customers++;
    c.valueAtRisk += d.churnProbability[i]! * d.value[i]!;
    const k = held.choice ? held.choice[i]! : -1;
    if (k < 0) continue;
    // The pair's net value as the problem (and the solver) has it; kept = net + cost.
    const net = pairValue(held.problem, i, k);
    c.treated++;
    c.retainedValue += net + terms.cost(i, k);
    c.netValue += net;
  }
  const order = { low: 0, medium: 1, high: 2 } as Record<string, number>;
  const list = [...cells.values()].sort(
    (a, b) => a.segment.localeCompare(b.segment) || order[a.riskTier]! - order[b.riskTier]!,
  );
  for (const c of list) c.treatedShare = c.customers ? c.treated / c.customers : 0;
  const keys = [
    'segment',
    'riskTier',
    'customers',
    'treated',
    'treatedShare',
    'valueAtRisk',
    'retainedValue',
    'netValue',
  ] as const;
  return tableOf<BySegmentRow>(columnsOf(list, keys));
}
