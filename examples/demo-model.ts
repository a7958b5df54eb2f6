// The demo's reference week (examples/weekly-plan.ts), shared with the dashboard's test and benchmark:
// budget, three channel capacities, two coverage floors, saturation, fairness by segment, a no-contact
// list and a 10% holdout, on the built-in sample data.
import {
  RetentionModel,
  coverage,
  defaultCatalog,
  exclude,
  fairness,
  loadCustomers,
  sampleData,
  saturation,
  type LoadedCustomers,
} from '../src/index.js';

/** The reference model on customers already loaded (`customers` sets the limits' scale). */
export function referenceWeek(loaded: LoadedCustomers, customers: number) {
  return (
    RetentionModel.create({ name: 'week-48' })
      .actions(defaultCatalog())
      .customers(loaded)
      .budget(Math.round(customers * 0.4))
      .capacity('email', Math.round(customers * 0.3))
      .capacity('call', Math.round(customers * 0.01))
      .capacity('push', Math.round(customers * 0.5))
      .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 }))
      .use(coverage({ name: 'premium', where: { segment: { eq: 'Premium' } }, min: 0.4 }))
      .use(saturation({ max: 0.5 }))
      .use(fairness({ by: 'segment', min: 0.15 }))
      .use(exclude({ name: 'do-not-contact', where: { do_not_contact: { eq: true } } }))
      // 10% of the treated held out for measurement (drawn by a seed: the same customers each solve).
      .withHoldout({ fraction: 0.1, seed: 48 })
  );
}

/** The sample data (seed 42) loaded as the demo loads it, and the reference week on it. */
export async function demoModel(customers: number) {
  const { predictions, features } = sampleData({ customers, seed: 42 });
  const loaded = await loadCustomers({
    predictions,
    features,
    on: 'customer_id',
    value: { months: 24, minimumMonthly: 1.5 },
  });
  return referenceWeek(loaded, customers);
}
