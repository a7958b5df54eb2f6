// npm run bench [-- --10m] [-- --quick]
// Solves the reference model (7 actions, 23 coupling rows, every constraint type) at several sizes
// with each backend in its own process, and prints one table with the time ratio measured in this run
// and the longest event-loop stall during the solve; then the same model with fairness by thousands
// of postcodes (thousands of rows); then the dashboard in headless Chromium; then the property run over
// models with a known feasible plan.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { referenceHistory } from './reference-model.js';

interface Row {
  customers: number;
  backend: string;
  status: string;
  seconds: number;
  warmSeconds: number | null;
  warmGap: number | null;
  objective: number;
  bound: number;
  gap: number;
  iterations: number | null;
  peakMB: number;
  /** The most memory sampled during the first solve (MiB). */
  solvePeakMB: number;
  rows: number;
  stallMs: number;
  planHash: string;
  /** With a history: customers held back per policy, and customers breaking one (independent check). */
  heldBack?: number[];
  policyViolations?: number;
}

const args = new Set(process.argv.slice(2));
const sizes = args.has('--quick') ? [1_000, 10_000, 75_000] : [1_000, 10_000, 75_000, 1_000_000];
if (args.has('--10m')) sizes.push(10_000_000);
const HIGHS_MAX = 10_000; // beyond this the HiGHS MILP does not finish in minutes (see docs/benchmarks.md)
const gapFor = (n: number) => (n >= 10_000_000 ? '1e-5' : '1e-6');

function once(
  n: number,
  backend: string,
  mode: 'cold' | 'warm',
  postcodes?: number,
  gap = gapFor(n),
  values?: string,
  threads?: number,
  input: 'held' | 'freed' = 'held',
): Row {
  const out = execFileSync(
    process.execPath,
    [
      ...(input === 'freed' ? ['--expose-gc'] : []),
      '--import',
      'tsx',
      'bench/case.ts',
      String(n),
      backend,
      gap,
      '600',
      mode,
      String(postcodes ?? 0),
      values ?? 'factored',
      threads === undefined ? 'auto' : String(threads),
      input,
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' },
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Row;
}

// Peak memory and first-solve time from a process that solves once; the warm time from another.
function run(n: number, backend: string): Row {
  const cold = once(n, backend, 'cold');
  if (backend !== 'decomposition' || n > 1_000_000) return cold;
  const warm = once(n, backend, 'warm');
  return { ...cold, warmSeconds: warm.warmSeconds, warmGap: warm.warmGap };
}

const rows: (Row & { ratio: string })[] = [];
for (const n of sizes) {
  const dec = run(n, 'decomposition');
  rows.push({ ...dec, ratio: '1' });
  if (n <= HIGHS_MAX) {
    const exact = run(n, 'highs');
    rows.push({ ...exact, ratio: `${(exact.seconds / dec.seconds).toFixed(1)}× decomposition` });
  }
  process.stderr.write(`  done ${n.toLocaleString('en-US')}\n`);
}

const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const header = [
  'customers',
  'backend',
  'status',
  'seconds (first solve)',
  'seconds (warm process)',
  'objective',
  'bound',
  'gap',
  'dual passes',
  'peak MB',
  'longest event-loop stall ms',
  'time vs decomposition',
];
const table = rows.map((r) => [
  r.customers.toLocaleString('en-US'),
  r.backend,
  r.status,
  fmt(r.seconds, 3),
  r.warmSeconds === null ? '' : `${fmt(r.warmSeconds, 3)} (gap ${r.warmGap!.toExponential(1)})`,
  fmt(r.objective),
  fmt(r.bound),
  r.gap.toExponential(1),
  r.backend === 'decomposition' && r.iterations !== null ? String(r.iterations) : '',
  String(r.peakMB),
  fmt(r.stallMs, 0),
  r.ratio,
]);
console.log(
  `\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
);
console.log(
  'seconds: model built → verified plan (compile, solve, verification), each case in a fresh process; "first solve" is the first in the process (JIT warm-up and WebAssembly loading included), "warm process" a second solve there of a freshly built model of the same size (seed 2); gap tolerance 1e-6 (1e-5 at 10,000,000); threads auto (every core from 1,000,000 customers)\n',
);
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map(() => '---').join(' | ')} |`);
for (const r of table) console.log(`| ${r.join(' | ')} |`);

// Threads (issue 16): the same solve on one thread and on every core, in fresh processes; the plans
// must be the same bit for bit (the hash of the choice vector).
console.log(
  `\nThreads: the reference model on one thread and on ${cpus().length} (solve({ threads })); decomposition, gap tolerance 1e-6 (1e-5 at 10,000,000), first solve in a fresh process; ratio to one thread measured here; "same plan": the choice vectors are equal\n`,
);
console.log(
  'peak MB: the whole process (maxRSS), the caller\'s table of customers held as the script holds it (V8 collects it late or never: the solve allocates little on its heap); "solve, table freed": the most memory sampled during the solve in another process that dropped and collected the table first (the library\'s own: its copy of the customers, the compiled model, the solve)\n',
);
console.log(
  '| customers | threads | status | seconds | vs 1 thread | objective | gap | same plan | peak MB | peak MB in the solve, table freed | longest event-loop stall ms |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const n of args.has('--quick') ? [300_000] : [1_000_000, 10_000_000]) {
  const one = once(n, 'decomposition', 'cold', 0, gapFor(n), 'factored', 1);
  const all = once(n, 'decomposition', 'cold', 0, gapFor(n), 'factored', cpus().length);
  for (const [t, r] of [
    [1, one],
    [cpus().length, all],
  ] as const) {
    const freed = once(n, 'decomposition', 'cold', 0, gapFor(n), 'factored', t, 'freed');
    console.log(
      `| ${n.toLocaleString('en-US')} | ${t} | ${r.status} | ${fmt(r.seconds, 3)} | ${(r.seconds / one.seconds).toFixed(2)}× | ${fmt(r.objective)} | ${r.gap.toExponential(1)} | ${r.planHash === one.planHash ? 'yes' : 'NO'} | ${r.peakMB} | ${freed.solvePeakMB} | ${fmt(r.stallMs, 0)} |`,
    );
  }
}

// The decomposition in DuckDB (issue 16): the same model through solve({ solver: 'duckdb' }) (customers put into
// an in-memory DuckDB, passes per class on sorted scores, plan, repair and verification as queries).
console.log(
  '\nIn a SQL engine: the reference model solved in DuckDB (solve({ solver: \'duckdb\' }): loading the customers into an in-memory DuckDB included) against the in-memory decomposition; gap tolerance 1e-6 (1e-5 at 10,000,000), first solve in a fresh process; "agree": the objectives within the wider certified gap of each other. 100,000,000 customers in a DuckDB file: bench/engine-100m.ts (opt-in), recorded below the table in docs/benchmarks.md\n',
);
console.log(
  '| customers | backend | status | seconds | vs in memory | objective | gap | dual passes | agree | peak MB |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const n of args.has('--quick') ? [75_000] : [1_000_000, 10_000_000]) {
  const memory = once(n, 'decomposition', 'cold', 0, gapFor(n));
  const engine = once(n, 'duckdb', 'cold', 0, gapFor(n));
  const within = Math.max(memory.gap, engine.gap, 1e-12) * Math.max(memory.bound, engine.bound);
  for (const r of [memory, engine])
    console.log(
      `| ${n.toLocaleString('en-US')} | ${r.backend} | ${r.status} | ${fmt(r.seconds, 2)} | ${(r.seconds / memory.seconds).toFixed(1)}× | ${fmt(r.objective)} | ${r.gap.toExponential(1)} | ${r.iterations ?? ''} | ${r === memory ? '' : Math.abs(r.objective - memory.objective) <= within ? 'yes' : 'NO'} | ${r.peakMB} |`,
    );
}

// Values per customer (issue 10): an uplift model's figure per (customer, action), then also costs per customer.
console.log(
  '\nValues per customer: the reference model with an uplift per (customer, action) (`uplift`), plus the discount and free month costing a share of the fee (`uplift+fee`: a few distinct costs, grouped), or the call and free month costing a figure per customer (`uplift+cost`: the budget priced customer by customer); decomposition, gap tolerance 1e-6, first solve in a fresh process; ratio to the factored model of the same size measured here\n',
);
console.log(
  '| customers | values | status | seconds | vs factored | gap | dual passes | peak MB | longest event-loop stall ms |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const n of args.has('--quick') ? [75_000] : [75_000, 1_000_000]) {
  const factored = once(n, 'decomposition', 'cold', 0, '1e-6');
  for (const kind of ['factored', 'uplift', 'uplift+fee', 'uplift+cost']) {
    const r = kind === 'factored' ? factored : once(n, 'decomposition', 'cold', 0, '1e-6', kind);
    console.log(
      `| ${n.toLocaleString('en-US')} | ${kind} | ${r.status} | ${fmt(r.seconds, 3)} | ${(r.seconds / factored.seconds).toFixed(1)}× | ${r.gap.toExponential(1)} | ${r.iterations ?? ''} | ${r.peakMB} | ${fmt(r.stallMs, 0)} |`,
    );
  }
}

// Contact history and policies (issue 13): the reference model with four weeks of history (about 25% of
// customers contacted each week) and four policies; an independent check of history + plan per case.
console.log(
  '\nContact history: the reference model plus four weeks of history and four contact policies (2 contacts in 28 days, a call every 28 days, no action repeated within 21 days, no contact after an opt-out); decomposition, gap tolerance 1e-6, first solve in a fresh process (compile, which applies the policies, included); ratio to the model without history measured here; "breaking a policy" is an independent check of history + plan\n',
);
console.log(
  '| customers | contacts in history | status | seconds | vs no history | gap | peak MB | longest event-loop stall ms | customers held back (do-not-contact, 2 in 28 d, call, repeat, opt-out) | customers breaking a policy |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const n of args.has('--quick') ? [75_000] : [75_000, 1_000_000]) {
  const base = once(n, 'decomposition', 'cold', 0, '1e-6');
  const r = once(n, 'decomposition', 'cold', 0, '1e-6', 'history');
  const contacts = referenceHistory(
    Array.from({ length: n }, (_, i) => i),
    ['x'],
  ).customerId.length;
  console.log(
    `| ${n.toLocaleString('en-US')} | ${contacts.toLocaleString('en-US')} | ${r.status} | ${fmt(r.seconds, 3)} | ${(r.seconds / base.seconds).toFixed(1)}× | ${r.gap.toExponential(1)} | ${r.peakMB} | ${fmt(r.stallMs, 0)} | ${(r.heldBack ?? []).map((x) => x.toLocaleString('en-US')).join(', ')} | ${r.policyViolations} |`,
  );
}

// Two actions per customer (issue 13): 7 actions make 28 options; with and without the history above.
console.log(
  '\nTwo actions per customer: the reference model with maxActionsPerCustomer(2) (7 actions, 28 options: every pair), without and with the four weeks of history and policies above; decomposition, gap tolerance 1e-6, first solve in a fresh process; ratio to the same model with one action per customer, measured here\n',
);
console.log(
  '| customers | history | actions per customer | status | seconds | vs one action | gap | dual passes | peak MB | longest event-loop stall ms | customers breaking a policy |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const n of args.has('--quick') ? [75_000] : [75_000, 1_000_000]) {
  for (const history of [false, true]) {
    const one = once(n, 'decomposition', 'cold', 0, '1e-6', history ? 'history' : 'factored');
    const two = once(n, 'decomposition', 'cold', 0, '1e-6', history ? 'history+multi' : 'multi');
    for (const [m, r] of [
      [1, one],
      [2, two],
    ] as const)
      console.log(
        `| ${n.toLocaleString('en-US')} | ${history ? '4 weeks' : 'none'} | ${m} | ${r.status} | ${fmt(r.seconds, 3)} | ${(r.seconds / one.seconds).toFixed(2)}× | ${r.gap.toExponential(1)} | ${r.iterations ?? ''} | ${r.peakMB} | ${fmt(r.stallMs, 0)} | ${r.policyViolations ?? ''} |`,
      );
  }
}

// Thousands of coupling rows: fairness by a postcode-like column (issue 11: 4,000 values used to take minutes).
console.log(
  '\nMany coupling rows: the reference model plus fairness ≥ 15% by a postcode-like column; gap tolerance 1e-4, first solve in a fresh process\n',
);
console.log('| customers | postcodes | rows | status | seconds | gap | peak MB | longest event-loop stall ms |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [n, postcodes] of [
  [100_000, 1_000],
  [28_000, 4_000],
] as const) {
  const r = once(n, 'decomposition', 'cold', postcodes, '1e-4');
  console.log(
    `| ${n.toLocaleString('en-US')} | ${postcodes.toLocaleString('en-US')} | ${r.rows.toLocaleString('en-US')} | ${r.status} | ${fmt(r.seconds, 2)} | ${r.gap.toExponential(1)} | ${r.peakMB} | ${fmt(r.stallMs, 0)} |`,
  );
}

// A bench script of its own, in a fresh process; its output.
const script = (file: string, ...scriptArgs: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', file, ...scriptArgs], { encoding: 'utf8', maxBuffer: 1 << 20 });

// Customers from Parquet (issue 16): read + solve against the same customers in memory.
console.log(script('bench/parquet.ts', ...(args.has('--quick') ? ['1000000'] : ['1000000', '10000000'])).trimEnd());

// The offline dashboard in headless Chromium (issue 15): open → first plan, and re-plans after a slider.
if (existsSync('/usr/bin/chromium')) console.log(script('bench/dashboard.ts', '75001').trimEnd());
else console.log('\nDashboard: skipped (no /usr/bin/chromium)');

// The property of test/known-feasible.test.ts at full size (auto polishes small models with highs: fewer runs).
if (!args.has('--quick')) {
  console.log(
    '\nModels with a known feasible plan, 2,000–20,000 customers (bench/known-feasible.ts), gap tolerance 1e-4\n',
  );
  for (const [solver, runs] of [
    ['decomposition', 300],
    ['auto', 40],
  ] as const) {
    const lines = script('bench/known-feasible.ts', String(runs), solver).trim().split('\n');
    console.log(solver === 'decomposition' ? lines.join('\n') : lines.slice(2).join('\n'));
  }
}
