import { pairTerms } from '../data/pair-terms.js';
import type { Plan } from '../plan/plan.js';

/**
 * One treated customer with everything the views need; built once per call
 * from the plan's typed arrays (the views are pure functions of the plan).
 */
export interface TreatedRow {
  index: number;
  customer: string | number;
  action: string;
  actionName: string;
  channel: string;
  segment: string | null;
  churnProbability: number;
  value: number;
  uplift: number;
  cost: number;
  /** Net expected value p·u·v − c. */
  expectedValue: number;
  holdout: boolean;
}

/** The treated customers of a plan, in data order. */
export function treatedRows(plan: Plan): TreatedRow[] {
  const out: TreatedRow[] = [];
  if (!plan.choice) return out;
  const d = plan.customers;
  const terms = pairTerms(plan.actionList, d);
  for (let i = 0; i < d.size; i++) {
    const k = plan.choice[i]!;
    if (k < 0) continue;
    const a = plan.actionList[k]!;
    const segment = d.segment ? d.segment[i]! : null;
    const uplift = terms.uplift(i, k);
    const cost = terms.cost(i, k);
    const p = d.churnProbability[i]!;
    const v = d.value[i]!;
    out.push({
      index: i, customer: d.id[i]!, action: a.id, actionName: a.name, channel: a.channel, segment,
      churnProbability: p, value: v, uplift, cost, expectedValue: p * v * uplift - cost,
      holdout: plan.holdout ? plan.holdout[i] === 1 : false,
    });
  }
  return out;
}
