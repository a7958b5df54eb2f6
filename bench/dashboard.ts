// npm run bench:dashboard [customers…]
// The offline dashboard in headless Chromium (issue 15): the file's size, open → first plan shown, and
// each re-plan after a slider moves (input event → cards, charts and tables redrawn), with the solve's
// own time in the page beside the same solve in Node (same scenario, same warm start) in this run.
import { statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { RetentionModel, writeDashboard, type Plan } from '../src/index.js';
import { applyScenario, controlsOf, type Scenario } from '../src/dashboard/scenario.js';
import { demoModel } from '../examples/demo-model.js';

const sizes = process.argv.slice(2).map(Number);
const STEPS: Scenario[] = [
  { budget: 20_000 },
  { budget: 40_000 },
  { budget: 10_000 },
  { 'capacity:call': 2_000 },
  { 'coverage:high-risk': 0.8 },
  { saturation: 0.3 },
  { fairness: 0.25 },
  { holdout: 0.2 },
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const n of sizes.length ? sizes : [75_001]) {
  const model = await demoModel(n);
  const dir = mkdtempSync(join(tmpdir(), 'ro-bench-dashboard-'));
  const path = join(dir, 'dashboard.html');
  let t = performance.now();
  await writeDashboard(model, path);
  const writeSeconds = (performance.now() - t) / 1000;
  const mb = statSync(path).size / 1024 / 1024;

  // Node: the same scenarios in the same order, each warm-started from the previous plan.
  const doc = model.toJSON();
  const controls = controlsOf(doc);
  const node: { seconds: number; objective: number }[] = [];
  let previous: Plan | undefined;
  let scenario: Scenario = {};
  for (const step of [{}, ...STEPS]) {
    scenario = { ...scenario, ...step };
    const m = RetentionModel.fromJSON(applyScenario(doc, controls, scenario));
    const p = await m.solve({
      solver: 'decomposition',
      ...(previous ? { warmStart: previous } : {}),
    });
    if (p.hasAssignment) previous = p;
    node.push({ seconds: p.solver.seconds, objective: p.objective });
  }

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  t = performance.now();
  await page.goto(`file://${path}`);
  await page.waitForFunction(() => (window as any).dashboard?.plans === 1, null, { timeout: 120_000 });
  const firstSeconds = (performance.now() - t) / 1000;
  const first = await page.evaluate(() => (window as any).dashboard.shown().figures);
  console.log(
    `\nDashboard, ${n.toLocaleString('en-US')} customers: file ${mb.toFixed(1)} MB (written in ${writeSeconds.toFixed(2)} s); open → first plan shown ${firstSeconds.toFixed(2)} s (solve in the page ${first.seconds.toFixed(2)} s, in Node ${node[0]!.seconds.toFixed(2)} s)\n`,
  );
  console.log('| slider moved | re-plan shown s | solve in page s | solve in Node s | page / Node | same objective |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const replans: number[] = [];
  for (const [j, step] of STEPS.entries()) {
    const [key, value] = Object.entries(step)[0]!;
    const before = await page.evaluate(() => (window as any).dashboard.plans);
    t = performance.now();
    await page.$eval(
      `input[data-key="${key}"]`,
      (el, v) => {
        (el as HTMLInputElement).value = String(v);
        el.dispatchEvent(new Event('change', { bubbles: true }));
      },
      value,
    );
    await page.waitForFunction((b) => (window as any).dashboard.plans > b, before, { timeout: 120_000 });
    const seconds = (performance.now() - t) / 1000;
    replans.push(seconds);
    const f = await page.evaluate(() => (window as any).dashboard.shown().figures);
    const nd = node[j + 1]!;
    const same = Math.abs(f.objective - nd.objective) <= 1e-6 * Math.max(1, Math.abs(nd.objective));
    console.log(
      `| ${key} = ${value} | ${seconds.toFixed(2)} | ${f.seconds.toFixed(3)} | ${nd.seconds.toFixed(3)} | ${(f.seconds / nd.seconds).toFixed(2)}× | ${same ? 'yes' : `no (${f.objective} vs ${nd.objective})`} |`,
    );
  }
  console.log(`\nre-plan shown: median ${median(replans).toFixed(2)} s, slowest ${Math.max(...replans).toFixed(2)} s`);
  await browser.close();
}
