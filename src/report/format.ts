// Figures for people: every number the report and the dashboard print goes through here, so a column
// reads the same everywhere (money with $ and separators, counts with separators, shares as
// percentages) and ids come out exactly as they went in.
import type { ColumnTable } from 'arquero';

/** How a column's values are printed. */
export type ColumnKind = 'id' | 'text' | 'money' | 'percent' | 'count' | 'number' | 'seconds' | 'gap' | 'flag';

// Columns of the library's tables by name. A column not named here is printed by its values: whole
// numbers as counts, others with up to three significant decimals.
const KINDS: Record<string, ColumnKind> = {
  customer: 'id',
  customer_id: 'id',
  id: 'id',
  spend: 'money',
  cost: 'money',
  value: 'money',
  retainedValue: 'money',
  netValue: 'money',
  valueAtRisk: 'money',
  expectedValue: 'money',
  netValueChange: 'money',
  spendChange: 'money',
  marginal: 'money',
  shadowPrice: 'money',
  costToEnforce: 'money',
  share: 'percent',
  roi: 'percent',
  utilization: 'percent',
  treatedShare: 'percent',
  coverage: 'percent',
  churnProbability: 'percent',
  customers: 'count',
  treated: 'count',
  treatedChange: 'count',
  capacity: 'count',
  rank: 'count',
  pairs: 'count',
  seconds: 'seconds',
  gap: 'gap',
  holdout: 'flag',
  chosen: 'flag',
  knee: 'flag',
  enforced: 'flag',
};

// Headers that a split of the camelCase name would get wrong or leave vague.
const HEADERS: Record<string, string> = {
  roi: 'ROI',
  action: 'Action id',
  actionName: 'Action',
  customer: 'Customer id',
  expectedValue: 'Net expected value',
  netValueChange: 'Δ net value',
  spendChange: 'Δ spend',
  treatedChange: 'Δ treated',
  limitFrom: 'Limit from',
  marginal: 'Net value per extra $',
  knee: 'Knee',
};

/**
 * A column name as a header: `retainedValue` → `Retained value`, `roi` → `ROI`.
 *
 * @example
 * ```ts
 * header('treatedShare'); // 'Treated share'
 * ```
 */
export function header(name: string): string {
  const known = HEADERS[name];
  if (known) return known;
  const words = name
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The kind of a column: by its name when the library knows it, else by its values. */
export function kindOf(name: string, values: ArrayLike<unknown>): ColumnKind {
  const known = KINDS[name];
  if (known) return known;
  let numbers = 0,
    whole = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'boolean') return 'flag';
    if (typeof v !== 'number') continue;
    numbers++;
    if (Number.isInteger(v)) whole++;
  }
  if (numbers === 0) return 'text';
  return whole === numbers ? 'count' : 'number';
}

const EN = 'en-US';
const MINUS = '−';

/**
 * Money: `$1,234` for amounts of a hundred or more, `$12.35` below (so a
 * cost per customer keeps its cents and a total does not print them).
 *
 * @example
 * ```ts
 * money(1484453.2); // '$1,484,453'
 * ```
 */
export function money(x: number, cents = Math.abs(x) < 100): string {
  if (!Number.isFinite(x)) return '—';
  const digits = cents ? 2 : 0;
  const s = Math.abs(x).toLocaleString(EN, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return x < 0 && s.replace(/[0.,]/g, '') !== '' ? `${MINUS}$${s}` : `$${s}`;
}

/**
 * A share as a percentage with one decimal (`0.093` → `9.3%`; ROI 25.4 → `2,540%`).
 *
 * @example
 * ```ts
 * percent(0.0934); // '9.3%'
 * ```
 */
export function percent(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const s = Math.abs(x * 100).toLocaleString(EN, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return x < 0 && s !== '0.0' ? `${MINUS}${s}%` : `${s}%`;
}

/**
 * A count with thousands separators (`56130` → `56,130`).
 *
 * @example
 * ```ts
 * count(56130); // '56,130'
 * ```
 */
export function count(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const s = Math.abs(Math.round(x)).toLocaleString(EN);
  return x < 0 && s !== '0' ? `${MINUS}${s}` : s;
}

/**
 * A proven optimality gap: `0.01%`, or `< 0.0001%` when smaller.
 *
 * @example
 * ```ts
 * gapText(6.4e-10); // '< 0.0001%'
 * ```
 */
export function gapText(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (x === 0) return '0%';
  if (x < 1e-6) return '< 0.0001%';
  return `${Number((x * 100).toPrecision(2)).toLocaleString(EN, { maximumSignificantDigits: 2 })}%`;
}

function plainNumber(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (Number.isInteger(x)) return count(x);
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const s = abs.toLocaleString(EN, { minimumFractionDigits: 0, maximumFractionDigits: digits });
  return x < 0 ? `${MINUS}${s}` : s;
}

/**
 * One value of a column of the given kind, for people. `null`, `undefined`
 * and `NaN` print as `—`; an id prints as it went in.
 *
 * @example
 * ```ts
 * formatValue('percent', 0.25); // '25.0%'
 * ```
 */
export function formatValue(kind: ColumnKind, v: unknown, cents?: boolean): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '—';
  if (kind === 'id' || typeof v === 'string') return String(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v !== 'number') return String(v);
  switch (kind) {
    case 'money':
      return money(v, cents);
    case 'percent':
      return percent(v);
    case 'count':
      return Number.isInteger(v) ? count(v) : plainNumber(v);
    case 'seconds':
      return `${v < 10 ? v.toFixed(2) : v.toFixed(1)} s`;
    case 'gap':
      return gapText(v);
    default:
      return plainNumber(v);
  }
}

/** Options of {@link tableHTML}. */
export interface TableHTMLOptions {
  /** Most rows shown (default all); the table says how many it left out. */
  limit?: number;
  /** Kinds for columns the name and values do not tell (an override by column name). */
  kinds?: Record<string, ColumnKind>;
  /** A kind for one cell, by its row (a constraint table's limit is money on the budget row, a count elsewhere). */
  cellKind?: (column: string, row: Record<string, unknown>) => ColumnKind | undefined;
  /** Headers by column name (default {@link header}). */
  headers?: Record<string, string>;
}

/**
 * An arquero table as an HTML table for people: headers in words, every
 * figure formatted by its column's kind (see {@link kindOf}), numbers right
 * aligned, ids and text left aligned; the `<table>` sits in a box that
 * scrolls sideways on a narrow screen.
 *
 * @example
 * ```ts
 * const html = tableHTML(byAction(plan));
 * ```
 */
export function tableHTML(t: ColumnTable, options: TableHTMLOptions = {}): string {
  const names = t.columnNames();
  const total = t.numRows();
  const limit = Math.min(total, options.limit ?? total);
  const rows = t.objects({ limit }) as Record<string, unknown>[];
  const kinds = names.map((n) => options.kinds?.[n] ?? kindOf(n, t.array(n) as ArrayLike<unknown>));
  // A money column keeps cents when its amounts are small (a cost per customer), not when they are totals.
  const cents = names.map((n, c) => {
    if (kinds[c] !== 'money') return false;
    let max = 0;
    for (const r of rows) if (typeof r[n] === 'number' && Number.isFinite(r[n])) max = Math.max(max, Math.abs(r[n]));
    return max < 100;
  });
  const numeric = (k: ColumnKind) => k !== 'id' && k !== 'text' && k !== 'flag';
  const head = names
    .map(
      (n, c) =>
        `<th class="${numeric(kinds[c]!) ? 'num' : 'txt'}">${escapeHTML(options.headers?.[n] ?? header(n))}</th>`,
    )
    .join('');
  const body = rows
    .map(
      (r) =>
        '<tr>' +
        names
          .map((n, c) => {
            const kind = options.cellKind?.(n, r) ?? kinds[c]!;
            const cls = numeric(kind) && typeof r[n] === 'number' ? 'num' : 'txt';
            return `<td class="${cls}">${escapeHTML(formatValue(kind, r[n], cents[c]))}</td>`;
          })
          .join('') +
        '</tr>',
    )
    .join('');
  const more = total > limit ? `<p class="meta">${count(limit)} of ${count(total)} rows shown.</p>` : '';
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>${more}`;
}

/**
 * Text made safe inside HTML.
 *
 * @example
 * ```ts
 * escapeHTML('<b>'); // '&lt;b&gt;'
 * ```
 */
export function escapeHTML(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
