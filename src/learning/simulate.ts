import { tableOf, type TableOf } from '../util/columns.js';
import { planData, type Plan } from '../plan/plan.js';
import { mulberry32 } from '../util/random.js';
import { membersOf } from '../data/bundles.js';

/**
 * A row of {@link simulateOutcomes}: a customer and whether they churned (1) or stayed (0).
 *
 * @example
 * ```ts
 * const churned = simulateOutcomes(plan, () => 0.1, 7).objects().filter((r: OutcomeRow) => r.churned === 1);
 * ```
 */
export interface OutcomeRow {
  /** Customer id, as in the plan. */
  customer_id: string | number;
  /** 1: churned; 0: stayed. */
  churned: number;
}

/**
 * Simulated outcomes of a plan for testing the weekly loop: each customer
 * churns with probability p, or p·(1 − true uplift) when contacted (treated
 * and not held out). `trueUplift(actionId, segment)` is the truth the
 * calibration should find; a customer given several actions (a bundle)
 * keeps p·Π(1 − u) (independent effects). Deterministic by seed.
 *
 * @example
 * ```ts
 * const outcomes = simulateOutcomes(plan, (action) => ({ email: 0.04, call: 0.25 })[action] ?? 0.1, 7);
 * ```
 */
export function simulateOutcomes(
  plan: Plan,
  trueUplift: (action: string, segment: string | undefined) => number,
  seed: number,
): TableOf<OutcomeRow> {
  const rand = mulberry32(seed);
  const data = plan.customerData;
  const held = planData(plan);
  const churned = new Uint8Array(data.size);
  for (let i = 0; i < data.size; i++) {
    const k = held.choice ? held.choice[i]! : -1;
    let p = data.churnProbability[i]!;
    if (k < 0 || held.holdout?.[i]) {
      churned[i] = rand() < p ? 1 : 0;
      continue;
    }
    // A bundle's actions act independently: each removes its share of the risk the others left.
    for (const id of membersOf(plan.catalog[k]!)) p *= 1 - trueUplift(id, data.segment?.at(i));
    churned[i] = rand() < p ? 1 : 0;
  }
  return tableOf<OutcomeRow>({ customer_id: [...data.id], churned: Array.from(churned) });
}
