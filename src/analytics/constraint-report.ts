import { planData, type MeasuredRow, type Plan, type RowReport } from '../plan/plan.js';
import type { RowSense } from '../problem/assignment-problem.js';
import type { SensitivityResult } from './sensitivity.js';
import { tableOf, type TableOf } from '../util/columns.js';

// Prices under half a cent read as $0.00 in words, so they are called free rather than costly.
const CENT = 0.005;
const money = (x: number) => `$${Math.abs(x).toFixed(2)}`;
const count = (x: number) => Math.round(x).toLocaleString('en-US');

/**
 * A row of {@link constraintReport}: one coupling row of the plan.
 *
 * @example
 * ```ts
 * const binding = constraintReport(plan).objects().filter((r: ConstraintReportRow) => r.status === 'binding');
 * ```
 */
export interface ConstraintReportRow {
  /** Row name. */
  row: string;
  /** Constraint type (`budget`, `capacity`, …). */
  type: string;
  /** `<=` (a cap) or `>=` (a floor). */
  sense: RowSense;
  /** The right-hand side. */
  limit: number;
  /** What a fraction became, when the limit came from one (`min 0.6 of 98 customers = 58.8, rounded up to 59`). */
  limitFrom: string | null;
  /** The plan's activity (NaN without a plan). */
  used: number;
  /** used / limit (null for a limit of 0). */
  utilization: number | null;
  /** `binding` when not one more unit (or cent) fits, else `slack`. */
  status: 'binding' | 'slack';
  /** Room left (≥ 0 in a returned plan). */
  slack: number;
  /** Net value per unit of limit; null when the backend gives none. */
  shadowPrice: number | null;
  /** False for a report-only row: measured, not enforced (its slack may be negative). */
  enforced: boolean;
  /** The row in words. */
  meaning: string;
}

/**
 * Every coupling row of a plan with its limit (and, for a fraction, the count
 * it became: floors round up, caps round down), use, utilization, whether it
 * binds, its shadow price and what that means in words, ranked by the value of
 * relaxing it (largest |shadow price| first). A row met exactly is binding,
 * never "violated": a returned plan never violates a row.
 *
 * Shadow prices are marginal: they hold for small changes of the limit. Give
 * a budget `sensitivity` result and the budget row also says how far: up to
 * the largest swept budget where the average return of the extra dollars is
 * still at least half the shadow price.
 *
 * @example
 * ```ts
 * constraintReport(plan, { sensitivity: await sensitivity(model, { budgets }) }).print();
 * // budget | <= | 150 | 150 | 1 | binding | 2.4 | each extra $1 of budget returns $2.40 of net value, up to about $400
 * ```
 */
export function constraintReport(
  plan: Plan,
  options: { sensitivity?: SensitivityResult } = {},
): TableOf<ConstraintReportRow> {
  const rows = plan.rows
    .map((r, j) => ({
      r,
      j,
      enforced: true,
      meaning: meaning(plan, r, j) + (r.type === 'budget' ? budgetReach(plan, r, options.sensitivity) : ''),
    }))
    .sort((a, b) => Math.abs(b.r.shadowPrice ?? 0) - Math.abs(a.r.shadowPrice ?? 0) || a.j - b.j);
  // Report-only rows after the enforced ones, in model order.
  plan.measured.forEach((r, j) => rows.push({ r, j, enforced: false, meaning: measuredMeaning(r) }));
  return tableOf<ConstraintReportRow>({
    row: rows.map((x) => x.r.name),
    type: rows.map((x) => x.r.type),
    sense: rows.map((x) => x.r.sense),
    limit: rows.map((x) => x.r.rhs),
    limitFrom: rows.map((x) => x.r.limitFrom ?? null),
    used: rows.map((x) => x.r.lhs),
    utilization: rows.map((x) => (x.r.rhs !== 0 ? x.r.lhs / x.r.rhs : null)),
    status: rows.map((x): 'binding' | 'slack' => (x.r.binding ? 'binding' : 'slack')),
    slack: rows.map((x) => x.r.slack),
    shadowPrice: rows.map((x) => x.r.shadowPrice),
    enforced: rows.map((x) => x.enforced),
    meaning: rows.map((x) => x.meaning),
  });
}

function measuredMeaning(r: MeasuredRow): string {
  if (Number.isNaN(r.lhs)) return 'report only: no plan to measure';
  if (r.slack >= 0)
    return `report only: the plan meets it (slack ${count(r.slack)}), so enforcing it would cost nothing`;
  const by = r.type === 'budget' ? money(-r.slack) : count(-r.slack);
  if (r.costToEnforce === null)
    return `report only: the plan breaks it by ${by}; ${r.note ?? 'the cost of enforcing it is not known'}`;
  return `report only: the plan breaks it by ${by}; enforcing it would cost ${money(r.costToEnforce)} of net value${r.note ? ` (${r.note})` : ''}`;
}

function meaning(plan: Plan, r: RowReport, j: number): string {
  if (!plan.hasAssignment) return `no plan to measure it on (${r.sense === '>=' ? 'floor' : 'cap'})`;
  const price = r.shadowPrice;
  if (price === null)
    return r.binding ? 'binding (this solver reports no shadow price)' : `not limiting (slack ${count(r.slack)})`;
  const row = planData(plan).problem.rows[j]!;
  switch (r.type) {
    case 'budget':
      return price >= CENT
        ? `each extra $1 of budget returns ${money(price)} of net value`
        : `budget is not scarce: an extra $1 returns $0.00${r.binding ? '' : ` (${money(r.slack)} unspent)`}`;
    case 'capacity': {
      const channel = row.channels?.join('/') ?? 'contact';
      return price >= CENT
        ? `one more ${channel} contact of capacity is worth ${money(price)}`
        : `one more ${channel} contact of capacity is worth $0.00: ${channel} is not scarce`;
    }
    case 'ratio':
      return Math.abs(price) >= CENT
        ? `the share is at its limit: one unit of the row (${r.limitFrom ?? 'part − share × whole'}) is worth ${money(price)}`
        : `share within its limit`;
    default:
      if (r.sense === '>=') {
        return price <= -CENT
          ? `this floor costs ${money(price)} of net value per customer it requires; lowering it by one would gain that much`
          : `floor met without cost (${count(r.slack)} above it)`;
      }
      return price >= CENT
        ? `each extra customer this cap allowed would add ${money(price)} of net value`
        : `cap not limiting${r.binding ? ' at the margin' : ` (${count(r.slack)} below it)`}`;
  }
}

// ", up to about $X" from a budget sweep: the largest budget whose extra dollars still return, on
// average, at least half the shadow price. Empty when there is no sweep or no price to qualify.
function budgetReach(plan: Plan, r: RowReport, sweep: SensitivityResult | undefined): string {
  if (!sweep || r.shadowPrice === null || r.shadowPrice < CENT || !plan.hasAssignment) return '';
  const rows = sweep.table.objects().filter((x) => x.netValue !== null && x.value > r.rhs);
  let reach: number | null = null;
  for (const x of rows) {
    if ((x.netValue! - plan.objective) / (x.value - r.rhs) >= r.shadowPrice / 2) reach = x.value;
  }
  return reach === null
    ? ', less than the next budget swept'
    : `, up to about $${Math.round(reach).toLocaleString('en-US')}`;
}
