// The reference weekly model used by the benchmarks and the demo: the built-in
// music-streaming sample with every constraint type.
import {
  RetentionModel,
  contactLimit,
  minDaysBetween,
  noRepeat,
  suppress,
  coverage,
  defaultCatalog,
  exclude,
  fairness,
  sampleCustomers,
  saturation,
  type ActionSpec,
} from '../src/index.js';
import type { ColumnTable } from 'arquero';

/**
 * How values are given (issue 10): `factored` (uplift per action and segment, cost per action);
 * `uplift` (an uplift model's figure per customer and action, columns `uplift_<id>`); `uplift+fee`
 * (also the discount and the free month cost a share of the customer's fee: few distinct costs);
 * `uplift+cost` (also the call and the free month cost a figure per customer: every cost distinct).
 */
export type ValueKind = 'factored' | 'uplift' | 'uplift+fee' | 'uplift+cost' | 'history' | 'multi' | 'history+multi';

/**
 * Four weeks of contact history for the reference model (`history`, issue 13): weeks 44–47, the plan
 * in week 48. Each week about 25% of customers got an action (drawn from a hash of customer and week),
 * one contact in 200 ended with an opt-out.
 */
export function referenceHistory(ids: ArrayLike<string | number>, actions: readonly string[]) {
  const out = {
    customerId: [] as (string | number)[],
    action: [] as string[],
    week: [] as number[],
    outcome: [] as (string | null)[],
  };
  for (let week = 44; week <= 47; week++) {
    for (let i = 0; i < ids.length; i++) {
      const h = ((i + 1) * 2654435761 + week * 97) >>> 0;
      if (h % 100 >= 25) continue;
      out.customerId.push(ids[i]!);
      out.action.push(actions[(h >>> 8) % actions.length]!);
      out.week.push(week);
      out.outcome.push((h >>> 16) % 200 === 0 ? 'opted_out' : null);
    }
  }
  return out;
}

// With `postcodes`: also fairness by a postcode-like column with that many values (issue 11: thousands of rows).
export function referenceModel(
  customers: number,
  seed = 1,
  postcodes?: number,
  values: ValueKind = 'factored',
  /** The customers' table when they come from elsewhere (a Parquet file: bench/parquet.ts); default the sample. */
  source?: ColumnTable,
) {
  const n = customers;
  let table = source ?? sampleCustomers({ customers: n, seed });
  if (postcodes) table = table.assign({ postcode: Array.from({ length: n }, (_, i) => `P${(i * 7919) % postcodes}`) });
  let catalog: ActionSpec[] = defaultCatalog();
  if (values === 'uplift' || values === 'uplift+fee' || values === 'uplift+cost') {
    // Each customer's uplift: the action's figure × a factor in [0.5, 1.5) from a hash of (customer, action).
    const columns: Record<string, Float64Array> = {};
    catalog.forEach((a, k) => {
      columns[`uplift_${a.id}`] = Float64Array.from({ length: n }, (_, i) =>
        Math.min(1, a.uplift * (0.5 + (((i + 1) * 2654435761 + k * 40503) % 1000) / 1000)),
      );
    });
    // A cost per customer for the call (a longer call for some) and the free month (the customer's own fee).
    if (values === 'uplift+cost') {
      columns.cost_call = Float64Array.from({ length: n }, (_, i) => 10 + (((i + 7) * 2246822519) % 1000) / 100);
      columns['cost_free-month'] = Float64Array.from(
        { length: n },
        (_, i) => 5 + (((i + 3) * 3266489917) % 1000) / 100,
      );
    }
    table = table.assign(columns);
    catalog = catalog.map((a) => {
      const perCustomer: ActionSpec = { ...a, upliftColumn: `uplift_${a.id}` };
      if (values === 'uplift+fee' && (a.id === 'discount' || a.id === 'free-month'))
        return {
          ...perCustomer,
          cost: 0,
          costPerCustomer: { column: 'monthly_fee', share: a.id === 'discount' ? 0.2 * 12 : 1 },
        };
      if (values === 'uplift+cost' && (a.id === 'call' || a.id === 'free-month'))
        return { ...perCustomer, cost: 0, costPerCustomer: { column: `cost_${a.id}` } };
      return perCustomer;
    });
  }
  const model = RetentionModel.create({ name: `reference-${n}` })
    .actions(catalog)
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
  let withPostcodes = postcodes ? model.use(fairness({ by: 'postcode', min: 0.15 })) : model;
  // Two actions per customer (issue 13): 7 actions make 28 options.
  if (values === 'multi' || values === 'history+multi') withPostcodes = withPostcodes.maxActionsPerCustomer(2);
  if (values !== 'history' && values !== 'history+multi') return withPostcodes;
  return withPostcodes
    .history(
      referenceHistory(
        table.array('customer_id') as number[],
        catalog.map((a) => a.id),
      ),
      { asOf: 48 },
    )
    .use(contactLimit({ max: 2, days: 28 }))
    .use(minDaysBetween({ channel: 'call', days: 28 }))
    .use(noRepeat({ days: 21 }))
    .use(suppress());
}
