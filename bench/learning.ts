// Does learning ever hurt? Many simulated four-week runs of the weekly loop (plan with a holdout →
// simulate outcomes under a true uplift → calibrate, pooling the weeks → plan again), with true uplifts
// near the catalog's priors and far from them. Each run's week-5 plan is judged by that run's truth,
// against the plan of the uncalibrated catalog. Variants of the shrinkage run on the same outcomes.
//   npx tsx bench/learning.ts [runs=20] [customers=75001]
import {
  RetentionModel,
  calibrate,
  coverage,
  defaultCatalog,
  fairness,
  sampleCustomers,
  simulateOutcomes,
  upliftFor,
  withCalibration,
  type ActionSpec,
  type CalibrateOptions,
  type Plan,
} from '../src/index.js';
import { mulberry32 } from '../src/util/random.js';

const runs = Number(process.argv[2] ?? 20);
const n = Number(process.argv[3] ?? 75_001);
const customers = sampleCustomers({ customers: n, seed: 42 });
const prior = defaultCatalog();
// The calibration-loop example's model.
const modelWith = (catalog: ActionSpec[]) =>
  RetentionModel.create({ name: 'weekly' })
    .actions(catalog)
    .customers(customers, { segment: 'subscription_type' })
    .budget(30_000)
    .capacity('call', 750)
    .capacity('email', 22_500)
    .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 }))
    .use(fairness({ by: 'segment', min: 0.15 }));

// The calibration-loop example's far truth.
const FAR: Record<string, number> = {
  email: 0.12,
  discount: 0.2,
  call: 0.35,
  'free-month': 0.1,
  'in-app': 0.08,
  push: 0,
  playlist: 0,
};
type Truth = (action: string, segment: string | undefined) => number;
// Near: each action's prior (per segment) times 1 ± up to 10%; far: the example's truth ± up to 10%.
function drawTruth(kind: 'near' | 'far', seed: number): Truth {
  const rand = mulberry32(seed);
  const factor = Object.fromEntries(prior.map((a) => [a.id, 0.9 + 0.2 * rand()]));
  return kind === 'near'
    ? (a, s) =>
        Math.min(
          1,
          upliftFor(
            prior.find((x) => x.id === a)!,
            s,
          ) * factor[a]!,
        )
    : (a) => Math.min(1, FAR[a]! * factor[a]!);
}

function trueValue(plan: Plan, truth: Truth): number {
  let s = 0;
  const d = plan.customerData;
  for (const { index: i, action: a } of plan.treated())
    s += d.churnProbability[i]! * truth(a.id, d.segment?.at(i)) * d.value[i]! - a.cost;
  return s;
}

const variants: Record<string, CalibrateOptions> = {
  'floor 1e-4, no test (before)': { minPriorVariance: 1e-4, evidence: 0 },
  'no floor, no test': { evidence: 0 },
  'evidence 0.9': { evidence: 0.9 },
  'evidence 0.99 (now)': {},
};

const uncalibrated = await modelWith(prior).solve();
const results: Record<string, Record<string, number[]>> = { near: {}, far: {} };
const started = performance.now();
for (const kind of ['near', 'far'] as const) {
  for (let run = 0; run < runs; run++) {
    const truth = drawTruth(kind, 7919 * run + (kind === 'far' ? 1 : 0));
    const base = trueValue(uncalibrated, truth);
    for (const [name, options] of Object.entries(variants)) {
      let catalog = prior;
      const plans: Plan[] = [];
      const outcomes: ReturnType<typeof simulateOutcomes>[] = [];
      for (let week = 1; week <= 4; week++) {
        const plan = await modelWith(catalog).solve({ holdout: { fraction: 0.2, seed: 100 * run + week } });
        plans.push(plan);
        outcomes.push(simulateOutcomes(plan, truth, 100_000 * (kind === 'far' ? 2 : 1) + 100 * run + week));
        catalog = withCalibration(prior, calibrate(plans, outcomes, options));
      }
      const value = trueValue(await modelWith(catalog).solve(), truth);
      (results[kind]![name] ??= []).push((value - base) / Math.abs(base));
    }
  }
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
console.log(
  `\n${runs} runs × 4 weeks each, ${n.toLocaleString('en-US')} customers, ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log('true value of the week-5 plan, calibrated vs not calibrated (same truth):\n');
console.log('| truths | shrinkage | mean | worst run | best run | runs worse than not learning |');
console.log('|---|---|---|---|---|---|');
for (const kind of ['near', 'far'] as const) {
  for (const name of Object.keys(variants)) {
    const xs = results[kind]![name]!;
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    console.log(
      `| ${kind} | ${name} | ${pct(mean)} | ${pct(Math.min(...xs))} | ${pct(Math.max(...xs))} | ${xs.filter((x) => x < -1e-9).length} of ${xs.length} |`,
    );
  }
}
