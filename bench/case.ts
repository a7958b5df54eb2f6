// One benchmark case in a fresh process, so peak memory is this case's alone.
//   npx tsx bench/case.ts <customers> <backend> <gapTolerance> <timeLimit> [warm]
// Reports the first solve in the process ("cold": includes JIT warm-up and loading WebAssembly)
// and, with "warm", a second solve of a freshly built model of the same size and another seed.
import { referenceModel } from './reference-model.js';

const [n, backend, gap, limit, warm] = process.argv.slice(2);
async function timed(seed: number) {
  const model = referenceModel(Number(n), seed);
  const started = performance.now();
  const plan = await model.solve({ solver: backend as 'decomposition', gapTolerance: Number(gap), timeLimit: Number(limit) });
  return { plan, seconds: (performance.now() - started) / 1000 };
}
const cold = await timed(1);
const second = warm === 'warm' ? await timed(2) : null;
const plan = cold.plan;
console.log(JSON.stringify({
  customers: Number(n), backend: plan.solver.name, status: plan.status, seconds: cold.seconds, warmSeconds: second?.seconds ?? null,
  warmStatus: second?.plan.status ?? null, warmGap: second?.plan.gap ?? null,
  objective: plan.objective, bound: plan.bound, gap: plan.gap, iterations: plan.solver.iterations ?? null,
  peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
}));
