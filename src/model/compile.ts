import { InvalidInputError } from '../errors.js';
import { upliftFor, type Action } from '../data/actions.js';
import { pairTerms, type PairTerms } from '../data/pair-terms.js';
import type { CustomerData } from '../data/customers.js';
import { evaluateFilter, type Filter } from '../data/filter.js';
import { encode } from '../data/categorical.js';
import type { HistoryView } from '../data/history-view.js';
import type { ConstraintContext, ConstraintPlugin } from '../constraints/plugin.js';
import type { HeldBack } from '../plan/plan.js';
import {
  factoredRow,
  type AssignmentProblem,
  type CouplingRow,
  type ValueFactors,
} from '../problem/assignment-problem.js';
import { customerArray } from '../util/shared-memory.js';

/**
 * Turns validated customers, catalog and constraints into the canonical
 * {@link AssignmentProblem}. Pure: nothing passed in is modified.
 *
 * @example
 * ```ts
 * const problem = compileProblem(customers, actions, [budget({ max: 150 })]);
 * ```
 */
export function compileProblem(
  customers: CustomerData,
  actions: readonly Action[],
  constraints: readonly ConstraintPlugin[],
  extra: CompileExtras = {},
): AssignmentProblem {
  const steps = compileSteps(customers, actions, constraints, extra);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * {@link compileProblem} in steps, giving the event loop a turn (`pause`)
 * between them: after the eligibility, after each constraint, and after each
 * action's values when they are per customer. At 1,000,000 customers with
 * values per customer the whole compile is most of a second.
 *
 * @example
 * ```ts
 * const problem = await compileProblemAsync(customers, actions, constraints, () => new Promise((r) => setImmediate(r)));
 * ```
 */
export async function compileProblemAsync(
  customers: CustomerData,
  actions: readonly Action[],
  constraints: readonly ConstraintPlugin[],
  pause: () => Promise<void>,
  extra: CompileExtras = {},
): Promise<AssignmentProblem> {
  const steps = compileSteps(customers, actions, constraints, extra);
  let step = steps.next();
  while (!step.done) {
    await pause();
    step = steps.next();
  }
  return step.value;
}

/** What a compile reads besides customers, catalog and constraints, and where it reports. */
export interface CompileExtras {
  /** The contact history joined with the customers (policies read it). */
  history?: HistoryView;
  /** Receives, per rule that rules pairs out (exclusions, policies), how many it held back. */
  heldBack?: HeldBack[];
  /** Receives the rows of report-only constraints (measured with each plan, not enforced). */
  measured?: CouplingRow[];
  /**
   * The catalog as given, when `actions` are options with bundles after it (see
   * `maxActionsPerCustomer`); default `actions`.
   */
  catalog?: readonly Action[];
}

// The compile, yielding (nothing) between steps; its return value is the problem.
function* compileSteps(
  customers: CustomerData,
  actions: readonly Action[],
  constraints: readonly ConstraintPlugin[],
  extra: CompileExtras,
): Generator<void, AssignmentProblem, void> {
  const n = customers.size;
  const K = actions.length;
  const ctx = makeContext(customers, actions, extra.history, extra.catalog);

  const eligible = customerArray(Uint8Array, n * K).fill(1);
  // Catalogs often share one filter between actions (say, "paying customers"): evaluated once.
  const masks = new Map<Filter, Uint8Array>();
  actions.forEach((a, k) => {
    // A bundle is eligible where its members are, after every rule (set below, from theirs).
    if (a.eligible === undefined || a.members) return;
    let mask = masks.get(a.eligible);
    if (!mask) masks.set(a.eligible, (mask = ctx.filter(a.eligible, `actions[${k}].eligible`)));
    clearPairs(eligible, K, mask, 0, k);
  });
  yield;
  // Bundles: eligible where each of their actions is. Rules below rule options out themselves (a plugin
  // that blocks an action blocks the bundles giving it: see ConstraintContext.members).
  yield* bundleEligibility(ctx, eligible, n, K);

  const names = new Set<string>();
  const rowNames = new Set<string>();
  const rows: CouplingRow[] = [];
  const measured = extra.measured ?? [];
  for (const c of constraints) {
    if (names.has(c.name))
      throw new InvalidInputError(
        `constraints.${c.name}`,
        `duplicate constraint name "${c.name}"; give each a distinct name`,
      );
    names.add(c.name);
    yield;
    const out = c.compile(ctx);
    // A report-only rule is counted and measured, never applied.
    const enforced = !c.reportOnly;
    if (out.exclude) {
      checkLength(out.exclude, n, `constraints.${c.name}.exclude`);
      if (enforced) clearPairs(eligible, K, out.exclude, 1, -1);
    }
    if (out.blockPairs) {
      checkLength(out.blockPairs, n * K, `constraints.${c.name}.blockPairs`);
      if (enforced) for (let at = 0; at < n * K; at++) if (out.blockPairs[at]) eligible[at] = 0;
    }
    if (out.exclude || out.blockPairs) extra.heldBack?.push(heldBackBy(c, out.exclude, out.blockPairs, n, K, enforced));
    for (const r of out.rows ?? []) {
      const at = `constraints.${c.name}.rows.${r.name}`;
      if (rowNames.has(r.name)) throw new InvalidInputError(at, `duplicate row name "${r.name}"`);
      rowNames.add(r.name);
      if (r.sense !== '<=' && r.sense !== '>=')
        throw new InvalidInputError(`${at}.sense`, 'must be "<=" or ">="', r.sense);
      if (!Number.isFinite(r.rhs)) throw new InvalidInputError(`${at}.rhs`, 'must be finite', r.rhs);
      checkLength(r.actionCoef, K, `${at}.actionCoef`);
      const actionCoef = Float64Array.from(r.actionCoef);
      if (actionCoef.some((v) => !Number.isFinite(v)))
        throw new InvalidInputError(`${at}.actionCoef`, 'must be finite numbers');
      // Kept, not copied: at millions of customers a copy per row is hundreds of MB of fresh memory.
      const customerCoef = r.customerCoef;
      if (customerCoef) {
        checkLength(customerCoef, n, `${at}.customerCoef`);
        if (customerCoef instanceof Float64Array && !allFinite(customerCoef)) {
          throw new InvalidInputError(`${at}.customerCoef`, 'must be finite numbers');
        }
      }
      if (r.limitFrom !== undefined && typeof r.limitFrom !== 'string')
        throw new InvalidInputError(`${at}.limitFrom`, 'must be a string', r.limitFrom);
      const limitFrom = r.limitFrom !== undefined ? { limitFrom: r.limitFrom } : {};
      if (r.channels !== undefined && !(Array.isArray(r.channels) && r.channels.every((c) => typeof c === 'string'))) {
        throw new InvalidInputError(`${at}.channels`, 'must be an array of channel names', r.channels);
      }
      const channels = r.channels !== undefined ? { channels: Object.freeze([...r.channels]) } : {};
      const pairCoef = r.pairCoef === undefined ? {} : { pairCoef: checkPairCoef(r.pairCoef, n, K, `${at}.pairCoef`) };
      (enforced ? rows : measured).push(
        Object.freeze({
          name: r.name,
          constraint: c.name,
          type: c.type,
          sense: r.sense,
          rhs: r.rhs,
          actionCoef,
          customerCoef,
          ...pairCoef,
          ...limitFrom,
          ...channels,
        }),
      );
    }
  }

  // Uplift or cost per customer: no factored form, so the n × K values are built now.
  const terms = pairTerms(actions, customers);
  if (terms.perCustomer) {
    const values = yield* pairValues(customers, actions, terms, eligible, K);
    return Object.freeze(new CompiledProblem(n, K, eligible, Object.freeze(rows), undefined, values));
  }
  return Object.freeze(
    new CompiledProblem(n, K, eligible, Object.freeze(rows), Object.freeze(factorsOf(customers, actions))),
  );
}

// Per action, a length-n column of finite numbers, or undefined; kept, not copied (as customerCoef).
function checkPairCoef(
  cols: readonly (Float64Array | undefined)[],
  n: number,
  K: number,
  path: string,
): readonly (Float64Array | undefined)[] {
  checkLength(cols, K, path);
  cols.forEach((col, k) => {
    if (col === undefined) return;
    if (!(col instanceof Float64Array))
      throw new InvalidInputError(`${path}[${k}]`, 'must be a Float64Array or undefined', col);
    checkLength(col, n, `${path}[${k}]`);
    if (!allFinite(col)) throw new InvalidInputError(`${path}[${k}]`, 'must be finite numbers');
  });
  return Object.freeze([...cols]);
}

/**
 * Net expected value p·v·u − c of every pair from per-customer uplift and cost; −Infinity where not
 * eligible. Column by column with the arrays in hand (a call per pair through PairTerms took 220 ms
 * at 1,000,000 × 7); the same operations in the same order as {@link PairTerms}, so they agree to the bit.
 */
function* pairValues(
  customers: CustomerData,
  actions: readonly Action[],
  terms: PairTerms,
  eligible: Uint8Array,
  K: number,
): Generator<void, Float64Array, void> {
  const n = customers.size;
  // The factored parts (p, v, uplift per segment, cost per action), with per-customer columns on top.
  const f = factorsOf(customers, actions);
  const pv = new Float64Array(n);
  for (let i = 0; i < n; i++) pv[i] = f.probability[i]! * f.value[i]!;
  const values = new Float64Array(n * K);
  for (let k = 0; k < K; k++) {
    yield;
    const col = terms.upliftColumns[k];
    const extra = terms.costColumns[k];
    const cost = f.cost[k]!;
    for (let i = 0, at = k; i < n; i++, at += K) {
      if (!eligible[at]) {
        values[at] = -Infinity;
        continue;
      }
      const u = col ? col[i]! : f.uplift[f.segment[i]! * K + k]!;
      values[at] = pv[i]! * u - (extra ? cost + extra[i]! : cost);
    }
  }
  return values;
}

/**
 * The same problem with other coupling rows (values, eligibility and factors shared, not copied): a
 * model's report-only rows measured, or enforced for a second solve.
 */
export function withRows(problem: AssignmentProblem, rows: readonly CouplingRow[]): AssignmentProblem {
  const values = problem.valueFactors ? undefined : problem.values;
  return Object.freeze(
    new CompiledProblem(problem.n, problem.K, problem.eligible, Object.freeze([...rows]), problem.valueFactors, values),
  );
}

// A class rather than an object literal with a getter: frozen literals with accessors fall into V8's
// slow dictionary mode, and solvers read `n`, `K` and `eligible` in their hottest loops.
class CompiledProblem implements AssignmentProblem {
  #values: Float64Array | undefined;

  constructor(
    readonly n: number,
    readonly K: number,
    readonly eligible: Uint8Array,
    readonly rows: readonly CouplingRow[],
    readonly valueFactors: ValueFactors | undefined,
    values?: Float64Array,
  ) {
    this.#values = values;
  }

  // Built on first read only when factored: the decomposition reads the factors, and at millions of
  // customers the n × K array is the largest thing a solve would touch.
  get values(): Float64Array {
    return (this.#values ??= netValues(this.valueFactors!, this.eligible, this.n, this.K));
  }
}

/** The customers' probability and value columns, uplift per (segment, action) and cost per action. */
function factorsOf(customers: CustomerData, actions: readonly Action[]): ValueFactors {
  const n = customers.size;
  const K = actions.length;
  const p = customers.churnProbability;
  const v = customers.value;
  // Uplift per (segment, action) in a small table, so the loop over customers does no string lookups.
  const encoded = customers.segment ? encode(customers.segment) : null;
  const segCode = encoded ? encoded.codes : customerArray(Uint8Array, n);
  const segments = (encoded ? encoded.values : []) as string[];
  const S = Math.max(1, segments.length);
  const uplift = new Float64Array(S * K);
  const cost = Float64Array.from(actions, (a) => a.cost);
  actions.forEach((a, k) => {
    for (let c = 0; c < S; c++) uplift[c * K + k] = upliftFor(a, segments[c]);
  });
  return { probability: p, value: v, segment: segCode, uplift, cost };
}

/** Net expected value p·v·u − c of every pair, row-major n × K; −Infinity where not eligible. */
function netValues(f: ValueFactors, eligible: Uint8Array, n: number, K: number): Float64Array {
  const values = new Float64Array(n * K);
  for (let i = 0; i < n; i++) factoredRow(f, eligible, K, i, values, i * K);
  return values;
}

// Counted per rule, on its own mask: what this rule alone keeps out (K = 0 catalogs hold back nobody).
function heldBackBy(
  c: ConstraintPlugin,
  exclude: Uint8Array | undefined,
  block: Uint8Array | undefined,
  n: number,
  K: number,
  enforced: boolean,
): HeldBack {
  let customers = 0;
  let allActions = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    let kept = 0;
    if (exclude?.[i]) kept = K;
    else if (block) for (let k = 0; k < K; k++) kept += block[i * K + k]!;
    if (kept > 0) customers++;
    if (kept === K && K > 0) allActions++;
    pairs += kept;
  }
  return Object.freeze({ constraint: c.name, type: c.type, customers, allActions, pairs, enforced });
}

// Bundles allowed only where each of their actions alone is. Flat typed arrays and a turn for the event
// loop every 200,000 customers: at 1,000,000 × 21 bundles a loop through `members()` took 0.66 s in one go.
function* bundleEligibility(ctx: ConstraintContext, eligible: Uint8Array, n: number, K: number): Generator<void> {
  const bundles = ctx.actions.flatMap((a, k) => (a.members ? [k] : []));
  if (bundles.length === 0) return;
  const B = bundles.length;
  const option = Int32Array.from(bundles);
  const first = new Int32Array(B);
  const second = new Int32Array(B);
  const rest: (readonly number[])[] = [];
  bundles.forEach((k, j) => {
    const m = ctx.members(k);
    first[j] = m[0]!;
    second[j] = m[1]!;
    rest.push(m.slice(2));
  });
  const more = rest.some((r) => r.length > 0);
  for (let i = 0, at = 0; i < n; i++, at += K) {
    if (i % 200_000 === 199_999) yield;
    for (let j = 0; j < B; j++) {
      const k = at + option[j]!;
      if (!eligible[k]) continue;
      if (!eligible[at + first[j]!] || !eligible[at + second[j]!]) eligible[k] = 0;
      else if (more) for (const b of rest[j]!) if (!eligible[at + b]) eligible[k] = 0;
    }
  }
}

/** The context plugins compile against (and explain with). */
export function makeContext(
  customers: CustomerData,
  actions: readonly Action[],
  history: HistoryView | undefined,
  catalog: readonly Action[] = actions,
): ConstraintContext {
  const index = new Map(actions.map((a, k) => [a.id, k]));
  const base = new Map(catalog.map((a, k) => [a.id, k]));
  const members = actions.map((a, k) => Object.freeze(a.members ? a.members.map((id) => base.get(id)!) : [k]));
  return Object.freeze({
    customers,
    actions,
    catalog,
    members: (k: number) => members[k]!,
    ...(history ? { history } : {}),
    channels: Object.freeze([...new Set(catalog.map((a) => a.channel))]),
    filter: (where: Filter, path: string) => evaluateFilter(where, customers, path),
    actionIndex(id: string, path: string) {
      const k = index.get(id);
      if (k === undefined)
        throw new InvalidInputError(path, `unknown action "${id}" (catalog: ${[...index.keys()].join(', ')})`, id);
      return k;
    },
  });
}

// Makes pairs ineligible for the customers whose mask entry is set (`when` 1) or not (`when` 0): action k,
// or every action (k < 0). One loop for action filters and exclusions alike, so it is compiled once.
function clearPairs(eligible: Uint8Array, K: number, mask: ArrayLike<number>, when: 0 | 1, k: number): void {
  for (let i = 0; i < mask.length; i++) {
    if ((mask[i] ? 1 : 0) !== when) continue;
    if (k >= 0) eligible[i * K + k] = 0;
    else eligible.fill(0, i * K, i * K + K);
  }
}

function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

function checkLength(arr: ArrayLike<unknown>, n: number, path: string): void {
  if (arr == null || arr.length !== n) throw new InvalidInputError(path, `must have length ${n} (got ${arr?.length})`);
}
