/**
 * `retention-optimizer/charts`: the Vega-Lite specs the report draws, built
 * from a plan or a sensitivity sweep, and `renderSVG` to draw one in Node.
 *
 * @example
 * ```ts
 * import { actionMixChart, renderSVG } from 'retention-optimizer/charts';
 * fs.writeFileSync('mix.svg', await renderSVG(actionMixChart(plan)));
 * ```
 *
 * @module charts
 */
export { renderSVG, type ChartSpec } from '../charts/render.js';
export {
  budgetNetValueChart,
  budgetRoiChart,
  budgetCoverageChart,
  actionMixChart,
  actionsBySegmentChart,
  riskHeatmapChart,
  valueBreakdownChart,
  churnValueScatterChart,
  actionColors,
  type ColorScale,
} from '../charts/specs.js';
