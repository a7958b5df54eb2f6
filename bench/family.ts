// npx tsx bench/family.ts [customers=1000000] [models=6]
// The reference shape on a family of generated models (issue 11, item 6: "tuned to one model"):
// several seeds and budget tightness levels, each solved once in this process with gap tolerance
// 1e-6; prints every model and the median and worst gap and time.
import {
  RetentionModel,
  coverage,
  defaultCatalog,
  exclude,
  fairness,
  sampleCustomers,
  saturation,
} from '../src/index.js';

const n = Number(process.argv[2] ?? 1_000_000);
const count = Number(process.argv[3] ?? 6);
const tightness = [0.3, 1.2, 3];

function model(seed: number, budgetPerCustomer: number) {
  return RetentionModel.create({ name: `family-${seed}` })
    .actions(defaultCatalog())
    .customers(sampleCustomers({ customers: n, seed }), { segment: 'subscription_type' })
    .budget(Math.round(n * budgetPerCustomer))
    .capacity('email', Math.round(n * 0.25))
    .capacity('call', Math.round(n * 0.015))
    .capacity('push', Math.round(n * 0.4))
    .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.45 } }, min: 0.55 }))
    .use(coverage({ name: 'premium', where: { segment: { eq: 'Premium' } }, min: 0.35 }))
    .use(saturation({ max: 0.45 }))
    .use(saturation({ action: 'discount', maxCount: Math.round(n * 0.04) }))
    .use(fairness({ by: 'segment', min: 0.12 }))
    .use(exclude({ name: 'do-not-contact', where: { do_not_contact: { eq: true } } }));
}

console.log(`| customers | seed | budget per customer | status | seconds | gap | dual passes |`);
console.log(`| --- | --- | --- | --- | --- | --- | --- |`);
const gaps: number[] = [];
const times: number[] = [];
for (let t = 0; t < count; t++) {
  const seed = 100 + t;
  const b = tightness[t % tightness.length]!;
  const m = model(seed, b);
  const started = performance.now();
  const plan = await m.solve({ solver: 'decomposition', gapTolerance: 1e-6 });
  const seconds = (performance.now() - started) / 1000;
  gaps.push(plan.gap);
  times.push(seconds);
  console.log(
    `| ${n.toLocaleString('en-US')} | ${seed} | ${b} | ${plan.status} | ${seconds.toFixed(2)} | ${plan.gap.toExponential(1)} | ${plan.solver.iterations ?? ''} |`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `\nmedian gap ${median(gaps).toExponential(1)}, worst ${Math.max(...gaps).toExponential(1)}; median ${median(times).toFixed(2)} s, worst ${Math.max(...times).toFixed(2)} s (solves after the first are warm-process figures)`,
);
