// npx tsx bench/known-feasible.ts [runs=300] [solver=decomposition|auto|duckdb] [seed]
// The property of test/known-feasible.test.ts at full size: models of 2,000–20,000 customers with a
// known feasible plan; counts runs, throws and statuses, and prints the worst gap and time.
import fc from 'fast-check';
import { buildKnownFeasible, knownFeasible } from '../test/helpers/known-feasible.js';

const runs = Number(process.argv[2] ?? 300);
const solver = (process.argv[3] ?? 'decomposition') as 'decomposition' | 'auto' | 'duckdb';
const seed = Number(process.argv[4] ?? 1);
const samples = fc.sample(knownFeasible(2_000, 20_000), { numRuns: runs, seed });
const status = new Map<string, number>();
const failures: string[] = [];
const times: number[] = [];
let worstGap = 0;
let phase1 = 0;
for (const k of samples) {
  const started = performance.now();
  try {
    const plan = await buildKnownFeasible(k).solve({ solver, gapTolerance: 1e-4 });
    times.push((performance.now() - started) / 1000);
    status.set(plan.status, (status.get(plan.status) ?? 0) + 1);
    if (plan.solver.message?.includes('feasibility phase')) phase1++;
    const bad = (plan.status !== 'optimal' && plan.status !== 'feasible') || plan.rows.some((r) => r.slack < 0);
    if (bad) failures.push(`${JSON.stringify(k)}: ${plan.status} ${plan.solver.message ?? ''}`);
    else worstGap = Math.max(worstGap, plan.gap);
  } catch (e) {
    failures.push(`${JSON.stringify(k)}: threw ${(e as Error).message}`);
  }
}
times.sort((a, b) => a - b);
const q = (f: number) => times[Math.min(times.length - 1, Math.floor(f * times.length))]?.toFixed(2);
console.log(`| solver | runs | failures | statuses | feasibility phase used | worst gap | median s | p95 s | max s |`);
console.log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
console.log(
  `| ${solver} | ${runs} | ${failures.length} | ${[...status].map(([s, c]) => `${s} ${c}`).join(', ')} | ${phase1} | ${worstGap.toExponential(1)} | ${q(0.5)} | ${q(0.95)} | ${q(1)} |`,
);
for (const f of failures) console.log(`failure: ${f}`);
