import type { Plan } from '../plan/plan.js';
import { paths, writeText } from '../util/files.js';
import { escapeHTML } from './format.js';
import { planSections, type ReportOptions } from './sections.js';
import { PAGE_CSS } from './style.js';

export type { ReportOptions } from './sections.js';

/**
 * Builds the report as one self-contained HTML string: the status, the KPI
 * cards, charts (SVG rendered here), scenarios, constraints with their shadow
 * prices in words, the tables and links to the export files; no script, no
 * network. Every figure is formatted for people (money, counts,
 * percentages); ids are printed as they went in. A plan without an
 * assignment (infeasible, or stopped before a plan) shows why and what to
 * relax, and no figures.
 *
 * @example
 * ```ts
 * const html = await reportHTML(plan, { topCustomers: 100, riskTiers: [0.3, 0.6] });
 * ```
 */
export async function reportHTML(plan: Plan, options: ReportOptions = {}): Promise<string> {
  const s = await planSections(plan, options);
  const title = options.title ?? `Retention plan: ${plan.modelName}`;
  const files = options.files?.length
    ? `<p class="files">Files: ${options.files.map((f) => `<a href="${escapeHTML(encodeURI(f))}">${escapeHTML(f.slice(f.lastIndexOf('/') + 1))}</a>`).join('')}</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHTML(title)}</title>
<style>${PAGE_CSS}</style></head><body><main>
<h1>${escapeHTML(title)}</h1>
<p class="meta">${s.status}</p>
${s.problem}${s.notes}
${s.cards ? `<div class="cards">${s.cards}</div>` : ''}
${files}
${s.charts ? `<h2>Charts</h2><div class="charts">${s.charts}</div>` : ''}
${s.tables}
</main></body></html>
`;
}

/**
 * Writes {@link reportHTML} to `path` (its folder created if needed). Paths
 * in `options.files` are linked relative to the report's folder.
 *
 * @example
 * ```ts
 * const files = await writeExports(plan, 'out');
 * await writeReport(plan, 'out/report.html', { files });
 * ```
 */
export async function writeReport(plan: Plan, path: string, options: ReportOptions = {}): Promise<void> {
  const here = paths.dirname(path);
  const files = options.files?.map((f) => paths.relative(here, f).split('\\').join('/'));
  await writeText(path, await reportHTML(plan, { ...options, ...(files ? { files } : {}) }));
}
