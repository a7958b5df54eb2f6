// The reference project's week, from files in its published layout:
//   npx tsx examples/reference-data.ts [prediction.csv test.csv retention_actions.csv]
// prediction.csv: customer_id, churn_probability (some written like 6.17e-4); test.csv: the public
// music-streaming data set's 19 feature columns, with no fee and no value column; the catalog as the
// reference has it, with its "No Action" row and a value tier (high_value) in eligible_segment.
// Without arguments it writes sample files in that layout first.
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  InvalidInputError,
  RetentionModel,
  byChannel,
  capacity,
  constraintReport,
  coverage,
  fairness,
  headline,
  loadActions,
  loadCustomers,
  saturation,
  writeSampleData,
  type ValueFormula,
} from '../src/index.js';

// The reference's customer value: plan base × 1.3 if yearly × engagement × a two-year horizon.
const REFERENCE_VALUE: ValueFormula = {
  base: { column: 'subscription_type', values: { Free: 100, Student: 120, Premium: 240, Family: 360 } },
  multipliers: [{ column: 'payment_plan', values: { Monthly: 1, Yearly: 1.3 } }],
  engagement: [
    { column: 'weekly_hours', weight: 0.5 },
    { column: 'weekly_songs_played', weight: 0.5 },
  ],
  scale: 2,
};

// The reference catalog, as published.
const REFERENCE_CATALOG = `action_id,action_name,channel,cost,uplift,eligible_segment
0,No Action,none,0,0.00,all
1,Personalized Email,email,2,0.08,all
2,20% Discount Offer,email,20,0.15,all
3,Premium Trial (Free users),in_app,10,0.25,Free
4,Family Plan Upgrade,email,15,0.18,Premium
5,Retention Specialist Call,call,50,0.30,high_value
6,VIP Concierge Service,call,100,0.40,high_value
7,Win-Back Email Series,email,30,0.22,all
`;

let [predictions, features, catalogFile] = process.argv.slice(2);
if (!predictions || !features || !catalogFile) {
  ({ predictions, features } = await writeSampleData('out/reference', {
    customers: 75_000,
    seed: 42,
    layout: 'kaggle',
  }));
  mkdirSync('out/reference', { recursive: true });
  catalogFile = 'out/reference/retention_actions.csv';
  writeFileSync(catalogFile, REFERENCE_CATALOG);
  console.log(`no files given: wrote ${predictions}, ${features} and ${catalogFile}`);
}

try {
  // Value by rule, and the catalog with its value tier named: each says what it did in `warnings`.
  const customers = await loadCustomers({ predictions, features, value: REFERENCE_VALUE });
  const catalog = await loadActions(catalogFile, { tiers: { high_value: { value: { gt: 300, lte: 1000 } } } });
  const model = RetentionModel.create({ name: 'reference-week' })
    .actions(catalog)
    .customers(customers)
    .budget(20_000)
    .capacity('email', 30_000)
    // Calls and in-app offers are handled by one team of 100 contacts a week.
    .use(capacity({ name: 'outreach-team', channels: ['call', 'in_app'], max: 100 }))
    .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.7 } }, min: 0.6 }))
    .use(saturation({ max: 0.5 }))
    .use(fairness({ by: 'segment', min: 0.02 }));
  for (const w of [...customers.warnings, ...model.warnings]) console.log(`note: ${w}`);

  const plan = await model.solve();
  if (plan.status === 'infeasible') {
    plan.conflicts.forEach((c) => console.log(`conflict: ${c.message}`));
    process.exit(1);
  }
  const h = headline(plan);
  console.log(
    `\n${plan.status} (${plan.solver.name}, ${plan.solver.seconds.toFixed(2)} s): ${h.treated} of ${h.customers.toLocaleString('en-US')} treated, ` +
      `spend $${h.spend.toFixed(2)}, net value $${h.netValue.toFixed(2)}, gap ${plan.gap.toExponential(1)}`,
  );
  byChannel(plan).print();
  // Each floor says what count its fraction became (rounded up, so the policy holds).
  constraintReport(plan).select('row', 'limit', 'limitFrom', 'used', 'status').print(20);
  mkdirSync('out', { recursive: true });
  writeFileSync('out/reference-plan.json', JSON.stringify(plan.toJSON()));
  console.log('wrote out/reference-plan.json');
} catch (e) {
  if (e instanceof InvalidInputError) {
    console.error(`cannot plan: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
