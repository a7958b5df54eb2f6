/**
 * The cutting-plane master of the bundle method:
 *
 *   minimize r  subject to  r ≥ a_t + g_t·d  (every cut t),  lo ≤ d ≤ hi,
 *
 * where d = μ − c is the step from the centre c, a_t the cut's value at the
 * centre minus L(c) (cuts written relative to the centre keep the numbers
 * small near convergence), and the box is the trust region intersected with
 * μ ≥ 0. It is solved through its LP dual, a standard-form LP with only m + 1
 * rows (m = coupling rows) and a column per cut:
 *
 *   maximize Σ_t θ_t a_t + Σ_j (lo_j p_j − hi_j q_j)
 *   subject to Σ_t θ_t = 1,   Σ_t θ_t g_tj − p_j + q_j = 0 (every j),   θ, p, q ≥ 0,
 *
 * by a dense revised primal simplex. The constraints never change (a new cut
 * is a new column; a new centre or box changes only costs), so the previous
 * basis stays feasible and each solve starts where the last one ended. The
 * step d is minus the simplex multipliers of the j rows, r the multiplier of
 * the first row.
 */
export class CuttingPlaneMaster {
  private readonly m: number;
  private readonly R: number;
  // Cuts, by stable id.
  private readonly cutPoint = new Map<number, Float64Array>();
  private readonly cutValue = new Map<number, number>();
  private readonly cutGrad = new Map<number, Float64Array>();
  private readonly cutAge = new Map<number, number>();
  private nextId = 0;
  // Column keys: j → p_j, m + j → q_j, 2m + id → cut id.
  private readonly basis: Int32Array;
  private readonly binv: Float64Array;
  private readonly xB: Float64Array;
  private cost = new Map<number, number>();
  private pivotsSinceRefactor = 0;

  constructor(m: number, private readonly maxCuts: number) {
    this.m = m;
    this.R = m + 1;
    this.basis = new Int32Array(this.R).fill(-1);
    this.binv = new Float64Array(this.R * this.R);
    this.xB = new Float64Array(this.R);
  }

  get size(): number {
    return this.cutValue.size;
  }

  /** Adds the cut of an evaluated point (μ_t, L_t, g_t); returns its id. */
  addCut(mu: Float64Array, L: number, grad: Float64Array): number {
    const id = this.nextId++;
    this.cutPoint.set(id, mu.slice());
    this.cutValue.set(id, L);
    this.cutGrad.set(id, grad.slice());
    this.cutAge.set(id, 0);
    if (this.basis[0] === -1) this.initialBasis(id);
    return id;
  }

  /** Minimizes the model over the box [max(0, c − Δ), c + Δ]; returns the minimizer and the model value. */
  solve(center: Float64Array, Lc: number, delta: number): { mu: Float64Array; value: number } {
    const { m } = this;
    const lo = new Float64Array(m);
    for (let j = 0; j < m; j++) lo[j] = Math.max(-delta, -center[j]!);
    this.cost = new Map();
    let scale = 1;
    for (const [id, L] of this.cutValue) {
      const g = this.cutGrad.get(id)!;
      const p = this.cutPoint.get(id)!;
      let a = L - Lc;
      for (let j = 0; j < m; j++) a += g[j]! * (center[j]! - p[j]!);
      this.cost.set(2 * m + id, a);
      scale = Math.max(scale, Math.abs(a));
    }
    for (let j = 0; j < m; j++) {
      this.cost.set(j, lo[j]!);
      this.cost.set(m + j, -delta);
    }
    const tol = 1e-13 * Math.max(1, Math.abs(Lc), scale);
    // A fresh B⁻¹ per solve (R³ with R ≈ 25: microseconds) keeps pivot errors from adding up across solves.
    this.refactor();
    let step = this.stepOf(this.simplex(tol), center, lo, delta);
    // At the true minimum the model is at most its value at the centre (0); above it, the solve went
    // wrong numerically: start again from the triangular basis of one cut.
    if (step.value > 1e-9 * Math.max(1, Math.abs(Lc))) {
      this.initialBasis(this.cutValue.keys().next().value!);
      step = this.stepOf(this.simplex(tol), center, lo, delta);
    }
    return { mu: step.mu, value: Lc + step.value };
  }

  // The multipliers of a step read off the simplex multipliers, and the model's value there relative
  // to the centre (recomputed: exact for the clamped step).
  private stepOf(pi: Float64Array, center: Float64Array, lo: Float64Array, delta: number): { mu: Float64Array; value: number } {
    const m = this.m;
    const mu = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const d = Math.min(delta, Math.max(lo[j]!, -pi[j + 1]!));
      mu[j] = Math.max(0, center[j]! + d);
    }
    let value = -Infinity;
    for (const [id] of this.cutValue) {
      const g = this.cutGrad.get(id)!;
      let v = this.cost.get(2 * m + id)!;
      for (let j = 0; j < m; j++) v += g[j]! * (mu[j]! - center[j]!);
      if (v > value) value = v;
    }
    return { mu, value };
  }

  /** Drops the longest-idle cuts (never a basic one, never `keep`) once there are more than `maxCuts`. */
  prune(keep: number): number {
    if (this.cutValue.size <= this.maxCuts) return keep;
    const inBasis = new Set(Array.from(this.basis, (k) => k - 2 * this.m));
    const idle = [...this.cutAge.entries()]
      .filter(([id]) => id !== keep && !inBasis.has(id))
      .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const [id] of idle.slice(0, this.cutValue.size - this.maxCuts)) {
      this.cutPoint.delete(id); this.cutValue.delete(id); this.cutGrad.delete(id); this.cutAge.delete(id);
    }
    return keep;
  }

  dispose(): void {
    // Nothing native to free; kept so the master can be swapped for one that has.
  }

  // Column of key k into `out` (length R).
  private column(k: number, out: Float64Array): Float64Array {
    const m = this.m;
    out.fill(0);
    if (k < m) out[k + 1] = -1;
    else if (k < 2 * m) out[k - m + 1] = 1;
    else {
      const g = this.cutGrad.get(k - 2 * m)!;
      out[0] = 1;
      for (let j = 0; j < m; j++) out[j + 1] = g[j]!;
    }
    return out;
  }

  // θ_first = 1 and, per row j, whichever of p_j, q_j absorbs g_first,j: feasible and triangular.
  private initialBasis(first: number): void {
    const m = this.m;
    const g = this.cutGrad.get(first)!;
    this.basis[0] = 2 * m + first;
    for (let j = 0; j < m; j++) this.basis[j + 1] = g[j]! >= 0 ? j : m + j;
    this.refactor();
  }

  // Recomputes B⁻¹ and x_B = B⁻¹ e₀ by Gauss–Jordan with partial pivoting.
  private refactor(): void {
    const R = this.R;
    const B = new Float64Array(R * R);
    const col = new Float64Array(R);
    for (let r = 0; r < R; r++) {
      this.column(this.basis[r]!, col);
      for (let i = 0; i < R; i++) B[i * R + r] = col[i]!;
    }
    const inv = this.binv;
    inv.fill(0);
    for (let i = 0; i < R; i++) inv[i * R + i] = 1;
    for (let c = 0; c < R; c++) {
      let piv = c;
      for (let i = c + 1; i < R; i++) if (Math.abs(B[i * R + c]!) > Math.abs(B[piv * R + c]!)) piv = i;
      if (Math.abs(B[piv * R + c]!) < 1e-300) throw new Error('cutting-plane master: singular basis');
      if (piv !== c) {
        for (let k = 0; k < R; k++) {
          let t = B[c * R + k]!; B[c * R + k] = B[piv * R + k]!; B[piv * R + k] = t;
          t = inv[c * R + k]!; inv[c * R + k] = inv[piv * R + k]!; inv[piv * R + k] = t;
        }
      }
      const d = B[c * R + c]!;
      for (let k = 0; k < R; k++) { B[c * R + k]! /= d; inv[c * R + k]! /= d; }
      for (let i = 0; i < R; i++) {
        if (i === c) continue;
        const f = B[i * R + c]!;
        if (f === 0) continue;
        for (let k = 0; k < R; k++) { B[i * R + k]! -= f * B[c * R + k]!; inv[i * R + k]! -= f * inv[c * R + k]!; }
      }
    }
    for (let i = 0; i < R; i++) this.xB[i] = Math.max(0, inv[i * R]!);
    this.pivotsSinceRefactor = 0;
  }

  // Primal simplex (maximize) from the current basis; returns the simplex multipliers π.
  private simplex(tol: number): Float64Array {
    const { R, m, binv, xB, basis } = this;
    const pi = new Float64Array(R);
    const col = new Float64Array(R);
    const u = new Float64Array(R);
    const keys = [...this.cost.keys()];
    let degenerate = 0;
    for (let iter = 0; iter < 50_000; iter++) {
      pi.fill(0);
      for (let r = 0; r < R; r++) {
        const c = this.cost.get(basis[r]!)!;
        if (c === 0) continue;
        for (let i = 0; i < R; i++) pi[i]! += c * binv[r * R + i]!;
      }
      const isBasic = new Set(basis);
      // Entering column: largest reduced cost (Dantzig), or the first (Bland) while stalling.
      let enter = -1;
      let best = tol;
      for (const k of keys) {
        if (isBasic.has(k)) continue;
        this.column(k, col);
        let rc = this.cost.get(k)!;
        for (let i = 0; i < R; i++) rc -= pi[i]! * col[i]!;
        if (k >= 2 * m) this.cutAge.set(k - 2 * m, rc < -tol ? this.cutAge.get(k - 2 * m)! + 1 : 0);
        if (rc > best) {
          best = rc;
          enter = k;
          if (degenerate > 50) break;
        }
      }
      if (enter < 0) return pi;
      this.column(enter, col);
      for (let r = 0; r < R; r++) {
        let s = 0;
        for (let i = 0; i < R; i++) s += binv[r * R + i]! * col[i]!;
        u[r] = s;
      }
      // Pivots are taken only on entries that are large against the column: a pivot on rounding
      // noise (gradients run to 1e4 and more) wrecks B⁻¹. Among tied ratios, the largest pivot,
      // or the smallest key while stalling (Bland's rule, against cycling).
      let most = 0;
      for (let r = 0; r < R; r++) most = Math.max(most, Math.abs(u[r]!));
      const pivotTol = Math.max(1e-11, 1e-9 * most);
      let leave = -1;
      let ratio = Infinity;
      for (let r = 0; r < R; r++) {
        if (u[r]! <= pivotTol) continue;
        const q = xB[r]! / u[r]!;
        const tie = leave >= 0 && q <= ratio + 1e-15 && (degenerate > 50 ? basis[r]! < basis[leave]! : u[r]! > u[leave]!);
        if (q < ratio - 1e-15 || tie) { ratio = q; leave = r; }
      }
      if (leave < 0) throw new Error('cutting-plane master: unbounded (cannot happen with a finite box)');
      degenerate = ratio <= 1e-15 ? degenerate + 1 : 0;
      // Pivot: B⁻¹ and x_B.
      const ul = u[leave]!;
      for (let i = 0; i < R; i++) binv[leave * R + i]! /= ul;
      xB[leave]! /= ul;
      for (let r = 0; r < R; r++) {
        if (r === leave || u[r] === 0) continue;
        const f = u[r]!;
        for (let i = 0; i < R; i++) binv[r * R + i]! -= f * binv[leave * R + i]!;
        xB[r] = Math.max(0, xB[r]! - f * xB[leave]!);
      }
      basis[leave] = enter;
      if (++this.pivotsSinceRefactor >= 64) this.refactor();
    }
    throw new Error('cutting-plane master: simplex iteration limit');
  }
}
