// One benchmark case in a fresh process, so peak memory is this case's alone.
//   npx tsx bench/case.ts <customers> <backend> <gapTolerance> <timeLimit>
import { referenceModel } from './reference-model.js';

const [n, backend, gap, limit] = process.argv.slice(2);
const model = referenceModel(Number(n));
const started = performance.now();
const plan = await model.solve({ solver: backend as 'decomposition', gapTolerance: Number(gap), timeLimit: Number(limit) });
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({
  customers: Number(n), backend: plan.solver.name, status: plan.status, seconds,
  objective: plan.objective, bound: plan.bound, gap: plan.gap, iterations: plan.solver.iterations ?? null,
  peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
}));
