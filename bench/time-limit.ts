// npx tsx bench/time-limit.ts [customers=1000000]
// How long after its time limit (or an abort) a decomposition solve returns, on a compiled reference model.
import { referenceModel } from './reference-model.js';

const n = Number(process.argv[2] ?? 1_000_000);
const model = referenceModel(n, 1);
model.problem();
for (const limit of [0.2, 0.6]) {
  const started = performance.now();
  const plan = await model.solve({ solver: 'decomposition', gapTolerance: 1e-12, timeLimit: limit });
  console.log(
    `timeLimit ${limit} s: returned after ${((performance.now() - started) / 1000).toFixed(2)} s, ${plan.status}, ${plan.hasAssignment ? 'with' : 'without'} a plan`,
  );
}
const ac = new AbortController();
setTimeout(() => ac.abort(), 300);
const started = performance.now();
const plan = await model.solve({ solver: 'decomposition', gapTolerance: 1e-12, signal: ac.signal });
console.log(`abort at 0.3 s: returned after ${((performance.now() - started) / 1000).toFixed(2)} s, ${plan.status}`);
