import { tableOf, type TableOf } from '../util/columns.js';
import type { Action } from '../data/actions.js';
import type { CustomerData } from '../data/customers.js';
import {
  isIntegerRow,
  pairValue,
  rowTolerance,
  type AssignmentProblem,
  type RowSense,
} from '../problem/assignment-problem.js';
import type { PlanStatus } from '../problem/backend.js';
import type { Conflict } from './diagnose.js';
import { checkHoldout, drawHoldout, type HoldoutOptions } from './holdout.js';

/**
 * One coupling row of a plan: limit, use, slack and shadow price.
 *
 * @example
 * ```ts
 * const budgetRow = plan.rows.find((r) => r.name === 'budget');
 * budgetRow?.shadowPrice; // extra net value per extra unit of budget
 * ```
 */
export interface RowReport {
  /** Row name (a constraint's name, or `name=value` for one of its rows). */
  name: string;
  /** The constraint (as given to the model) that produced the row. */
  constraint: string;
  /** Its type: `budget`, `capacity`, `coverage`, `saturation`, `fairness`, or a plugin's own. */
  type: string;
  /** `<=` for a cap, `>=` for a floor. */
  sense: RowSense;
  /** The limit: right-hand side. */
  rhs: number;
  /** The plan's activity on the row (NaN without a plan). */
  lhs: number;
  /** rhs − lhs for caps, lhs − rhs for floors; ≥ 0 in any returned plan. */
  slack: number;
  /** True when not one more unit (or cent) fits: the limit decides the plan here. */
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
  /** The backend that made the plan (`decomposition`, `highs`, `lp-solver`). */
  name: string;
  /** Wall time from compile to verified plan. */
  seconds: number;
  /** Set when `auto` chose the backend. */
  pickedBy?: 'auto';
  /** Passes over the data (decomposition) or MIP callbacks (highs). */
  iterations?: number;
  /** Where the shadow prices come from (`lp-relaxation`, `lagrangian`). */
  shadowPriceSource?: string;
  /** What the backend did, in words (phases, fallbacks, why a gap remains). */
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
  /** Always `retention-plan/v1`. */
  format: 'retention-plan/v1';
  /** Name of the model the plan was made for. */
  model: string;
  /** How the solve ended. */
  status: PlanStatus;
  /** Net value of the assignments; null without a plan. */
  objective: number | null;
  /** Proven upper bound on the optimum; null when none. */
  bound: number | null;
  /** (bound − objective) / max(1, |bound|); null without a plan. */
  gap: number | null;
  /** Which backend, how long, what it said. */
  solver: SolverInfo;
  /** The treated customers: id as it went in, action id, net expected value, held out or not. */
  assignments: {
    /** Customer id, as it went in. */
    customer: string | number;
    /** Action id. */
    action: string;
    /** Net expected value p·v·u − c. */
    expectedValue: number;
    /** Held out for measurement (not contacted). */
    holdout: boolean;
  }[];
  /** One report per coupling row. */
  constraints: RowReportJSON[];
  /** Report-only rows (see `reportOnly`), when the model has any. */
  measured?: (RowReportJSON & {
    /** Net value lost by enforcing the report-only rows the plan breaks (null when not known). */
    costToEnforce: number | null;
    /** What the second solve found, in words. */
    note?: string;
  })[];
  /** Present when infeasible: the constraints that conflict and by how much. */
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

/**
 * How many customers one rule keeps from actions, counted when the model
 * compiles (each rule on its own: a customer kept out by two rules counts
 * for both). Plans carry them as `plan.heldBack`; the report shows them.
 *
 * @example
 * ```ts
 * for (const h of plan.heldBack) console.log(`${h.constraint}: ${h.customers} customers held back`);
 * ```
 */
export interface HeldBack {
  /** The rule (constraint name). */
  readonly constraint: string;
  /** Its type (`contact-limit`, `suppress`, `exclude`, …). */
  readonly type: string;
  /** Customers kept from at least one action. */
  readonly customers: number;
  /** Customers kept from every action. */
  readonly allActions: number;
  /** (Customer, action) pairs it rules out. */
  readonly pairs: number;
  /** False for a report-only rule: counted, but nobody was held back by it. */
  readonly enforced: boolean;
}

/**
 * A report-only row (see `reportOnly`): what the plan does on it, and what
 * enforcing it would mean. `shadowPrice` is the price it would have: 0 when
 * the plan meets it anyway (enforcing it would change nothing), else its
 * price in a second solve with every broken report-only row enforced.
 *
 * @example
 * ```ts
 * for (const r of plan.measured) if (r.slack < 0) console.log(`${r.name}: enforcing would cost ${r.costToEnforce}`);
 * ```
 */
export interface MeasuredRow extends RowReport {
  /**
   * Net value lost by enforcing the report-only rows this plan breaks (all of
   * them together): 0 when it breaks none; null when not known (no plan, or
   * no time left for the second solve; `note` says which).
   */
  costToEnforce: number | null;
  /** What the second solve found, in words, when it says more than the figures. */
  note?: string;
}

/** Everything a {@link Plan} is built from. */
export interface PlanInit {
  modelName: string;
  /** How the solve ended. */
  status: PlanStatus;
  objective: number;
  bound: number;
  gap: number;
  /** Which backend, how long, what it said. */
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
  /** Per rule that rules pairs out (exclusions, contact policies): whom it held back. */
  heldBack?: readonly HeldBack[];
  /** Report-only rows, measured. */
  measured?: readonly MeasuredRow[];
  /** The two churn-probability cuts between low, medium and high risk (default 0.3 and 0.5). */
  riskTiers?: readonly [number, number];
}

/**
 * A row of `plan.assignments`: a treated customer.
 *
 * @example
 * ```ts
 * const first: AssignmentRow | undefined = plan.assignments.objects()[0];
 * ```
 */
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

/** What a plan was made from, for the library's own views (not exported from the package). */
export interface PlanData {
  readonly choice: Int32Array | null;
  readonly problem: AssignmentProblem;
  readonly customers: CustomerData;
  readonly actions: readonly Action[];
  /** 1 for held-out customers; null without a holdout. */
  readonly holdout: Uint8Array | null;
}

/**
 * A treated customer, as {@link Plan.treated} yields it.
 *
 * @example
 * ```ts
 * const first: TreatedEntry | undefined = plan.treated().next().value;
 * ```
 */
export interface TreatedEntry {
  /** Position of the customer in the model's data. */
  index: number;
  /** Customer id, as it went in. */
  customer: string | number;
  /** Position of the action in the plan's catalog. */
  actionIndex: number;
  /** The action. */
  action: Action;
  /** Held out for measurement (not contacted). */
  heldOut: boolean;
}

let dataOf: (plan: PlanRecord) => PlanData;

/**
 * A plan of the kind its status says (the one way plans are made inside the
 * library). Only an infeasible plan carries conflicts.
 */
export function makePlan(init: PlanInit): Plan {
  if (init.status !== 'infeasible' && init.conflicts.length) throw new Error(`a ${init.status} plan has no conflicts`);
  return new PlanRecord(init) as Plan;
}

/** The data a plan was made from (no copy): for the library's analytics, learning and charts. */
export function planData(plan: PlanRecord): PlanData {
  return dataOf(plan);
}

/**
 * The result of a solve, by status: a {@link SolvedPlan} (optimal or
 * feasible), an {@link InfeasiblePlan} (no plan exists; its conflicts say
 * why) or a {@link StoppedPlan} (a time limit or an abort; the best verified
 * plan so far, if any). Narrow on `status` to reach what only one has.
 *
 * @example
 * ```ts
 * const plan = await model.solve();
 * if (plan.status === 'infeasible') console.log(plan.conflicts.map((c) => c.message));
 * else plan.assignments.print();
 * ```
 */
export type Plan = SolvedPlan | InfeasiblePlan | StoppedPlan;

/**
 * A plan with a verified assignment: `optimal` (gap within the tolerance
 * asked) or `feasible` (a larger gap, reported). It has no conflicts.
 *
 * @example
 * ```ts
 * if (plan.status === 'optimal' || plan.status === 'feasible') console.log(plan.objective.toFixed(2));
 * ```
 */
export type SolvedPlan = PlanRecord & {
  /** `optimal` or `feasible`. */
  readonly status: 'optimal' | 'feasible';
  /** None: the plan meets every constraint. */
  readonly conflicts: readonly [];
};

/**
 * No plan meets every constraint: no assignment, `objective` NaN, and the
 * conflicts that prove it when the diagnosis finds them.
 *
 * @example
 * ```ts
 * if (plan.status === 'infeasible') for (const c of plan.conflicts) console.log(c.message);
 * ```
 */
export type InfeasiblePlan = PlanRecord & {
  /** `infeasible`. */
  readonly status: 'infeasible';
};

/**
 * Stopped by a time limit or an abort: the best verified plan found so far
 * (`hasAssignment`), or none (`objective` NaN).
 *
 * @example
 * ```ts
 * if (plan.status === 'time_limit' && !plan.hasAssignment) console.log('no plan yet: give it more time');
 * ```
 */
export type StoppedPlan = PlanRecord & {
  /** `time_limit`. */
  readonly status: 'time_limit';
  /** None: the constraints were not proved to conflict. */
  readonly conflicts: readonly [];
};

/**
 * What every {@link Plan} has, whatever its status: the class behind the
 * three kinds (made by `model.solve()` and `model.readPlan()`, not from outside).
 *
 * @example
 * ```ts
 * const common: PlanRecord = await model.solve();
 * ```
 */
export class PlanRecord {
  /** Name of the model the plan was made for. */
  readonly modelName: string;
  /** How the solve ended (see {@link PlanStatus}). */
  readonly status: PlanStatus;
  /** Net expected value of the assignments, recomputed from the model (NaN when there is no plan). */
  readonly objective: number;
  /** Proven upper bound on the optimum. */
  readonly bound: number;
  /** (bound − objective) / max(1, |bound|). */
  readonly gap: number;
  /** Which backend made the plan, how long it took, what it said. */
  readonly solver: Readonly<SolverInfo>;
  /** One report per coupling row: limit, use, slack, binding, shadow price (written as `constraints` in the plan file; `model.constraints` are the plugins that made them). */
  readonly rows: readonly Readonly<RowReport>[];
  /** When infeasible: the constraints that conflict and by how much; empty otherwise. */
  readonly conflicts: readonly Readonly<Conflict>[];
  /** The holdout drawn, if any. */
  readonly holdoutOptions: Readonly<HoldoutOptions> | null;
  /** What the model noticed that is legal but likely unintended (see `RetentionModel.warnings`); empty when nothing. */
  readonly warnings: readonly string[];
  /**
   * Per rule that keeps customers from actions (exclusions, contact
   * policies), how many customers it held back, each rule counted on its own.
   */
  readonly heldBack: readonly HeldBack[];
  /**
   * The rows of report-only constraints: the plan's use of each, and the
   * shadow price it would have if enforced (see {@link MeasuredRow}). Their
   * slack may be negative: they are not enforced.
   */
  readonly measured: readonly Readonly<MeasuredRow>[];
  /**
   * The churn-probability cuts between low, medium and high risk that the
   * views use (`headline(plan).highRisk`, `bySegment`, the report): the
   * thresholds of the model's coverage rules on `churnProbability`, else 0.3
   * and 0.5. A customer is high risk above the second cut.
   */
  readonly riskTiers: readonly [number, number];
  #assignments: TableOf<AssignmentRow> | undefined;
  // What the plan was made from; read through the public view below, or planData() inside the library.
  readonly #data: PlanData;

  static {
    dataOf = (plan) => plan.#data;
  }

  /** @internal Built by `RetentionModel.solve`. */
  constructor(init: PlanInit) {
    this.modelName = init.modelName;
    this.status = init.status;
    this.objective = init.objective;
    this.bound = init.bound;
    this.gap = init.gap;
    this.solver = Object.freeze({ ...init.solver });
    this.rows = Object.freeze(init.rows.map((r) => Object.freeze(r)));
    this.conflicts = Object.freeze(init.conflicts.map((c) => Object.freeze(c)));
    this.#data = Object.freeze({
      choice: init.choice,
      problem: init.problem,
      customers: init.customers,
      actions: init.actions,
      holdout: init.holdout ?? null,
    });
    this.holdoutOptions = init.holdoutOptions ? Object.freeze({ ...init.holdoutOptions }) : null;
    this.warnings = Object.freeze([...(init.warnings ?? [])]);
    this.heldBack = Object.freeze([...(init.heldBack ?? [])]);
    this.measured = Object.freeze((init.measured ?? []).map((r) => Object.freeze({ ...r })));
    this.riskTiers = Object.freeze([...(init.riskTiers ?? [0.3, 0.5])] as [number, number]);
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
    const { choice, problem, customers, actions } = this.#data;
    const flags = choice ? drawHoldout(customers, choice, options) : null;
    return makePlan({
      modelName: this.modelName,
      status: this.status,
      objective: this.objective,
      bound: this.bound,
      gap: this.gap,
      solver: { ...this.solver },
      choice,
      rows: this.rows.map((r) => ({ ...r })),
      conflicts: this.conflicts.map((c) => ({ ...c })),
      problem,
      customers,
      actions,
      holdout: flags,
      holdoutOptions: checkHoldout(options),
      warnings: this.warnings,
      heldBack: this.heldBack,
      measured: this.measured,
      riskTiers: this.riskTiers,
    });
  }

  /** True when the plan holds a verified assignment (optimal, feasible, or a time-limited plan). */
  get hasAssignment(): boolean {
    return this.#data.choice !== null;
  }

  /** The catalog the plan was made with (validated actions, in model order). */
  get catalog(): readonly Action[] {
    return this.#data.actions;
  }

  /** The customers the plan was made for (the model's validated data). */
  get customerData(): CustomerData {
    return this.#data.customers;
  }

  /**
   * A copy of the assignment: per customer (in data order) the index of its
   * action in {@link catalog}, or `NO_ACTION` (−1); null when the plan has none.
   * For checkers and solvers' tests; views read {@link treated}.
   *
   * @example
   * ```ts
   * const choice = plan.choice();
   * if (choice) for (const k of choice) if (k !== NO_ACTION) count[k]++;
   * ```
   */
  choice(): Int32Array | null {
    return this.#data.choice ? this.#data.choice.slice() : null;
  }

  /**
   * The treated customers, in data order: each customer's position, id,
   * action and whether it is held out for measurement.
   *
   * @example
   * ```ts
   * for (const t of plan.treated()) if (!t.heldOut) send(t.customer, t.action.id);
   * ```
   */
  *treated(): IterableIterator<TreatedEntry> {
    const { choice, customers, actions, holdout } = this.#data;
    if (!choice) return;
    for (let i = 0; i < choice.length; i++) {
      const k = choice[i]!;
      if (k < 0) continue;
      yield {
        index: i,
        customer: customers.id[i]!,
        actionIndex: k,
        action: actions[k]!,
        heldOut: holdout ? holdout[i] === 1 : false,
      };
    }
  }

  /** Shadow prices by row name, in the plan's convention (see {@link RowReport.shadowPrice}). */
  get shadowPrices(): Record<string, number | null> {
    return Object.fromEntries(this.rows.map((r) => [r.name, r.shadowPrice]));
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
      customer: customer[r]!,
      action: action[r]!,
      expectedValue: ev[r]!,
      holdout: holdout[r]!,
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
      constraints: this.rows.map((r) => ({ ...r, lhs: num(r.lhs), slack: num(r.slack) })),
      ...(this.measured.length
        ? { measured: this.measured.map((r) => ({ ...r, lhs: num(r.lhs), slack: num(r.slack) })) }
        : {}),
      ...(this.holdoutOptions ? { holdout: { ...this.holdoutOptions } } : {}),
      ...(this.conflicts.length
        ? { conflicts: this.conflicts.map((c) => ({ ...c, rows: [...c.rows], constraints: [...c.constraints] })) }
        : {}),
    };
  }

  private buildAssignments(): TableOf<AssignmentRow> {
    const { choice, problem, customers, actions, holdout: held } = this.#data;
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
        const a = actions[k]!;
        ids.push(customers.id[i]!);
        action.push(a.id);
        actionName.push(a.name);
        channel.push(a.channel);
        expectedValue.push(pairValue(problem, i, k));
        holdout.push(held ? held[i] === 1 : false);
      }
    }
    return tableOf<AssignmentRow>({
      customer: ids,
      action,
      actionName,
      channel,
      expectedValue: Float64Array.from(expectedValue),
      holdout,
    });
  }
}

/** Builds the per-row report from row activities and shadow prices. */
export function rowReports(
  problem: AssignmentProblem,
  lhs: Float64Array | null,
  prices: Float64Array | null,
): RowReport[] {
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
