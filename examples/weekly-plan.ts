// The Monday workflow on the built-in sample data (75,001 customers): load the
// churn model's predictions and the customer features, build the reference
// model, solve, print the headline, write the plan files to out/.
//   npx tsx examples/weekly-plan.ts [customers]
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  constraintReport,
  headline,
  loadCustomers,
  sampleData,
  sensitivity,
  writeExports,
  writeDashboard,
  writeReport,
} from '../src/index.js';
import { referenceWeek } from './demo-model.js';

const customers = Number(process.argv[2] ?? 75_001);
const started = performance.now();

// 1. Data: in a real week these are prediction.csv and test.csv (see examples/from-csv.ts).
const { predictions, features } = sampleData({ customers, seed: 42 });
const loaded = await loadCustomers({
  predictions,
  features,
  on: 'customer_id',
  value: { months: 24, minimumMonthly: 1.5 },
});
for (const w of loaded.warnings) console.log(`note: ${w}`);
const loadedAt = performance.now();

// 2. The reference model: budget, channel capacities, coverage, saturation, fairness, no-contact list,
//    a 10% holdout (examples/demo-model.ts).
const model = referenceWeek(loaded, customers);

// 3. Solve, with a progress line.
let lastLine = -1;
const plan = await model.solve({
  onProgress: (p) => {
    if (p.seconds - lastLine < 0.1) return;
    lastLine = p.seconds;
    process.stdout.write(`\r  solving… pass ${p.iteration}, bound ${p.bound.toFixed(0)}, ${p.seconds.toFixed(2)} s`);
  },
});
process.stdout.write('\r' + ' '.repeat(70) + '\r');

const usd = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;
console.log(
  `${model.name}: ${customers.toLocaleString('en-US')} customers loaded in ${((loadedAt - started) / 1000).toFixed(2)} s; ` +
    `solved by ${plan.solver.name} (${plan.solver.pickedBy ?? 'chosen'}) in ${plan.solver.seconds.toFixed(2)} s`,
);
console.log(`status ${plan.status}, proven gap ${plan.gap.toExponential(1)}`);
if (plan.status === 'infeasible') {
  for (const c of plan.conflicts) console.log(`  conflict: ${c.message}`);
  process.exit(1);
}
const h = headline(plan);
console.table({
  'customers treated': h.treated.toLocaleString('en-US'),
  spend: usd(h.spend),
  'expected retained CLV': usd(h.retainedValue),
  'net value': usd(h.netValue),
  ROI: `${(h.roi * 100).toFixed(0)}%`,
  'expected churn reduction': `${h.churnReduction.toFixed(0)} customers`,
  'budget utilization': h.budgetUtilization === null ? '—' : `${(h.budgetUtilization * 100).toFixed(1)}%`,
  'high-risk customers (before)': h.highRisk.toLocaleString('en-US'),
});
console.log(
  `held out for measurement: ${h.heldOut.toLocaleString('en-US')} customers; net value of the contacted: ${usd(h.contacted.netValue)}`,
);

// 4. What would another budget buy? Ten budgets, each solve warm-started from the last.
const budgetRow = plan.rows.find((r) => r.type === 'budget')!;
const budgets = Array.from({ length: 10 }, (_, j) => Math.round(budgetRow.rhs * (0.25 + 0.25 * j)));
const sweep = await sensitivity(model, { budgets, kneeBelow: 0.25 });
const sweepSeconds = sweep.table.objects().reduce((s, r) => s + r.seconds, 0);
console.log(
  `budget sensitivity: ${budgets.length} budgets solved in ${sweepSeconds.toFixed(2)} s; knee (a dollar returns < $0.25 beyond) at ${sweep.knee === null ? '—' : usd(sweep.knee)}`,
);
console.table(
  constraintReport(plan, { sensitivity: sweep })
    .objects()
    .slice(0, 6)
    .map((r) => ({ row: r.row, status: r.status, meaning: r.meaning })),
);
console.table(
  sweep.table.objects().map((r) => ({
    budget: usd(r.value),
    treated: r.treated,
    spend: r.spend === null ? '' : usd(r.spend),
    'net value': r.netValue === null ? '' : usd(r.netValue),
    ROI: r.roi === null ? '' : `${(r.roi * 100).toFixed(0)}%`,
    'marginal $/$': r.marginal === null ? '' : r.marginal.toFixed(2),
    knee: r.knee ? '◀' : '',
  })),
);

mkdirSync('out', { recursive: true });
writeFileSync('out/model.json', JSON.stringify(model.toJSON()));
writeFileSync('out/plan.json', JSON.stringify(plan.toJSON()));
const exported = await writeExports(plan, 'out');
await writeReport(plan, 'out/report.html', { sensitivity: sweep, files: [...exported, 'out/plan.json'] });
// 5. The what-if dashboard: one offline file a manager opens; it re-plans in the browser.
await writeDashboard(model, 'out/dashboard.html');
console.log(
  `wrote out/model.json, out/plan.json, ${exported.length} export files, out/report.html and out/dashboard.html (${((performance.now() - started) / 1000).toFixed(1)} s in all)`,
);
