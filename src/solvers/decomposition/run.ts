import { breathe } from '../../util/breathe.js';
import type { AssignmentProblem } from '../../problem/assignment-problem.js';
import { relativeGap, type BackendRequest, type BackendResult } from '../../problem/backend.js';
import { minimizeDual, type DualResult } from './dual/dual.js';
import { phase1 } from './primal/feasibility.js';
import type { LinearSolver } from './core/linear.js';
import { bestResponseInSlices } from './core/margins.js';
import { DualOracle, type Oracle } from './dual/oracle.js';
import { buildPrimal, type PrimalResult } from './primal/repair.js';
import { floorFamily, SeparatedOracle, type FloorFamily } from './dual/separable.js';
import { settleTies } from './primal/settle.js';
import {
  buildStructure,
  groupCustomers,
  multipliersOf,
  sampleStructure,
  shadowPricesOf,
  type Structure,
} from './core/structure.js';
import { ScoreClasses, ThresholdOracle } from './dual/threshold-oracle.js';
import { Team, threadsFor } from './parallel/team.js';

/** From this many customers on, the LP solver (for settling ties) is started in the background from the start. */
export const LARGE = 100_000;

/** Above this many rows, a large family of fairness floors is separated from the master. */
const SEPARATE_ABOVE_ROWS = 64;

/** The finest dual tolerance (relative predicted decrease) the solver goes to. */
export const FINE = 1e-11;

/** Gives the event loop a turn. */
export { breathe };

/** A dual that ended without converging (a stop, or the pass budget). */
export const isStopped = (d: DualResult) => d.outcome === 'stopped' || d.outcome === 'iterations';

/** What a run is asked to do, from `createDecomposition`'s options. */
export interface RunSettings {
  maxIterations: number;
  passMode: 'auto' | 'per-class' | 'per-customer';
  perCustomerRows: 'auto' | 'group' | 'price';
  lp: LinearSolver | undefined;
}

/**
 * One solve of the decomposition: its state, and one method per phase of
 * docs/decomposition.md ("Phases, in order"). `index.ts` calls them in order;
 * each phase reads and extends what the earlier ones left here (the
 * structure, the best plan so far, the notes for the message).
 */
export class Run {
  readonly started = performance.now();
  readonly deadline: number;
  /** Set by {@link prepare}. */
  s!: Structure;
  private oracle!: Oracle;
  private classes: ScoreClasses | null = null;
  private family: FloorFamily | null = null;
  private separated: SeparatedOracle | undefined;
  /** Rows priced per customer: the phases that assume a group moves the rows alike are off. */
  private weighted = false;
  private best: PrimalResult | undefined;
  /** The repair's last plan that missed some row: where the feasibility phase starts looking. */
  private lastAttempt: Int32Array | undefined;
  private primalMs = 0;
  private settled = false;
  private phase1Note = '';
  private proved: 'infeasible' | undefined;
  private passes = 0;
  private sampleMs = 0;
  /** Threads sharing the per-customer work (parallel/team.ts), or null on one thread. */
  private team: Team | null = null;

  constructor(
    private readonly problem: AssignmentProblem,
    private readonly request: BackendRequest,
    private readonly settings: RunSettings,
  ) {
    this.deadline = this.started + request.timeLimit * 1000;
    // Large models will likely settle ties by LP: start the solver in the background meanwhile.
    if (problem.n >= LARGE) settings.lp?.prewarm?.();
  }

  /** A time limit or an abort has arrived. */
  readonly shouldStop = () => performance.now() > this.deadline || this.request.signal?.aborted === true;

  /** Gives the threads back (they stay for the next solve, holding nothing of this one). */
  close(): void {
    this.team?.close();
    this.team = null;
  }

  /** The answer when a stop arrives before the dual started. */
  early(): BackendResult {
    return {
      status: 'time_limit',
      choice: null,
      bound: Infinity,
      shadowPrices: null,
      message: 'stopped before the dual started',
    };
  }

  /**
   * Phase 1, structure: groups, classes (factored values: customers that differ only by score, so
   * passes work per class), the structure and the oracle. The event loop gets a turn between steps;
   * false when a stop arrived.
   */
  async prepare(): Promise<boolean> {
    const { problem } = this;
    const { passMode, perCustomerRows } = this.settings;
    const threads = threadsFor(this.request.threads ?? 'auto', problem.n);
    // Started now, the threads load while the customers are grouped.
    if (threads > 1) this.team = Team.open(threads);
    const grouping = await groupCustomers(problem, passMode !== 'per-customer', perCustomerRows, this.team?.keys);
    await breathe();
    if (this.shouldStop()) return false;
    // Rows weighted per customer make every customer's penalty its own: no classes, no closed-form
    // floor family, no tie-settling LP or feasibility phase over move types (each assumes a group's
    // customers move the rows alike). See docs/decomposition.md.
    this.weighted = grouping.weighted.length > 0;
    this.classes = this.weighted
      ? null
      : await ScoreClasses.build(problem, grouping, passMode === 'per-class' ? 0 : undefined, this.team);
    await breathe();
    if (this.shouldStop()) return false;
    this.s = buildStructure(problem, grouping, this.classes?.range());
    await breathe();
    if (this.shouldStop()) return false;
    // Thousands of fairness floors on disjoint sets: their multipliers in closed form (separable.ts).
    this.family = problem.rows.length > SEPARATE_ABOVE_ROWS && !this.weighted ? floorFamily(problem) : null;
    this.separated = this.family ? new SeparatedOracle(this.s, this.family) : undefined;
    this.oracle = this.separated ?? (this.classes ? new ThresholdOracle(this.s, this.classes) : new DualOracle(this.s));
    return true;
  }

  /**
   * Phase 2, the dual: from a previous plan's prices or stride samples, as accurate as the gap asked
   * needs (the repair's loss grows with the dual's error).
   */
  async firstDual(): Promise<DualResult> {
    const { s, request } = this;
    const tSample = performance.now();
    const warm = request.warmStart ? multipliersOf(s, request.warmStart) : undefined;
    // Sampled starts save passes over the data; per-class passes cost next to nothing.
    const initial = this.classes || this.separated ? warm : await sampledStart(s, this.shouldStop, warm);
    const dual = await this.dual(this.firstTolerance, initial, initial ? startingBox(s, initial) : undefined, () => {
      this.sampleMs = performance.now() - tSample;
    });
    this.passes = dual.iterations;
    return dual;
  }

  /** Phase 3, the repair at converged multipliers; returns the best response it started from. */
  async repairAt(mu: Float64Array, bound: number): Promise<Int32Array> {
    const t = performance.now();
    const response = this.team ? await this.team.respond(this.s, mu) : await bestResponseInSlices(this.s, mu);
    const start = response.choice;
    this.keep(await buildPrimal(this.s, mu, response, this.closeTo(bound), this.shouldStop, this.team ?? undefined));
    this.primalMs += performance.now() - t;
    return start;
  }

  /**
   * Phase 4, a finer dual (to {@link FINE}) and another repair, when the plan misses the gap asked.
   * Every evaluated bound is valid: the lower one is kept.
   */
  async finerDual(dual: DualResult, start: Int32Array): Promise<{ dual: DualResult; start: Int32Array }> {
    if (this.proved || this.gapOf(dual.bound) <= this.request.gapTolerance || this.firstTolerance <= FINE) {
      return { dual, start };
    }
    const finer = await this.dual(FINE, dual.center, startingBox(this.s, dual.center));
    this.passes += finer.iterations;
    const kept = { ...finer, bound: Math.min(dual.bound, finer.bound), iterations: this.passes };
    if (isStopped(finer) || finer.outcome === 'infeasible') return { dual: kept, start };
    const again = await this.repairAt(kept.center, kept.bound);
    await breathe();
    return { dual: kept, start: again };
  }

  /**
   * Phase 4, the tie-settling LP (settle.ts), when the repair alone left a gap: how many customers of
   * each move type move, on the LP solver's worker; then a repair of what rounding leaves.
   */
  async settle(dual: DualResult, start: Int32Array): Promise<void> {
    const { lp } = this.settings;
    if (!lp || this.proved || this.weighted || isStopped(dual) || this.shouldStop()) return;
    if (this.gapOf(dual.bound) <= this.request.gapTolerance) return;
    const t = performance.now();
    const control = { timeLimit: this.secondsLeft(), signal: this.request.signal };
    const x = await settleTies(this.s, dual.center, start, control, lp);
    if (x) {
      this.settled = true;
      this.keep(
        await buildPrimal(this.s, dual.center, x, this.closeTo(dual.bound), this.shouldStop, this.team ?? undefined),
      );
    }
    this.primalMs += performance.now() - t;
    await this.ensurePlan(dual.center, dual.bound);
  }

  /**
   * Phase 5, feasibility (feasibility.ts): once, when every repair so far failed and no plan is known.
   * The repair is greedy and can miss on tight floors; this phase cannot, and its "infeasible" is a proof.
   */
  async ensurePlan(mu: Float64Array, bound: number): Promise<void> {
    if (this.best || !this.lastAttempt || this.phase1Note || this.shouldStop()) return;
    if (this.weighted) {
      this.phase1Note = '; no feasibility phase with rows weighted per customer';
      return;
    }
    const { lp } = this.settings;
    if (!lp) {
      this.phase1Note = '; no feasibility phase without an LP solver (options.lp)';
      return;
    }
    const t = performance.now();
    const found = await phase1(this.s, this.lastAttempt, lp, this.secondsLeft(), this.request.signal);
    if (found.outcome === 'infeasible') this.proved = 'infeasible';
    if (found.outcome === 'plan')
      this.keep(
        await buildPrimal(this.s, mu, found.choice, this.closeTo(bound), this.shouldStop, this.team ?? undefined),
      );
    this.primalMs += performance.now() - t;
    this.phase1Note =
      found.outcome === 'plan'
        ? ' (feasibility phase: the repair alone found none)'
        : `; ${found.outcome === 'infeasible' ? 'proved infeasible' : found.message}`;
  }

  /** The backend's answer from the final dual and the best verified plan. */
  result(dual: DualResult): BackendResult {
    const { request, best } = this;
    const shadowPrices = shadowPricesOf(this.s, dual.center);
    const base = { iterations: dual.iterations, shadowPrices, shadowPriceSource: 'lagrangian' };
    if (dual.outcome === 'infeasible') return { ...base, status: 'infeasible', choice: null, bound: -Infinity };
    // Stopped (in the dual, or by an abort or the time limit during the repair, short of the gap asked):
    // the best plan found so far (if any) is returned at once, rather than repaired far from the optimum.
    const stopped = isStopped(dual) || (this.shouldStop() && this.gapOf(dual.bound) > request.gapTolerance);
    if (this.proved === 'infeasible') {
      const message = 'the feasibility phase proved that no plan meets every row';
      return { ...base, status: 'infeasible', choice: null, bound: -Infinity, message };
    }
    if (!best) {
      return {
        ...base,
        status: stopped ? 'time_limit' : 'error',
        choice: null,
        bound: dual.bound,
        message: stopped
          ? `stopped after ${dual.iterations} passes, before a verified plan${this.phase1Note}`
          : `no feasible plan found at the final multipliers${this.phase1Note}`,
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
        `dual ${dual.outcome} after ${dual.iterations} passes (warm start ${this.sampleMs.toFixed(0)} ms); ` +
        `plan repaired in ${this.primalMs.toFixed(0)} ms with ${best.moves} moves${this.settled ? ' (ties settled by LP)' : ''}${this.phase1Note}${why}`,
    };
  }

  // First as accurate as the gap asked needs; the dual goes on to FINE only if the plan misses the gap.
  private get firstTolerance(): number {
    return Math.min(1e-9, Math.max(FINE, this.request.gapTolerance * 1e-4));
  }

  private secondsLeft(): number {
    return Math.max(0.1, (this.deadline - performance.now()) / 1000);
  }

  private keep(p: PrimalResult): void {
    if (p.feasible && (!this.best || p.objective > this.best.objective)) this.best = p;
    if (!p.feasible) this.lastAttempt = p.choice;
  }

  private gapOf(bound: number): number {
    return this.best ? relativeGap(bound, this.best.objective) : Infinity;
  }

  // The fill stops looking further once the plan is within the gap asked of this bound.
  private closeTo(bound: number): (objective: number) => boolean {
    return (objective) => relativeGap(bound, objective) <= this.request.gapTolerance;
  }

  // The bundle method over the oracle, reporting progress and yielding every 4 passes. With a separated
  // family, the master sees its rows at 0 and the result gets ν* filled in.
  private async dual(
    tolerance: number,
    initial: Float64Array | undefined,
    initialDelta: number | undefined,
    onStart?: () => void,
  ): Promise<DualResult> {
    const { family, separated, request } = this;
    const forMaster = (mu: Float64Array | undefined) => {
      if (!mu || !family) return mu;
      const out = mu.slice();
      for (const j of family.rows) out[j] = 0;
      return out;
    };
    const result = await minimizeDual(this.oracle, {
      tolerance,
      maxIterations: this.settings.maxIterations - this.passes,
      shouldStop: this.shouldStop,
      initial: forMaster(initial),
      initialDelta,
      onStart,
      // The plan is built from converged multipliers only: measured on 1,000,000 and 3,000,000
      // customers, repairs from earlier multipliers needed many more moves and missed the gap.
      onIteration: async (iteration, bound) => {
        request.onProgress?.({
          iteration: this.passes + iteration,
          bound,
          objective: NaN,
          gap: Infinity,
          seconds: (performance.now() - this.started) / 1000,
        });
        // Let timers and abort signals run between passes.
        if (iteration % 4 === 0) await breathe();
      },
    });
    return separated && result.outcome !== 'infeasible'
      ? { ...result, center: separated.complete(result.center) }
      : result;
  }
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
    const center = await dualOfSample(s, sampleStructure(s, Math.floor(s.n / size)), shouldStop, start);
    // A sample that looks infeasible proves nothing about the base: start from what we had.
    if (!center) return warm;
    start = center;
  }
  return start;
}

/**
 * The dual of a sample of `s` (to 1e-8, at most 300 passes, from `start`), with turns of the event
 * loop every 4 passes (a 200,000-customer sample's passes add up to half a second); undefined when
 * the sample looks infeasible (which proves nothing about the base).
 */
export async function dualOfSample(
  s: Structure,
  sample: Structure,
  shouldStop: () => boolean,
  start?: Float64Array,
): Promise<Float64Array | undefined> {
  const result = await minimizeDual(new DualOracle(sample), {
    tolerance: 1e-8,
    maxIterations: 300,
    shouldStop,
    initial: start,
    initialDelta: start ? startingBox(s, start) : undefined,
    onIteration: async (iteration) => {
      if (iteration % 4 === 0) await breathe();
    },
  });
  return result.outcome === 'infeasible' ? undefined : result.center;
}

/** Around a good starting point, a box of a fraction of its size (but never nothing). */
export function startingBox(s: Structure, mu: Float64Array): number {
  let most = 0;
  for (let j = 0; j < mu.length; j++) most = Math.max(most, mu[j]!);
  return Math.max(1e-6 * Math.max(1, s.maxAbsW), 0.25 * most);
}
