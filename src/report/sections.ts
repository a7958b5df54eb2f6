// The parts of a plan's page, as HTML fragments: the report (write-report.ts) lays them out as one
// static page, and the dashboard's worker (src/dashboard/worker.ts) sends the same fragments to the
// page after each re-plan, so both read the same.
import { table, type ColumnTable } from 'arquero';
import { byAction } from '../analytics/by-action.js';
import { byChannel } from '../analytics/by-channel.js';
import { bySegment, tiersOf } from '../analytics/by-segment.js';
import type { Comparison } from '../analytics/compare.js';
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
import {
  count,
  escapeHTML,
  gapText,
  money,
  percent,
  tableHTML,
  type ColumnKind,
  type TableHTMLOptions,
} from './format.js';

/**
 * Options of {@link writeReport} and {@link reportHTML}.
 *
 * @example
 * ```ts
 * await writeReport(plan, 'out/report.html', { sensitivity: await sensitivity(model, { budgets }), topCustomers: 100 });
 * ```
 */
export interface ReportOptions {
  /** Title of the page (default: the model name). */
  title?: string;
  /** A budget sweep: adds the budget vs net value / ROI / coverage charts and the table. */
  sensitivity?: SensitivityResult;
  /** Scenarios compared with `compare(...)`: adds a section with them side by side, the chosen one marked. */
  comparison?: Comparison;
  /**
   * The churn-probability cuts between low, medium and high risk used by the
   * cards, the heatmap and the segment table (default: `plan.riskTiers`, the
   * thresholds of the model's own coverage rules, else 0.3 and 0.5).
   */
  riskTiers?: readonly [number, number];
  /** Rows of the top-customers table (default 50). */
  topCustomers?: number;
  /** Most points of the churn × value scatter plot, drawn by a fixed seed (default 4,000; the chart says when it samples). */
  scatterPoints?: number;
  /**
   * Export files to link from the report (for example what `writeExports`
   * returned). `writeReport` makes the paths relative to the report's folder;
   * `reportHTML` prints them as given.
   */
  files?: readonly string[];
}

/** The parts of a plan's page (HTML fragments). */
export interface PlanSections {
  /** Status line: solver, time, proven gap. */
  status: string;
  /** When the plan has no assignment: why, and what to relax; else empty. */
  problem: string;
  /** The model's warnings, when there are any. */
  notes: string;
  /** The KPI cards (empty without an assignment: no $0 figures). */
  cards: string;
  /** The charts, as inline SVG figures (empty without an assignment). */
  charts: string;
  /** The tables: constraints, held back, action mix, channels, segments × risk, sensitivity, top customers. */
  tables: string;
}

/** Builds the sections of a plan's page. */
export async function planSections(plan: Plan, options: ReportOptions = {}): Promise<PlanSections> {
  const tiers = tiersOf(plan, options.riskTiers, 'report.riskTiers');
  const status = `Status <b>${escapeHTML(plan.status.replace('_', ' '))}</b> · solved by ${escapeHTML(plan.solver.name)} in ${plan.solver.seconds.toFixed(2)} s · proven gap ${gapText(plan.gap)}`;
  const notes = plan.warnings.length
    ? `<details class="notes"><summary>${count(plan.warnings.length)} note${plan.warnings.length === 1 ? '' : 's'} on the data</summary><ul>${plan.warnings.map((w) => `<li>${escapeHTML(w)}</li>`).join('')}</ul></details>`
    : '';
  const constraints = constraintSection(plan, options);
  if (!plan.hasAssignment) {
    return { status, problem: problemPanel(plan), notes, cards: '', charts: '', tables: constraints };
  }
  const h = headline(plan, { tiers });
  // Label, figure, and a line under the figure when one says more.
  const cards: [string, string, string?][] = [
    ['Customers treated', count(h.treated)],
    ['Spend', money(h.spend, false)],
    ['Expected retained value', money(h.retainedValue, false)],
    ['Net value', money(h.netValue, false)],
    ['ROI', percent(h.roi)],
    ['Expected churn reduction', `${count(h.churnReduction)} customers`],
    ['Budget utilization', h.budgetUtilization === null ? '—' : percent(h.budgetUtilization)],
    [`High-risk customers (churn > ${percent(h.highRiskAbove)})`, count(h.highRisk)],
    ['Value at risk (before)', money(h.valueAtRisk, false)],
  ];
  if (h.heldOut)
    cards.push([
      'Held out (not contacted)',
      count(h.heldOut),
      `net value of the contacted: ${money(h.contacted.netValue, false)}`,
    ]);
  const charts: [string, ChartSpec][] = [
    ['action-mix', actionMixChart(plan)],
    ['actions-by-segment', actionsBySegmentChart(plan)],
    ['risk-heatmap', riskHeatmapChart(plan, { tiers })],
    ['value-breakdown', valueBreakdownChart(plan)],
    ['churn-value-scatter', churnValueScatterChart(plan, options.scatterPoints)],
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
  const top = options.topCustomers ?? 50;
  const tables = [
    options.comparison ? scenarioSection(options.comparison) : '',
    constraints,
    heldBackSection(plan),
    section('Action mix', byAction(plan), 'action-mix-table'),
    section('Channels', byChannel(plan), 'channels'),
    section('Segments × risk tier', bySegment(plan, { tiers }), 'segments', {
      note: `Risk tiers: low below ${percent(tiers[0])} churn probability, high above ${percent(tiers[1])}.`,
    }),
    options.sensitivity ? section('Budget sensitivity', options.sensitivity.table, 'sensitivity') : '',
    section(`Top ${count(top)} customers by net expected value`, topCustomers(plan, top), 'top-customers'),
  ].join('\n');
  return {
    status,
    problem: '',
    notes,
    cards: cards
      .map(
        ([k, v, note]) =>
          `<div class="card">${escapeHTML(k)}<b>${escapeHTML(v)}</b>${note ? `<small>${escapeHTML(note)}</small>` : ''}</div>`,
      )
      .join(''),
    charts: svgs.join('\n'),
    tables,
  };
}

function section(
  title: string,
  t: ColumnTable,
  id: string,
  options: Pick<TableHTMLOptions, 'limit' | 'cellKind' | 'headers'> & { note?: string } = {},
): string {
  const { note, ...table } = options;
  const meta = note ? `<p class="meta">${escapeHTML(note)}</p>` : '';
  return `<section id="${id}"><h2>${escapeHTML(title)}</h2>${meta}${tableHTML(t, { limit: 50, ...table })}</section>`;
}

// The constraint table as a manager reads it: what each row means next to its name (readable on a
// narrow screen), figures in the row's unit (money on the budget row, customers or contacts elsewhere).
function constraintSection(plan: Plan, options: ReportOptions): string {
  const t = constraintReport(plan, { sensitivity: options.sensitivity });
  const rows = t.objects();
  const typeOf = new Map<unknown, string>(rows.map((r) => [r.row, r.type]));
  // Without a plan only the limits mean something: no use, status or price of a plan that does not exist.
  const cols: string[] = plan.hasAssignment
    ? ['row', 'meaning', 'limit', 'used', 'utilization', 'status', 'shadowPrice']
    : ['row', 'meaning', 'limit'];
  if (rows.some((r) => r.limitFrom !== null)) cols.push('limitFrom');
  if (rows.some((r) => r.enforced === false)) cols.push('enforced');
  const cellKind = (col: string, r: Record<string, unknown>) =>
    col === 'limit' || col === 'used' ? unitOf(typeOf.get(r.row)) : undefined;
  return section('Constraints (by value of relaxing)', t.select(cols), 'constraints', { cellKind });
}

function unitOf(type: unknown): ColumnKind {
  return type === 'budget' ? 'money' : type === 'ratio' ? 'number' : 'count';
}

function heldBackSection(plan: Plan): string {
  if (!plan.heldBack.length) return '';
  const t = table({
    rule: plan.heldBack.map((h) => h.constraint),
    type: plan.heldBack.map((h) => h.type),
    enforced: plan.heldBack.map((h) => (h.enforced ? 'yes' : 'report only')),
    'customers held back': plan.heldBack.map((h) => h.customers),
    'from every action': plan.heldBack.map((h) => h.allActions),
    'pairs ruled out': plan.heldBack.map((h) => h.pairs),
  });
  return section('Held back by contact policies and exclusions', t, 'held-back', {
    note: 'Each rule counted on its own: a customer kept out by two rules counts for both.',
  });
}

// No assignment: say why in words, what to relax, and print no figure of a plan that does not exist.
function problemPanel(plan: Plan): string {
  if (plan.status === 'infeasible') {
    const items = plan.conflicts.map((c) => {
      const short = c.needed - c.available;
      const relax = `Relax one of: ${c.constraints.map((n) => `<b>${escapeHTML(n)}</b>`).join(', ')}${
        short > 0 ? ` (a shortfall of ${escapeHTML(formatShort(short, c.rows, plan))})` : ''
      }.`;
      return `<li>${escapeHTML(c.message)}<br>${relax}</li>`;
    });
    const floors = plan.rows.filter((r) => r.sense === '>=').map((r) => r.constraint);
    const fallback = `<li>No single floor and cap explain it: the conflict takes three or more rules together. Try lowering the floors (${[...new Set(floors)].map((n) => `<b>${escapeHTML(n)}</b>`).join(', ') || 'none'}) or raising the caps one at a time.</li>`;
    return `<section class="problem" id="problem"><h2>No plan: the rules cannot all hold</h2><ul>${items.join('') || fallback}</ul><p class="meta">The limits of every rule are in the constraint table below; no figure of a plan is shown because there is none.</p></section>`;
  }
  const why = plan.solver.message ? `: ${escapeHTML(plan.solver.message)}` : '';
  return `<section class="problem" id="problem"><h2>No plan yet</h2><p>The solve stopped (${escapeHTML(plan.status.replace('_', ' '))}) before it found a plan that meets every rule${why}. Give it more time.</p></section>`;
}

function formatShort(x: number, rows: readonly string[], plan: Plan): string {
  const budget = plan.rows.some((r) => r.type === 'budget' && rows.includes(r.name));
  return budget ? money(x) : count(x);
}

// Scenarios side by side: figures per scenario (the chosen one marked), the action mix, the moves from the
// baseline, and the constraint rows.
function scenarioSection(c: Comparison): string {
  const chosen = c.chosen === null ? '' : ` · chosen: <b>${escapeHTML(c.names[c.chosen]!)}</b>`;
  const h = c.headline.objects();
  const marked = table({
    scenario: h.map((r) => (r.chosen ? `${r.scenario} ✔ chosen` : r.scenario)),
    status: h.map((r) => r.status),
    netValue: h.map((r) => r.netValue),
    netValueChange: h.map((r) => r.netValueChange),
    spend: h.map((r) => r.spend),
    spendChange: h.map((r) => r.spendChange),
    treated: h.map((r) => r.treated),
    treatedChange: h.map((r) => r.treatedChange),
    roi: h.map((r) => r.roi),
    gap: h.map((r) => r.gap),
  });
  const rowUnit = (col: string, r: Record<string, unknown>) =>
    col === 'limit' || col === 'used' ? unitOf(String(r.row).startsWith('budget') ? 'budget' : '') : undefined;
  return `<section id="scenarios"><h2>Scenarios</h2><p class="meta">${count(c.names.length)} scenarios, the first (${escapeHTML(c.names[0]!)}) as baseline${chosen}</p>
${section('Scenario figures', marked, 'scenario-figures')}
${section('Action mix per scenario', c.actionMix, 'scenario-mix', { headers: Object.fromEntries(c.names.map((n) => [n, n])) })}
${section('Customers moving between actions (from the baseline)', c.moves, 'scenario-moves', { limit: 30 })}
${section('Constraint rows per scenario', c.rows, 'scenario-rows', { cellKind: rowUnit })}</section>`;
}
