import { toHTML, type ColumnTable } from 'arquero';
import { byAction } from '../analytics/by-action.js';
import { byChannel } from '../analytics/by-channel.js';
import { bySegment } from '../analytics/by-segment.js';
import { constraintReport } from '../analytics/constraint-report.js';
import { headline } from '../analytics/headline.js';
import type { SensitivityResult } from '../analytics/sensitivity.js';
import { topCustomers } from '../analytics/top-customers.js';
import { renderSVG, type ChartSpec } from '../charts/render.js';
import {
  actionMixChart,
  actionsBySegmentChart,
  budgetCoverageChart,
  budgetNetValueChart,
  budgetRoiChart,
  churnValueScatterChart,
  riskHeatmapChart,
  valueBreakdownChart,
} from '../charts/specs.js';
import type { Plan } from '../plan/plan.js';
import type { Comparison } from '../analytics/compare.js';
import { table } from 'arquero';

/**
 * Options of {@link writeReport}.
 *
 * @example
 * ```ts
 * await writeReport(plan, 'out/report.html', { sensitivity: await sensitivity(model, { budgets }) });
 * ```
 */
export interface ReportOptions {
  /** Title of the page (default: the model name). */
  title?: string;
  /** A budget sweep: adds the budget vs net value / ROI / coverage charts and the table. */
  sensitivity?: SensitivityResult;
  /** Scenarios compared with `compare(...)`: adds a section with them side by side, the chosen one marked. */
  comparison?: Comparison;
}

/**
 * Builds the report as one self-contained HTML string: headline, tables and
 * charts inline (SVG rendered in Node), no script, no network.
 *
 * @example
 * ```ts
 * const html = await reportHTML(plan);
 * ```
 */
export async function reportHTML(plan: Plan, options: ReportOptions = {}): Promise<string> {
  const h = headline(plan);
  const usd = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const cards: [string, string][] = [
    ['Customers treated', h.treated.toLocaleString('en-US')],
    ['Spend', usd(h.spend)],
    ['Expected retained value', usd(h.retainedValue)],
    ['Net value', usd(h.netValue)],
    ['ROI', pct(h.roi)],
    ['Expected churn reduction', `${h.churnReduction.toFixed(0)} customers`],
    ['Budget utilization', pct(h.budgetUtilization)],
    ['High-risk customers (before)', h.highRisk.toLocaleString('en-US')],
    ['Value at risk (before)', usd(h.valueAtRisk)],
  ];
  if (h.heldOut)
    cards.push([
      'Held out',
      `${h.heldOut.toLocaleString('en-US')} (net value contacted: ${usd(h.contacted.netValue)})`,
    ]);
  const charts: [string, ChartSpec][] = [
    ['action-mix', actionMixChart(plan)],
    ['actions-by-segment', actionsBySegmentChart(plan)],
    ['risk-heatmap', riskHeatmapChart(plan)],
    ['value-breakdown', valueBreakdownChart(plan)],
    ['churn-value-scatter', churnValueScatterChart(plan)],
  ];
  if (options.sensitivity) {
    const t = options.sensitivity.table;
    charts.push(
      ['budget-net-value', budgetNetValueChart(t)],
      ['budget-roi', budgetRoiChart(t)],
      ['budget-coverage', budgetCoverageChart(t)],
    );
  }
  const svgs = await Promise.all(
    charts.map(async ([id, spec]) => `<figure class="chart" id="${id}">${await renderSVG(spec)}</figure>`),
  );
  const section = (title: string, t: ColumnTable, limit = 50) =>
    `<h2>${escape(title)}</h2>${toHTML(t, { limit, format: numberFormats(t) })}`;
  const title = options.title ?? `Retention plan: ${plan.modelName}`;
  const scenarios = options.comparison ? scenarioSection(options.comparison, section) : '';
  const held = plan.heldBack.length
    ? section(
        'Held back by contact policies and exclusions',
        table({
          rule: plan.heldBack.map((h) => h.constraint),
          type: plan.heldBack.map((h) => h.type),
          enforced: plan.heldBack.map((h) => (h.enforced ? 'yes' : 'report only')),
          'customers held back': plan.heldBack.map((h) => h.customers),
          'from every action': plan.heldBack.map((h) => h.allActions),
          'pairs ruled out': plan.heldBack.map((h) => h.pairs),
        }),
      ) + '<p class="meta">Each rule counted on its own: a customer kept out by two rules counts for both.</p>'
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#222}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:.75rem}
.card{border:1px solid #ddd;border-radius:8px;padding:.75rem}.card b{display:block;font-size:1.3rem}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:1rem}figure{margin:0}
table{border-collapse:collapse;font-size:.85rem;margin-bottom:1rem}td,th{border-bottom:1px solid #eee;padding:.25rem .5rem;text-align:right}
th{background:#f6f6f6}.meta{color:#666}
</style></head><body>
<h1>${escape(title)}</h1>
<p class="meta">Status ${plan.status} · solved by ${escape(plan.solver.name)} in ${plan.solver.seconds.toFixed(2)} s · proven gap ${Number.isFinite(plan.gap) ? plan.gap.toExponential(1) : '—'}</p>
<div class="cards">${cards.map(([k, v]) => `<div class="card">${escape(k)}<b>${escape(v)}</b></div>`).join('')}</div>
<h2>Charts</h2><div class="charts">${svgs.join('\n')}</div>
${scenarios}
${section('Constraints (by value of relaxing)', constraintReport(plan, { sensitivity: options.sensitivity }))}
${held}
${section('Action mix', byAction(plan))}
${section('Channels', byChannel(plan))}
${section('Segments × risk tier', bySegment(plan))}
${options.sensitivity ? section('Budget sensitivity', options.sensitivity.table) : ''}
${section('Top customers by net value', topCustomers(plan, 20))}
</body></html>
`;
}

/**
 * Writes {@link reportHTML} to `path`.
 *
 * @example
 * ```ts
 * await writeReport(plan, 'out/report.html');
 * ```
 */
export async function writeReport(plan: Plan, path: string, options: ReportOptions = {}): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await reportHTML(plan, options));
}

// Scenarios side by side: figures per scenario (the chosen one marked), the action mix, the moves from the
// baseline, and the constraint rows.
function scenarioSection(c: Comparison, section: (title: string, t: ColumnTable, limit?: number) => string): string {
  const chosen = c.chosen === null ? '' : ` · chosen: <b>${escape(c.names[c.chosen]!)}</b>`;
  const h = c.headline.objects();
  const marked = table({
    scenario: h.map((r) => (r.chosen ? `${r.scenario} ✔ chosen` : r.scenario)),
    status: h.map((r) => r.status),
    'net value': h.map((r) => r.netValue),
    'Δ net value': h.map((r) => r.netValueChange),
    spend: h.map((r) => r.spend),
    'Δ spend': h.map((r) => r.spendChange),
    treated: h.map((r) => r.treated),
    'Δ treated': h.map((r) => r.treatedChange),
    ROI: h.map((r) => r.roi),
    gap: h.map((r) => r.gap),
  });
  return `<h2 id="scenarios">Scenarios</h2><p class="meta">${c.names.length} scenarios, the first (${escape(c.names[0]!)}) as baseline${chosen}</p>
${section('Scenario figures', marked)}
${section('Action mix per scenario', c.actionMix)}
${section('Customers moving between actions (from the baseline)', c.moves, 30)}
${section('Constraint rows per scenario', c.rows)}`;
}

function numberFormats(t: ColumnTable): Record<string, (v: unknown) => string> {
  const out: Record<string, (v: unknown) => string> = {};
  for (const name of t.columnNames()) {
    out[name] = (v) =>
      typeof v === 'number'
        ? Number.isInteger(v)
          ? v.toLocaleString('en-US')
          : v.toFixed(Math.abs(v) < 10 ? 3 : 1)
        : v === null || v === undefined
          ? ''
          : String(v);
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
