import { tableOf, type TableOf } from '../util/columns.js';
import type { Action } from '../data/actions.js';
import type { CustomerData } from '../data/customers.js';
import { isIntegerRow, pairValue, rowTolerance, type AssignmentProblem, type RowSense } from '../problem/assignment-problem.js';
import type { PlanStatus } from '../problem/backend.js';
import type { Conflict } from './diagnose.js';
import { checkHoldout, drawHoldout, type HoldoutOptions } from './holdout.js';

/**
 * One coupling row of a plan: limit, use, slack and shadow price.
 *
 * @example
 * ```ts
 * const budgetRow = plan.constraints.find((r) => r.name === 'budget');
 * budgetRow?.shadowPrice; // extra net value per extra unit of budget
 * ```
 */
export interface RowReport {
  name: string;
  /** The constraint (as given to the model) that produced the row. */
  constraint: string;
  /** Its type: `budget`, `capacity`, `coverage`, `saturation`, `fairness`, or a plugin's own. */
  type: string;
  sense: RowSense;
  rhs: number;
  lhs: number;
  /** rhs − lhs for caps, lhs − rhs for floors; ≥ 0 in any returned plan. */
  slack: number;
  binding: boolean;
  /** d(optimal net value)/d(rhs); null when the backend gives none. */
  shadowPrice: number | null;
  /** How the constraint derived `rhs`, when it says: a fraction and the count it became (`min 0.6 of 98 customers = 58.8, rounded up to 59`). */
  limitFrom?: string;
}

/**
 * Which backend produced the plan and how long it took.
 *
 * @example
 * ```ts
 * plan.solver.name; // 'highs'
 * ```
 */
export interface SolverInfo {
  name: string;
  seconds: number;
  /** Set when `auto` chose the backend. */
  pickedBy?: 'auto';
  iterations?: number;
  /** Where the shadow prices come from (`lp-relaxation`, `lagrangian`). */
  shadowPriceSource?: string;
  message?: string;
}

/**
 * A plan in the `retention-plan/v1` file format.
 *
 * @example
 * ```ts
 * fs.writeFileSync('plan.json', JSON.stringify(plan.toJSON(), null, 2));
 * ```
 */
export interface PlanJSON {
  format: 'retention-plan/v1';
  model: string;
  status: PlanStatus;
  objective: number | null;
  bound: number | null;
  gap: number | null;
  solver: SolverInfo;
  assignments: { customer: string | number; action: string; expectedValue: number; holdout: boolean }[];
  constraints: RowReportJSON[];
  conflicts?: Conflict[];
  /** The holdout drawn, when there is one. */
  holdout?: HoldoutOptions;
}

/**
 * A row report in a plan file: as {@link RowReport}, with `lhs` and `slack`
 * null where the plan has no assignment (an infeasible plan, a time limit
 * before any plan): JSON has no NaN.
 *
 * @example
 * ```ts
 * const used = doc.constraints[0]!.lhs ?? 0;
 * ```
 */
export interface RowReportJSON extends Omit<RowReport, 'lhs' | 'slack'> {
  /** Activity of the plan, or null without one. */
  lhs: number | null;
  /** Room left, or null without a plan. */
  slack: number | null;
}

/** Everything a {@link Plan} is built from. */
export interface PlanInit {
  modelName: string;
  status: PlanStatus;
  objective: number;
  bound: number;
  gap: number;
  solver: SolverInfo;
  choice: Int32Array | null;
  rows: RowReport[];
  conflicts: Conflict[];
  problem: AssignmentProblem;
  customers: CustomerData;
  actions: readonly Action[];
  /** 1 for treated customers held out (not contacted), or null without a holdout. */
  holdout?: Uint8Array | null;
  holdoutOptions?: HoldoutOptions | null;
  /** The model's warnings at solve time. */
  warnings?: readonly string[];
}

/** A row of `plan.assignments`: a treated customer. */
export interface AssignmentRow {
  /** Customer id, as it went in. */
  customer: string | number;
  /** Action id. */
  action: string;
  /** Action name. */
  actionName: string;
  /** The action's channel. */
  channel: string;
  /** Net expected value p·v·u − c. */
  expectedValue: number;
  /** Held out for measurement (not contacted). */
  holdout: boolean;
}

/**
 * The result of a solve: status, objective, bound, gap, the per-row report,
 * the assignments, and (when infeasible) the conflicts. Immutable.
 *
 * @example
 * ```ts
 * const plan = await model.solve();
 * if (plan.status === 'infeasible') console.log(plan.conflicts.map((c) => c.message));
 * else plan.assignments.print();
 * ```
 */
export class Plan {
  readonly modelName: string;
  readonly status: PlanStatus;
  /** Net expected value of the assignments, recomputed from the model (NaN when there is no plan). */
  readonly objective: number;
  /** Proven upper bound on the optimum. */
  readonly bound: number;
  /** (bound − objective) / max(1, |bound|). */
  readonly gap: number;
  readonly solver: Readonly<SolverInfo>;
  readonly constraints: readonly Readonly<RowReport>[];
  readonly conflicts: readonly Readonly<Conflict>[];
  /** @internal */
  readonly choice: Int32Array | null;
  /** @internal */
  readonly problem: AssignmentProblem;
  /** @internal */
  readonly customers: CustomerData;
  /** @internal */
  readonly actionList: readonly Action[];
  /** @internal 1 for held-out customers; null without a holdout. */
  readonly holdout: Uint8Array | null;
  /** The holdout drawn, if any. */
  readonly holdoutOptions: Readonly<HoldoutOptions> | null;
  /** What the model noticed that is legal but likely unintended (see `RetentionModel.warnings`); empty when nothing. */
  readonly warnings: readonly string[];
  #assignments: TableOf<AssignmentRow> | undefined;

  /** @internal Built by `RetentionModel.solve`. */
  constructor(init: PlanInit) {
    this.modelName = init.modelName;
    this.status = init.status;
    this.objective = init.objective;
    this.bound = init.bound;
    this.gap = init.gap;
    this.solver = Object.freeze({ ...init.solver });
    this.constraints = Object.freeze(init.rows.map((r) => Object.freeze(r)));
    this.conflicts = Object.freeze(init.conflicts.map((c) => Object.freeze(c)));
    this.choice = init.choice;
    this.problem = init.problem;
    this.customers = init.customers;
    this.actionList = init.actions;
    this.holdout = init.holdout ?? null;
    this.holdoutOptions = init.holdoutOptions ? Object.freeze({ ...init.holdoutOptions }) : null;
    this.warnings = Object.freeze([...(init.warnings ?? [])]);
  }

  /**
   * The same plan with a holdout drawn from its treated customers (see
   * {@link drawHoldout}). The assignment itself is unchanged.
   *
   * @example
   * ```ts
   * const measured = plan.withHoldout({ fraction: 0.1, seed: 42 });
   * ```
   */
  withHoldout(options: HoldoutOptions): Plan {
    const flags = this.choice ? drawHoldout(this.customers, this.choice, options) : null;
    return new Plan({
      modelName: this.modelName, status: this.status, objective: this.objective, bound: this.bound, gap: this.gap,
      solver: { ...this.solver }, choice: this.choice, rows: this.constraints.map((r) => ({ ...r })),
      conflicts: this.conflicts.map((c) => ({ ...c })), problem: this.problem, customers: this.customers,
      actions: this.actionList, holdout: flags, holdoutOptions: checkHoldout(options), warnings: this.warnings,
    });
  }

  /** True when the plan holds a verified assignment (optimal, feasible, or a time-limited plan). */
  get hasAssignment(): boolean {
    return this.choice !== null;
  }

  /** Shadow prices by row name, in the plan's convention (see {@link RowReport.shadowPrice}). */
  get shadowPrices(): Record<string, number | null> {
    return Object.fromEntries(this.constraints.map((r) => [r.name, r.shadowPrice]));
  }

  /**
   * Treated customers as an arquero table: `customer`, `action`, `actionName`,
   * `channel`, `expectedValue` (net of cost), `holdout`. Empty without a plan.
   */
  get assignments(): TableOf<AssignmentRow> {
    this.#assignments ??= this.buildAssignments();
    return this.#assignments;
  }

  /** The `retention-plan/v1` form. */
  toJSON(): PlanJSON {
    const t = this.assignments;
    const customer = t.array('customer') as ArrayLike<string | number>;
    const action = t.array('action') as ArrayLike<string>;
    const ev = t.array('expectedValue') as ArrayLike<number>;
    const holdout = t.array('holdout') as ArrayLike<boolean>;
    const assignments = Array.from({ length: t.numRows() }, (_, r) => ({
      customer: customer[r]!, action: action[r]!, expectedValue: ev[r]!, holdout: holdout[r]!,
    }));
    const num = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      format: 'retention-plan/v1',
      model: this.modelName,
      status: this.status,
      objective: num(this.objective),
      bound: num(this.bound),
      gap: num(this.gap),
      solver: { ...this.solver },
      assignments,
      constraints: this.constraints.map((r) => ({ ...r, lhs: num(r.lhs), slack: num(r.slack) })),
      ...(this.holdoutOptions ? { holdout: { ...this.holdoutOptions } } : {}),
      ...(this.conflicts.length ? { conflicts: this.conflicts.map((c) => ({ ...c, rows: [...c.rows], constraints: [...c.constraints] })) } : {}),
    };
  }

  private buildAssignments(): TableOf<AssignmentRow> {
    const { K } = this.problem;
    const choice = this.choice;
    const ids: (string | number)[] = [];
    const action: string[] = [];
    const actionName: string[] = [];
    const channel: string[] = [];
    const expectedValue: number[] = [];
    const holdout: boolean[] = [];
    if (choice) {
      for (let i = 0; i < choice.length; i++) {
        const k = choice[i]!;
        if (k < 0) continue;
        const a = this.actionList[k]!;
        ids.push(this.customers.id[i]!);
        action.push(a.id);
        actionName.push(a.name);
        channel.push(a.channel);
        expectedValue.push(pairValue(this.problem, i, k));
        holdout.push(this.holdout ? this.holdout[i] === 1 : false);
      }
    }
    return tableOf<AssignmentRow>({
      customer: ids, action, actionName, channel,
      expectedValue: Float64Array.from(expectedValue),
      holdout,
    });
  }
}

/** Builds the per-row report from row activities and shadow prices. */
export function rowReports(problem: AssignmentProblem, lhs: Float64Array | null, prices: Float64Array | null): RowReport[] {
  return problem.rows.map((row, j) => {
    const used = lhs ? lhs[j]! : NaN;
    const slack = row.sense === '<=' ? row.rhs - used : used - row.rhs;
    return {
      name: row.name,
      constraint: row.constraint,
      type: row.type,
      sense: row.sense,
      rhs: row.rhs,
      lhs: used,
      // A money row met to within float noise is binding, and its slack is reported as 0, never
      // negative; a count row's slack is exact, and it is binding when not one more unit fits.
      slack: Math.abs(slack) <= rowTolerance(row) ? 0 : slack,
      binding: isIntegerRow(row) ? Math.abs(slack) < 1 : Math.abs(slack) <= rowTolerance(row),
      shadowPrice: prices ? prices[j]! : null,
      ...(row.limitFrom !== undefined ? { limitFrom: row.limitFrom } : {}),
    };
  });
}
