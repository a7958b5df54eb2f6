// The problem as a SQL engine holds it (docs/scale.md, "The problem in the engine"): one table of
// customers, each with its group and its net value per action, and the coupling rows with their
// customer factors given per group (every customer of a group has the same coefficients).
import { pairValue, rowCoef, type AssignmentProblem, type CouplingRow } from '../../../problem/assignment-problem.js';
import { buildStructure, groupCustomers, type Structure } from '../core/structure.js';
import type { SqlEngine } from './sql-engine.js';
import { numberKeys } from '../core/group-keys.js';

/**
 * A problem whose customers live in a SQL engine. The customers' table has
 * columns `i` (0 … n − 1, each once), `g` (the customer's group, 0 … G − 1)
 * and `w0` … `w{K−1}` (the net value of each action, `-Infinity` where the
 * action is not allowed: never NULL). Every customer of a group has the same
 * coefficient in every row: `rows` give their customer factors (and
 * per-customer columns) per group, one entry per group.
 *
 * @example
 * ```ts
 * const problem: EngineProblem = { table: 'customers', n: 100_000_000, K: 7, G: 64, rows };
 * ```
 */
export interface EngineProblem {
  /** The customers' table (or view) in the engine. */
  readonly table: string;
  /** Customers (rows of the table). */
  readonly n: number;
  /** Actions. */
  readonly K: number;
  /** Groups. */
  readonly G: number;
  /** The coupling rows; `customerCoef` and `pairCoef` columns have one entry per group (length G). */
  readonly rows: readonly CouplingRow[];
  /** The values' factored form, when they have one: passes then work per class on sorted scores (scores.ts). */
  readonly scores?: EngineScores;
}

/**
 * The factored form of an engine problem's values: column `score` (s) and
 * column `cls` (the class, 0 … C − 1) of the customers' table, with each
 * class's group and per-action slope, and each action's cost:
 * w_k = s · slope[c·K + k] − cost[k], or −Infinity where slope is NaN (not
 * allowed). The `w` columns must agree (checked once per solve).
 *
 * @example
 * ```ts
 * const scores: EngineScores = { score: 's', cls: 'c', C: 2, group: Int32Array.of(0, 0),
 *   slope: Float64Array.of(0.1, NaN, 0.2, 0.05), cost: Float64Array.of(1, 10) }; // K = 2
 * ```
 */
export interface EngineScores {
  /** The score column (p·v). */
  readonly score: string;
  /** The class column (0 … C − 1). */
  readonly cls: string;
  /** Classes. */
  readonly C: number;
  /** The group of each class. */
  readonly group: Int32Array;
  /** Per (class, action): the slope of its value in the score, NaN where the action is not allowed. */
  readonly slope: Float64Array;
  /** Per action: its cost (the value at score 0). */
  readonly cost: Float64Array;
}

/** Value columns of the customers' table: `w0` … `w{K−1}`. */
export const valueColumns = (K: number): string[] => Array.from({ length: K }, (_, k) => `w${k}`);

/**
 * Puts an in-memory problem into the engine as table `table` (see
 * {@link EngineProblem}): customers grouped by their row coefficients, their
 * values per action (and, with factored values, their score and class), and
 * the rows per group.
 *
 * @example
 * ```ts
 * const engine = await duckdbEngine('customers.duckdb');
 * const problem = await loadProblem(engine, model.problem(), 'customers');
 * const out = await solveInEngine(engine, problem);
 * ```
 */
export async function loadProblem(
  engine: SqlEngine,
  problem: AssignmentProblem,
  table: string,
): Promise<EngineProblem> {
  const { n, K } = problem;
  // Customers split by every per-customer column's values: rows priced customer by customer are not
  // done in SQL (docs/scale.md).
  const grouping = await groupCustomers(problem, false, 'group');
  const { G, group, rep } = grouping;
  const columns: Record<string, Int32Array | Float64Array> = {
    i: Int32Array.from({ length: n }, (_, i) => i),
    g: group,
  };
  for (let k = 0; k < K; k++) columns[`w${k}`] = Float64Array.from({ length: n }, (_, i) => pairValue(problem, i, k));
  const scores = problem.valueFactors ? factoredScores(problem, group, columns) : undefined;
  await engine.load(table, columns);
  const at = (col: ArrayLike<number>) => Float64Array.from(rep, (i) => col[i]!);
  const rows = problem.rows.map((row) => ({
    ...row,
    ...(row.customerCoef
      ? {
          customerCoef:
            row.customerCoef instanceof Uint8Array
              ? Uint8Array.from(rep, (i) => row.customerCoef![i]!)
              : at(row.customerCoef),
        }
      : {}),
    ...(row.pairCoef ? { pairCoef: row.pairCoef.map((col) => (col ? at(col) : undefined)) } : {}),
  }));
  return { table, n, K, G, rows, ...(scores ? { scores } : {}) };
}

// The classes of factored values (group, segment, eligible actions) and the scores p·v, as columns `c`
// and `s`; each class's slopes (the segment's uplifts, NaN where not allowed) and the actions' costs.
function factoredScores(
  problem: AssignmentProblem,
  group: Int32Array,
  columns: Record<string, Int32Array | Float64Array>,
): EngineScores {
  const { n, K, eligible } = problem;
  const f = problem.valueFactors!;
  const S = f.uplift.length / K;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let mask = 0;
    for (let k = 0; k < K; k++) mask = mask * 2 + eligible[i * K + k]!;
    keys[i] = (group[i]! * S + f.segment[i]!) * 2 ** K + mask;
  }
  const cls = new Int32Array(n);
  const { rep } = numberKeys(keys, Infinity, cls);
  const C = rep.length;
  const slope = new Float64Array(C * K);
  rep.forEach((i, c) => {
    for (let k = 0; k < K; k++) slope[c * K + k] = eligible[i * K + k] ? f.uplift[f.segment[i]! * K + k]! : NaN;
  });
  columns.c = cls;
  columns.s = Float64Array.from({ length: n }, (_, i) => f.probability[i]! * f.value[i]!);
  return {
    score: 's',
    cls: 'c',
    C,
    group: Int32Array.from(rep, (i) => group[i]!),
    slope,
    cost: Float64Array.from(f.cost),
  };
}

/**
 * The decomposition's structure of an engine problem: groups and row
 * coefficients from `rows`, the group sizes and the value range measured in
 * the engine. It has no per-customer arrays (`group` and `values` are empty):
 * passes over the customers are queries.
 */
export async function engineStructure(engine: SqlEngine, p: EngineProblem): Promise<Structure> {
  const { G, K } = p;
  const sizes = new Float64Array(G);
  for (const r of await engine.query(`SELECT g, count(*) AS size FROM ${p.table} GROUP BY g`)) {
    const g = Number(r.g);
    if (!(Number.isInteger(g) && g >= 0 && g < G)) throw new RangeError(`group ${String(r.g)} is outside 0 … ${G - 1}`);
    sizes[g] = Number(r.size);
  }
  const w = valueColumns(K);
  const finite = (c: string) => `CASE WHEN ${c} > -'inf'::DOUBLE THEN ${c} ELSE 0 END`;
  const [range] = await engine.query(
    `SELECT sum(least(0, ${w.map(finite).join(', ')})) AS lowest, max(greatest(${w.map((c) => `abs(${finite(c)})`).join(', ')})) AS most FROM ${p.table}`,
  );
  const identity = Int32Array.from({ length: G }, (_, g) => g);
  // The rows per group are a problem whose customers are the groups (one representative each).
  const byGroup: AssignmentProblem = {
    n: G,
    K,
    rows: p.rows,
    eligible: new Uint8Array(G * K).fill(1),
    values: new Float64Array(G * K),
  };
  const grouping = {
    G,
    group: identity,
    rep: identity,
    size: sizes,
    bySegmentAndActions: false,
    weighted: new Int32Array(0),
  };
  const s = buildStructure(byGroup, grouping, {
    lowest: Number(range!.lowest ?? 0),
    maxAbsW: Number(range!.most ?? 0),
  });
  return { ...s, n: p.n, group: new Int32Array(0) };
}

/** The rows' coefficients of every (group, action), unscaled, for the verification query: (g, k, j, a) with a ≠ 0. */
export function coefficientColumns(p: EngineProblem): Record<string, Int32Array | Float64Array> {
  const g: number[] = [];
  const k: number[] = [];
  const j: number[] = [];
  const a: number[] = [];
  p.rows.forEach((row, r) => {
    for (let q = 0; q < p.G; q++)
      for (let act = 0; act < p.K; act++) {
        const v = rowCoef(row, q, act);
        if (v !== 0) {
          g.push(q);
          k.push(act);
          j.push(r);
          a.push(v);
        }
      }
  });
  return { g: Int32Array.from(g), k: Int32Array.from(k), j: Int32Array.from(j), a: Float64Array.from(a) };
}
