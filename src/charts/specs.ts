import type { ColumnTable } from 'arquero';
import { byAction } from '../analytics/by-action.js';
import { bySegment } from '../analytics/by-segment.js';
import { treatedRows } from '../analytics/plan-rows.js';
import { headline } from '../analytics/headline.js';
import { planData, type Plan } from '../plan/plan.js';
import { riskTier, type TierOptions } from '../analytics/by-segment.js';
import { mulberry32 } from '../util/random.js';
import type { ChartSpec } from './render.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
// Labels are never cut (vega-lite's default cuts axis and legend labels at 180 px): a long action name
// widens the chart, and the page scales the SVG down to its column.
const CONFIG = { axis: { labelLimit: 0 }, legend: { labelLimit: 0 } };
const base = (title: string | { text: string; subtitle: string }) => ({
  $schema: SCHEMA,
  title,
  width: 420,
  height: 260,
  config: CONFIG,
});
const MONEY = '$,.0f';
const values = (t: ColumnTable) => t.objects() as Record<string, unknown>[];

/**
 * Budget against net value, from a `sensitivity` table (knee marked).
 *
 * @example
 * ```ts
 * await renderSVG(budgetNetValueChart(sensitivity(model, { budgets }).table));
 * ```
 */
export function budgetNetValueChart(sensitivityTable: ColumnTable): ChartSpec {
  return budgetLine(sensitivityTable, 'netValue', 'Net value', 'Budget vs net value', MONEY);
}

/**
 * Budget against ROI, from a `sensitivity` table.
 *
 * @example
 * ```ts
 * await renderSVG(budgetRoiChart(sweep.table));
 * ```
 */
export function budgetRoiChart(sensitivityTable: ColumnTable): ChartSpec {
  return budgetLine(sensitivityTable, 'roi', 'ROI', 'Budget vs ROI', '.0%');
}

/**
 * Budget against the share of customers treated, from a `sensitivity` table.
 *
 * @example
 * ```ts
 * await renderSVG(budgetCoverageChart(sweep.table));
 * ```
 */
export function budgetCoverageChart(sensitivityTable: ColumnTable): ChartSpec {
  return budgetLine(sensitivityTable, 'coverage', 'Customers treated (share)', 'Budget vs coverage', '.0%');
}

function budgetLine(t: ColumnTable, field: string, label: string, title: string, format?: string): ChartSpec {
  return {
    ...base(title),
    data: { values: values(t) },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'value', type: 'quantitative', title: 'Budget', axis: { format: MONEY } },
          y: { field, type: 'quantitative', title: label, ...(format ? { axis: { format } } : {}) },
        },
      },
      {
        mark: { type: 'rule', strokeDash: [4, 4], color: '#c0392b' },
        transform: [{ filter: 'datum.knee' }],
        encoding: { x: { field: 'value', type: 'quantitative' } },
      },
    ],
  } as ChartSpec;
}

/**
 * How many customers each action gets.
 *
 * @example
 * ```ts
 * await renderSVG(actionMixChart(plan));
 * ```
 */
export function actionMixChart(plan: Plan): ChartSpec {
  return {
    ...base('Action mix'),
    data: { values: values(byAction(plan)) },
    mark: 'bar',
    encoding: {
      y: { field: 'actionName', type: 'nominal', sort: '-x', title: null },
      x: { field: 'customers', type: 'quantitative', title: 'Customers' },
      // The bars are named on the axis: the colour (the action's, as in every chart) needs no legend.
      color: { field: 'actionName', type: 'nominal', scale: actionColors(plan), legend: null },
      tooltip: [
        { field: 'actionName', title: 'Action' },
        { field: 'channel', title: 'Channel' },
        { field: 'customers', type: 'quantitative', title: 'Customers', format: ',' },
      ],
    },
  } as ChartSpec;
}

/**
 * Actions by segment (stacked counts).
 *
 * @example
 * ```ts
 * await renderSVG(actionsBySegmentChart(plan));
 * ```
 */
export function actionsBySegmentChart(plan: Plan): ChartSpec {
  const rows = treatedRows(plan).map((r) => ({ segment: r.segment ?? 'all', action: r.actionName }));
  return {
    ...base('Actions by segment'),
    data: { values: aggregate(rows, ['segment', 'action']) },
    mark: 'bar',
    encoding: {
      x: { field: 'segment', type: 'nominal', title: null },
      y: { field: 'count', type: 'quantitative', title: 'Customers' },
      color: {
        field: 'action',
        type: 'nominal',
        title: 'Action',
        scale: actionColors(plan),
        legend: { orient: 'bottom', columns: 2 },
      },
    },
  } as ChartSpec;
}

/**
 * Risk tier × segment heatmap of the share treated (tiers: the plan's, or `options.tiers`).
 *
 * @example
 * ```ts
 * await renderSVG(riskHeatmapChart(plan));
 * ```
 */
export function riskHeatmapChart(plan: Plan, options: TierOptions = {}): ChartSpec {
  return {
    ...base('Treated share by risk tier and segment'),
    data: { values: values(bySegment(plan, options)) },
    mark: 'rect',
    encoding: {
      x: { field: 'segment', type: 'nominal', title: null },
      y: { field: 'riskTier', type: 'ordinal', sort: ['high', 'medium', 'low'], title: 'Risk tier' },
      color: { field: 'treatedShare', type: 'quantitative', title: 'Treated', legend: { format: '.0%' } },
      tooltip: [
        { field: 'customers', type: 'quantitative' },
        { field: 'treated', type: 'quantitative' },
      ],
    },
  } as ChartSpec;
}

/**
 * Retained value, cost and net value of the plan.
 *
 * @example
 * ```ts
 * await renderSVG(valueBreakdownChart(plan));
 * ```
 */
export function valueBreakdownChart(plan: Plan): ChartSpec {
  const h = headline(plan);
  return {
    ...base('Value breakdown'),
    data: {
      values: [
        { part: 'Retained value', amount: h.retainedValue },
        { part: 'Cost', amount: -h.spend },
        { part: 'Net value', amount: h.netValue },
      ],
    },
    mark: 'bar',
    encoding: {
      x: { field: 'part', type: 'nominal', sort: null, title: null },
      y: { field: 'amount', type: 'quantitative', title: 'Amount', axis: { format: MONEY } },
      // Not action colours: money kept, money spent, and what is left.
      color: {
        field: 'part',
        type: 'nominal',
        legend: null,
        scale: { domain: ['Retained value', 'Cost', 'Net value'], range: ['#2e7d32', '#8c959f', '#1f2328'] },
      },
    },
  } as ChartSpec;
}

/**
 * Churn probability against value, treated and untreated (at most `maxPoints`, sampled by a fixed seed).
 *
 * @example
 * ```ts
 * await renderSVG(churnValueScatterChart(plan, 2000));
 * ```
 */
export function churnValueScatterChart(plan: Plan, maxPoints = 4000): ChartSpec {
  const d = plan.customerData;
  const held = planData(plan);
  const rand = mulberry32(17);
  const keep = Math.min(1, maxPoints / d.size);
  const tiers = plan.riskTiers;
  const points: Record<string, unknown>[] = [];
  for (let i = 0; i < d.size; i++) {
    if (rand() >= keep) continue;
    const k = held.choice ? held.choice[i]! : -1;
    points.push({
      churnProbability: d.churnProbability[i],
      value: d.value[i],
      status: k >= 0 ? 'treated' : 'untreated',
      tier: riskTier(d.churnProbability[i]!, tiers),
    });
  }
  return {
    ...base(
      points.length < d.size
        ? {
            text: 'Churn probability vs customer value',
            subtitle: `A sample of ${points.length.toLocaleString('en-US')} of ${d.size.toLocaleString('en-US')} customers (fixed seed)`,
          }
        : 'Churn probability vs customer value',
    ),
    data: { values: points },
    mark: { type: 'circle', size: 12, opacity: 0.5 },
    encoding: {
      x: { field: 'churnProbability', type: 'quantitative', title: 'Churn probability', axis: { format: '.0%' } },
      y: { field: 'value', type: 'quantitative', title: 'Customer value', axis: { format: MONEY } },
      color: {
        field: 'status',
        type: 'nominal',
        title: null,
        scale: { domain: ['treated', 'untreated'], range: ['#1f2328', '#b6bec8'] },
      },
    },
  } as ChartSpec;
}

// Tableau 20, dark shades first: one colour per option of the catalog, in catalog order, the same in
// every chart of a plan (and of every plan of the same model, which the dashboard's re-plans are).
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#1f77b4',
  '#aec7e8',
  '#ff7f0e',
  '#ffbb78',
  '#2ca02c',
  '#98df8a',
  '#d62728',
  '#ff9896',
  '#9467bd',
  '#c5b0d5',
];

/**
 * A Vega-Lite colour scale: `domain[k]` is drawn in `range[k]`.
 *
 * @example
 * ```ts
 * const scale: ColorScale = { domain: ['Personalized Email'], range: ['#4e79a7'] };
 * ```
 */
export interface ColorScale {
  /** The values coloured (action names). */
  domain: string[];
  /** Their colours, in the same order. */
  range: string[];
}

/**
 * The colour scale of the plan's actions (by action name): the same colour
 * for an action in every chart.
 *
 * @example
 * ```ts
 * const spec = { mark: 'bar', encoding: { color: { field: 'actionName', type: 'nominal', scale: actionColors(plan) } } };
 * ```
 */
export function actionColors(plan: Plan): ColorScale {
  const domain = plan.catalog.map((a) => a.name);
  return { domain, range: domain.map((_, k) => PALETTE[k % PALETTE.length]!) };
}

function aggregate(rows: Record<string, string>[], keys: string[]): Record<string, unknown>[] {
  const counts = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const key = keys.map((k) => r[k]).join('\u0000');
    const c = counts.get(key) ?? Object.fromEntries([...keys.map((k) => [k, r[k]]), ['count', 0]]);
    (c.count as number)++;
    counts.set(key, c);
  }
  return [...counts.values()];
}
