import type { AssignmentProblem } from '../../problem/assignment-problem.js';
import { relativeGap, type BackendRequest, type BackendResult, type SolverBackend } from '../../problem/backend.js';
import type { LinearSolver } from './linear.js';
import { minimizeDual, type DualResult } from './dual.js';
import { settleTies } from './settle.js';
import { DualOracle } from './oracle.js';
import { bestResponse } from './margins.js';
import { ScoreClasses, ThresholdOracle } from './threshold-oracle.js';
import { buildPrimal, type PrimalResult } from './repair.js';
import { phase1 } from './feasibility.js';
import { floorFamily, SeparatedOracle } from './separable.js';
import {
  buildStructure,
  groupCustomers,
  multipliersOf,
  sampleStructure,
  shadowPricesOf,
  type Structure,
} from './structure.js';

/** From this many customers on, HiGHS (for settling ties) is compiled in the background from the start. */
const LARGE = 100_000;

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Above this many rows, a large family of fairness floors is separated from the master. */
const SEPARATE_ABOVE_ROWS = 64;

/** The finest dual tolerance (relative predicted decrease) the solver goes to. */
const FINE = 1e-11;

/**
 * Options of the {@link decompositionBackend}.
 *
 * @example
 * ```ts
 * await model.solve({ solver: decompositionBackend({ maxIterations: 500, passes: 'per-class' }) });
 * ```
 */
export interface DecompositionOptions {
  /** Most bundle iterations (passes over the data) before stopping (default 1,000). */
  maxIterations?: number;
  /**
   * How the dual passes over the data: `per-class` works per class of customers (same rows,
   * segment and eligible actions) on scores sorted once, which needs the problem's
   * `valueFactors`; `per-customer` looks at every customer; `auto` (default) takes
   * `per-class` where classes hold 64 customers or more on average.
   */
  passes?: 'auto' | 'per-class' | 'per-customer';
  /**
   * How rows with per-customer columns (a cost per customer in the budget) are handled: `group`
   * splits customers by the columns' values, `price` prices those rows customer by customer (see
   * docs/decomposition.md), `auto` (default) groups when each column has at most 256 distinct values.
   */
  perCustomerRows?: 'auto' | 'group' | 'price';
}

/** {@link DecompositionOptions} plus the exact LP/MILP solver (see {@link LinearSolver}); without one the phases that need it are skipped. */
export interface DecompositionSetup extends DecompositionOptions {
  lp?: LinearSolver;
}

/**
 * The decomposition backend with the exact LP/MILP solver it is given
 * (`options.lp`); the package's `decompositionBackend()` gives it HiGHS on a
 * worker thread. The phases are described in docs/decomposition.md.
 *
 * @example
 * ```ts
 * const backend = createDecomposition({ lp: highsLinearSolver });
 * ```
 */
export function createDecomposition(options: DecompositionSetup = {}): SolverBackend {
  const maxIterations = options.maxIterations ?? 1000;
  const passMode = options.passes ?? 'auto';
  return {
    name: 'decomposition',
    async solve(problem: AssignmentProblem, request: BackendRequest): Promise<BackendResult> {
      const started = performance.now();
      const deadline = started + request.timeLimit * 1000;
      // Large models will likely settle ties by LP: compile HiGHS in the background meanwhile.
      const lp = options.lp;
      if (problem.n >= LARGE) lp?.prewarm?.();
      // Factored values: groups split down to classes that differ only by score, passes per class instead
      // of per customer (the plan still needs one per-customer pass), and the value range measured per class.
      // Between phases the event loop gets a turn: each phase is a pass or two over the customers.
      // A time limit or an abort that arrives here ends the solve before the dual, with no plan.
      const shouldStop = () => performance.now() > deadline || request.signal?.aborted === true;
      const early = (): BackendResult => ({
        status: 'time_limit',
        choice: null,
        bound: Infinity,
        shadowPrices: null,
        message: 'stopped before the dual started',
      });
      const grouping = groupCustomers(problem, passMode !== 'per-customer', options.perCustomerRows ?? 'auto');
      await breathe();
      if (shouldStop()) return early();
      // Rows weighted per customer make every customer's penalty its own: no classes, no closed-form
      // floor family, no tie-settling LP or feasibility phase over move types (each assumes a group's
      // customers move the rows alike). See docs/decomposition.md.
      const weighted = grouping.weighted.length > 0;
      const classes = weighted ? null : ScoreClasses.build(problem, grouping, passMode === 'per-class' ? 0 : undefined);
      await breathe();
      if (shouldStop()) return early();
      const s = buildStructure(problem, grouping, classes?.range());
      await breathe();
      if (shouldStop()) return early();
      // Thousands of fairness floors on disjoint sets: their multipliers in closed form (separable.ts).
      const family = problem.rows.length > SEPARATE_ABOVE_ROWS && !weighted ? floorFamily(problem) : null;
      const separated = family ? new SeparatedOracle(s, family) : undefined;
      const oracle = separated ?? (classes ? new ThresholdOracle(s, classes) : new DualOracle(s));

      let best: PrimalResult | undefined;
      let primalMs = 0;
      let settled = false;
      // The repair's last plan that missed some row: where the feasibility phase starts looking.
      let lastAttempt: Int32Array | undefined;
      const keep = (p: PrimalResult) => {
        if (p.feasible && (!best || p.objective > best.objective)) best = p;
        if (!p.feasible) lastAttempt = p.choice;
      };
      const gapOf = (bound: number) => (best ? relativeGap(bound, best.objective) : Infinity);
      // The fill stops looking further once the plan is within the gap asked of this bound.
      const closeTo = (bound: number) => (objective: number) => relativeGap(bound, objective) <= request.gapTolerance;
      const repairAt = (mu: Float64Array, bound: number) => {
        const t = performance.now();
        const response = bestResponse(s, mu);
        const start = response.choice;
        keep(buildPrimal(s, mu, response, closeTo(bound), shouldStop));
        primalMs += performance.now() - t;
        return start;
      };
      // The repair is greedy and can miss on tight floors; the feasibility phase cannot (see feasibility.ts).
      // It runs once, as soon as a repair has failed and no plan is known.
      let phase1Note = '';
      let proved: 'infeasible' | undefined;
      const ensurePlan = async (mu: Float64Array, bound: number) => {
        if (best || !lastAttempt || phase1Note || shouldStop()) return;
        if (weighted) {
          phase1Note = '; no feasibility phase with rows weighted per customer';
          return;
        }
        if (!lp) {
          phase1Note = '; no feasibility phase without an LP solver (options.lp)';
          return;
        }
        const t = performance.now();
        const found = await phase1(
          s,
          lastAttempt,
          lp,
          Math.max(0.1, (deadline - performance.now()) / 1000),
          request.signal,
        );
        if (found.outcome === 'infeasible') proved = 'infeasible';
        if (found.outcome === 'plan') keep(buildPrimal(s, mu, found.choice, closeTo(bound), shouldStop));
        primalMs += performance.now() - t;
        phase1Note =
          found.outcome === 'plan'
            ? ' (feasibility phase: the repair alone found none)'
            : `; ${found.outcome === 'infeasible' ? 'proved infeasible' : found.message}`;
      };
      let passes = 0;
      // With a separated family, the master sees its rows at 0 and the result gets ν* filled in.
      const forMaster = (mu: Float64Array | undefined) => {
        if (!mu || !family) return mu;
        const out = mu.slice();
        for (const j of family.rows) out[j] = 0;
        return out;
      };
      const runDual = async (
        tolerance: number,
        initial: Float64Array | undefined,
        initialDelta: number | undefined,
        onStart?: () => void,
      ) => {
        const result = await minimizeDual(oracle, {
          tolerance,
          maxIterations: maxIterations - passes,
          shouldStop,
          initial: forMaster(initial),
          initialDelta,
          onStart,
          // The plan is built from converged multipliers only: measured on 1,000,000 and 3,000,000
          // customers, repairs from earlier multipliers needed many more moves and missed the gap.
          onIteration: async (iteration, bound) => {
            request.onProgress?.({
              iteration: passes + iteration,
              bound,
              objective: NaN,
              gap: Infinity,
              seconds: (performance.now() - started) / 1000,
            });
            // Let timers and abort signals run between passes.
            if (iteration % 4 === 0) await breathe();
          },
        });
        return separated && result.outcome !== 'infeasible'
          ? { ...result, center: separated.complete(result.center) }
          : result;
      };
      const tSample = performance.now();
      let sampleMs = 0;
      const warm = request.warmStart ? multipliersOf(s, request.warmStart) : undefined;
      // Sampled starts save passes over the data; per-class passes cost next to nothing.
      const initial = classes || separated ? warm : await sampledStart(s, shouldStop, warm);
      // First as accurate as the gap asked needs (the repair's loss grows with the dual's error);
      // the dual goes on to 1e-11 only if the plan misses the gap.
      const firstTolerance = Math.min(1e-9, Math.max(FINE, request.gapTolerance * 1e-4));
      let dual = await runDual(firstTolerance, initial, initial ? startingBox(s, initial) : undefined, () => {
        sampleMs = performance.now() - tSample;
      });
      passes = dual.iterations;
      const isStopped = (d: DualResult) => d.outcome === 'stopped' || d.outcome === 'iterations';
      if (dual.outcome !== 'infeasible' && !isStopped(dual)) {
        let start = repairAt(dual.center, dual.bound);
        await breathe();
        await ensurePlan(dual.center, dual.bound);
        if (!proved && gapOf(dual.bound) > request.gapTolerance && firstTolerance > FINE) {
          const finer = await runDual(FINE, dual.center, startingBox(s, dual.center));
          passes += finer.iterations;
          // Every evaluated bound is valid: keep the lower one.
          dual = { ...finer, bound: Math.min(dual.bound, finer.bound), iterations: passes };
          if (!isStopped(finer) && finer.outcome !== 'infeasible') {
            start = repairAt(dual.center, dual.bound);
            await breathe();
          }
        }
        // The repair alone left a gap: settle the ties exactly by move type, then repair what rounding leaves.
        if (
          lp &&
          !proved &&
          !weighted &&
          !isStopped(dual) &&
          !shouldStop() &&
          gapOf(dual.bound) > request.gapTolerance
        ) {
          const t = performance.now();
          const x = await settleTies(
            s,
            dual.center,
            start,
            { timeLimit: Math.max(0.1, (deadline - performance.now()) / 1000), signal: request.signal },
            lp,
          );
          if (x) {
            settled = true;
            keep(buildPrimal(s, dual.center, x, closeTo(dual.bound), shouldStop));
          }
          primalMs += performance.now() - t;
          await ensurePlan(dual.center, dual.bound);
        }
      }
      const shadowPrices = shadowPricesOf(s, dual.center);
      const base = { iterations: dual.iterations, shadowPrices, shadowPriceSource: 'lagrangian' };
      if (dual.outcome === 'infeasible') {
        return { ...base, status: 'infeasible', choice: null, bound: -Infinity };
      }
      // Stopped (in the dual, or by an abort or the time limit during the repair, short of the gap asked):
      // the best plan found so far (if any) is returned at once, rather than repaired far from the optimum.
      const stopped = isStopped(dual) || (shouldStop() && gapOf(dual.bound) > request.gapTolerance);
      if (proved === 'infeasible') {
        return {
          ...base,
          status: 'infeasible',
          choice: null,
          bound: -Infinity,
          message: 'the feasibility phase proved that no plan meets every row',
        };
      }
      if (!best) {
        return {
          ...base,
          status: stopped ? 'time_limit' : 'error',
          choice: null,
          bound: dual.bound,
          message: stopped
            ? `stopped after ${dual.iterations} passes, before a verified plan${phase1Note}`
            : `no feasible plan found at the final multipliers${phase1Note}`,
        };
      }
      const gap = relativeGap(dual.bound, best.objective);
      // Why the gap asked was not reached, when the dual converged: its bound is the LP relaxation's.
      const why =
        !stopped && gap > request.gapTolerance && dual.outcome === 'converged'
          ? "; the dual converged, so the gap left is at most the LP–integer gap plus what the repair lost (small limits make the first large: an exact solver, solve({ solver: 'auto' }) on small models, can close it)"
          : '';
      return {
        ...base,
        status: stopped ? 'time_limit' : gap <= request.gapTolerance ? 'optimal' : 'feasible',
        choice: best.choice,
        bound: dual.bound,
        message:
          `dual ${dual.outcome} after ${dual.iterations} passes (warm start ${sampleMs.toFixed(0)} ms); ` +
          `plan repaired in ${primalMs.toFixed(0)} ms with ${best.moves} moves${settled ? ' (ties settled by LP)' : ''}${phase1Note}${why}`,
      };
    },
  };
}

/**
 * Multipliers from the same method on stride samples (20,000, then 200,000
 * customers, as far as the base is at least 10× larger), starting from a
 * previous plan's prices when given: the full problem then needs far fewer
 * passes over the data. For small problems, just the warm start (if any).
 */
async function sampledStart(
  s: Structure,
  shouldStop: () => boolean,
  warm?: Float64Array,
): Promise<Float64Array | undefined> {
  let start = warm;
  for (const size of [20_000, 200_000]) {
    if (s.n < 10 * size) break;
    const sample = sampleStructure(s, Math.floor(s.n / size));
    const result = await minimizeDual(new DualOracle(sample), {
      tolerance: 1e-8,
      maxIterations: 300,
      shouldStop,
      initial: start,
      initialDelta: start ? startingBox(s, start) : undefined,
      // A 200,000-customer sample's passes add up to half a second: timers run between them too.
      onIteration: async (iteration) => {
        if (iteration % 4 === 0) await breathe();
      },
    });
    // A sample that looks infeasible proves nothing about the base: start from what we had.
    if (result.outcome === 'infeasible') return warm;
    start = result.center;
  }
  return start;
}

// Around a good starting point, a box of a fraction of its size (but never nothing).
function startingBox(s: Structure, mu: Float64Array): number {
  let most = 0;
  for (let j = 0; j < mu.length; j++) most = Math.max(most, mu[j]!);
  return Math.max(1e-6 * Math.max(1, s.maxAbsW), 0.25 * most);
}
