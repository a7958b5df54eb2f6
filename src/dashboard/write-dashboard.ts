import type { RetentionModel } from '../model/retention-model.js';
import { escapeHTML } from '../report/format.js';
import { PAGE_CSS } from '../report/style.js';
import { writeText } from '../util/files.js';
import { stringifyInSlices } from '../util/json-chunks.js';
import { dashboardAssets } from './assets.js';

/**
 * Options of {@link writeDashboard}.
 *
 * @example
 * ```ts
 * await writeDashboard(model, 'out/dashboard.html', { title: 'Week 48: what if?' });
 * ```
 */
export interface DashboardOptions {
  /** Title of the page (default: `What if: ` and the model name). */
  title?: string;
}

/**
 * The what-if dashboard as one self-contained HTML string (see
 * {@link writeDashboard}).
 *
 * @example
 * ```ts
 * const html = await dashboardHTML(model);
 * ```
 */
export async function dashboardHTML(
  model: RetentionModel<true, true>,
  options: DashboardOptions = {},
): Promise<string> {
  const doc = model.toJSON();
  const { worker, page, highsWasm } = await dashboardAssets();
  // Written in slices: at a million customers one JSON.stringify would hold the event loop for 0.7 s.
  const modelText = await stringifyInSlices(doc);
  const title = options.title ?? `What if: ${doc.name ?? 'retention plan'}`;
  const files = ['treatment-plan.csv', 'email-list.csv', 'call-queue.csv', 'plan.json'];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src data: blob:">
<title>${escapeHTML(title)}</title>
<style>${PAGE_CSS}${DASHBOARD_CSS}</style></head><body class="busy">
<div class="layout">
<aside><h1>${escapeHTML(title)}</h1><p class="meta" id="subtitle">Loading the model…</p>
<form id="controls" onsubmit="return false"></form>
<p><button type="button" id="reset">Model's settings</button> <button type="button" id="keep" disabled>Keep this scenario</button> <button type="button" id="sweep" disabled>Budget sensitivity</button></p>
<h2>Download</h2><p class="downloads">${files.map((f) => `<button type="button" class="download" data-file="${f}" disabled>${f}</button>`).join(' ')}</p>
<p class="meta">CSV cells that a spreadsheet would run as formulas start with '.</p>
</aside>
<main>
<p class="meta"><span id="progress">Starting…</span> · <span id="status"></span></p>
<div id="problem"></div>
<div class="cards" id="cards"></div>
<section id="scenario-list"><h2>Kept scenarios</h2><div id="kept"><p class="meta">Keep a scenario to compare it with the next ones.</p></div></section>
<h2>Charts</h2><div class="charts" id="charts"></div>
<div id="tables"></div>
</main></div>
<script type="application/json" id="model-data">${inlineJSON(modelText)}</script>
<script type="text/plain" id="highs-wasm">${highsWasm}</script>
<script type="text/plain" id="worker-source">${inlineScript(worker)}</script>
<script>${inlineScript(page)}</script>
</body></html>
`;
}

/**
 * Writes an offline what-if dashboard for a model: one HTML file with the
 * model (customers included) and the library's solver inlined, no network
 * request at all. A manager moves the budget, each channel's capacity, the
 * coverage floors, saturation, fairness and the holdout share; each change
 * re-plans in a Web Worker with the decomposition (warm-started from the last
 * plan) and redraws the report's cards, charts and tables. Scenarios can be
 * kept and compared; the treatment plan, email list, call queue (CSV,
 * formula cells neutralized) and the plan file download from the page.
 * Models with constraints that exist only as code cannot be written (a
 * `SerializationError`, as `model.toJSON()`).
 *
 * @example
 * ```ts
 * await writeDashboard(model, 'out/dashboard.html');
 * ```
 */
export async function writeDashboard(
  model: RetentionModel<true, true>,
  path: string,
  options: DashboardOptions = {},
): Promise<void> {
  await writeText(path, await dashboardHTML(model, options));
}

// Inside <script>, only "</script" and "<!--" can end or derail the element: in a JSON text they can
// only sit in strings, where "\u003c" is the same character.
function inlineJSON(json: string): string {
  return json.replace(/</g, '\\u003c');
}

// In a script, "<\/script" and "<\!--" inside strings, template literals and regular expressions mean the same.
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const DASHBOARD_CSS = `
.layout{display:flex;align-items:flex-start;min-height:100vh}
aside{flex:0 0 320px;position:sticky;top:0;max-height:100vh;overflow-y:auto;padding:1rem;background:#f6f8fa;border-right:1px solid #d1d9e0}
aside h1{font-size:1.25rem}
.layout main{flex:1;min-width:0;margin:0;max-width:none}
.control{display:block;margin:.7rem 0;font-size:.9rem}
.control span{display:flex;justify-content:space-between;gap:.5rem}
.control output{font-weight:600;font-variant-numeric:tabular-nums}
.control input{width:100%}
button{font:inherit;padding:.3rem .6rem;border:1px solid #afb8c1;border-radius:6px;background:#fff;cursor:pointer}
button:disabled{opacity:.5;cursor:default}
.downloads button{margin:0 .3rem .3rem 0}
#progress.error{color:#cf222e}
body.busy #cards,body.busy #charts,body.busy #tables{opacity:.55;transition:opacity .2s}
@media (max-width:900px){.layout{display:block}aside{position:static;max-height:none;border-right:0;border-bottom:1px solid #d1d9e0}}
`;
