// Where the time goes for one size: building the model from the sample data, compiling it, and
// solving (with the decomposition solver's own account of passes and repair).
//   node --import tsx bench/breakdown.ts <customers> [gapTolerance]
import { referenceModel } from './reference-model.js';

const n = Number(process.argv[2] ?? 1_000_000);
const gapTolerance = Number(process.argv[3] ?? (n >= 10_000_000 ? 1e-5 : 1e-6));
let t = performance.now();
const model = referenceModel(n);
const build = (performance.now() - t) / 1000;
t = performance.now();
model.problem();
const compile = (performance.now() - t) / 1000;
t = performance.now();
const plan = await model.solve({ solver: 'decomposition', gapTolerance });
const solve = (performance.now() - t) / 1000;
console.log(
  JSON.stringify({
    customers: n,
    build,
    compile,
    solve,
    status: plan.status,
    gap: plan.gap,
    solver: plan.solver.message,
    peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
