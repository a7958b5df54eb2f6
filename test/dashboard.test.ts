// The offline what-if dashboard, in headless Chromium: it opens with no request leaving the page and
// no console error, a slider re-plans, the plans the page makes are the plans Node makes for the same
// settings, and the downloads are the library's exports.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { toCSV } from 'arquero';
import { RetentionModel, callQueue, defaultCatalog, writeDashboard, type Plan } from '../src/index.js';
import { demoModel as referenceModel } from '../examples/demo-model.js';
import { stringifyInSlices } from '../src/util/json-chunks.js';
import { applyScenario, controlsOf, type Scenario } from '../src/dashboard/scenario.js';
import type { PlanFigures } from '../src/dashboard/protocol.js';
import { withPage } from './helpers/browser.js';

type Shown = { figures: PlanFigures; assignments: [string | number, string][] };

// What Node plans for a scenario of the dashboard, warm-started from `previous` as the page's worker is.
async function nodePlan(model: RetentionModel<true, true>, scenario: Scenario, previous?: Plan): Promise<Plan> {
  const doc = model.toJSON();
  return RetentionModel.fromJSON(applyScenario(doc, controlsOf(doc), scenario)).solve({
    solver: 'decomposition',
    ...(previous ? { warmStart: previous } : {}),
  });
}

function expectSamePlan(shown: Shown, plan: Plan): void {
  expect(shown.figures.status).toBe(plan.status);
  expect(Math.abs(shown.figures.objective - plan.objective)).toBeLessThanOrEqual(
    1e-6 * Math.max(1, Math.abs(plan.objective)),
  );
  const node = [...plan.treated()].map((t) => `${t.customer}\u0000${t.action.id}`).sort();
  const page = shown.assignments.map(([c, a]) => `${c}\u0000${a}`).sort();
  expect(page.length).toBe(node.length);
  expect(page).toEqual(node);
}

// Moves a slider as a person does (input events while dragging, change on release) and waits for the re-plan.
async function slide(page: Page, key: string, value: number): Promise<Shown> {
  const before = await page.evaluate(() => (window as unknown as { dashboard: { plans: number } }).dashboard.plans);
  await page.$eval(
    `input[data-key="${key}"]`,
    (el, v) => {
      const input = el as HTMLInputElement;
      input.value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    value,
  );
  await page.waitForFunction(
    (n) => (window as unknown as { dashboard: { plans: number } }).dashboard.plans > n,
    before,
    {
      timeout: 60_000,
    },
  );
  return page.evaluate(() => (window as unknown as { dashboard: { shown(): Shown } }).dashboard.shown());
}

const card = (page: Page, label: string) =>
  page.$$eval(
    '.card',
    (cards, l) => cards.find((c) => c.firstChild?.textContent === l)?.querySelector('b')?.textContent ?? null,
    label,
  );

describe("the dashboard's settings", () => {
  it('turn into the model file: a rule set, added, or removed when its control is off; the holdout on the model', async () => {
    const model = await referenceModel(2_000);
    const doc = model.toJSON();
    const controls = controlsOf(doc);
    const byKey = Object.fromEntries(controls.map((c) => [c.key, c]));
    expect(byKey['capacity:in-app']).toMatchObject({ value: 2_000, off: 2_000 });
    expect(byKey.holdout!.value).toBe(0.1);
    const edited = applyScenario(doc, controls, {
      'capacity:in-app': 100,
      saturation: 1,
      'coverage:high-risk': 0.8,
      holdout: 0,
      budget: 900,
    });
    const rules = edited.constraints!;
    expect(rules.filter((r) => r.type === 'capacity' && r.channel === 'in-app')).toEqual([
      { type: 'capacity', channel: 'in-app', max: 100 },
    ]);
    expect(rules.some((r) => r.type === 'saturation')).toBe(false);
    expect(rules.find((r) => r.name === 'high-risk')).toMatchObject({ min: 0.8 });
    expect(rules.find((r) => r.type === 'budget')).toMatchObject({ max: 900 });
    expect(edited.holdout).toBeUndefined();
    expect(doc.constraints!.some((r) => r.type === 'saturation')).toBe(true); // the model's file is left as it was
    const plan = await RetentionModel.fromJSON(edited).solve();
    expect(plan.rows.find((r) => r.name === 'capacity:in-app')!.lhs).toBeLessThanOrEqual(100);
    expect(plan.rows.find((r) => r.type === 'budget')!.lhs).toBeLessThanOrEqual(900 + 1e-6);
    expect(plan.holdoutOptions).toBeNull();
    // Every setting at the model's own value gives the model's own file back.
    expect(applyScenario(doc, controls, Object.fromEntries(controls.map((c) => [c.key, c.value])))).toEqual(doc);
  });
});

describe('the model file in the page', () => {
  it('is written in slices (the event loop turns between them) and is the text JSON.stringify writes', async () => {
    const doc = (await referenceModel(80_000)).toJSON();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const text = await stringifyInSlices(doc);
    clearInterval(timer);
    expect(text).toBe(JSON.stringify(doc));
    expect(ticks).toBeGreaterThan(0);
    const odd = {
      a: undefined,
      b: [1, undefined, NaN, null],
      c: { d: 'x</script>' },
      e: Array.from({ length: 70_000 }, (_, i) => (i % 3 ? i : undefined)),
    };
    expect(await stringifyInSlices(odd)).toBe(JSON.stringify(odd));
  });
});

describe('writeDashboard', () => {
  it('at 75,001 customers: offline, re-plans on a slider, and plans as Node does', async () => {
    const model = await referenceModel(75_001);
    const dir = mkdtempSync(join(tmpdir(), 'ro-dashboard-'));
    const path = join(dir, 'dashboard.html');
    await writeDashboard(model, path);
    expect(statSync(path).size).toBeLessThanOrEqual(15 * 1024 * 1024);
    const html = readFileSync(path, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(html).toContain('Content-Security-Policy'); // default-src 'none': the browser itself refuses any request

    const first = await nodePlan(model, {});
    const doc = model.toJSON();
    const controls = controlsOf(doc);
    expect(controls.map((c) => c.key)).toEqual([
      'budget',
      'capacity:email',
      'capacity:call',
      'capacity:in-app',
      'capacity:push',
      'coverage:high-risk',
      'coverage:premium',
      'saturation',
      'fairness',
      'holdout',
    ]);
    const ran = await withPage(path, async (page, problems) => {
      await page.waitForFunction(
        () => (window as unknown as { dashboard?: { plans: number } }).dashboard?.plans === 1,
        null,
        {
          timeout: 60_000,
        },
      );
      const shown = await page.evaluate(() =>
        (window as unknown as { dashboard: { shown(): Shown } }).dashboard.shown(),
      );
      expectSamePlan(shown, first);
      const spendBefore = await card(page, 'Spend');
      expect(spendBefore).toBe('$30,000');

      // The budget slider: cards change, and the plan is Node's for the same setting, warm-started alike.
      const second = await slide(page, 'budget', 20_000);
      expect(await card(page, 'Spend')).toBe('$20,000');
      expectSamePlan(second, await nodePlan(model, { budget: 20_000 }, first));
      expect(await page.$$eval('#charts svg', (s) => s.length)).toBe(5);
      expect(await page.$eval('#action-mix-table', (t) => t.textContent)).toContain('Push Notification');

      // Keep it, then a call-capacity change: the kept list compares the two.
      await page.click('#keep');
      const third = await slide(page, 'capacity:call', 2_000);
      const node2 = await nodePlan(model, { budget: 20_000 }, first);
      const node3 = await nodePlan(model, { budget: 20_000, 'capacity:call': 2_000 }, node2);
      expectSamePlan(third, node3);
      await page.click('#keep');
      expect(await page.$$eval('#kept tbody tr', (r) => r.length)).toBe(2);
      expect(await page.$eval('#kept', (k) => k.textContent)).toContain('call capacity: 2,000');

      // The budget sweep adds its three charts and its table, for the plan shown.
      const before = await page.evaluate(() => (window as unknown as { dashboard: { plans: number } }).dashboard.plans);
      await page.click('#sweep');
      await page.waitForFunction(
        (n) => (window as unknown as { dashboard: { plans: number } }).dashboard.plans > n,
        before,
        {
          timeout: 60_000,
        },
      );
      expect(await page.$$eval('#charts svg', (s) => s.length)).toBe(8);
      expect(await page.$$eval('#sensitivity tbody tr', (r) => r.length)).toBe(7);
      expect(await page.$eval('#sensitivity tbody tr:nth-child(4)', (r) => r.textContent)).toContain('$20,000');

      // Downloads are the library's exports of the plan shown.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('button[data-file="call-queue.csv"]'),
      ]);
      const csv = readFileSync((await download.path())!, 'utf8')
        .trim()
        .split('\n');
      expect(csv[0]).toBe('rank,customer,value,churnProbability,action,actionName,segment');
      expect(csv.slice(1)).toEqual(toCSV(callQueue(node3)).trim().split('\n').slice(1));
      expect(csv.length - 1).toBeLessThan(third.assignments.filter(([, a]) => a === 'call').length); // the holdout is not called
      expect(problems).toEqual([]);
    });
    if (!ran) return;
  }, 240_000);

  it('keeps hostile ids and names inert and neutralizes formula cells in downloads', async () => {
    const ids = ['</script><script>window.pwned=1</script>', '=HYPERLINK("http://x")', '<!--', '007', 'plain'];
    const model = RetentionModel.create({ name: '<b>bold</b> & co' })
      .actions(
        defaultCatalog().map((a) => (a.id === 'email' ? { ...a, name: '<img src=x onerror="window.pwned=2">' } : a)),
      )
      .customers({
        id: ids,
        churnProbability: [0.9, 0.8, 0.7, 0.6, 0.5],
        value: [300, 200, 100, 50, 20],
        segment: ['Premium', 'Free', '<i>x</i>', 'Family', 'Free'],
      })
      .budget(100);
    const dir = mkdtempSync(join(tmpdir(), 'ro-dashboard-'));
    const path = join(dir, 'dashboard.html');
    await writeDashboard(model, path);
    const node = await nodePlan(model, {});
    await withPage(path, async (page, problems) => {
      await page.waitForFunction(
        () => (window as unknown as { dashboard?: { plans: number } }).dashboard?.plans === 1,
        null,
        {
          timeout: 60_000,
        },
      );
      expectSamePlan(
        await page.evaluate(() => (window as unknown as { dashboard: { shown(): Shown } }).dashboard.shown()),
        node,
      );
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.title()).toBe('What if: <b>bold</b> & co');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('button[data-file="treatment-plan.csv"]'),
      ]);
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
      expect(csv).toContain('\n007,');
      expect(problems).toEqual([]);
    });
  }, 120_000);
});
