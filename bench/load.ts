// Loading benchmark: prediction.csv + test.csv of 75,001 customers each, read by arquero and joined.
//   npx tsx bench/load.ts [customers]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCustomers, writeSampleData } from '../src/index.js';

const n = Number(process.argv[2] ?? 75_001);
const paths = await writeSampleData(join(mkdtempSync(join(tmpdir(), 'ro-load-')), 'data'), { customers: n });
const times: number[] = [];
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  const loaded = await loadCustomers(paths);
  times.push(performance.now() - t);
  if (loaded.table.numRows() !== n) throw new Error('row count');
}
times.sort((a, b) => a - b);
console.log(
  `load + join of ${n.toLocaleString('en-US')} + ${n.toLocaleString('en-US')} rows from CSV: median ${(times[2]! / 1000).toFixed(3)} s (min ${(times[0]! / 1000).toFixed(3)} s, 5 runs)`,
);
