// The Monday workflow on the built-in sample data: build the reference model,
// solve it, print the headline and write the model and plan files to out/.
//   npx tsx examples/weekly-plan.ts [customers]
import { mkdirSync, writeFileSync } from 'node:fs';
import { RetentionModel, coverage, defaultCatalog, exclude, fairness, sampleCustomers, saturation } from '../src/index.js';

const customers = Number(process.argv[2] ?? 2_000);
const table = sampleCustomers({ customers, seed: 42 });
const weeklyBudget = Math.round(customers * 1.2);

const model = RetentionModel.create({ name: 'week-48' })
  .actions(defaultCatalog())
  .customers(table, { id: 'customer_id', churnProbability: 'churn_probability', value: 'clv', segment: 'subscription_type' })
  .budget(weeklyBudget)
  .capacity('email', Math.round(customers * 0.3))
  .capacity('call', Math.round(customers * 0.02))
  .capacity('push', Math.round(customers * 0.5))
  .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 }))
  .use(coverage({ name: 'premium', where: { segment: { eq: 'Premium' } }, min: 0.4 }))
  .use(saturation({ max: 0.5 }))
  .use(fairness({ by: 'segment', min: 0.15 }))
  .use(exclude({ name: 'do-not-contact', where: { do_not_contact: { eq: true } } }));

let lastLine = 0;
const plan = await model.solve({
  solver: 'auto',
  onProgress: (p) => {
    if (p.seconds - lastLine < 0.5) return;
    lastLine = p.seconds;
    process.stdout.write(`  solving… ${p.seconds.toFixed(1)} s, gap ${Number.isFinite(p.gap) ? p.gap.toExponential(1) : '—'}\n`);
  },
});

const usd = (x: number) => `$${x.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
console.log(`\n${model.name}: ${customers.toLocaleString('en-US')} customers, ${plan.solver.name} (${plan.solver.pickedBy ?? 'chosen'}) in ${plan.solver.seconds.toFixed(2)} s`);
console.log(`status ${plan.status}, net value ${usd(plan.objective)}, bound ${usd(plan.bound)}, gap ${plan.gap.toExponential(2)}`);
if (plan.status === 'infeasible') {
  for (const c of plan.conflicts) console.log(`  conflict: ${c.message}`);
  process.exit(1);
}
const budgetRow = plan.constraints.find((r) => r.name === 'budget')!;
const t = plan.assignments;
const retained = (t.array('expectedValue') as Float64Array).reduce((s, x) => s + x, 0) + budgetRow.lhs;
console.table({
  'customers treated': t.numRows().toLocaleString('en-US'),
  spend: usd(budgetRow.lhs),
  'expected retained CLV': usd(retained),
  'net value': usd(plan.objective),
  ROI: `${((plan.objective / Math.max(1, budgetRow.lhs)) * 100).toFixed(0)}%`,
  'budget utilization': `${((budgetRow.lhs / budgetRow.rhs) * 100).toFixed(1)}%`,
});
console.table(plan.constraints.map((r) => ({ row: r.name, limit: `${r.sense} ${r.rhs}`, used: r.lhs, binding: r.binding, shadowPrice: r.shadowPrice })));

mkdirSync('out', { recursive: true });
writeFileSync('out/model.json', JSON.stringify(model.toJSON()));
writeFileSync('out/plan.json', JSON.stringify(plan.toJSON(), null, 1));
console.log('wrote out/model.json and out/plan.json');
