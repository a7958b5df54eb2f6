// Simulation check of the learning loop: coverage of the 95% uplift intervals over many simulated
// weeks, and how far each action's holdout share is from the asked fraction.
//   npx tsx bench/calibration-coverage.ts [weeks]
import {
  RetentionModel,
  calibrate,
  defaultCatalog,
  fairness,
  sampleCustomers,
  simulateOutcomes,
} from '../src/index.js';

const weeks = Number(process.argv[2] ?? 400);
const TRUE: Record<string, number> = {
  email: 0.08,
  discount: 0.2,
  call: 0.3,
  'free-month': 0.12,
  'in-app': 0.05,
  push: 0.02,
  playlist: 0.04,
};
const model = RetentionModel.create()
  .actions(defaultCatalog())
  .customers(sampleCustomers({ customers: 30_000, seed: 11 }), { segment: 'subscription_type' })
  .budget(30_000)
  .capacity('call', 1500)
  .use(fairness({ by: 'segment', min: 0.2 }));
const base = await model.solve({ solver: 'decomposition' });
let covered = 0,
  total = 0,
  worstShareError = 0;
for (let week = 0; week < weeks; week++) {
  const plan = base.withHoldout({ fraction: 0.3, seed: week });
  const result = calibrate(
    plan,
    simulateOutcomes(plan, (a) => TRUE[a]!, 1000 + week),
  );
  for (const r of result.table.objects() as {
    action: string;
    lower: number;
    upper: number;
    treated: number;
    holdout: number;
  }[]) {
    worstShareError = Math.max(worstShareError, Math.abs(r.holdout / (r.treated + r.holdout) - 0.3));
    if (Number.isNaN(r.lower)) continue;
    total++;
    if (r.lower <= TRUE[r.action]! && TRUE[r.action]! <= r.upper) covered++;
  }
}
const p = covered / total;
console.log(
  `${weeks} simulated weeks, ${total} intervals: 95% intervals covered the true uplift in ${(p * 100).toFixed(1)}% ` +
    `(± ${(196 * Math.sqrt((p * (1 - p)) / total)).toFixed(1)} points); largest |holdout share − 0.3| over actions and weeks: ${worstShareError.toFixed(4)}`,
);
