import { InvalidInputError } from '../errors.js';
import type { Plan } from '../plan/plan.js';
import { tableOf, type TableOf } from '../util/columns.js';
import { headline } from './headline.js';

/**
 * Options of {@link compare}.
 *
 * @example
 * ```ts
 * const opts: CompareOptions = { names: ['budget 20k', 'budget 25k'], chosen: 'budget 25k' };
 * ```
 */
export interface CompareOptions {
  /** A name per plan (default `A`, `B`, …). */
  names?: readonly string[];
  /** The scenario picked (a name or an index): the report marks it. */
  chosen?: string | number;
}

/**
 * A row of {@link Comparison.headline}: one scenario's figures and their
 * change from the first scenario (the baseline).
 *
 * @example
 * ```ts
 * const best = comparison.headline.objects().sort((a, b) => b.netValue - a.netValue)[0]!.scenario;
 * ```
 */
export interface ScenarioRow {
  /** Scenario name. */
  scenario: string;
  /** True for the scenario picked. */
  chosen: boolean;
  /** How its solve ended. */
  status: string;
  /** Net expected value (NaN without a plan). */
  netValue: number;
  /** Change from the baseline's net value. */
  netValueChange: number;
  /** Spend. */
  spend: number;
  /** Change from the baseline's spend. */
  spendChange: number;
  /** Customers treated. */
  treated: number;
  /** Change from the baseline's treated. */
  treatedChange: number;
  /** netValue / spend. */
  roi: number;
  /** Proven gap of the plan. */
  gap: number;
}

/**
 * A row of {@link Comparison.actionMix}: customers per action in each
 * scenario (columns named after the scenarios), and the change from the
 * baseline in the last scenario.
 *
 * @example
 * ```ts
 * comparison.actionMix.print(); // action | A | B | change
 * ```
 */
export interface ActionMixRow {
  /** Action id (`(none)` for untreated customers). */
  action: string;
  /** Customers per scenario, by scenario name. */
  [scenario: string]: string | number;
}

/**
 * A row of {@link Comparison.moves}: customers whose action differs between
 * the baseline and another scenario, counted per (from, to).
 *
 * @example
 * ```ts
 * comparison.moves.objects().filter((m) => m.from === '(none)'); // newly treated, by action
 * ```
 */
export interface MoveRow {
  /** The other scenario. */
  scenario: string;
  /** Action in the baseline (`(none)`, or `(not in base)` for a customer only the other has). */
  from: string;
  /** Action in the other scenario (`(none)`, or `(not in base)`). */
  to: string;
  /** How many customers. */
  customers: number;
}

/**
 * A row of {@link Comparison.rows}: one constraint row in each scenario.
 *
 * @example
 * ```ts
 * comparison.rows.objects().filter((r) => r.scenario === 'B' && r.binding);
 * ```
 */
export interface CompareRowRow {
  /** Row name. */
  row: string;
  /** Scenario name. */
  scenario: string;
  /** The limit (null where the scenario has no such row). */
  limit: number | null;
  /** The plan's use (null where the scenario has no such row or no plan). */
  used: number | null;
  /** Whether it binds. */
  binding: boolean | null;
  /** Its shadow price. */
  shadowPrice: number | null;
}

/**
 * What {@link compare} returns: figures per scenario, the action mix, the
 * customers who move between actions and the constraint rows side by side.
 *
 * @example
 * ```ts
 * const c = compare(planA, planB, { names: ['current', 'more calls'], chosen: 1 });
 * c.headline.print();
 * ```
 */
export interface Comparison {
  /** Scenario names, in the order given. */
  names: readonly string[];
  /** Index of the scenario picked, or null. */
  chosen: number | null;
  /** One row per scenario. */
  headline: TableOf<ScenarioRow>;
  /** Customers per action per scenario. */
  actionMix: TableOf<ActionMixRow>;
  /** Customers moving between actions, baseline → each other scenario. */
  moves: TableOf<MoveRow>;
  /** Constraint rows side by side (one row per row name and scenario). */
  rows: TableOf<CompareRowRow>;
}

const NONE = '(none)';
const ABSENT = '(not in base)';

/**
 * Compares scenarios: two or more plans, the first being the baseline.
 * Customers are matched by id, so plans of different customer bases compare
 * too (a customer only one has is `(not in base)` in the other).
 *
 * @example
 * ```ts
 * const a = await model.solve();
 * const b = await model.without('budget').budget(25_000).solve();
 * const c = compare(a, b, { names: ['20k', '25k'], chosen: '25k' });
 * c.headline.print(); c.moves.print();
 * await writeReport(b, 'report.html', { comparison: c });
 * ```
 */
export function compare(...args: (Plan | CompareOptions)[]): Comparison {
  const last = args[args.length - 1];
  const options: CompareOptions = last !== undefined && !isPlan(last) ? (args.pop() as CompareOptions) : {};
  const plans = args as Plan[];
  if (plans.length < 2 || !plans.every(isPlan))
    throw new InvalidInputError('compare', `give two or more plans (got ${plans.length})`, plans.length);
  const names = options.names
    ? [...options.names]
    : plans.map((_, j) => String.fromCharCode(65 + (j % 26)) + (j >= 26 ? j : ''));
  if (
    names.length !== plans.length ||
    new Set(names).size !== names.length ||
    names.some((x) => typeof x !== 'string' || x === '' || x === 'action' || x === 'change')
  )
    throw new InvalidInputError(
      'compare.names',
      `give ${plans.length} distinct, non-empty names (not "action" or "change", the mix table's own columns)`,
      options.names,
    );
  let chosen: number | null = null;
  if (options.chosen !== undefined) {
    chosen = typeof options.chosen === 'number' ? options.chosen : names.indexOf(options.chosen);
    if (!(chosen >= 0 && chosen < plans.length && Number.isInteger(chosen)))
      throw new InvalidInputError('compare.chosen', `not one of the scenarios (${names.join(', ')})`, options.chosen);
  }
  return Object.freeze({
    names: Object.freeze(names),
    chosen,
    headline: headlines(plans, names, chosen),
    actionMix: actionMix(plans, names),
    moves: moves(plans, names),
    rows: sideBySide(plans, names),
  });
}

function isPlan(x: unknown): x is Plan {
  return x != null && typeof x === 'object' && 'status' in x && typeof (x as Plan).treated === 'function';
}

function headlines(plans: Plan[], names: string[], chosen: number | null): TableOf<ScenarioRow> {
  const h = plans.map((p) => (p.hasAssignment ? headline(p) : null));
  const base = h[0];
  const net = (j: number) => (h[j] ? h[j]!.netValue : NaN);
  return tableOf<ScenarioRow>({
    scenario: names,
    chosen: names.map((_, j) => j === chosen),
    status: plans.map((p) => p.status),
    netValue: plans.map((_, j) => net(j)),
    netValueChange: plans.map((_, j) => net(j) - net(0)),
    spend: h.map((x) => (x ? x.spend : NaN)),
    spendChange: h.map((x) => (x && base ? x.spend - base.spend : NaN)),
    treated: h.map((x) => (x ? x.treated : NaN)),
    treatedChange: h.map((x) => (x && base ? x.treated - base.treated : NaN)),
    roi: h.map((x) => (x ? x.roi : NaN)),
    gap: plans.map((p) => p.gap),
  });
}

// Customer id (as text) → action id or (none), per plan.
function actionsById(plan: Plan): Map<string, string> {
  const out = new Map<string, string>();
  const ids = plan.customerData.id;
  for (let i = 0; i < ids.length; i++) out.set(String(ids[i]), NONE);
  for (const t of plan.treated()) out.set(String(t.customer), t.action.id);
  return out;
}

function actionMix(plans: Plan[], names: string[]): TableOf<ActionMixRow> {
  const ids: string[] = [];
  const counts = plans.map((p) => {
    const c = new Map<string, number>();
    for (const a of p.catalog) if (!ids.includes(a.id)) ids.push(a.id);
    for (const t of p.treated()) c.set(t.action.id, (c.get(t.action.id) ?? 0) + 1);
    c.set(NONE, p.customerData.size - [...c.values()].reduce((s, x) => s + x, 0));
    return c;
  });
  // Bundles no scenario gives are left out (a catalog of 7 actions has 21 pairs).
  const bundles = new Set(plans.flatMap((p) => p.catalog.filter((a) => a.members).map((a) => a.id)));
  const used = (id: string) => !bundles.has(id) || counts.some((c) => (c.get(id) ?? 0) > 0);
  const actions = [...ids.filter(used), NONE];
  const columns: Record<string, (string | number)[]> = { action: actions };
  names.forEach((name, j) => (columns[name] = actions.map((a) => counts[j]!.get(a) ?? 0)));
  columns.change = actions.map((a) => (counts[names.length - 1]!.get(a) ?? 0) - (counts[0]!.get(a) ?? 0));
  return tableOf<ActionMixRow>(columns as never);
}

function moves(plans: Plan[], names: string[]): TableOf<MoveRow> {
  const base = actionsById(plans[0]!);
  const rows: MoveRow[] = [];
  plans.slice(1).forEach((p, j) => {
    const other = actionsById(p);
    const count = new Map<string, number>();
    const add = (from: string, to: string) => {
      if (from === to) return;
      const key = `${from}\u0000${to}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    };
    for (const [id, from] of base) add(from, other.get(id) ?? ABSENT);
    for (const [id, to] of other) if (!base.has(id)) add(ABSENT, to);
    for (const [key, customers] of [...count].sort((a, b) => b[1] - a[1])) {
      const [from, to] = key.split('\u0000') as [string, string];
      rows.push({ scenario: names[j + 1]!, from, to, customers });
    }
  });
  return tableOf<MoveRow>({
    scenario: rows.map((r) => r.scenario),
    from: rows.map((r) => r.from),
    to: rows.map((r) => r.to),
    customers: rows.map((r) => r.customers),
  });
}

function sideBySide(plans: Plan[], names: string[]): TableOf<CompareRowRow> {
  const rowNames: string[] = [];
  for (const p of plans) for (const r of p.rows) if (!rowNames.includes(r.name)) rowNames.push(r.name);
  const out: CompareRowRow[] = [];
  for (const row of rowNames) {
    plans.forEach((p, j) => {
      const r = p.rows.find((x) => x.name === row);
      out.push({
        row,
        scenario: names[j]!,
        limit: r ? r.rhs : null,
        used: r && !Number.isNaN(r.lhs) ? r.lhs : null,
        binding: r && !Number.isNaN(r.lhs) ? r.binding : null,
        shadowPrice: r ? r.shadowPrice : null,
      });
    });
  }
  return tableOf<CompareRowRow>({
    row: out.map((r) => r.row),
    scenario: out.map((r) => r.scenario),
    limit: out.map((r) => r.limit),
    used: out.map((r) => r.used),
    binding: out.map((r) => r.binding),
    shadowPrice: out.map((r) => r.shadowPrice),
  });
}
