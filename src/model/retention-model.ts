import { breathe } from '../util/breathe.js';
import { riskTiersOf } from './risk-tiers.js';
import { InvalidInputError } from '../errors.js';
import { validateActions, type Action, type ActionSpec } from '../data/actions.js';
import { readCustomers, type ColumnMapping, type CustomerSource } from '../data/customer-source.js';
import { groupableColumns, type CustomerData } from '../data/customers.js';
import { pairTerms } from '../data/pair-terms.js';
import { evaluateFilter, unmatchedValues, validateFilterOn, type Filter } from '../data/filter.js';
import { isLoadedCustomers, type LoadedCustomers } from '../data/load-customers.js';
import { isLoadedActions, type LoadedActions } from '../data/load-actions.js';
import { contactHistory, type ContactColumns, type ContactHistory } from '../data/contact-history.js';
import { historyNotes, joinHistory, type HistoryOptions, type HistoryView } from '../data/history-view.js';
import { budget } from '../constraints/budget.js';
import { capacity } from '../constraints/capacity.js';
import type { ConstraintPlugin } from '../constraints/plugin.js';
import type { HeldBack } from '../plan/plan.js';
import { compileProblem, compileProblemAsync, makeContext } from './compile.js';
import { explainCustomer, type Explanation } from './explain.js';
import { checkMultiAction, expandBundles, type MultiAction, type MultiActionOptions } from '../data/bundles.js';
import { bundleRules } from '../constraints/bundle-rules.js';
import type { AssignmentProblem, CouplingRow } from '../problem/assignment-problem.js';
import type { Plan, PlanJSON } from '../plan/plan.js';
import { checkHoldout, type HoldoutOptions } from '../plan/holdout.js';
import { historyToJSON, modelFromJSON, modelToJSON, type ModelJSON } from './serialize.js';
import { prepareSolve, solveModel, type SolveOptions } from './solve.js';
import { readPlan } from './read-plan.js';

interface ModelState {
  readonly name: string;
  readonly actions?: readonly Action[];
  readonly customers?: CustomerData;
  readonly constraints: readonly ConstraintPlugin[];
  readonly holdout?: HoldoutOptions;
  /** What `loadActions` noticed, carried with the catalog it read. */
  readonly catalogWarnings?: readonly string[];
  /** Past contacts and the plan date, as given. */
  readonly history?: { readonly contacts: ContactHistory; readonly options: HistoryOptions };
  /** The history joined with customers and catalog, once all three are set. */
  readonly historyView?: HistoryView;
  /** At most this many actions per customer, with the rules for giving them together. */
  readonly multi?: MultiAction;
  /** What a customer may be given: the catalog, then its bundles (when `multi` allows several). */
  readonly options?: readonly Action[];
}

// The options (the catalog and its bundles), once the catalog and the multi-action setting are known.
function expanded(state: ModelState): ModelState {
  const { actions, multi } = state;
  return { ...state, options: actions && multi ? expandBundles(actions, multi) : actions };
}

// Joins the history once customers, catalog and history are all set (so a bad asOf or an unknown
// action without a channel fails at the call that completed the set, not at solve time).
function joined(state: ModelState): ModelState {
  const { history, customers, actions } = state;
  if (!history || !customers || !actions) return { ...state, historyView: undefined };
  return { ...state, historyView: joinHistory(history.contacts, customers, actions, history.options) };
}

/**
 * A retention model: catalog, customers, constraints. An immutable fluent
 * builder: every call returns a new model and leaves the old one as it was.
 * The type parameters track whether actions and customers are set, so
 * `solve()` only type-checks on a complete model.
 *
 * @example
 * ```ts
 * const plan = await RetentionModel.create({ name: 'week-48' })
 *   .actions(catalog)
 *   .customers(table, { id: 'customer_id', churnProbability: 'churn_probability', value: 'clv', segment: 'subscription_type' })
 *   .budget(150)
 *   .capacity('email', 120)
 *   .use(coverage({ name: 'high-risk', where: (c) => c.churnProbability > 0.5, min: 0.6 }))
 *   .solve({ solver: 'highs' });
 * ```
 */
export class RetentionModel<HasActions extends boolean = boolean, HasCustomers extends boolean = boolean> {
  readonly #state: ModelState;
  #problem: AssignmentProblem | undefined;
  #heldBack: HeldBack[] | undefined;
  #measured: CouplingRow[] | undefined;
  #warnings: readonly string[] | undefined;
  declare private readonly _brand: [HasActions, HasCustomers];

  private constructor(state: ModelState) {
    this.#state = state;
  }

  /** An empty model. */
  static create(options: { name?: string } = {}): RetentionModel<false, false> {
    return new RetentionModel<false, false>({ name: options.name ?? 'retention-model', constraints: [] });
  }

  /**
   * Reads a `retention-model/v1` document (parsed JSON). Validates everything
   * and throws {@link InvalidInputError} naming the path of a bad field.
   *
   * @example
   * ```ts
   * const model = RetentionModel.fromJSON(JSON.parse(fs.readFileSync('week-48.json', 'utf8')));
   * ```
   */
  static fromJSON(doc: ModelJSON): RetentionModel<true, true> {
    const parsed = modelFromJSON(doc);
    let m = RetentionModel.create({ name: parsed.name }).actions(parsed.actions).customers(parsed.customers);
    // Each constraint is checked against the customers as it is added, with its path in the file; the
    // history comes first, as policies read it.
    if (parsed.history) {
      const { columns, asOf } = parsed.history;
      m = m.history(contactHistory(columns, 'history'), asOf !== undefined ? { asOf } : {});
    }
    if (parsed.maxActionsPerCustomer) {
      const { max, ...rules } = parsed.maxActionsPerCustomer;
      m = m.maxActionsPerCustomer(max, rules);
    }
    parsed.constraints.forEach((c, j) => {
      m = m.#add(c, `constraints[${j}]`);
    });
    return parsed.holdout ? m.withHoldout(parsed.holdout) : m;
  }

  /** The model's name (used in plan files). */
  get name(): string {
    return this.#state.name;
  }

  /** The validated catalog, if set. */
  get catalog(): readonly Action[] | undefined {
    return this.#state.actions;
  }

  /** The validated customers, if set. */
  get customerData(): CustomerData | undefined {
    return this.#state.customers;
  }

  /** The constraints in the order they were added. */
  get constraints(): readonly ConstraintPlugin[] {
    return this.#state.constraints;
  }

  /** Renames the model. */
  withName(name: string): RetentionModel<HasActions, HasCustomers> {
    if (typeof name !== 'string' || name === '')
      throw new InvalidInputError('name', 'must be a non-empty string', name);
    return new RetentionModel({ ...this.#state, name });
  }

  /** Sets the action catalog (validated and copied now): specs, or the result of `loadActions` (its warnings join {@link warnings}). */
  actions(specs: readonly ActionSpec[] | LoadedActions): RetentionModel<true, HasCustomers> {
    const loaded = isLoadedActions(specs) ? specs : undefined;
    const actions = validateActions(loaded ? loaded.actions : (specs as readonly ActionSpec[]));
    if (this.#state.customers) checkAgainstCustomers(actions, [], this.#state.customers);
    return new RetentionModel(
      expanded(
        joined({
          ...this.#state,
          actions,
          catalogWarnings: Object.freeze([...(loaded?.warnings ?? [])]),
        }),
      ),
    );
  }

  /**
   * What the model noticed that is legal but likely unintended, one message
   * each: an action that changes nothing (cost 0, uplift 0) but would count as
   * treated, an eligibility value no customer has (listing the values there
   * are), an action no customer may receive, and what `loadActions` reported.
   * Solving carries them into `plan.warnings`.
   *
   * @example
   * ```ts
   * model.warnings.forEach((w) => console.warn(w));
   * ```
   */
  get warnings(): readonly string[] {
    this.#warnings ??= Object.freeze([
      ...(this.#state.catalogWarnings ?? []),
      ...catalogNotes(this.#state.actions, this.#state.customers),
      ...(this.#state.historyView ? historyNotes(this.#state.historyView) : []),
    ]);
    return this.#warnings;
  }

  /**
   * Sets the customers: the result of `loadCustomers`, an arquero table (with
   * a column mapping), or plain columns.
   */
  customers(source: CustomerSource | LoadedCustomers, mapping?: ColumnMapping): RetentionModel<HasActions, true> {
    const customers = isLoadedCustomers(source)
      ? readCustomers(source.table, { ...source.mapping, ...mapping })
      : readCustomers(source, mapping);
    const state = { ...this.#state, customers };
    checkAgainstCustomers(state.actions, state.constraints, customers);
    return new RetentionModel(joined(state));
  }

  /**
   * Sets the contact history that contact policies ({@link contactLimit},
   * {@link suppress}) read: the result of `loadContactHistory`, or plain
   * columns. Joined with the customers on the id (compared as text); contacts
   * of unknown customers are counted in {@link warnings}. `asOf` is this
   * week's date (an ISO date, or a week number for a history in weeks;
   * default one week after the latest contact).
   *
   * @example
   * ```ts
   * const model = base
   *   .history(await loadContactHistory('contacts.csv'), { asOf: '2026-11-30' })
   *   .use(contactLimit({ max: 2, days: 28 }))
   *   .use(suppress());
   * ```
   */
  history(
    contacts: ContactHistory | ContactColumns,
    options: HistoryOptions = {},
  ): RetentionModel<HasActions, HasCustomers> {
    if (options == null || typeof options !== 'object')
      throw new InvalidInputError('history.options', 'must be an object', options);
    const known = ['asOf'];
    for (const key of Object.keys(options))
      if (!known.includes(key))
        throw new InvalidInputError(`history.options.${key}`, 'unknown field (allowed: asOf)', key);
    const history = isContactHistory(contacts) ? contacts : contactHistory(contacts as ContactColumns);
    return new RetentionModel(joined({ ...this.#state, history: { contacts: history, options: { ...options } } }));
  }

  /** The contact history as given, if set. */
  get contactHistory(): ContactHistory | undefined {
    return this.#state.history?.contacts;
  }

  /**
   * Why a customer may not get some actions: for each action, whether it is
   * open to the customer, and every rule that keeps it closed (eligibility,
   * exclusions, contact policies with the past contact that decided it).
   *
   * @example
   * ```ts
   * const why = model.explain('1042');
   * for (const a of why.actions) if (!a.allowed) console.log(a.action, a.blockedBy.map((b) => b.reason));
   * ```
   */
  explain(this: RetentionModel<true, true>, customerId: string | number): Explanation {
    const self = this as RetentionModel;
    const { customers, actions, options, historyView } = self.#state;
    const ctx = makeContext(customers!, options!, historyView, actions!);
    // The compile (cached for the solve) says which rules rule pairs out at all.
    this.problem();
    const rulingOut = new Set((self.#heldBack ?? []).map((h) => h.constraint));
    return explainCustomer(ctx, self.#rules(), customerId, rulingOut);
  }

  // The rules a compile applies: the constraints, and the multi-action rules that need the history.
  #rules(): readonly ConstraintPlugin[] {
    const multi = this.#state.multi;
    return multi?.requires.length ? [...this.#state.constraints, bundleRules(multi)] : this.#state.constraints;
  }

  // What a compile reads besides customers, options and rules, with fresh sinks for what it reports.
  #extras(): { heldBack: HeldBack[]; measured: CouplingRow[]; history?: HistoryView; catalog: readonly Action[] } {
    const { historyView, actions } = this.#state;
    return { heldBack: [], measured: [], catalog: actions!, ...(historyView ? { history: historyView } : {}) };
  }

  /**
   * Lets a customer get up to `max` actions in one week (default 1). Every
   * set of 2 … max actions becomes a bundle the solver may pick like an
   * action (at most one option per customer, so the decomposition keeps its
   * certified gap): cost the sum, uplift combined (`combine`, default
   * independent effects: 1 − Π(1 − u)), eligible where each action is.
   * Capacities, budgets, saturation caps and contact policies count each
   * action of a bundle; coverage, fairness and ratios count the customer once.
   * Rules: `neverTogether` pairs, `requires` (B only together with or after A).
   * Plans list a bundle as one assignment whose action is the bundle
   * (`email+call`, with `members`). See docs/multi-action.md.
   *
   * @example
   * ```ts
   * const plan = await model
   *   .maxActionsPerCustomer(2, { neverTogether: [['discount', 'free-month']], requires: [{ action: 'free-month', with: 'call' }] })
   *   .solve();
   * ```
   */
  maxActionsPerCustomer(max: number, options: MultiActionOptions = {}): RetentionModel<HasActions, HasCustomers> {
    const multi = checkMultiAction(max, options);
    return new RetentionModel(expanded({ ...this.#state, multi }));
  }

  /** The multi-action setting, if one was given (see {@link maxActionsPerCustomer}). */
  get multiAction(): MultiAction | undefined {
    return this.#state.multi;
  }

  /** Adds a constraint plugin (built-in or your own). */
  use(plugin: ConstraintPlugin): RetentionModel<HasActions, HasCustomers> {
    return this.#add(plugin, `constraints.${String(plugin?.name)}`);
  }

  // Adds a constraint, checking now what can be checked without solving: a unique name, and (once the
  // customers are known) the columns and values of its filters.
  #add(plugin: ConstraintPlugin, path: string): RetentionModel<HasActions, HasCustomers> {
    if (
      plugin == null ||
      typeof plugin.compile !== 'function' ||
      typeof plugin.name !== 'string' ||
      typeof plugin.type !== 'string'
    ) {
      throw new InvalidInputError('use', 'expected a ConstraintPlugin ({ type, name, compile })', plugin);
    }
    if (this.#state.constraints.some((c) => c.name === plugin.name)) {
      throw new InvalidInputError(
        path,
        `the model already has a constraint named "${plugin.name}"; remove it first with .without("${plugin.name}"), or give this one another name`,
        plugin.name,
      );
    }
    if (this.#state.customers) checkAgainstCustomers(undefined, [plugin], this.#state.customers, path);
    return new RetentionModel({ ...this.#state, constraints: [...this.#state.constraints, plugin] });
  }

  /** Shorthand for `.use(budget({ max }))`. */
  budget(max: number): RetentionModel<HasActions, HasCustomers> {
    return this.use(budget({ max }));
  }

  /** Shorthand for `.use(capacity({ channel, max }))`. */
  capacity(channel: string, max: number): RetentionModel<HasActions, HasCustomers> {
    return this.use(capacity({ channel, max }));
  }

  /**
   * Every solve of this model holds out a random share of the treated
   * customers for measurement (see `drawHoldout`); `solve({ holdout })` overrides it.
   *
   * @example
   * ```ts
   * const plan = await model.withHoldout({ fraction: 0.1, seed: 42 }).solve();
   * ```
   */
  withHoldout(options: HoldoutOptions): RetentionModel<HasActions, HasCustomers> {
    return new RetentionModel({ ...this.#state, holdout: checkHoldout(options) });
  }

  /** Removes the constraint with this name (for scenarios). */
  without(name: string): RetentionModel<HasActions, HasCustomers> {
    if (!this.#state.constraints.some((c) => c.name === name)) {
      throw new InvalidInputError(
        'without',
        `no constraint named "${name}" (have: ${this.#state.constraints.map((c) => c.name).join(', ')})`,
        name,
      );
    }
    return new RetentionModel({ ...this.#state, constraints: this.#state.constraints.filter((c) => c.name !== name) });
  }

  /**
   * The canonical problem backends see (compiled once per model instance).
   *
   * @example
   * ```ts
   * const { n, K, rows } = model.problem();
   * ```
   */
  problem(this: RetentionModel<true, true>): AssignmentProblem {
    const self = this as RetentionModel;
    if (!self.#problem) {
      const extras = self.#extras();
      self.#problem = compileProblem(self.#state.customers!, self.#state.options!, self.#rules(), extras);
      self.#heldBack = extras.heldBack;
      self.#measured = extras.measured;
    }
    return self.#problem;
  }

  /**
   * Solves the model and returns a verified {@link Plan}.
   *
   * @example
   * ```ts
   * const plan = await model.solve({ solver: 'auto', gapTolerance: 1e-4 });
   * console.log(plan.status, plan.objective, plan.gap);
   * ```
   */
  async solve(this: RetentionModel<true, true>, options: SolveOptions = {}): Promise<Plan> {
    const self = this as RetentionModel;
    const { customers, actions } = self.#state;
    if (!actions) throw new InvalidInputError('actions', 'set the action catalog with .actions(...) before solving');
    if (!customers) throw new InvalidInputError('customers', 'set the customers with .customers(...) before solving');
    // The backend may start threads or a runtime while the model compiles.
    prepareSolve(options, customers.size);
    // Compiled in steps with turns for the event loop in between (a million customers take most of a second).
    if (!self.#problem) {
      const extras = self.#extras();
      self.#problem = await compileProblemAsync(customers, self.#state.options!, self.#rules(), breathe, extras);
      self.#heldBack = extras.heldBack;
      self.#measured = extras.measured;
    }
    return solveModel(
      {
        modelName: self.#state.name,
        problem: self.#problem,
        customers,
        actions: self.#state.options!,
        holdout: self.#state.holdout,
        warnings: self.warnings,
        heldBack: self.#heldBack ?? [],
        measured: self.#measured ?? [],
        riskTiers: riskTiersOf(self.#rules()),
      },
      options,
    );
  }

  /**
   * Reads a `retention-plan/v1` document made for this model and verifies it
   * as a solve would: known customers and actions, every constraint, the
   * objective and each expected value recomputed, the holdout redrawn. A plan
   * that breaks the model, or whose figures do not recompute, is an
   * {@link InvalidInputError} naming the path in the document.
   *
   * @example
   * ```ts
   * const plan = model.readPlan(JSON.parse(fs.readFileSync('plan.json', 'utf8')));
   * ```
   */
  readPlan(this: RetentionModel<true, true>, doc: PlanJSON): Plan {
    const self = this as RetentionModel;
    const { customers, actions, name } = self.#state;
    if (!actions || !customers)
      throw new InvalidInputError('model', 'a plan is read against a model with actions and customers');
    const problem = this.problem();
    return readPlan(
      {
        modelName: name,
        problem,
        customers,
        actions: self.#state.options!,
        heldBack: self.#heldBack ?? [],
        measured: self.#measured ?? [],
        riskTiers: riskTiersOf(self.#rules()),
      },
      doc,
    );
  }

  /**
   * The `retention-model/v1` document. Throws {@link SerializationError}
   * naming the plugin when a constraint or filter exists only as code.
   *
   * @example
   * ```ts
   * fs.writeFileSync('week-48.json', JSON.stringify(model.toJSON(), null, 2));
   * ```
   */
  toJSON(): ModelJSON {
    const { name, actions, customers, constraints, holdout, history, multi } = this.#state;
    if (!actions || !customers) throw new InvalidInputError('model', 'a model file needs both actions and customers');
    const doc = modelToJSON(name, actions, customers, constraints);
    return {
      ...doc,
      ...(history ? { history: historyToJSON(history.contacts, history.options.asOf) } : {}),
      ...(multi && multi.max > 1
        ? {
            maxActionsPerCustomer: {
              max: multi.max,
              ...(multi.neverTogether.length
                ? { neverTogether: multi.neverTogether.map(([a, b]) => [a, b] as [string, string]) }
                : {}),
              ...(multi.requires.length ? { requires: multi.requires.map((r) => ({ ...r })) } : {}),
              ...(multi.combine !== 'independent'
                ? { combine: typeof multi.combine === 'object' ? { ...multi.combine } : multi.combine }
                : {}),
            },
          }
        : {}),
      ...(holdout ? { holdout: { fraction: holdout.fraction, seed: holdout.seed ?? 0 } } : {}),
    };
  }
}

/**
 * What can be checked of actions and constraints against the customers without solving: the
 * columns and values of declarative filters (eligibility, `where`) and a fairness column. Plugins
 * are read through their JSON form; code-only ones are checked when the model compiles.
 */
function checkAgainstCustomers(
  actions: readonly Action[] | undefined,
  constraints: readonly ConstraintPlugin[],
  customers: CustomerData,
  path?: string,
): void {
  // Per-customer uplift and cost columns: present, numeric and in range on every row.
  if (actions) pairTerms(actions, customers);
  actions?.forEach((a, k) => {
    if (a.eligible !== undefined) validateFilterOn(a.eligible, customers, `actions[${k}].eligible`);
  });
  for (const c of constraints) {
    let json: Record<string, unknown> | undefined;
    try {
      json = c.toJSON?.() as Record<string, unknown> | undefined;
    } catch {
      json = undefined;
    }
    if (!json) continue;
    const at = path ?? `constraints.${c.name}`;
    if (json.where !== undefined) validateFilterOn(json.where as Filter, customers, `${at}.where`);
    // Filters nested one level down (a ratio's part and whole).
    for (const key of ['part', 'of']) {
      const where = (json[key] as { where?: Filter } | undefined)?.where;
      if (where !== undefined) validateFilterOn(where, customers, `${at}.${key}.where`);
    }
    if (typeof json.by === 'string') {
      const groupable = groupableColumns(customers);
      if (!groupable.includes(json.by))
        throw new InvalidInputError(
          `${at}.by`,
          `unknown column "${json.by}" (groupable columns: ${groupable.join(', ') || 'none'})`,
          json.by,
        );
    }
  }
}

function isContactHistory(x: unknown): x is ContactHistory {
  return x != null && typeof x === 'object' && (x as ContactHistory).day instanceof Int32Array;
}

// Legal but likely unintended: actions that change nothing, eligibility values nobody has, actions nobody may get.
function catalogNotes(actions: readonly Action[] | undefined, customers: CustomerData | undefined): string[] {
  const notes: string[] = [];
  actions?.forEach((a, k) => {
    if (a.cost === 0 && a.uplift === 0 && !a.upliftBySegment && !a.upliftColumn && !a.costPerCustomer) {
      notes.push(
        `actions[${k}] "${a.id}": cost 0 and uplift 0, so it changes nothing, yet a customer given it counts as treated toward coverage and fairness floors; leave it out (no action is implicit)`,
      );
    }
    if (!customers || a.eligible === undefined) return;
    const unmatched = unmatchedValues(a.eligible, customers, `actions[${k}].eligible`);
    notes.push(...unmatched);
    const mask = evaluateFilter(a.eligible, customers, `actions[${k}].eligible`);
    if (customers.size > 0 && mask.every((x) => x === 0))
      notes.push(`actions[${k}] "${a.id}": eligible for no customer, so it is never chosen`);
  });
  return notes;
}
