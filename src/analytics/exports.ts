import { makeDir, paths, writeText } from '../util/files.js';
import { InvalidInputError } from '../errors.js';
import { parquetBytes } from '../data/parquet.js';
import { toCSV, toJSON, type ColumnTable } from 'arquero';
import type { Plan } from '../plan/plan.js';
import { columnsOf, tableOf, type TableOf } from '../util/columns.js';
import { contactRows, treatedRows, type TreatedCustomer } from './plan-rows.js';

/**
 * A row of {@link treatmentPlan}: a treated customer.
 *
 * @example
 * ```ts
 * const contacted = treatmentPlan(plan).objects().filter((r: TreatmentPlanRow) => !r.holdout);
 * ```
 */
export type TreatmentPlanRow = Pick<
  TreatedCustomer,
  | 'customer'
  | 'action'
  | 'actionName'
  | 'channel'
  | 'segment'
  | 'churnProbability'
  | 'value'
  | 'expectedValue'
  | 'holdout'
>;
/**
 * A row of {@link emailList}.
 *
 * @example
 * ```ts
 * const emails: EmailListRow[] = emailList(plan).objects();
 * ```
 */
export type EmailListRow = Pick<TreatedCustomer, 'customer' | 'action' | 'actionName' | 'segment' | 'churnProbability'>;
/**
 * A row of {@link callQueue}: `rank` 1 is the most valuable customer to call.
 *
 * @example
 * ```ts
 * const firstCall: CallQueueRow = callQueue(plan).objects()[0]!; // rank 1
 * ```
 */
export type CallQueueRow = {
  /** 1 for the most valuable customer to call. */
  rank: number;
} & Pick<TreatedCustomer, 'customer' | 'value' | 'churnProbability' | 'action' | 'actionName' | 'segment'>;

/**
 * The complete treatment plan: every treated customer with action, channel,
 * segment, churn probability, value, net expected value and holdout flag.
 *
 * @example
 * ```ts
 * treatmentPlan(plan).filter((d) => !d.holdout).print();
 * ```
 */
export function treatmentPlan(plan: Plan): TableOf<TreatmentPlanRow> {
  return tableOf<TreatmentPlanRow>(
    columnsOf(treatedRows(plan), [
      'customer',
      'action',
      'actionName',
      'channel',
      'segment',
      'churnProbability',
      'value',
      'expectedValue',
      'holdout',
    ]),
  );
}

/**
 * Customers to email this week (held-out customers left out), for marketing automation.
 *
 * @example
 * ```ts
 * emailList(plan).print();
 * ```
 */
export function emailList(plan: Plan, options: { channel?: string } = {}): TableOf<EmailListRow> {
  const channel = options.channel ?? 'email';
  const rows = contactRows(plan).filter((r) => r.channel === channel && !r.holdout);
  return tableOf<EmailListRow>(columnsOf(rows, ['customer', 'action', 'actionName', 'segment', 'churnProbability']));
}

/**
 * The call queue for the CRM: customers to call (held-out left out), most valuable first.
 *
 * @example
 * ```ts
 * callQueue(plan).print();
 * ```
 */
export function callQueue(plan: Plan, options: { channel?: string } = {}): TableOf<CallQueueRow> {
  const channel = options.channel ?? 'call';
  const rows = contactRows(plan).filter((r) => r.channel === channel && !r.holdout);
  const ordered = [...rows].sort((a, b) => b.value - a.value);
  return tableOf<CallQueueRow>({
    rank: ordered.map((_, r) => r + 1),
    ...columnsOf(ordered, ['customer', 'value', 'churnProbability', 'action', 'actionName', 'segment']),
  });
}

/**
 * Options of {@link writeExports}.
 *
 * @example
 * ```ts
 * await writeExports(plan, 'out', { neutralizeFormulas: false }); // raw text, for pipelines
 * ```
 */
export interface ExportOptions {
  /**
   * In CSV files, prefix a text cell that starts with `=`, `+`, `-`, `@`, a tab
   * or a carriage return with `'`, so that a spreadsheet shows it as text
   * instead of running it as a formula (OWASP "CSV injection"; an id such as
   * `=HYPERLINK(…)`). Default true; JSON files are always written raw.
   */
  neutralizeFormulas?: boolean;
  /**
   * Which files `writeExports` writes for each table (default `['csv', 'json']`).
   * `parquet` writes the table's columns with their types (numbers as numbers,
   * text as text, no formula neutralizing: a Parquet file is not opened by a
   * spreadsheet as text); `treatment-plan.parquet` is the whole plan.
   */
  formats?: readonly ('csv' | 'json' | 'parquet')[];
}

/**
 * Writes the treatment plan, email list and call queue as CSV and JSON (and
 * Parquet with `formats`) into `dir` (created if needed); returns the paths written. Text cells that a
 * spreadsheet would run as a formula are neutralized in the CSV files (see
 * {@link ExportOptions}).
 *
 * @example
 * ```ts
 * const files = await writeExports(plan, 'out');
 * await writeExports(plan, 'warehouse/week-48', { formats: ['parquet'] });
 * ```
 */
export async function writeExports(plan: Plan, dir: string, options: ExportOptions = {}): Promise<string[]> {
  const formats = checkFormats(options.formats ?? ['csv', 'json']);
  await makeDir(dir);
  const written: string[] = [];
  const files: { name: string; data: string | Uint8Array }[] = exportTexts(plan, options)
    .filter((f) => formats.includes(f.name.slice(f.name.lastIndexOf('.') + 1)))
    .map((f) => ({ name: f.name, data: f.text }));
  if (formats.includes('parquet'))
    for (const [name, t] of exportTables(plan)) files.push({ name: `${name}.parquet`, data: parquetBytes(t) });
  for (const { name, data } of files) {
    const path = paths.join(dir, name);
    await writeText(path, data);
    written.push(path);
  }
  return written;
}

const FORMATS = ['csv', 'json', 'parquet'] as const;
function checkFormats(formats: readonly string[]): readonly string[] {
  formats.forEach((f, j) => {
    if (!(FORMATS as readonly string[]).includes(f))
      throw new InvalidInputError(
        `writeExports.formats[${j}]`,
        `unknown format "${f}" (known: ${FORMATS.join(', ')})`,
        f,
      );
  });
  return formats;
}

// The three tables, by file name (without extension).
function exportTables(plan: Plan): [string, ColumnTable][] {
  return [
    ['treatment-plan', treatmentPlan(plan)],
    ['email-list', emailList(plan)],
    ['call-queue', callQueue(plan)],
  ];
}

/**
 * One file of {@link exportTexts}.
 *
 * @example
 * ```ts
 * const file: ExportFile = exportTexts(plan)[0]!; // { name: 'treatment-plan.csv', text: 'customer,action,…' }
 * ```
 */
export interface ExportFile {
  /** File name, with its extension (`email-list.csv`). */
  name: string;
  /** The file's content. */
  text: string;
}

/**
 * The files {@link writeExports} writes, as text: `treatment-plan`,
 * `email-list` and `call-queue`, each as CSV (formula cells neutralized unless
 * `neutralizeFormulas: false`) and JSON. For a browser, a worker or a service
 * that sends the files somewhere other than a folder.
 *
 * @example
 * ```ts
 * const csv = exportTexts(plan).find((f) => f.name === 'email-list.csv')!.text;
 * ```
 */
export function exportTexts(plan: Plan, options: ExportOptions = {}): ExportFile[] {
  const neutralize = options.neutralizeFormulas ?? true;
  const out: ExportFile[] = [];
  for (const [name, t] of exportTables(plan)) {
    out.push({ name: `${name}.csv`, text: toCSV(t, neutralize ? { format: formulaSafe(t) } : {}) });
    out.push({ name: `${name}.json`, text: toJSON(t) });
  }
  return out;
}

// Cells a spreadsheet would read as a formula (OWASP: = + - @ tab CR) get a leading quote.
const FORMULA_START = /^[=+\-@\t\r]/;
function formulaSafe(t: ColumnTable): Record<string, (v: unknown) => unknown> {
  const safe = (v: unknown) => (typeof v === 'string' && FORMULA_START.test(v) ? `'${v}` : v);
  return Object.fromEntries(t.columnNames().map((name) => [name, safe]));
}
