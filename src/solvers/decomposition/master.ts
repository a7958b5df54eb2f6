import type { Highs } from 'highs';

type HighsModel = ReturnType<Highs['createModel']>;

/**
 * The cutting-plane master of the bundle method: minimize, over a box around
 * the centre c, the maximum of the cuts L_t + g_t·(μ − μ_t). Solved as a small
 * LP by a persistent HiGHS model (warm-started between iterations).
 *
 * Cuts are written relative to the centre (variables d = μ − c, objective
 * r = model value − L(c)), so the LP's numbers are the small differences that
 * matter near convergence, not values of the size of L.
 */
export class CuttingPlaneMaster {
  private readonly model: HighsModel;
  private readonly m: number;
  private readonly points: Float64Array[] = [];
  private readonly values: number[] = [];
  private readonly grads: Float64Array[] = [];
  private readonly ages: number[] = [];
  private readonly inf: number;

  constructor(private readonly highs: Highs, m: number, private readonly maxCuts: number) {
    this.m = m;
    this.inf = highs.infinity;
    this.model = highs.createModel();
    this.model.options.set({ output_flag: false, primal_feasibility_tolerance: 1e-10, dual_feasibility_tolerance: 1e-10 });
    this.model.addVars(new Float64Array(m + 1).fill(-this.inf), new Float64Array(m + 1).fill(this.inf));
    this.model.changeColCost(m, 1);
  }

  get size(): number {
    return this.values.length;
  }

  /** Adds the cut of an evaluated point (μ_t, L_t, g_t). */
  addCut(mu: Float64Array, L: number, grad: Float64Array): void {
    const m = this.m;
    const indices = new Int32Array(m + 1);
    const vals = new Float64Array(m + 1);
    for (let j = 0; j < m; j++) { indices[j] = j; vals[j] = -grad[j]!; }
    indices[m] = m;
    vals[m] = 1;
    this.model.addRow(-this.inf, this.inf, { indices, values: vals });
    this.points.push(mu.slice());
    this.values.push(L);
    this.grads.push(grad.slice());
    this.ages.push(0);
  }

  /**
   * Solves the master over the box [max(0, c − Δ), c + Δ]. Returns the
   * minimizer μ and the model value there (a lower estimate of L near c).
   */
  solve(center: Float64Array, Lc: number, delta: number): { mu: Float64Array; value: number } {
    const m = this.m;
    const T = this.values.length;
    const lower = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      const g = this.grads[t]!;
      const p = this.points[t]!;
      let v = this.values[t]! - Lc;
      for (let j = 0; j < m; j++) v += g[j]! * (center[j]! - p[j]!);
      lower[t] = v;
    }
    if (T > 0) this.model.changeRowsBounds({ kind: 'range', from: 0, to: T - 1 }, lower, new Float64Array(T).fill(this.inf));
    const lo = new Float64Array(m);
    const hi = new Float64Array(m).fill(delta);
    for (let j = 0; j < m; j++) lo[j] = Math.max(-delta, -center[j]!);
    if (m > 0) this.model.changeColsBounds({ kind: 'range', from: 0, to: m - 1 }, lo, hi);
    const result = this.model.run();
    if (result.modelStatus !== this.highs.constants.modelStatus.optimal) {
      throw new Error(`cutting-plane master ended with HiGHS status ${result.modelStatus}`);
    }
    const sol = this.model.getSolution();
    const mu = new Float64Array(m);
    for (let j = 0; j < m; j++) mu[j] = Math.max(0, center[j]! + Math.min(hi[j]!, Math.max(lo[j]!, sol.colValue[j]!)));
    // Cuts with a zero dual did not shape this solution; age them for removal.
    for (let t = 0; t < T; t++) this.ages[t] = sol.rowDual[t] === 0 ? this.ages[t]! + 1 : 0;
    return { mu, value: Lc + sol.colValue[m]! };
  }

  /** Drops the longest-inactive cuts once there are more than `maxCuts`, keeping `keep` (the centre's cut). */
  prune(keep: number): number {
    const T = this.values.length;
    if (T <= this.maxCuts) return keep;
    const order = [...Array(T).keys()].filter((t) => t !== keep && this.ages[t]! > 0).sort((a, b) => this.ages[b]! - this.ages[a]!);
    const drop = new Set(order.slice(0, T - this.maxCuts));
    if (drop.size === 0) return keep;
    const indices = Int32Array.from([...drop].sort((a, b) => a - b));
    this.model.deleteRows({ kind: 'set', indices });
    let newKeep = keep;
    for (let t = T - 1; t >= 0; t--) {
      if (!drop.has(t)) continue;
      this.points.splice(t, 1); this.values.splice(t, 1); this.grads.splice(t, 1); this.ages.splice(t, 1);
      if (t < keep) newKeep--;
    }
    return newKeep;
  }

  dispose(): void {
    this.model.dispose();
  }
}
