/**
 * Direction of a coupling row.
 *
 * @example
 * ```ts
 * const floor: RowSense = '>=';
 * ```
 */
export type RowSense = '<=' | '>=';

/**
 * A constraint that couples customers, stored in factored form: the
 * coefficient of (customer i, action k) is `actionCoef[k] * customerCoef[i]`
 * (`customerCoef` omitted means 1 for everyone). O(n + K) memory per row.
 *
 * @example
 * ```ts
 * // budget of 150: cost[k] · 1
 * const row: CouplingRow = { name: 'budget', constraint: 'budget', sense: '<=', rhs: 150, actionCoef: Float64Array.of(2, 20, 15) };
 * ```
 */
export interface CouplingRow {
  /** Unique row name, as reported in plans. */
  readonly name: string;
  /** Name of the constraint (plugin instance) that produced the row. */
  readonly constraint: string;
  /** Type of that constraint (`budget`, `capacity`, … or a plugin's own). */
  readonly type: string;
  /** `<=` for a cap, `>=` for a floor. */
  readonly sense: RowSense;
  /** The limit. */
  readonly rhs: number;
  /** Length K. */
  readonly actionCoef: Float64Array;
  /** Length n, or undefined for "every customer, coefficient 1". */
  readonly customerCoef?: Float64Array | Uint8Array;
  /**
   * Coefficients that vary by customer within an action (a budget where a
   * discount costs a share of each customer's fee): per action k, a length-n
   * column, or undefined for none. The coefficient of (i, k) is
   * `actionCoef[k] · customerCoef[i] + pairCoef[k][i]` (see {@link rowCoef}).
   */
  readonly pairCoef?: readonly (Float64Array | undefined)[];
  /** How the plugin derived `rhs`, in words, when it says (a fraction rounded to a count). */
  readonly limitFrom?: string;
  /** The channels whose every contact the row counts, when the plugin says (capacities). */
  readonly channels?: readonly string[];
}

/**
 * The canonical problem every backend sees: maximize Σ values[i·K+k]·x[i,k]
 * over eligible pairs, at most one action per customer, subject to the
 * coupling rows. Backends know nothing of customers, segments or files.
 *
 * @example
 * ```ts
 * const p = model.problem();
 * p.n; p.K; p.values[i * p.K + k]; p.rows.length;
 * ```
 */
export interface AssignmentProblem {
  /** Number of customers. */
  readonly n: number;
  /** Number of actions. */
  readonly K: number;
  /**
   * Net expected value of each (customer, action) pair, row-major n × K;
   * −Infinity where the pair is not eligible. Compiled models with
   * {@link ValueFactors} build it on first read (see {@link pairValue} for
   * single pairs); those with values per customer have it from the start.
   */
  readonly values: Float64Array;
  /** 1 where the pair is allowed, row-major n × K. */
  readonly eligible: Uint8Array;
  /** The coupling rows (budget, capacities, floors, caps). */
  readonly rows: readonly CouplingRow[];
  /**
   * How `values` were built, when they have this shape (models built by the
   * library do, unless an action has an uplift or a cost per customer).
   * Solvers may use it to work per segment rather than per customer; a
   * problem without it is solved the same, only slower.
   */
  readonly valueFactors?: ValueFactors;
}

/**
 * The factored form of a problem's values: for every eligible pair,
 * `values[i·K+k] = probability[i] · value[i] · uplift[segment[i]·K+k] − cost[k]`,
 * computed in exactly that order (left to right). With it, the best action of
 * every customer of a segment is a set of thresholds on the score
 * probability · value.
 *
 * @example
 * ```ts
 * const f = model.problem().valueFactors;
 * if (f) console.log(f.probability[0]! * f.value[0]! * f.uplift[f.segment[0]! * K + 2]! - f.cost[2]!); // = values[2]
 * ```
 */
export interface ValueFactors {
  /** Per customer: churn probability (length n; the customers' own column). */
  readonly probability: Float64Array;
  /** Per customer: value at stake (length n; the customers' own column). */
  readonly value: Float64Array;
  /** Per customer: index of its uplift segment (length n). */
  readonly segment: Uint8Array | Uint16Array | Int32Array;
  /** Uplift of each (segment, action), row-major S × K. */
  readonly uplift: Float64Array;
  /** Cost of each action (length K). */
  readonly cost: Float64Array;
}

/**
 * The coefficient of (customer i, action k) in a row: the one place the
 * factored and per-customer parts are put together.
 *
 * @example
 * ```ts
 * const spend = rowCoef(budgetRow, i, k); // cost of action k for customer i
 * ```
 */
export function rowCoef(row: CouplingRow, i: number, k: number): number {
  const base = row.actionCoef[k]! * (row.customerCoef ? row.customerCoef[i]! : 1);
  const extra = row.pairCoef?.[k];
  return extra ? base + extra[i]! : base;
}

/**
 * Sentinel in a choice vector: the customer gets no action.
 *
 * @example
 * ```ts
 * if (choice[i] === NO_ACTION) continue;
 * ```
 */
export const NO_ACTION = -1;

/**
 * Writes customer i's K net values from factored values into `out` at `at`
 * (−Infinity where not eligible): the one place the factored formula is
 * evaluated row by row, so every reader agrees to the bit.
 */
export function factoredRow(
  f: ValueFactors,
  eligible: Uint8Array,
  K: number,
  i: number,
  out: Float64Array,
  at: number,
): void {
  const pv = f.probability[i]! * f.value[i]!;
  const u0 = f.segment[i]! * K;
  for (let k = 0; k < K; k++) out[at + k] = eligible[i * K + k] ? pv * f.uplift[u0 + k]! - f.cost[k]! : -Infinity;
}

/**
 * Net value of one (customer, action) pair, −Infinity where it is not
 * eligible. Reads the problem's {@link ValueFactors} where it has them, so a
 * few look-ups do not build the whole n × K `values` array.
 *
 * @example
 * ```ts
 * const v = pairValue(problem, 0, 2); // = problem.values[0 * K + 2]
 * ```
 */
export function pairValue(problem: AssignmentProblem, i: number, k: number): number {
  const f = problem.valueFactors;
  return f ? factoredValue(f, problem.eligible, problem.K, i, k) : problem.values[i * problem.K + k]!;
}

/** One pair's net value from factored values: {@link factoredRow}'s formula for one action. */
export function factoredValue(f: ValueFactors, eligible: Uint8Array, K: number, i: number, k: number): number {
  return eligible[i * K + k]
    ? f.probability[i]! * f.value[i]! * f.uplift[f.segment[i]! * K + k]! - f.cost[k]!
    : -Infinity;
}

/**
 * Activity (left-hand side) of every row for a choice vector
 * (`choice[i]` = action index or {@link NO_ACTION}).
 *
 * @example
 * ```ts
 * const lhs = rowActivity(problem, choice); // Float64Array, one entry per row
 * ```
 */
export function rowActivity(problem: AssignmentProblem, choice: Int32Array): Float64Array {
  return measureChoice(problem, choice).lhs;
}

/** What one pass over a choice vector tells: row activities, value, and the customers whose action is out of range or not eligible. */
export interface ChoiceMeasure {
  lhs: Float64Array;
  objective: number;
  /** Customer rows with an action index out of range (adds to nothing) or not eligible (adds to `lhs`, not to `objective`). */
  invalid: number[];
}

/**
 * Row activities, objective and invalid choices of a choice vector, in one
 * pass over the customers (at 75,000 customers each pass of its own costs
 * milliseconds before the JIT compiles it).
 *
 * @example
 * ```ts
 * const { lhs, objective, invalid } = measureChoice(problem, choice);
 * ```
 */
export function measureChoice(problem: AssignmentProblem, choice: Int32Array): ChoiceMeasure {
  const m = choiceMeasurer(problem, choice);
  m.over(0, problem.n);
  return m.result();
}

/**
 * {@link measureChoice} in steps: `over(from, to)` adds customers [from, to)
 * (call it on consecutive ranges, in order, so the sums are the one loop's),
 * `result()` finishes. For a caller that lets the event loop turn between
 * steps (`forSlices`).
 */
export function choiceMeasurer(
  problem: AssignmentProblem,
  choice: Int32Array,
): { over(from: number, to: number): void; result(): ChoiceMeasure } {
  const { K, rows, eligible } = problem;
  const lhs = new Float64Array(rows.length);
  const invalid: number[] = [];
  let objective = 0;
  // Rows without customer factors need only how many customers take each action. A few rows with
  // customer factors are summed together in the same pass; many (thousands of fairness rows on
  // disjoint groups) each over the customers it weighs (its support): one pass in all, not one each.
  const taking = new Float64Array(K);
  const factored = rows.flatMap((row, j) => (row.customerCoef && !row.pairCoef ? [j] : []));
  // Rows with per-customer columns (few: a budget with per-customer costs) are summed pair by pair.
  const byPair = rows.flatMap((row, j) => (row.pairCoef ? [j] : []));
  const pairSums = new Float64Array(byPair.length);
  const together = factored.length <= 32 ? factored : [];
  const a = together.map((j) => rows[j]!.actionCoef);
  const c = together.map((j) => rows[j]!.customerCoef!);
  const sums = new Float64Array(together.length);
  const f = problem.valueFactors;
  const over = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const k = choice[i]!;
      if (k === NO_ACTION) continue;
      if (!(k >= 0 && k < K && k === Math.floor(k))) {
        invalid.push(i);
        continue;
      }
      // An ineligible action still uses the rows (as it would in a plan), but it is not a valid choice.
      if (eligible[i * K + k]) objective += f ? factoredValue(f, eligible, K, i, k) : problem.values[i * K + k]!;
      else invalid.push(i);
      taking[k]!++;
      for (let r = 0; r < pairSums.length; r++) pairSums[r]! += rowCoef(rows[byPair[r]!]!, i, k);
    }
    // Rows with customer factors, row by row over the range (each sum in customer order, as one loop
    // over customers adds it; a verification of 1,000,000 customers with 11 such rows: 90 → 78 ms).
    for (let r = 0; r < sums.length; r++) {
      const ar = a[r]!;
      const cr = c[r]!;
      let sum = sums[r]!;
      for (let i = from; i < to; i++) {
        const k = choice[i]!;
        if (k >= 0 && k < K && k === Math.floor(k)) sum += ar[k]! * cr[i]!;
      }
      sums[r] = sum;
    }
  };
  const result = (): ChoiceMeasure => {
    together.forEach((j, r) => {
      lhs[j] = sums[r]!;
    });
    byPair.forEach((j, r) => {
      lhs[j] = pairSums[r]!;
    });
    rows.forEach((row, j) => {
      if (row.pairCoef || (row.customerCoef && together.length)) return;
      const a = row.actionCoef;
      let s = 0;
      if (row.customerCoef) {
        const c = row.customerCoef;
        for (const i of supportOf(row)!) {
          const k = choice[i]!;
          if (k >= 0 && k < K && k === Math.floor(k)) s += a[k]! * c[i]!;
        }
      } else {
        for (let k = 0; k < K; k++) if (taking[k]) s += a[k]! * taking[k]!;
      }
      lhs[j] = s;
    });
    return { lhs, objective, invalid };
  };
  return { over, result };
}

/**
 * Net value of a choice vector (Σ of the chosen pairs' values); −Infinity
 * when a customer is given an ineligible or unknown action.
 *
 * @example
 * ```ts
 * const objective = choiceValue(problem, choice);
 * ```
 */
export function choiceValue(problem: AssignmentProblem, choice: Int32Array): number {
  const { objective, invalid } = measureChoice(problem, choice);
  return invalid.length ? -Infinity : objective;
}

const supports = new WeakMap<CouplingRow, Int32Array>();

/**
 * The customers a row weighs (nonzero customer factor), ascending; null for a
 * row that may weigh every customer (no customer factor, or per-customer columns). Computed once per row and kept.
 *
 * @example
 * ```ts
 * for (const i of supportOf(row) ?? []) total += row.customerCoef![i]!;
 * ```
 */
export function supportOf(row: CouplingRow): Int32Array | null {
  const c = row.customerCoef;
  // Per-customer columns may weigh any customer.
  if (!c || row.pairCoef) return null;
  let known = supports.get(row);
  if (!known) {
    known = c instanceof Uint8Array ? bytesNonzero(c) : floatsNonzero(c);
    supports.set(row, known);
  }
  return known;
}

// One function per array type keeps each loop monomorphic, and byte masks are read four bytes at a
// time: for 1,000 masks of 100,000 customers a shared byte-by-byte loop took 810 ms, these 280 ms.
function bytesNonzero(c: Uint8Array): Int32Array {
  // Four bytes at a time where the mask is aligned: a fairness mask is mostly zero words.
  const words = c.byteOffset % 4 === 0 ? new Uint32Array(c.buffer, c.byteOffset, c.length >> 2) : new Uint32Array(0);
  const tail = words.length * 4;
  let count = 0;
  for (let w = 0; w < words.length; w++)
    if (words[w] !== 0) for (let i = 4 * w; i < 4 * w + 4; i++) if (c[i] !== 0) count++;
  for (let i = tail; i < c.length; i++) if (c[i] !== 0) count++;
  const out = new Int32Array(count);
  let at = 0;
  for (let w = 0; w < words.length && at < count; w++)
    if (words[w] !== 0) for (let i = 4 * w; i < 4 * w + 4; i++) if (c[i] !== 0) out[at++] = i;
  for (let i = tail; i < c.length; i++) if (c[i] !== 0) out[at++] = i;
  return out;
}

function floatsNonzero(c: Float64Array): Int32Array {
  let count = 0;
  for (let i = 0; i < c.length; i++) if (c[i] !== 0) count++;
  const out = new Int32Array(count);
  for (let i = 0, at = 0; at < count; i++) if (c[i] !== 0) out[at++] = i;
  return out;
}

const integerRows = new WeakMap<CouplingRow, boolean>();

/**
 * True when every coefficient of the row is an integer (counts: capacity,
 * coverage, saturation, fairness; a budget whose costs are whole amounts). Its
 * activity is then an integer, summed exactly in floating point (below 2^53).
 *
 * @example
 * ```ts
 * isIntegerRow({ name: 'cap', constraint: 'cap', type: 'capacity', sense: '<=', rhs: 5, actionCoef: Float64Array.of(1, 0) }); // true
 * ```
 */
export function isIntegerRow(row: CouplingRow): boolean {
  let known = integerRows.get(row);
  if (known === undefined) {
    known =
      row.actionCoef.every(Number.isInteger) &&
      (row.customerCoef === undefined ||
        row.customerCoef instanceof Uint8Array ||
        row.customerCoef.every(Number.isInteger)) &&
      (row.pairCoef ?? []).every((col) => col === undefined || col.every(Number.isInteger));
    integerRows.set(row, known);
  }
  return known;
}

/**
 * How far a plan's activity may pass a row's right-hand side: nothing for a
 * row of integer coefficients (a count limit is never exceeded, not by one),
 * otherwise float rounding, 1e-9 relative to the larger of 1 and |rhs| (never
 * a whole unit below a billion). The verifier, the solvers and the row report
 * all use this one rule.
 *
 * @example
 * ```ts
 * rowTolerance(problem.rows[0]!); // 0 for a capacity of 2,000,000 contacts
 * ```
 */
export function rowTolerance(row: CouplingRow): number {
  return isIntegerRow(row) ? 0 : amountTolerance(row.rhs);
}

/**
 * True when an activity breaks a row beyond its {@link rowTolerance}: the verifier's test, in the
 * library and in a SQL engine alike.
 *
 * @example
 * ```ts
 * breaksRow({ ...budgetRow, rhs: 1000 }, 1000.5); // true when the budget's amounts are whole numbers
 * ```
 */
export function breaksRow(row: CouplingRow, lhs: number): boolean {
  const tol = rowTolerance(row);
  return row.sense === '<=' ? lhs > row.rhs + tol : lhs < row.rhs - tol;
}

/** Float rounding allowed on a sum of money near `amount`: 1e-9 relative to max(1, |amount|). */
export function amountTolerance(amount: number): number {
  return 1e-9 * Math.max(1, Math.abs(amount));
}

/**
 * The tightest right-hand side of a row with the same integer plans: for a
 * row of integer coefficients, ⌊rhs⌋ of a cap and ⌈rhs⌉ of a floor (its
 * activity is an integer); otherwise `rhs` itself.
 *
 * @example
 * ```ts
 * integerRhs({ ...row, sense: '>=', rhs: 740.4 }); // 741 when the row counts customers
 * ```
 */
export function integerRhs(row: CouplingRow): number {
  if (!isIntegerRow(row)) return row.rhs;
  // 1e-9 keeps a float product such as 0.6 × 5 = 3.0000000000000004 on its integer.
  return row.sense === '<=' ? Math.floor(row.rhs + 1e-9) : Math.ceil(row.rhs - 1e-9);
}
