import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification, as the chart builders return it. */
export type ChartSpec = TopLevelSpec;

/**
 * Renders a Vega-Lite spec to an SVG string in Node: no browser, no network.
 *
 * @example
 * ```ts
 * writeFileSync('mix.svg', await renderSVG(actionMixChart(plan)));
 * ```
 */
export async function renderSVG(spec: ChartSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
