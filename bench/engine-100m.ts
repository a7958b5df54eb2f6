// Opt-in (not in npm run bench: it takes about a quarter of an hour and ~10 GB of disk):
//   node --import tsx bench/engine-100m.ts [copies=100] [file=/tmp/retention-100m.duckdb] [duckdbMemory=5GB]
// 100,000,000 customers in a DuckDB file, solved without reading them into Node: the 1,000,000-customer
// reference model put in the engine once (loadProblem), then copied `copies` times in SQL, each copy's
// scores (p·v) scaled by a factor in [0.999, 1.001] from a hash of (customer, copy) so that copies do
// not tie, and every row's limit multiplied by `copies` (each row of the reference model is a count, an
// amount or a share of a set: all scale with the copies). Prints the phases' times, the passes, the
// certified gap and Node's peak memory. docs/benchmarks.md records its output.
import { existsSync, rmSync } from 'node:fs';
import { referenceModel } from './reference-model.js';
import { duckdbEngine } from '../src/solvers/decomposition/engine/duckdb.js';
import { loadProblem, valueColumns, type EngineProblem } from '../src/solvers/decomposition/engine/problem.js';
import { solveInEngine } from '../src/solvers/engine-backend.js';

const copies = Number(process.argv[2] ?? 100);
const file = process.argv[3] ?? '/tmp/retention-100m.duckdb';
// DuckDB runs in this process: its memory limit (beyond it, it spills to disk) bounds the process.
const memoryLimit = process.argv[4] ?? '5GB';
const BASE = 1_000_000;
for (const f of [file, `${file}.wal`]) if (existsSync(f)) rmSync(f);
const engine = await duckdbEngine(file, { memoryLimit });
// Node's own heap (V8), sampled: the process's peak (maxRSS) also holds DuckDB's memory.
let heapPeak = 0;
const sampler = setInterval(() => {
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapTotal);
}, 100);
const t0 = performance.now();
const lap = (what: string) => console.log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const base = await loadProblem(engine, referenceModel(BASE, 1).problem(), 'base');
lap(`reference model of ${BASE.toLocaleString('en-US')} customers loaded (${base.G} groups)`);
const K = base.K;
const scores = base.scores!;
// Each copy's scores scaled by a factor in [0.999, 1.001] from a hash of (customer, copy), and its
// values recomputed from them (w = s · slope − cost: the factored form the passes per class use).
await engine.load('classes', {
  c: Int32Array.from({ length: scores.C }, (_, c) => c),
  ...Object.fromEntries(
    Array.from({ length: K }, (_, k) => [
      `u${k}`,
      Float64Array.from({ length: scores.C }, (_, c) => scores.slope[c * K + k]!),
    ]),
  ),
});
const values = Array.from(
  { length: K },
  (_, k) =>
    `CASE WHEN isnan(q.u${k}) THEN -'inf'::DOUBLE ELSE x.s * q.u${k} - ${scores.cost[k]!.toPrecision(17)} END AS w${k}`,
).join(', ');
await engine.run(
  `CREATE TABLE customers AS SELECT x.i, x.g, x.c, x.s, ${values} FROM (SELECT t.r * ${BASE} + b.i AS i, b.g, b.c, b.s * (0.999 + (hash(b.i, t.r) % 2001) / 1000000.0) AS s FROM base b, range(${copies}) t(r)) x JOIN classes q ON q.c = x.c`,
);
await engine.run('DROP TABLE base');
await engine.run('DROP TABLE classes');
const n = BASE * copies;
lap(`${n.toLocaleString('en-US')} customers written`);
global.gc?.();

const problem: EngineProblem = {
  table: 'customers',
  n,
  K,
  G: base.G,
  rows: base.rows.map((row) => ({ ...row, rhs: row.rhs * copies })),
  scores,
};
const started = performance.now();
let firstPass = NaN;
let lastPass = NaN;
const out = await solveInEngine(
  engine,
  problem,
  {
    gapTolerance: 1e-4,
    onProgress: (p) => {
      if (Number.isNaN(firstPass)) firstPass = p.seconds;
      lastPass = p.seconds;
      if (p.iteration % 10 === 0) lap(`pass ${p.iteration}`);
    },
  },
  'plan',
);
const seconds = (performance.now() - started) / 1000;
lap('solved');
console.log(
  JSON.stringify({
    customers: n,
    status: out.status,
    seconds,
    passes: out.passes,
    firstPassAt: firstPass,
    dualSeconds: lastPass - firstPass,
    objective: out.objective,
    bound: out.bound,
    gap: out.gap,
    violations: out.violations,
    message: out.message,
    duckdbMemoryLimit: memoryLimit,
    processPeakMB: Math.round(process.resourceUsage().maxRSS / 1024),
    nodeHeapPeakMB: Math.round(heapPeak / 2 ** 20),
  }),
);
clearInterval(sampler);
await engine.close();
