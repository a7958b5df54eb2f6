// The weekly plan from your own files:
//   npx tsx examples/from-csv.ts prediction.csv test.csv [retention_actions.csv]
// prediction.csv: customer_id, churn_probability; test.csv: customer_id and features
// (subscription_type, monthly_fee, …); the optional catalog: action_id, action_name,
// channel, cost, uplift, eligible_segment. Without arguments it writes sample files first.
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  InvalidInputError,
  RetentionModel,
  coverage,
  defaultCatalog,
  fairness,
  headline,
  loadActions,
  loadCustomers,
  saturation,
  writeSampleData,
} from '../src/index.js';

let [predictions, features, catalogFile] = process.argv.slice(2);
if (!predictions || !features) {
  ({ predictions, features } = await writeSampleData('out/sample', { customers: 20_000 }));
  console.log(`no files given: wrote ${predictions} and ${features}`);
}

try {
  const loaded = await loadCustomers({ predictions, features, on: 'customer_id' });
  for (const w of loaded.warnings) console.log(`note: ${w}`);
  const catalog = catalogFile ? await loadActions(catalogFile) : defaultCatalog();
  const n = loaded.table.numRows();
  const model = RetentionModel.create({ name: 'from-csv' })
    .actions(catalog)
    .customers(loaded)
    .budget(Math.round(n * 0.5))
    .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.5 }))
    .use(saturation({ max: 0.5 }))
    .use(fairness({ by: 'segment', min: 0.1 }));
  const plan = await model.solve();
  if (plan.status === 'infeasible') {
    plan.conflicts.forEach((c) => console.log(`conflict: ${c.message}`));
    process.exit(1);
  }
  const h = headline(plan);
  console.log(
    `${plan.status} (${plan.solver.name}, ${plan.solver.seconds.toFixed(2)} s): ${h.treated} of ${h.customers} treated, ` +
      `spend ${h.spend.toFixed(0)}, net value ${h.netValue.toFixed(0)}, gap ${plan.gap.toExponential(1)}`,
  );
  mkdirSync('out', { recursive: true });
  writeFileSync('out/from-csv-plan.json', JSON.stringify(plan.toJSON()));
  console.log('wrote out/from-csv-plan.json');
} catch (e) {
  // Data problems are typed errors that say where: print them for the person who owns the files.
  if (e instanceof InvalidInputError) {
    console.error(`cannot plan: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
