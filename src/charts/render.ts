import type { TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite specification, as the chart builders return it.
 *
 * @example
 * ```ts
 * const spec: ChartSpec = { mark: 'bar', data: { values: [{ a: 'x', b: 1 }] }, encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } };
 * ```
 */
export type ChartSpec = TopLevelSpec;

/**
 * Renders a Vega-Lite spec to an SVG string in Node: no browser, no network.
 * vega and vega-lite are loaded on first use, so planning alone never pays for them.
 *
 * @example
 * ```ts
 * writeFileSync('mix.svg', await renderSVG(actionMixChart(plan)));
 * ```
 */
export async function renderSVG(spec: ChartSpec): Promise<string> {
  const [{ View, parse }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
