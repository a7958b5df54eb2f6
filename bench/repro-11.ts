import { RetentionModel, coverage, defaultCatalog, fairness, sampleCustomers, saturation } from '../src/index.js';
const [n, seed, budget, solver] = process.argv.slice(2).map((x, i) => (i < 3 ? Number(x) : x)) as [
  number,
  number,
  number,
  string,
];
const model = RetentionModel.create({ name: 'r' })
  .actions(defaultCatalog())
  .customers(sampleCustomers({ customers: n, seed }), { segment: 'subscription_type' })
  .budget(budget)
  .capacity('email', Math.round(n * 0.3))
  .capacity('call', Math.round(n * 0.01))
  .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 }))
  .use(saturation({ max: 0.5 }))
  .use(fairness({ by: 'segment', min: 0.15 }));
const t = performance.now();
try {
  const plan = await model.solve({ solver: (solver ?? 'decomposition') as 'decomposition', gapTolerance: 1e-4 });
  console.log(plan.status, plan.objective, plan.gap, plan.solver, ((performance.now() - t) / 1000).toFixed(2));
} catch (e) {
  console.log('THROW', (e as Error).message, ((performance.now() - t) / 1000).toFixed(2));
}
