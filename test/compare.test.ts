import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compare,
  contactLimit,
  InvalidInputError,
  RetentionModel,
  writeReport,
  type ActionSpec,
} from '../src/index.js';
import { withPage } from './helpers/browser.js';

const catalog: ActionSpec[] = [
  { id: 'email', channel: 'email', cost: 1, uplift: 0.05 },
  { id: 'call', channel: 'call', cost: 20, uplift: 0.4 },
];
const make = (n: number, from = 0) => ({
  id: Array.from({ length: n }, (_, i) => `c${from + i}`),
  churnProbability: Array.from({ length: n }, (_, i) => 0.2 + ((from + i) % 9) / 12),
  value: Array.from({ length: n }, (_, i) => 150 + 7 * (from + i)),
});
const model = RetentionModel.create().actions(catalog).customers(make(60)).budget(300);

describe('compare: scenarios side by side', () => {
  it('headline deltas, action mix, moves and rows agree with the plans', async () => {
    const a = await model.solve({ solver: 'highs' });
    const b = await model.without('budget').budget(600).solve({ solver: 'highs' });
    const c = compare(a, b, { names: ['300', '600'], chosen: '600' });
    const [ha, hb] = c.headline.objects();
    expect(ha).toMatchObject({ scenario: '300', chosen: false, netValueChange: 0 });
    expect(hb!.chosen).toBe(true);
    expect(hb!.netValueChange).toBeCloseTo(b.objective - a.objective, 9);
    const calls = (p: typeof a) => [...p.treated()].filter((t) => t.action.id === 'call').length;
    const mix = c.actionMix.objects().find((r) => r.action === 'call')!;
    expect(mix).toMatchObject({ '300': calls(a), '600': calls(b), change: calls(b) - calls(a) });
    // Every customer whose action differs is counted once in moves.
    const before = new Map([...a.treated()].map((t) => [t.customer, t.action.id]));
    const after = new Map([...b.treated()].map((t) => [t.customer, t.action.id]));
    let moved = 0;
    for (const id of make(60).id) if ((before.get(id) ?? '(none)') !== (after.get(id) ?? '(none)')) moved++;
    expect(c.moves.objects().reduce((s, m) => s + m.customers, 0)).toBe(moved);
    expect(c.rows.objects().map((r) => [r.row, r.scenario, r.limit])).toEqual([
      ['budget', '300', 300],
      ['budget', '600', 600],
    ]);
  });

  it('matches customers by id across different customer bases, and names bad arguments', async () => {
    const a = await model.solve({ solver: 'highs' });
    const next = RetentionModel.create().actions(catalog).customers(make(60, 10)).budget(300);
    const b = await next.solve({ solver: 'highs', warmStart: a });
    expect(b.status).toBe('optimal');
    const c = compare(a, b);
    const moves = c.moves.objects();
    const gone = moves.filter((m) => m.to === '(not in base)').reduce((s, m) => s + m.customers, 0);
    const added = moves.filter((m) => m.from === '(not in base)').reduce((s, m) => s + m.customers, 0);
    expect(gone).toBe(10);
    expect(added).toBe(10);
    expect(() => compare(a)).toThrow(InvalidInputError);
    expect(() => compare(a, b, { names: ['x', 'x'] })).toThrow(/compare\.names/);
    expect(() => compare(a, b, { chosen: 'C' })).toThrow(/compare\.chosen/);
  });

  it('the report shows the scenarios with the chosen one marked, and whom policies held back (headless Chromium)', async () => {
    const history = { customerId: ['c1', 'c2', 'c3'], action: ['call', 'email', 'call'], week: [47, 47, 47] };
    const withPolicy = model.history(history, { asOf: 48 }).use(contactLimit({ max: 1, days: 14 }));
    const a = await withPolicy.solve();
    const b = await withPolicy.without('budget').budget(600).solve();
    const dir = mkdtempSync(join(tmpdir(), 'ro-compare-'));
    const path = join(dir, 'report.html');
    await writeReport(b, path, { comparison: compare(a, b, { names: ['300', '600'], chosen: 1 }) });
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('600 ✔ chosen');
    expect(html).toContain('Held back by contact policies');
    await withPage(path, async (page, problems) => {
      expect(await page.textContent('#scenarios > h2')).toBe('Scenarios');
      const cells = await page.$$eval('table', (ts) => ts.map((t) => t.textContent ?? ''));
      expect(cells.some((t) => t.includes('600 ✔ chosen') && t.includes('300'))).toBe(true);
      expect(cells.some((t) => t.includes('contact-limit:any:1/14d') && t.includes('yes'))).toBe(true);
      expect(problems).toEqual([]);
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    });
  });
});
