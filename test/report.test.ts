// The report a manager opens: figures formatted for people, ids untouched, one colour per action,
// labels whole, a layout that fits 800 px and a phone, risk tiers that are the model's, and an
// infeasible plan that says why instead of printing $0 and NaN.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  RetentionModel,
  compare,
  coverage,
  defaultCatalog,
  headline,
  reportHTML,
  sampleCustomers,
  writeExports,
  writeReport,
  type ActionSpec,
} from '../src/index.js';
import { actionMixChart, actionsBySegmentChart, renderSVG } from '../src/entries/charts.js';
import { count, formatValue, gapText, header, money, percent, tableHTML } from '../src/report/format.js';
import { table } from 'arquero';
import { withPage } from './helpers/browser.js';

const LONG = 'Premium Trial (Free upgrade for three months, then 20% off)';

function model(customers = 3_000) {
  const catalog: ActionSpec[] = defaultCatalog().map((a) => (a.id === 'discount' ? { ...a, name: LONG } : a));
  return RetentionModel.create({ name: 'report-test' })
    .actions(catalog)
    .customers(sampleCustomers({ customers, seed: 5 }), { segment: 'subscription_type' })
    .budget(customers)
    .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.6 } }, min: 0.5 }));
}

describe('figures for people', () => {
  it('formats money, counts, shares and gaps, and leaves ids as they went in', () => {
    expect(money(1484453.2)).toBe('$1,484,453');
    expect(money(12.345)).toBe('$12.35');
    expect(money(-3750)).toBe('−$3,750');
    expect(count(56130)).toBe('56,130');
    expect(percent(0.093)).toBe('9.3%');
    expect(percent(25.4)).toBe('2,540.0%');
    expect(gapText(6e-10)).toBe('< 0.0001%');
    expect(gapText(0.00123)).toBe('0.12%');
    expect(formatValue('id', 249394)).toBe('249394');
    expect(formatValue('money', NaN)).toBe('—');
    expect(header('retainedValue')).toBe('Retained value');
    expect(header('roi')).toBe('ROI');
    const html = tableHTML(
      table({ customer: [249394, '007'], share: [0.093, 0.5], netValue: [1484453.2, 3750], note: ['a', 'b'] }),
    );
    expect(html).toContain('>249394<');
    expect(html).toContain('>007<');
    expect(html).toContain('>9.3%<');
    expect(html).toContain('>$1,484,453<');
    expect(html).toContain('>$3,750<');
    expect(html).not.toMatch(/<th[^>]*>[^<]*[a-z][A-Z]/); // no camelCase header
  });

  it('a report prints every figure formatted: no raw fractions, no unformatted money, ids untouched', async () => {
    const plan = await model().solve();
    const html = await reportHTML(plan);
    const ids = plan.assignments.array('customer') as ArrayLike<number>;
    // Sample ids are numbers above 1,000: printed without separators.
    const top = html.slice(html.indexOf('id="top-customers"'));
    expect(top).toContain(`>${String(ids[0] ?? '')}`.slice(0, 2));
    expect(top).not.toMatch(/<td class="txt">\d{1,3},\d{3}<\/td>/);
    const cells = [...html.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]!);
    expect(cells.length).toBeGreaterThan(50);
    for (const c of cells) expect(c).toMatch(/^(−?\$?[\d,]+(\.\d+)?%?|—|< 0\.0001%|\d+(\.\d+)? s)$/);
    // No fraction with more than two decimals is printed (raw shares, raw money).
    expect(html.replace(/<svg[\s\S]*?<\/svg>/g, '')).not.toMatch(/>\s*-?\d+\.\d{3,}\s*</);
    expect(top).toContain('Top 50 customers');
    expect((top.match(/<tr>/g) ?? []).length).toBe(51);
  });
});

describe('labels', () => {
  it('scenario names head their columns as they were given', async () => {
    const a = await model(600).solve();
    const b = await model(600).without('budget').budget(900).solve();
    const html = await reportHTML(b, { comparison: compare(a, b, { names: ['base week', 'more budget'] }) });
    const mix = html.slice(html.indexOf('id="scenario-mix"'));
    expect(mix).toContain('<th class="num">base week</th><th class="num">more budget</th>');
  });
});

describe('risk tiers', () => {
  it("come from the model's own coverage rows, or from the options", async () => {
    const plan = await model().solve();
    expect(plan.riskTiers).toEqual([0.3, 0.6]);
    const d = sampleCustomers({ customers: 3_000, seed: 5 });
    const above = (x: number) => Array.from(plan.customerData.churnProbability).filter((p) => p > x).length;
    expect(headline(plan).highRisk).toBe(above(0.6));
    expect(headline(plan, { tiers: [0.2, 0.4] }).highRisk).toBe(above(0.4));
    const html = await reportHTML(plan);
    expect(html).toContain(`High-risk customers (churn &gt; 60.0%)<b>${count(above(0.6))}</b>`);
    const custom = await reportHTML(plan, { riskTiers: [0.2, 0.7] });
    expect(custom).toContain(`High-risk customers (churn &gt; 70.0%)<b>${count(above(0.7))}</b>`);
    expect(custom).toContain('high above 70.0%');
    // Tiers that are not two probabilities in order are an error naming where, never a silent misreading.
    expect(() => headline(plan, { tiers: [0.7, 0.2] })).toThrow(/headline\.tiers: must be two churn probabilities/);
    await expect(reportHTML(plan, { riskTiers: [0.2, 1.5] })).rejects.toThrow(InvalidInputError);
    const plain = await RetentionModel.create()
      .actions(defaultCatalog())
      .customers(d, { segment: 'subscription_type' })
      .budget(500)
      .solve();
    expect(plain.riskTiers).toEqual([0.3, 0.5]);
  });
});

describe('charts', () => {
  it('give an action the same colour everywhere and print its whole name', async () => {
    const plan = await model().solve();
    const mix = actionMixChart(plan) as { encoding: { color: { field: string; scale: unknown } } };
    const seg = actionsBySegmentChart(plan) as { encoding: { color: { field: string; scale: unknown } } };
    expect(mix.encoding.color.scale).toEqual(seg.encoding.color.scale);
    const scale = mix.encoding.color.scale as { domain: string[]; range: string[] };
    expect(scale.domain).toContain(LONG);
    expect(new Set(scale.range).size).toBe(scale.range.length);
    const svg = await renderSVG(actionMixChart(plan));
    expect(svg).toContain(LONG.replace(/&/g, '&amp;'));
    expect(svg).not.toContain('…');
    expect(await reportHTML(plan)).not.toContain('A sample of');
    expect(await reportHTML(plan, { scatterPoints: 1000 })).toMatch(/A sample of [\d,]+ of 3,000 customers/);
  });
});

describe('a plan without an assignment', () => {
  it('shows the conflicts and what to relax, and no cards, charts or NaN', async () => {
    const infeasible = model(500)
      .without('budget')
      .budget(10)
      .use(coverage({ name: 'everyone', where: { churnProbability: { gte: 0 } }, min: 0.9 }));
    const plan = await infeasible.solve();
    expect(plan.status).toBe('infeasible');
    const html = await reportHTML(plan);
    expect(html).toContain('No plan: the rules cannot all hold');
    expect(html).toContain('Relax one of:');
    expect(html).not.toContain('class="card"');
    expect(html).not.toContain('<svg');
    expect(html.match(/.{80}(NaN|\$0<\/b>).{40}/)?.[0]).toBeUndefined();
  });
});

describe('the report in a browser', () => {
  it('fits 1400 px, 800 px and a phone, links the export files, and has no console errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-report-'));
    const plan = await model().solve();
    const files = await writeExports(plan, join(dir, 'exports'));
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan.toJSON()));
    const path = join(dir, 'report.html');
    await writeReport(plan, path, { files: [...files, join(dir, 'plan.json')] });
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('href="exports/email-list.csv"');
    expect(html).toContain('href="plan.json"');
    for (const width of [1400, 800, 390]) {
      await withPage(
        path,
        async (page, problems) => {
          const [scroll, client] = await page.evaluate(() => [
            document.documentElement.scrollWidth,
            document.documentElement.clientWidth,
          ]);
          expect(scroll, `page overflows at ${width} px`).toBeLessThanOrEqual(client);
          // The constraint table's meaning column starts on screen.
          const left = await page.$eval('#constraints td:nth-child(2)', (td) => td.getBoundingClientRect().left);
          expect(left).toBeLessThan(width);
          // Every chart fits its column.
          const widths = await page.$$eval('figure.chart svg', (svgs) =>
            svgs.map((s) => s.getBoundingClientRect().right),
          );
          for (const right of widths) expect(right).toBeLessThanOrEqual(width);
          // Links resolve to files next to the report.
          const hrefs = await page.$$eval('.files a', (as) => as.map((a) => (a as HTMLAnchorElement).href));
          expect(hrefs).toHaveLength(files.length + 1);
          for (const h of hrefs) expect(readFileSync(new URL(h)).length).toBeGreaterThan(0);
          expect(problems).toEqual([]);
        },
        { width },
      );
    }
  });
});
