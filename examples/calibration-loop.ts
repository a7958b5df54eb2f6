// Four simulated weeks of the learning loop on the sample data, with known true uplifts:
// plan with a holdout → observe churn → calibrate (pooling the weeks) → re-plan.
// Prints how the estimates converge and what the calibrated plan gains over the uncalibrated one,
// both judged by the true uplifts.
//   npx tsx examples/calibration-loop.ts
import {
  RetentionModel,
  calibrate,
  coverage,
  defaultCatalog,
  fairness,
  sampleCustomers,
  simulateOutcomes,
  withCalibration,
  type ActionSpec,
  type Plan,
} from '../src/index.js';

// The truth the catalog's guesses should converge to (unknown to the planner).
const TRUE: Record<string, number> = {
  email: 0.12,
  discount: 0.2,
  call: 0.35,
  'free-month': 0.1,
  'in-app': 0.08,
  push: 0,
  playlist: 0,
};
const customers = sampleCustomers({ customers: 75_001, seed: 42 });

const modelWith = (catalog: ActionSpec[]) =>
  RetentionModel.create({ name: 'weekly' })
    .actions(catalog)
    .customers(customers, { segment: 'subscription_type' })
    .budget(30_000)
    .capacity('call', 750)
    .capacity('email', 22_500)
    .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 }))
    .use(fairness({ by: 'segment', min: 0.15 }));

// Expected net value of a plan if every planned customer were contacted, under the true uplifts.
function trueValue(plan: Plan): number {
  let s = 0;
  const d = plan.customerData;
  for (const { index: i, action: a } of plan.treated())
    s += d.churnProbability[i]! * TRUE[a.id]! * d.value[i]! - a.cost;
  return s;
}

const prior = defaultCatalog();
let catalog = prior;
const plans: Plan[] = [];
const outcomes: ReturnType<typeof simulateOutcomes>[] = [];
for (let week = 1; week <= 4; week++) {
  const plan = await modelWith(catalog).solve({ holdout: { fraction: 0.2, seed: week } });
  plans.push(plan);
  outcomes.push(simulateOutcomes(plan, (a) => TRUE[a]!, 1000 + week));
  const result = calibrate(plans, outcomes);
  catalog = withCalibration(prior, result);
  console.log(
    `\nweek ${week}: plan ${plan.status}, ${plan.assignments.numRows()} treated; pooled estimates over ${week} week(s):`,
  );
  console.table(
    result.table.objects().map((r) => ({
      action: r.action,
      treated: r.treated,
      holdout: r.holdout,
      uplift: `${r.uplift.toFixed(3)} [${r.lower.toFixed(3)}, ${r.upper.toFixed(3)}]`,
      prior: r.prior,
      calibrated: r.calibrated.toFixed(3),
      truth: TRUE[r.action],
    })),
  );
  const rows = result.table.objects();
  const err = (f: (r: (typeof rows)[number]) => number) =>
    rows.reduce((s, r) => s + Math.abs(f(r) - TRUE[r.action]!), 0) / rows.length;
  console.log(
    `mean |error| vs truth: prior ${err((r) => r.prior).toFixed(4)}, calibrated ${err((r) => r.calibrated).toFixed(4)}`,
  );
}

const uncalibrated = await modelWith(prior).solve();
const calibrated = await modelWith(catalog).solve();
const [u, c] = [trueValue(uncalibrated), trueValue(calibrated)];
console.log(
  `\nweek 5, judged by the true uplifts: uncalibrated plan ${u.toFixed(0)}, calibrated plan ${c.toFixed(0)} ` +
    `(+${(c - u).toFixed(0)}, ${(((c - u) / Math.abs(u)) * 100).toFixed(1)}%)`,
);
