import { pairTerms } from '../data/pair-terms.js';
import { planData, type Plan } from '../plan/plan.js';
import { pairValue } from '../problem/assignment-problem.js';

/**
 * A treated customer as the customer-level views show it (`treatmentPlan`,
 * `emailList`, `callQueue`, `topCustomers` pick their columns from these).
 *
 * @example
 * ```ts
 * const first: TreatmentPlanRow = treatmentPlan(plan).objects()[0]!;
 * ```
 */
export interface TreatedCustomer {
  /** Customer id, as it went in. */
  customer: string | number;
  /** Action id. */
  action: string;
  /** Action name. */
  actionName: string;
  /** The action's channel. */
  channel: string;
  /** The customer's segment, or null when the customers have none. */
  segment: string | null;
  /** Churn probability. */
  churnProbability: number;
  /** Customer value. */
  value: number;
  /** The action's uplift for this customer. */
  uplift: number;
  /** The action's cost for this customer. */
  cost: number;
  /** Net expected value p·v·u − c. */
  expectedValue: number;
  /** Held out for measurement (not contacted). */
  holdout: boolean;
}

/**
 * One treated customer with everything the views need; built once per call
 * from the plan's typed arrays (the views are pure functions of the plan).
 */
export interface TreatedRow extends TreatedCustomer {
  /** Position of the customer in the model's data. */
  index: number;
}

/** The treated customers of a plan, in data order. */
export function treatedRows(plan: Plan): TreatedRow[] {
  const out: TreatedRow[] = [];
  const held = planData(plan);
  if (!held.choice) return out;
  const d = plan.customerData;
  const terms = pairTerms(plan.catalog, d);
  for (let i = 0; i < d.size; i++) {
    const k = held.choice[i]!;
    if (k < 0) continue;
    const a = plan.catalog[k]!;
    const segment = d.segment ? d.segment.at(i)! : null;
    const uplift = terms.uplift(i, k);
    const cost = terms.cost(i, k);
    const p = d.churnProbability[i]!;
    const v = d.value[i]!;
    out.push({
      index: i,
      customer: d.id[i]!,
      action: a.id,
      actionName: a.name,
      channel: a.channel,
      segment,
      churnProbability: p,
      value: v,
      uplift,
      cost,
      // The problem's own value of the pair: the figure the solver maximized, to the bit.
      expectedValue: pairValue(held.problem, i, k),
      holdout: held.holdout ? held.holdout[i] === 1 : false,
    });
  }
  return out;
}

/**
 * The contacts a plan makes: one row per treated customer and action sent, a bundle (several actions
 * given together) giving one row per action, with that action's id, name and channel; the customer's
 * figures (uplift, cost, expected value) are the bundle's. Send lists (email list, call queue) read these.
 */
export function contactRows(plan: Plan): TreatedRow[] {
  const single = new Map(plan.catalog.filter((a) => !a.members).map((a) => [a.id, a]));
  return treatedRows(plan).flatMap((r) => {
    const a = plan.catalog.find((x) => x.id === r.action)!;
    if (!a.members) return [r];
    return a.members.map((id) => {
      const m = single.get(id)!;
      return { ...r, action: m.id, actionName: m.name, channel: m.channel };
    });
  });
}
