import { CuttingPlaneMaster } from './master.js';
import { WorkingSetMaster } from './working-set.js';

/**
 * Above this many rows the dual works over a working set of rows. Below, the full master: measured on
 * the 23-row reference model, the working set gained nothing and, at 1,000 customers (seed 2), its
 * different dual optimum left the repair 2.9e-6 short.
 */
const WORKING_SET_ROWS = 64;
import type { Oracle } from './oracle.js';

/** How the dual phase ended. */
export type DualOutcome = 'converged' | 'infeasible' | 'stopped' | 'iterations';

export interface DualOptions {
  /** Stop when the predicted decrease is at most this × max(1, |L|). */
  tolerance: number;
  maxIterations: number;
  /** Returns true when the solve must stop (time limit, abort). */
  shouldStop: () => boolean;
  /** Called after every iteration with the centre's bound (awaited: it may yield to the event loop). */
  onIteration?: (iteration: number, bound: number) => void | Promise<void>;
  initial?: Float64Array;
  /** First trust-region half-width (default: the largest |value|, enough to reach any multiplier that matters). */
  initialDelta?: number;
  /** Called once before the first pass (for timing). */
  onStart?: () => void;
}

export interface DualResult {
  outcome: DualOutcome;
  /** Centre of the bundle at the end: the best multipliers found. */
  center: Float64Array;
  /** L at the centre: the best proven bound. */
  bound: number;
  iterations: number;
}

/**
 * Minimizes the Lagrangian dual L(μ) over μ ≥ 0 with a box-step bundle
 * method: cutting-plane model, trust region in the ∞-norm, serious step when
 * the actual decrease is ≥ 0.1 × the predicted one. Stops on the predicted
 * decrease, not on "box inactive": a tight floor with a zero multiplier keeps
 * the master on the box edge.
 */
export async function minimizeDual(oracle: Oracle, opts: DualOptions): Promise<DualResult> {
  const s = oracle.s;
  const m = s.m;
  const grad = new Float64Array(m);
  opts.onStart?.();
  let center: Float64Array = opts.initial ? opts.initial.slice() : new Float64Array(m);
  let Lc = await oracle.evaluate(center, grad);
  const infeasibleBelow = s.lowest - 1e-9 * Math.max(1, Math.abs(s.lowest));
  if (m === 0) return { outcome: 'converged', center, bound: Lc, iterations: 1 };

  // Beyond a few dozen rows the dense master's O(m³) dominates: work over the rows that matter (working-set.ts).
  const master =
    m > WORKING_SET_ROWS ? new WorkingSetMaster(m, center) : new CuttingPlaneMaster(m, Math.max(40, 4 * m + 20));
  let centerCut = master.addCut(center, Lc, grad);
  let delta = opts.initialDelta ?? Math.max(1, s.maxAbsW);
  const minDelta = 1e-12 * Math.max(1, s.maxAbsW);
  let iteration = 1;
  if (Lc < infeasibleBelow) return { outcome: 'infeasible', center, bound: Lc, iterations: iteration };
  while (true) {
    if (iteration >= opts.maxIterations) return { outcome: 'iterations', center, bound: Lc, iterations: iteration };
    if (opts.shouldStop()) return { outcome: 'stopped', center, bound: Lc, iterations: iteration };
    let { mu, value } = master.solve(center, Lc, delta);
    let predicted = Lc - value;
    const small = opts.tolerance * Math.max(1, Math.abs(Lc));
    if (predicted <= small) {
      // Converged only if a larger box does not promise more: a small box must not fake convergence.
      if (!onTrustEdge(mu, center, delta)) return { outcome: 'converged', center, bound: Lc, iterations: iteration };
      const wider = master.solve(center, Lc, 4 * delta);
      if (Lc - wider.value <= small) return { outcome: 'converged', center, bound: Lc, iterations: iteration };
      delta *= 4;
      ({ mu, value } = wider);
      predicted = Lc - value;
    }
    const L = await oracle.evaluate(mu, grad);
    iteration++;
    const cut = master.addCut(mu, L, grad);
    if (L < infeasibleBelow) return { outcome: 'infeasible', center: mu, bound: L, iterations: iteration };
    const decrease = Lc - L;
    let step = 0;
    for (let j = 0; j < m; j++) step = Math.max(step, Math.abs(mu[j]! - center[j]!));
    if (decrease >= 0.1 * predicted) {
      center = mu;
      Lc = L;
      centerCut = cut;
      // A good step that hit the edge of the box: the box was too small.
      if (decrease >= 0.5 * predicted && step >= 0.999 * delta) delta *= 2;
    } else if (L > Lc) {
      // The model was far off over this box: look closer.
      delta = Math.max(minDelta, Math.min(delta, step) * 0.5);
    }
    centerCut = master.prune(centerCut);
    await opts.onIteration?.(iteration, Lc);
  }
}

// True when some multiplier sits on the trust region's edge (the bound μ ≥ 0 is not an edge).
function onTrustEdge(mu: Float64Array, center: Float64Array, delta: number): boolean {
  for (let j = 0; j < mu.length; j++) {
    const d = mu[j]! - center[j]!;
    if (d >= 0.999 * delta) return true;
    if (d <= -0.999 * delta && mu[j]! > 0) return true;
  }
  return false;
}
