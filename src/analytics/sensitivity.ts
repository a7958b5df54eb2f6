import { InvalidInputError, SolverError } from '../errors.js';
import { budget } from '../constraints/budget.js';
import { capacity } from '../constraints/capacity.js';
import type { ConstraintPlugin } from '../constraints/plugin.js';
import type { RetentionModel } from '../model/retention-model.js';
import type { SolveOptions } from '../model/solve.js';
import type { Plan } from '../plan/plan.js';
import { columnsOf, tableOf, type TableOf } from '../util/columns.js';
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
export type SensitivityOptions = (
  | {
      /** The budgets to solve for. */
      budgets: number[];
      /** Not with `budgets`. */
      capacity?: never;
      /** Not with `budgets`. */
      replace?: never;
      /** Not with `budgets`. */
      values?: never;
      /** Not with `budgets`. */
      make?: never;
    }
  | {
      /** The channel whose capacity varies. */
      capacity: string;
      /** The capacities to solve for. */
      values: number[];
      /** Not with `capacity`. */
      budgets?: never;
      /** Not with `capacity`. */
      replace?: never;
      /** Not with `capacity`. */
      make?: never;
    }
  | {
      /** Name of the constraint to replace (added when the model has none by that name). */
      replace: string;
      /** The parameter values to solve for. */
      values: number[];
      /** Makes the constraint for a value. */
      make: (value: number) => ConstraintPlugin;
      /** Not with `replace`. */
      budgets?: never;
      /** Not with `replace`. */
      capacity?: never;
    }
) & {
  /** Mark the knee where the marginal net value per unit falls below this (default 1: a dollar returns less than a dollar). */
  kneeBelow?: number;
  /** Passed to every solve (solver, gap tolerance, …); warm starts are chained automatically. */
  solve?: SolveOptions;
};

/**
 * A row of a {@link SensitivityResult}'s table: one value of the swept parameter.
 *
 * @example
 * ```ts
 * const knee: SensitivityRow | undefined = (await sensitivity(model, { budgets })).table.objects().find((r) => r.knee);
 * ```
 */
export interface SensitivityRow {
  /** The parameter's value (a budget, a capacity, …). */
  value: number;
  /** The plan's status, or `error` when its solve failed. */
  status: string;
  /** Customers treated (null when the solve failed). */
  treated: number | null;
  /** treated / customers. */
  coverage: number | null;
  /** Σ cost of the plan. */
  spend: number | null;
  /** The plan's net value (null without a plan). */
  netValue: number | null;
  /** Net value / spend. */
  roi: number | null;
  /** Δ net value / Δ value from the previous row (null on the first row or without a plan). */
  marginal: number | null;
  /** Names of the binding rows, joined by `, `. */
  binding: string;
  /** True on the knee row. */
  knee: boolean;
  /** Solve time. */
  seconds: number;
  /** Why the scenario has no plan (the solver's error), or null. */
  message: string | null;
}

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
  table: TableOf<SensitivityRow>;
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
export async function sensitivity(
  model: RetentionModel<true, true>,
  options: SensitivityOptions,
): Promise<SensitivityResult> {
  const { values, variant } = scenarios(model, options);
  const plans: (Plan | null)[] = [];
  const rows: SensitivityRow[] = [];
  let previous: Plan | undefined;
  for (const value of values) {
    const started = performance.now();
    let plan: Plan;
    try {
      plan = await variant(value).solve({
        solver: 'decomposition',
        ...options.solve,
        ...(previous ? { warmStart: previous } : {}),
      });
    } catch (e) {
      // One failing scenario does not lose the sweep: its row says what happened. Bad input still throws.
      if (!(e instanceof SolverError)) throw e;
      plans.push(null);
      rows.push({
        value,
        status: 'error',
        treated: null,
        coverage: null,
        spend: null,
        netValue: null,
        roi: null,
        marginal: null,
        binding: '',
        knee: false,
        seconds: (performance.now() - started) / 1000,
        message: e.message,
      });
      continue;
    }
    plans.push(plan);
    const h = headline(plan);
    const last = rows[rows.length - 1];
    rows.push({
      value,
      status: plan.status,
      treated: h.treated,
      coverage: h.customers ? h.treated / h.customers : 0,
      spend: h.spend,
      netValue: plan.hasAssignment ? h.netValue : null,
      roi: h.roi,
      marginal:
        last && plan.hasAssignment && last.netValue !== null
          ? (h.netValue - last.netValue) / (value - last.value)
          : null,
      binding: plan.rows
        .filter((r) => r.binding)
        .map((r) => r.name)
        .join(', '),
      knee: false,
      seconds: plan.solver.seconds,
      message: null,
    });
    if (plan.hasAssignment) previous = plan;
  }
  const threshold = options.kneeBelow ?? 1;
  const kneeRow = rows.findIndex((r) => r.marginal !== null && r.marginal < threshold);
  // The knee is the last value before returns drop below the threshold.
  const knee = kneeRow > 0 ? rows[kneeRow - 1]!.value : null;
  if (kneeRow > 0) rows[kneeRow - 1]!.knee = true;
  const keys = [
    'value',
    'status',
    'treated',
    'coverage',
    'spend',
    'netValue',
    'roi',
    'marginal',
    'binding',
    'knee',
    'seconds',
    'message',
  ] as const;
  return { table: tableOf<SensitivityRow>(columnsOf(rows, keys)), knee, plans };
}

function scenarios(model: RetentionModel<true, true>, options: SensitivityOptions) {
  const replace = (name: string, plugin: ConstraintPlugin) =>
    (model.constraints.some((c) => c.name === name) ? model.without(name) : model).use(plugin);
  let values: number[];
  let variant: (v: number) => RetentionModel<true, true>;
  // One parameter per sweep: a budget sweep with a capacity given too would silently ignore it.
  const given = (['budgets', 'capacity', 'replace'] as const).filter((k) => options?.[k] !== undefined);
  if (given.length !== 1) {
    throw new InvalidInputError(
      'sensitivity',
      `give exactly one of budgets, capacity, replace (got ${given.length ? given.join(', ') : 'none'})`,
      options,
    );
  }
  if (options.budgets !== undefined) {
    values = options.budgets;
    const name = model.constraints.find((c) => c.type === 'budget')?.name ?? 'budget';
    variant = (v) => replace(name, budget({ max: v, ...(name !== 'budget' ? { name } : {}) }));
  } else if (options.capacity !== undefined) {
    const channel = options.capacity;
    values = options.values;
    // The capacity of exactly that channel, as its row says (code-only plugins included).
    const name =
      model.problem().rows.find((r) => r.channels?.length === 1 && r.channels[0] === channel && r.sense === '<=')
        ?.constraint ?? `capacity:${channel}`;
    variant = (v) => replace(name, capacity({ channel, max: v, ...(name !== `capacity:${channel}` ? { name } : {}) }));
  } else {
    const { replace: target, make } = options;
    if (typeof make !== 'function')
      throw new InvalidInputError('sensitivity.make', 'replace needs make: (value) => a constraint', make);
    values = options.values;
    variant = (v) => replace(target!, make(v));
  }
  if (
    !Array.isArray(values) ||
    values.length === 0 ||
    values.some((v) => typeof v !== 'number' || !Number.isFinite(v))
  ) {
    throw new InvalidInputError('sensitivity.values', 'must be a non-empty array of finite numbers', values);
  }
  return { values: [...values].sort((a, b) => a - b), variant };
}
