// The decomposition with its passes over the customers run as queries in a SQL engine (docs/scale.md):
// the same dual (dual/dual.ts) and the same repair (primal/repair.ts), with Node holding only what is
// per group, a stride sample for the warm start, and the customers nearest a tie.
import { relativeGap, type BackendRequest, type SolveStatus } from '../../../problem/backend.js';
import { breaksRow } from '../../../problem/assignment-problem.js';
import { activity, closePass, penalties } from '../core/margins.js';
import { DenseValues } from '../core/pair-values.js';
import { multipliersOf, reachOf, sampleRhs, shadowPricesOf, valueRange, type Structure } from '../core/structure.js';
import { minimizeDual, type DualResult } from '../dual/dual.js';
import type { Oracle } from '../dual/oracle.js';
import { buildPrimal, type PrimalResult } from '../primal/repair.js';
import { phase1 } from '../primal/feasibility.js';
import { settleTies } from '../primal/settle.js';
import type { LinearSolver } from '../core/linear.js';
import { dualOfSample, FINE, startingBox } from '../run.js';
import { coefficientColumns, engineStructure, valueColumns, type EngineProblem } from './problem.js';
import type { SqlEngine } from './sql-engine.js';
import { prepareScores, ScoreOracle } from './scores.js';
import {
  activityQuery,
  applyMoves,
  nearestQuery,
  passQuery,
  penaltiesTable,
  planCounts,
  planStatement,
  valueQuery,
} from './sql.js';

/** Customers in the warm start's sample (pulled into Node, solved in memory): at most this many, a tenth of the table. */
const SAMPLE = 200_000;
/** From this many customers on, the dual starts from a sample's (a pass is a query: each saved pays). */
const SAMPLE_FROM = 100_000;
/** Customers nearest a tie given to the repair at first: 2% of them, 50,000 to 1,000,000 (then 4× as many, up to three times, and never more than MOST_NEAR). */
const poolFor = (n: number) => Math.min(n, Math.max(50_000, Math.min(1_000_000, Math.ceil(n / 50))));
/** The most customers read into Node for the repair (about 100 bytes each): beyond, the feasibility phase works on these. */
const MOST_NEAR = 4_000_000;

/**
 * What `solveInEngine` reports; the plan itself is a table in the engine.
 *
 * @example
 * ```ts
 * const out: EngineSolveResult = await solveInEngine(engine, problem);
 * if (out.status === 'optimal') console.log(`plan in table ${out.plan}, gap ${out.gap}`);
 * ```
 */
export interface EngineSolveResult {
  /** How the solve ended. */
  status: SolveStatus;
  /** The table holding the plan: `i`, `g`, `k` (action index, −1 for none), `w` (its value), `margin`. */
  plan: string | null;
  /** Value of the plan, recomputed by the verification query (NaN without a plan). */
  objective: number;
  /** The dual bound: no plan is worth more. */
  bound: number;
  /** Relative gap between bound and objective. */
  gap: number;
  /** Shadow price of each row (the multipliers, unscaled), or null. */
  shadowPrices: Float64Array | null;
  /** Passes over the customers (queries) the dual made. */
  passes: number;
  /** Each row's activity in the plan, from the verification query. */
  lhs: Float64Array | null;
  /** Rows the plan breaks and customers given an action they may not have, in words (empty when verified). */
  violations: string[];
  /** What the solver did, in words. */
  message: string;
}

/** Options of {@link solveEngineProblem}. */
export interface EngineSolveOptions {
  /** The table the plan is written to (replaced if it exists). Default `retention_plan`. */
  planTable?: string;
  /** The exact LP solver for the feasibility phase and the tie-settling LP; without one both are skipped. */
  lp?: LinearSolver;
}

/**
 * Solves a problem whose customers live in a SQL engine (see
 * {@link EngineProblem}): each dual pass is one aggregate query, the plan is
 * written as a table, its repair moves the customers nearest a tie (read into
 * Node, tens of thousands at a time) and the verification recomputes every
 * row and the value from the plan with a query. A time limit or an abort
 * interrupts the running query.
 */
export async function solveEngineProblem(
  engine: SqlEngine,
  problem: EngineProblem,
  request: BackendRequest,
  options: EngineSolveOptions = {},
): Promise<EngineSolveResult> {
  const planTable = options.planTable ?? 'retention_plan';
  const started = performance.now();
  const deadline = started + request.timeLimit * 1000;
  const shouldStop = () => performance.now() > deadline || request.signal?.aborted === true;
  const secondsLeft = () => Math.max(0.1, (deadline - performance.now()) / 1000);
  // A stop asked during a long query interrupts it (the engine's adapter, if it can).
  const stop = () => engine.interrupt?.();
  request.signal?.addEventListener('abort', stop, { once: true });
  const timer = Number.isFinite(request.timeLimit) ? setTimeout(stop, request.timeLimit * 1000) : undefined;
  let passes = 0;
  let bound = Infinity;
  try {
    const s = await engineStructure(engine, problem);
    const warm = request.warmStart ? multipliersOf(s, request.warmStart) : undefined;
    const initial = await sampledStart(engine, problem, s, shouldStop, warm);
    // Factored values: passes per class on sorted scores (scores.ts); otherwise over every customer.
    const blocks = problem.scores ? await prepareScores(engine, problem, problem.scores, `${planTable}_scores`) : null;
    const oracle = blocks ? new ScoreOracle(blocks, s) : new EngineOracle(engine, problem.table, s);
    const dualTo = (tolerance: number, from: Float64Array | undefined) =>
      minimizeDual(oracle, {
        tolerance,
        maxIterations: 1000,
        shouldStop,
        initial: from,
        initialDelta: from ? startingBox(s, from) : undefined,
        onIteration: (iteration, at) => {
          passes = oracle.passes;
          bound = Math.min(bound, at);
          request.onProgress?.({
            iteration: oracle.passes,
            bound: at,
            objective: NaN,
            gap: Infinity,
            seconds: (performance.now() - started) / 1000,
          });
        },
      });
    // As in memory (run.ts): measured at 3,000,000 customers, a looser dual (1e-6) saved 17 passes but
    // left a best response the repair had to widen to every customer to fix (49 s → 137 s).
    const tolerance = Math.min(1e-9, Math.max(FINE, request.gapTolerance * 1e-4));
    let dual = await dualTo(tolerance, initial);
    passes = oracle.passes;
    const shadowPrices = shadowPricesOf(s, dual.center);
    const base = { shadowPrices, passes: oracle.passes };
    if (dual.outcome === 'infeasible')
      return { ...base, ...none('infeasible', -Infinity), message: 'the dual proved that no plan meets every row' };
    if (dual.outcome !== 'converged')
      return { ...base, ...none('time_limit', dual.bound), message: `stopped after ${oracle.passes} passes` };
    const at = (d: DualResult, table: string) =>
      planAt(engine, problem, s, d, table, request, shouldStop, secondsLeft, options.lp);
    let plan = await at(dual, planTable);
    if (plan && 'infeasible' in plan)
      return {
        ...base,
        ...none('infeasible', -Infinity),
        message: 'the feasibility phase proved that no plan meets every row',
      };
    // Short of the gap asked: a finer dual and another plan (every bound is valid: the lower is kept).
    if (plan && relativeGap(dual.bound, plan.objective) > request.gapTolerance && tolerance > FINE && !shouldStop()) {
      const finer = await dualTo(FINE, dual.center);
      const lower = Math.min(dual.bound, finer.bound);
      if (finer.outcome === 'converged') {
        const again = await at(finer, `${planTable}_finer`);
        if (again && !('infeasible' in again) && again.objective > plan.objective) {
          await engine.run(`DROP TABLE IF EXISTS ${planTable}`);
          await engine.run(`ALTER TABLE ${planTable}_finer RENAME TO ${planTable}`);
          plan = again;
        } else await engine.run(`DROP TABLE IF EXISTS ${planTable}_finer`);
      }
      dual = { ...dual, bound: lower };
    }
    if (!plan || 'infeasible' in plan)
      return {
        ...base,
        passes: oracle.passes,
        ...none(shouldStop() ? 'time_limit' : 'error', dual.bound),
        message: `no feasible plan found at the final multipliers after ${oracle.passes} passes${options.lp ? '' : ' (no feasibility phase without an LP solver)'}`,
      };
    const check = await verifyInEngine(engine, problem, planTable);
    const gap = relativeGap(dual.bound, check.objective);
    const status: SolveStatus = !check.ok
      ? 'error'
      : shouldStop()
        ? 'time_limit'
        : gap <= request.gapTolerance
          ? 'optimal'
          : 'feasible';
    return {
      status,
      plan: planTable,
      objective: check.objective,
      bound: dual.bound,
      gap,
      shadowPrices,
      passes: oracle.passes,
      lhs: check.lhs,
      violations: check.violations,
      message: `dual converged after ${oracle.passes} passes in ${engine.name}; plan repaired with ${plan.moves} moves over the ${plan.pool.toLocaleString('en-US')} customers nearest a tie${plan.note}`,
    };
  } catch (e) {
    // An interrupted query: the stop that was asked, not a failure.
    if (!shouldStop()) throw e;
    return {
      ...none('time_limit', bound),
      shadowPrices: null,
      passes,
      message: `stopped after ${passes} passes (query interrupted)`,
    };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', stop);
    if (problem.scores) await engine.run(`DROP TABLE IF EXISTS ${planTable}_scores`).catch(() => undefined);
  }
}

// A result without a plan.
function none(status: SolveStatus, bound: number) {
  return { status, plan: null, objective: NaN, bound, gap: Infinity, lhs: null, violations: [] as string[] };
}

/** One dual pass as a query: L(μ) and the subgradient from the counts per (group, choice). */
class EngineOracle implements Oracle {
  passes = 0;
  private readonly count: Float64Array;

  constructor(
    private readonly engine: SqlEngine,
    private readonly table: string,
    readonly s: Structure,
  ) {
    this.count = new Float64Array(s.G * s.K);
  }

  async evaluate(mu: Float64Array, grad: Float64Array): Promise<number> {
    const { G, K } = this.s;
    const pen = penaltiesTable(penalties(this.s, mu), G, K);
    const rows = await this.engine.query(passQuery(this.table, K, pen));
    this.passes++;
    const count = this.count.fill(0);
    let L = 0;
    for (const r of rows) {
      L += Number(r.lag);
      const k = Number(r.k);
      if (k >= 0) count[Number(r.g) * K + k] = Number(r.cnt);
    }
    return closePass(this.s, mu, L, count, grad);
  }
}

/** What a plan at some multipliers came to: its value and how it was made, or a proof that none exists. */
type Planned = { objective: number; moves: number; pool: number; note: string } | { infeasible: true } | null;

/**
 * The plan at the dual's multipliers, written as `planTable`: the best response (one statement), then
 * the repair over the customers nearest a tie, in Node, with everyone else's use of each row held
 * fixed (widened 4× up to three times); when it finds no plan, the feasibility phase, and when the
 * plan misses the gap, the tie-settling LP (both as in memory, over the same customers, with `lp`).
 * The moves are written back. Null when nothing found a plan.
 */
async function planAt(
  engine: SqlEngine,
  problem: EngineProblem,
  s: Structure,
  dual: DualResult,
  planTable: string,
  request: BackendRequest,
  shouldStop: () => boolean,
  secondsLeft: () => number,
  lp: LinearSolver | undefined,
): Promise<Planned> {
  const { K, G, table } = problem;
  const mu = dual.center;
  await engine.run(planStatement(planTable, table, K, penaltiesTable(penalties(s, mu), G, K)));
  const all = new Float64Array(G * K);
  let value = 0;
  for (const r of await engine.query(planCounts(planTable))) {
    const k = Number(r.k);
    if (k >= 0) all[Number(r.g) * K + k] = Number(r.cnt);
    value += Number(r.val);
  }
  const closeTo = (fixed: number) => (objective: number) =>
    relativeGap(dual.bound, fixed + objective) <= request.gapTolerance;
  let near!: Nearest;
  let sub!: Structure;
  let result: PrimalResult | null = null;
  let note = '';
  const repair = (from: Int32Array) =>
    buildPrimal(sub, mu, from, closeTo(value - near.value), shouldStop, undefined, problem.n);
  // The repair; when it finds no plan, the feasibility phase over the same customers (quick, where a
  // failing repair over millions takes minutes); only then more customers.
  for (let pool = poolFor(problem.n), tries = 0; tries < 4; pool = Math.min(problem.n, MOST_NEAR, pool * 4), tries++) {
    near = await nearest(engine, problem, planTable, pool);
    sub = subStructure(s, near, all);
    const r = await repair(near.k);
    if (r.feasible) {
      result = r;
      break;
    }
    if (lp && !shouldStop()) {
      const found = await phase1(sub, r.choice, lp, secondsLeft(), request.signal);
      // Over every customer, the feasibility phase's "infeasible" is a proof.
      if (found.outcome === 'infeasible' && near.i.length === problem.n) return { infeasible: true };
      if (found.outcome === 'plan') {
        const again = await repair(found.choice);
        if (again.feasible) {
          result = again;
          note = ' (feasibility phase: the repair alone found none)';
          break;
        }
      }
    }
    if (pool >= Math.min(problem.n, MOST_NEAR) || shouldStop()) break;
  }
  if (!result) return null;
  const fixed = value - near.value;
  if (lp && !closeTo(fixed)(result.objective) && !shouldStop()) {
    const x = await settleTies(sub, mu, near.k, { timeLimit: secondsLeft(), signal: request.signal }, lp);
    const r = x ? await repair(x) : null;
    if (r?.feasible && r.objective > result.objective) {
      result = r;
      note += ' (ties settled by LP)';
    }
  }
  await writeMoves(engine, planTable, K, near, result.choice);
  return { objective: fixed + result.objective, moves: result.moves, pool: near.i.length, note };
}

/** The customers nearest a tie, as the repair reads them. */
interface Nearest {
  i: Int32Array;
  g: Int32Array;
  k: Int32Array;
  /** Values, row-major (customers × K). */
  w: Float64Array;
  /** Σ of their chosen values. */
  value: number;
}

async function nearest(engine: SqlEngine, problem: EngineProblem, planTable: string, limit: number): Promise<Nearest> {
  const { K } = problem;
  const i = new Int32Array(limit);
  const g = new Int32Array(limit);
  const k = new Int32Array(limit);
  const cols = Array.from({ length: K }, () => new Float64Array(limit));
  const P = await engine.columns(nearestQuery(planTable, problem.table, K, limit), [i, g, k, ...cols]);
  const out: Nearest = {
    i: i.subarray(0, P),
    g: g.subarray(0, P),
    k: k.subarray(0, P),
    w: new Float64Array(P * K),
    value: 0,
  };
  for (let q = 0; q < P; q++) {
    for (let a = 0; a < K; a++) out.w[q * K + a] = cols[a]![q]!;
    if (out.k[q]! >= 0) out.value += out.w[q * K + out.k[q]!]!;
  }
  return out;
}

/**
 * The structure of the repair: the nearest customers, each row's right-hand side less what everyone
 * else uses of it (`all`: customers per (group, choice) in the whole plan).
 */
function subStructure(s: Structure, near: Nearest, all: Float64Array): Structure {
  const { K, G, m } = s;
  const n = near.i.length;
  const mine = new Float64Array(G * K);
  const groupSize = new Float64Array(G);
  for (let q = 0; q < n; q++) {
    groupSize[near.g[q]!]!++;
    if (near.k[q]! >= 0) mine[near.g[q]! * K + near.k[q]!]!++;
  }
  const others = new Float64Array(G * K);
  for (let gk = 0; gk < G * K; gk++) others[gk] = all[gk]! - mine[gk]!;
  const used = activity(s, others, new Float64Array(m));
  const rhs = Float64Array.from(s.rhs, (b, j) => b - used[j]!);
  const values = new DenseValues(near.w, K);
  return { ...s, n, group: near.g, values, rhs, groupSize, ...valueRange(values, n) };
}

// The repaired choices of the customers that changed, written back to the plan.
async function writeMoves(
  engine: SqlEngine,
  planTable: string,
  K: number,
  near: Nearest,
  choice: Int32Array,
): Promise<void> {
  const moved: number[] = [];
  for (let q = 0; q < choice.length; q++) if (choice[q] !== near.k[q]) moved.push(q);
  if (moved.length === 0) return;
  const moves = `${planTable}_moves`;
  await engine.load(moves, {
    i: Int32Array.from(moved, (q) => near.i[q]!),
    k: Int32Array.from(moved, (q) => choice[q]!),
    w: Float64Array.from(moved, (q) => (choice[q]! >= 0 ? near.w[q * K + choice[q]!]! : 0)),
  });
  await engine.run(applyMoves(planTable, moves));
  await engine.run(`DROP TABLE ${moves}`);
}

/** The plan checked in the engine: every row recomputed from the rows' own coefficients, the value, eligibility. */
export async function verifyInEngine(
  engine: SqlEngine,
  problem: EngineProblem,
  planTable: string,
): Promise<{ ok: boolean; objective: number; lhs: Float64Array; violations: string[] }> {
  const coef = `${planTable}_coef`;
  await engine.load(coef, coefficientColumns(problem));
  const lhs = new Float64Array(problem.rows.length);
  for (const r of await engine.query(activityQuery(planTable, coef))) lhs[Number(r.j)] = Number(r.lhs);
  await engine.run(`DROP TABLE ${coef}`);
  const [v] = await engine.query(valueQuery(planTable));
  const violations: string[] = [];
  if (Number(v!.customers) !== problem.n)
    violations.push(`the plan has ${String(v!.customers)} customers for ${problem.n}`);
  if (Number(v!.ineligible) > 0) violations.push(`${String(v!.ineligible)} customers got an action they may not have`);
  problem.rows.forEach((row, j) => {
    if (breaksRow(row, lhs[j]!))
      violations.push(`row ${row.name}: ${lhs[j]} ${row.sense === '<=' ? '>' : '<'} ${row.rhs}`);
  });
  return { ok: violations.length === 0, objective: Number(v!.objective), lhs, violations };
}

/**
 * Multipliers from the in-memory dual on a stride sample of the engine's customers (read into Node),
 * its right-hand sides scaled by how much of each row the sample reaches; or the warm start alone
 * when the table is small.
 */
async function sampledStart(
  engine: SqlEngine,
  problem: EngineProblem,
  s: Structure,
  shouldStop: () => boolean,
  warm?: Float64Array,
): Promise<Float64Array | undefined> {
  if (problem.n < SAMPLE_FROM) return warm;
  const stride = Math.max(10, Math.floor(problem.n / SAMPLE));
  const { K, G } = s;
  const most = Math.ceil(problem.n / stride);
  const g = new Int32Array(most);
  const cols = Array.from({ length: K }, () => new Float64Array(most));
  const sql = `SELECT g, ${valueColumns(K).join(', ')} FROM ${problem.table} WHERE i % ${stride} = 0`;
  const n = await engine.columns(sql, [g, ...cols]);
  const group = g.subarray(0, n);
  const w = new Float64Array(n * K);
  const groupSize = new Float64Array(G);
  for (let q = 0; q < n; q++) {
    groupSize[group[q]!]!++;
    for (let k = 0; k < K; k++) w[q * K + k] = cols[k]![q]!;
  }
  const values = new DenseValues(w, K);
  const rhs = sampleRhs(s, reachOf(s, s.groupSize), reachOf(s, groupSize), n);
  const sample: Structure = { ...s, n, group, values, groupSize, rhs, lowest: valueRange(values, n).lowest };
  return (await dualOfSample(s, sample, shouldStop, warm)) ?? warm;
}
