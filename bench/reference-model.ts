// The reference weekly model used by the benchmarks and the demo: the built-in
// music-streaming sample with every constraint type.
import { RetentionModel, coverage, defaultCatalog, exclude, fairness, sampleCustomers, saturation } from '../src/index.js';

// With `postcodes`: also fairness by a postcode-like column with that many values (issue 11: thousands of rows).
export function referenceModel(customers: number, seed = 1, postcodes?: number) {
  const n = customers;
  let table = sampleCustomers({ customers: n, seed });
  if (postcodes) table = table.assign({ postcode: Array.from({ length: n }, (_, i) => `P${(i * 7919) % postcodes}`) });
  const model = RetentionModel.create({ name: `reference-${n}` })
    .actions(defaultCatalog())
    .customers(table, { segment: 'subscription_type' })
    .budget(Math.round(n * 1.2))
    .capacity('email', Math.round(n * 0.3))
    .capacity('call', Math.round(n * 0.02))
    .capacity('push', Math.round(n * 0.5))
    .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 }))
    .use(coverage({ name: 'premium', where: { segment: { eq: 'Premium' } }, min: 0.4, max: 0.9 }))
    .use(saturation({ max: 0.5 }))
    .use(saturation({ action: 'discount', maxCount: Math.round(n * 0.05) }))
    .use(fairness({ by: 'segment', min: 0.15 }))
    .use(fairness({ by: 'region', min: 0.1 }))
    .use(exclude({ name: 'do-not-contact', where: { do_not_contact: { eq: true } } }));
  return postcodes ? model.use(fairness({ by: 'postcode', min: 0.15 })) : model;
}
