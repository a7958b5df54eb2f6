import { pairTerms } from '../data/pair-terms.js';
import { planData, type Plan } from '../plan/plan.js';
import { pairValue } from '../problem/assignment-problem.js';
import { tiersOf, type TierOptions } from './by-segment.js';

/**
 * The figures a manager reads first. Money in the model's currency;
 * `churnReduction` in expected customers kept.
 *
 * @example
 * ```ts
 * const h = headline(plan);
 * console.log(`${h.treated} treated, ROI ${(h.roi * 100).toFixed(0)}%`);
 * ```
 */
export interface Headline {
  /** Customers in the model. */
  customers: number;
  /** Customers given an action (held-out included). */
  treated: number;
  /** Total cost of the actions. */
  spend: number;
  /** Expected customer value kept by the actions: Σ p·u·v. */
  retainedValue: number;
  /** retainedValue − spend (the objective). */
  netValue: number;
  /** netValue / spend (0 when nothing is spent). */
  roi: number;
  /** Expected churners avoided: Σ p·u. */
  churnReduction: number;
  /** spend / budget, when the model has a budget row. */
  budgetUtilization: number | null;
  /** Treated customers held out (not contacted) for measurement. */
  heldOut: number;
  /** The same figures for the contacted customers only (the holdout costs nothing and keeps nothing). */
  contacted: {
    /** Customers contacted (treated, not held out). */
    customers: number;
    /** Their cost. */
    spend: number;
    /** Σ p·v·u over them. */
    retainedValue: number;
    /** retainedValue − spend. */
    netValue: number;
    /** netValue / spend. */
    roi: number;
  };
  /** Customers with churn probability above {@link Headline.highRiskAbove}, before planning. */
  highRisk: number;
  /** The high-risk cut: the plan's (`plan.riskTiers[1]`, the model's coverage threshold) unless `tiers` says. */
  highRiskAbove: number;
  /** Value at risk before planning: Σ p·v over all customers. */
  valueAtRisk: number;
}

/**
 * Computes the {@link Headline} of a plan from its assignments and the model
 * data (nothing is taken from the solver but the choices).
 *
 * @example
 * ```ts
 * const h = headline(await model.solve());
 * const strict = headline(plan, { tiers: [0.4, 0.7] }); // highRisk counts p > 0.7
 * ```
 */
export function headline(plan: Plan, options: TierOptions = {}): Headline {
  const highRiskAbove = tiersOf(plan, options.tiers, 'headline.tiers')[1];
  const data = plan.customerData;
  const held = planData(plan);
  const actions = plan.catalog;
  const n = data.size;
  let treated = 0,
    spend = 0,
    retained = 0,
    churnReduction = 0,
    highRisk = 0,
    valueAtRisk = 0;
  let heldOut = 0,
    heldSpend = 0,
    heldRetained = 0;
  const terms = pairTerms(actions, data);
  for (let i = 0; i < n; i++) {
    const p = data.churnProbability[i]!;
    const v = data.value[i]!;
    if (p > highRiskAbove) highRisk++;
    valueAtRisk += p * v;
    const k = held.choice ? held.choice[i]! : -1;
    if (k < 0) continue;
    const cost = terms.cost(i, k);
    // Value kept = the pair's net value (the problem's, as the solver saw it) + its cost.
    const kept = pairValue(held.problem, i, k) + cost;
    treated++;
    spend += cost;
    retained += kept;
    churnReduction += p * terms.uplift(i, k);
    if (held.holdout?.[i]) {
      heldOut++;
      heldSpend += cost;
      heldRetained += kept;
    }
  }
  const cSpend = spend - heldSpend;
  const cRetained = retained - heldRetained;
  const budgetRow = plan.rows.find((r) => r.type === 'budget');
  return {
    customers: n,
    treated,
    spend,
    retainedValue: retained,
    netValue: retained - spend,
    roi: spend > 0 ? (retained - spend) / spend : 0,
    churnReduction,
    budgetUtilization: budgetRow && budgetRow.rhs > 0 ? spend / budgetRow.rhs : null,
    heldOut,
    contacted: {
      customers: treated - heldOut,
      spend: cSpend,
      retainedValue: cRetained,
      netValue: cRetained - cSpend,
      roi: cSpend > 0 ? (cRetained - cSpend) / cSpend : 0,
    },
    highRisk,
    highRiskAbove,
    valueAtRisk,
  };
}
