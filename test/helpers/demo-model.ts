import {
  RetentionModel,
  coverage,
  defaultCatalog,
  exclude,
  fairness,
  loadCustomers,
  sampleData,
  saturation,
} from '../../src/index.js';

// The demo's reference model (examples/weekly-plan.ts) at the size of the reference data.
export async function demoModel(customers: number) {
  const { predictions, features } = sampleData({ customers, seed: 42 });
  const loaded = await loadCustomers({
    predictions,
    features,
    on: 'customer_id',
    value: { months: 24, minimumMonthly: 1.5 },
  });
  return RetentionModel.create({ name: 'week-48' })
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
    .withHoldout({ fraction: 0.1, seed: 48 });
}
