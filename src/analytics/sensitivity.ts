import { table, type ColumnTable } from 'arquero';
import { InvalidInputError, SolverError } from '../errors.js';
import { budget } from '../constraints/budget.js';
import { capacity } from '../constraints/capacity.js';
import type { ConstraintPlugin } from '../constraints/plugin.js';
import type { RetentionModel } from '../model/retention-model.js';
import type { SolveOptions } from '../model/solve.js';
import type { Plan } from '../plan/plan.js';
import { columnsOf } from '../util/columns.js';
import { headline } from './headline.js';

/**
 * What to vary: budgets (the common case), a channel's capacity, or any
 * constraint through a function that makes it for a value.
 *
 * @example
 * ```ts
 * sensitivity(model, { budgets: [5000, 10000, 20000] });
 * sensitivity(model, { capacity: 'call', values: [300, 600, 900] });
 * sensitivity(model, { replace: 'high-risk', values: [0.4, 0.6], make: (v) => coverage({ name: 'high-risk', where, min: v }) });
 * ```
 */
export type SensitivityOptions = ({ budgets: number[] } | { capacity: string; values: number[] } | { replace: string; values: number[]; make: (value: number) => ConstraintPlugin }) & {
  /** Mark the knee where the marginal net value per unit falls below this (default 1: a dollar returns less than a dollar). */
  kneeBelow?: number;
  /** Passed to every solve (solver, gap tolerance, …); warm starts are chained automatically. */
  solve?: SolveOptions;
};

/**
 * A sensitivity sweep: its table and knee.
 *
 * @example
 * ```ts
 * const s = await sensitivity(model, { budgets });
 * s.table.print(); s.knee;
 * ```
 */
export interface SensitivityResult {
  /**
   * One row per value: `value`, `status`, `treated`, `coverage` (share of customers treated),
   * `spend`, `netValue`, `roi`, `marginal` (Δ net value / Δ value from the previous row),
   * `binding` (names of binding rows), `knee` (true on the knee row), `seconds`, `message`
   * (why a scenario has no plan: the solver's error, or null). A scenario whose solve fails is
   * a row with status `error`; the sweep goes on.
   */
  table: ColumnTable;
  /** The first value from which the marginal return falls below `kneeBelow`, or null. */
  knee: number | null;
  /** The plan of each row, in the table's order; null where the solve failed (status `error`). */
  plans: (Plan | null)[];
}

/**
 * Solves the model for each value of a parameter, in increasing order, each
 * solve warm-started from the previous plan, and tabulates what changes.
 *
 * @example
 * ```ts
 * const s = await sensitivity(model, { budgets: [10_000, 20_000, 40_000], kneeBelow: 0.5 });
 * ```
 */
export async function sensitivity(model: RetentionModel<true, true>, options: SensitivityOptions): Promise<SensitivityResult> {
  const { values, variant } = scenarios(model, options);
  const plans: (Plan | null)[] = [];
  const rows: Record<string, unknown>[] = [];
  let previous: Plan | undefined;
  for (const value of values) {
    const started = performance.now();
    let plan: Plan;
    try {
      plan = await variant(value).solve({ solver: 'decomposition', ...options.solve, ...(previous ? { warmStart: previous } : {}) });
    } catch (e) {
      // One failing scenario does not lose the sweep: its row says what happened. Bad input still throws.
      if (!(e instanceof SolverError)) throw e;
      plans.push(null);
      rows.push({
        value, status: 'error', treated: null, coverage: null, spend: null, netValue: null, roi: null, marginal: null,
        binding: '', knee: false, seconds: (performance.now() - started) / 1000, message: e.message,
      });
      continue;
    }
    plans.push(plan);
    const h = headline(plan);
    const last = rows[rows.length - 1];
    rows.push({
      value, status: plan.status, treated: h.treated, coverage: h.customers ? h.treated / h.customers : 0, spend: h.spend,
      netValue: plan.hasAssignment ? h.netValue : null, roi: h.roi,
      marginal: last && plan.hasAssignment && last.netValue !== null ? (h.netValue - (last.netValue as number)) / (value - (last.value as number)) : null,
      binding: plan.constraints.filter((r) => r.binding).map((r) => r.name).join(', '), knee: false, seconds: plan.solver.seconds,
      message: null,
    });
    if (plan.hasAssignment) previous = plan;
  }
  const threshold = options.kneeBelow ?? 1;
  const kneeRow = rows.findIndex((r) => r.marginal !== null && (r.marginal as number) < threshold);
  // The knee is the last value before returns drop below the threshold.
  const knee = kneeRow > 0 ? (rows[kneeRow - 1]!.value as number) : null;
  if (kneeRow > 0) rows[kneeRow - 1]!.knee = true;
  const keys = ['value', 'status', 'treated', 'coverage', 'spend', 'netValue', 'roi', 'marginal', 'binding', 'knee', 'seconds', 'message'];
  return { table: table(columnsOf(rows, keys)), knee, plans };
}

function scenarios(model: RetentionModel<true, true>, options: SensitivityOptions) {
  const replace = (name: string, plugin: ConstraintPlugin) =>
    (model.constraints.some((c) => c.name === name) ? model.without(name) : model).use(plugin);
  let values: number[];
  let variant: (v: number) => RetentionModel<true, true>;
  if ('budgets' in options) {
    values = options.budgets;
    const name = model.constraints.find((c) => c.type === 'budget')?.name ?? 'budget';
    variant = (v) => replace(name, budget({ max: v, ...(name !== 'budget' ? { name } : {}) }));
  } else if ('capacity' in options) {
    values = options.values;
    const name = model.constraints.find((c) => c.type === 'capacity' && c.toJSON?.().channel === options.capacity)?.name ?? `capacity:${options.capacity}`;
    variant = (v) => replace(name, capacity({ channel: options.capacity, max: v, ...(name !== `capacity:${options.capacity}` ? { name } : {}) }));
  } else {
    values = options.values;
    variant = (v) => replace(options.replace, options.make(v));
  }
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new InvalidInputError('sensitivity.values', 'must be a non-empty array of finite numbers', values);
  }
  return { values: [...values].sort((a, b) => a - b), variant };
}
