// npm run bench:parquet [-- sizes…]   (default 1,000,000 and 10,000,000)
// Issue 16, part 2: the reference model's customers from a Parquet file to a verified plan, against the
// same customers already in memory. Each case runs in a fresh process; the file (the sample's 11
// columns, written once by hyparquet-writer into the temp folder) is read by readTable column by column.
//   npx tsx bench/parquet.ts case <n> memory|parquet <file>   one case, printed as JSON
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTable, sampleCustomers } from '../src/index.js';
import { parquetBytes } from '../src/data/parquet.js';
import { referenceModel } from './reference-model.js';

const [mode, ...rest] = process.argv.slice(2);
const gapFor = (n: number) => (n >= 10_000_000 ? 1e-5 : 1e-6);

if (mode === 'case') {
  const [ns, source, file] = rest;
  const n = Number(ns);
  const started = performance.now();
  const table = source === 'parquet' ? await readTable(file!, 'customers') : sampleCustomers({ customers: n, seed: 1 });
  const read = (performance.now() - started) / 1000;
  const t = performance.now();
  // The same table-to-plan steps for both sources (the in-memory case once built a second sample here).
  const plan = await referenceModel(n, 1, undefined, 'factored', table).solve({
    solver: 'decomposition',
    gapTolerance: gapFor(n),
  });
  console.log(
    JSON.stringify({
      read,
      solve: (performance.now() - t) / 1000,
      status: plan.status,
      objective: plan.objective,
      gap: plan.gap,
      peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} else {
  const sizes = (mode ? [mode, ...rest] : ['1000000', '10000000']).map(Number);
  console.log(
    '\nCustomers from Parquet (readTable: column chunks into typed columns) vs in memory, the reference model, decomposition; fresh process per case\n',
  );
  console.log(
    '| customers | file MB | source | read s | model + solve s | total s | vs in-memory solve | status | same objective | peak MB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const n of sizes) {
    const file = join(tmpdir(), `ro-bench-customers-${n}.parquet`);
    if (!existsSync(file)) writeFileSync(file, parquetBytes(sampleCustomers({ customers: n, seed: 1 })));
    const run = (source: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', 'bench/parquet.ts', 'case', String(n), source, file], {
          encoding: 'utf8',
          env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' },
        }),
      ) as { read: number; solve: number; status: string; objective: number; gap: number; peakMB: number };
    const memory = run('memory');
    const parquet = run('parquet');
    const mb = (statSync(file).size / 1024 / 1024).toFixed(0);
    const same =
      Math.abs(parquet.objective - memory.objective) <=
      Math.max(memory.gap, parquet.gap, 1e-9) * Math.abs(memory.objective);
    for (const [name, r] of [
      ['in memory', memory],
      ['Parquet', parquet],
    ] as const) {
      const total = name === 'in memory' ? r.solve : r.read + r.solve;
      console.log(
        `| ${n.toLocaleString('en-US')} | ${mb} | ${name} | ${name === 'in memory' ? '—' : r.read.toFixed(2)} | ${r.solve.toFixed(2)} | ${total.toFixed(2)} | ${(total / memory.solve).toFixed(2)}× | ${r.status} | ${name === 'in memory' ? '' : same ? 'yes' : 'no'} | ${r.peakMB} |`,
      );
    }
  }
}
