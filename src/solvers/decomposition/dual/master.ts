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
 *
 * Everything lives in flat typed arrays: column k < m is p_k, m ≤ k < 2m is
 * q_(k−m), and 2m + t is the cut in slot t. A pass of the dual costs
 * microseconds, so the master is the dual phase's main cost.
 */
export class CuttingPlaneMaster {
  private readonly m: number;
  private readonly R: number;
  /** Cut slots: point, value and subgradient of the evaluation behind each cut. */
  private readonly slots: number;
  private readonly cutPoint: Float64Array;
  private readonly cutValue: Float64Array;
  private readonly cutGrad: Float64Array;
  /** Solves in a row in which the cut priced out (would worsen the model): long-idle cuts go first. */
  private readonly cutAge: Int32Array;
  /** Order of creation, to break ties between equally idle cuts. */
  private readonly cutSeq: Float64Array;
  private readonly used: Uint8Array;
  private count = 0;
  private nextSeq = 0;
  private readonly basis: Int32Array;
  private readonly isBasic: Uint8Array;
  private readonly binv: Float64Array;
  private readonly xB: Float64Array;
  private readonly cost: Float64Array;
  private pivotsSinceRefactor = 0;
  // Scratch.
  private readonly pi: Float64Array;
  private readonly col: Float64Array;
  private readonly u: Float64Array;
  private readonly B: Float64Array;

  constructor(
    m: number,
    private readonly maxCuts: number,
  ) {
    this.m = m;
    const R = (this.R = m + 1);
    // The dual adds one cut and then prunes, so maxCuts + 2 slots always leave one free.
    const S = (this.slots = maxCuts + 2);
    this.cutPoint = new Float64Array(S * m);
    this.cutValue = new Float64Array(S);
    this.cutGrad = new Float64Array(S * m);
    this.cutAge = new Int32Array(S);
    this.cutSeq = new Float64Array(S);
    this.used = new Uint8Array(S);
    this.basis = new Int32Array(R).fill(-1);
    this.isBasic = new Uint8Array(2 * m + S);
    this.binv = new Float64Array(R * R);
    this.xB = new Float64Array(R);
    this.cost = new Float64Array(2 * m + S);
    this.pi = new Float64Array(R);
    this.col = new Float64Array(R);
    this.u = new Float64Array(R);
    this.B = new Float64Array(R * R);
  }

  /** Adds the cut of an evaluated point (μ_t, L_t, g_t); returns its id. */
  addCut(mu: Float64Array, L: number, grad: Float64Array): number {
    const t = this.used.indexOf(0);
    if (t < 0) throw new Error('cutting-plane master: no free slot (prune after every cut)');
    const m = this.m;
    this.cutPoint.set(mu, t * m);
    this.cutGrad.set(grad, t * m);
    this.cutValue[t] = L;
    this.cutAge[t] = 0;
    this.cutSeq[t] = this.nextSeq++;
    this.used[t] = 1;
    this.count++;
    if (this.basis[0] === -1) this.initialBasis(t);
    return t;
  }

  /** Minimizes the model over the box [max(0, c − Δ), c + Δ]; returns the minimizer and the model value. */
  solve(center: Float64Array, Lc: number, delta: number): { mu: Float64Array; value: number } {
    const { m, cost } = this;
    const lo = new Float64Array(m);
    for (let j = 0; j < m; j++) lo[j] = Math.max(-delta, -center[j]!);
    let scale = 1;
    for (let t = 0; t < this.slots; t++) {
      if (!this.used[t]) continue;
      let a = this.cutValue[t]! - Lc;
      const base = t * m;
      for (let j = 0; j < m; j++) a += this.cutGrad[base + j]! * (center[j]! - this.cutPoint[base + j]!);
      cost[2 * m + t] = a;
      scale = Math.max(scale, Math.abs(a));
    }
    for (let j = 0; j < m; j++) {
      cost[j] = lo[j]!;
      cost[m + j] = -delta;
    }
    const tol = 1e-13 * Math.max(1, Math.abs(Lc), scale);
    let step = this.stepOf(this.simplex(tol), center, lo, delta);
    // At the true minimum the model is at most its value at the centre (0); above it, pivot errors
    // have piled up in B⁻¹: solve again from a fresh factorization, then from the triangular basis of one cut.
    const wrong = () => step.value > 1e-9 * Math.max(1, Math.abs(Lc));
    if (wrong()) {
      this.refactor();
      step = this.stepOf(this.simplex(tol), center, lo, delta);
    }
    if (wrong()) {
      this.initialBasis(this.used.indexOf(1));
      step = this.stepOf(this.simplex(tol), center, lo, delta);
    }
    return { mu: step.mu, value: Lc + step.value };
  }

  /** True while the cut with this id is held (not pruned). */
  holds(t: number): boolean {
    return this.used[t] === 1;
  }

  /** Drops the longest-idle cuts (never a basic one, never `keep`) once there are more than `maxCuts`. */
  prune(keep: number): number {
    if (this.count <= this.maxCuts) return keep;
    const m2 = 2 * this.m;
    const idle: number[] = [];
    for (let t = 0; t < this.slots; t++) if (this.used[t] && t !== keep && !this.isBasic[m2 + t]) idle.push(t);
    idle.sort((a, b) => this.cutAge[b]! - this.cutAge[a]! || this.cutSeq[a]! - this.cutSeq[b]!);
    for (const t of idle.slice(0, this.count - this.maxCuts)) {
      this.used[t] = 0;
      this.count--;
    }
    return keep;
  }

  // The multipliers of a step read off the simplex multipliers, and the model's value there relative
  // to the centre (recomputed: exact for the clamped step).
  private stepOf(
    pi: Float64Array,
    center: Float64Array,
    lo: Float64Array,
    delta: number,
  ): { mu: Float64Array; value: number } {
    const m = this.m;
    const mu = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const d = Math.min(delta, Math.max(lo[j]!, -pi[j + 1]!));
      mu[j] = Math.max(0, center[j]! + d);
    }
    let value = -Infinity;
    for (let t = 0; t < this.slots; t++) {
      if (!this.used[t]) continue;
      let v = this.cost[2 * m + t]!;
      const base = t * m;
      for (let j = 0; j < m; j++) v += this.cutGrad[base + j]! * (mu[j]! - center[j]!);
      if (v > value) value = v;
    }
    return { mu, value };
  }

  // Column k into `out` (length R).
  private column(k: number, out: Float64Array): Float64Array {
    const m = this.m;
    out.fill(0);
    if (k < m) out[k + 1] = -1;
    else if (k < 2 * m) out[k - m + 1] = 1;
    else {
      const base = (k - 2 * m) * m;
      out[0] = 1;
      for (let j = 0; j < m; j++) out[j + 1] = this.cutGrad[base + j]!;
    }
    return out;
  }

  // θ_first = 1 and, per row j, whichever of p_j, q_j absorbs g_first,j: feasible and triangular.
  private initialBasis(first: number): void {
    const m = this.m;
    this.isBasic.fill(0);
    this.basis[0] = 2 * m + first;
    for (let j = 0; j < m; j++) this.basis[j + 1] = this.cutGrad[first * m + j]! >= 0 ? j : m + j;
    for (const k of this.basis) this.isBasic[k] = 1;
    this.refactor();
  }

  // Recomputes B⁻¹ and x_B = B⁻¹ e₀ by Gauss–Jordan with partial pivoting.
  private refactor(): void {
    const { R, B, col } = this;
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
          let t = B[c * R + k]!;
          B[c * R + k] = B[piv * R + k]!;
          B[piv * R + k] = t;
          t = inv[c * R + k]!;
          inv[c * R + k] = inv[piv * R + k]!;
          inv[piv * R + k] = t;
        }
      }
      const d = B[c * R + c]!;
      for (let k = 0; k < R; k++) {
        B[c * R + k]! /= d;
        inv[c * R + k]! /= d;
      }
      for (let i = 0; i < R; i++) {
        if (i === c) continue;
        const f = B[i * R + c]!;
        if (f === 0) continue;
        for (let k = 0; k < R; k++) {
          B[i * R + k]! -= f * B[c * R + k]!;
          inv[i * R + k]! -= f * inv[c * R + k]!;
        }
      }
    }
    for (let i = 0; i < R; i++) this.xB[i] = Math.max(0, inv[i * R]!);
    this.pivotsSinceRefactor = 0;
  }

  // Reduced cost of non-basic column k at multipliers π (columns are ±unit vectors or (1, g_t)).
  private reducedCost(k: number, pi: Float64Array): number {
    const m = this.m;
    if (k < m) return this.cost[k]! + pi[k + 1]!;
    if (k < 2 * m) return this.cost[k]! - pi[k - m + 1]!;
    const base = (k - 2 * m) * m;
    let rc = this.cost[k]! - pi[0]!;
    for (let j = 0; j < m; j++) rc -= pi[j + 1]! * this.cutGrad[base + j]!;
    return rc;
  }

  // Primal simplex (maximize) from the current basis; returns the simplex multipliers π.
  private simplex(tol: number): Float64Array {
    const { R, m, binv, xB, basis, isBasic, pi, col, u, cost } = this;
    const columns = 2 * m + this.slots;
    let degenerate = 0;
    for (let iter = 0; iter < 50_000; iter++) {
      pi.fill(0);
      for (let r = 0; r < R; r++) {
        const c = cost[basis[r]!]!;
        if (c === 0) continue;
        for (let i = 0; i < R; i++) pi[i]! += c * binv[r * R + i]!;
      }
      // Entering column: largest reduced cost (Dantzig), or the first (Bland) while stalling.
      let enter = -1;
      let best = tol;
      for (let k = 0; k < columns; k++) {
        if (isBasic[k]) continue;
        const t = k - 2 * m;
        if (t >= 0 && !this.used[t]) continue;
        const rc = this.reducedCost(k, pi);
        if (t >= 0) this.cutAge[t] = rc < -tol ? this.cutAge[t]! + 1 : 0;
        if (rc > best) {
          best = rc;
          enter = k;
          if (degenerate > 50) break;
        }
      }
      if (enter < 0) return pi;
      this.column(enter, col);
      let most = 0;
      for (let r = 0; r < R; r++) {
        let s = 0;
        for (let i = 0; i < R; i++) s += binv[r * R + i]! * col[i]!;
        u[r] = s;
        most = Math.max(most, Math.abs(s));
      }
      // Pivots are taken only on entries that are large against the column: a pivot on rounding
      // noise (gradients run to 1e4 and more) wrecks B⁻¹. Among tied ratios, the largest pivot,
      // or the smallest column while stalling (Bland's rule, against cycling).
      const pivotTol = Math.max(1e-11, 1e-9 * most);
      let leave = -1;
      let ratio = Infinity;
      for (let r = 0; r < R; r++) {
        if (u[r]! <= pivotTol) continue;
        const q = xB[r]! / u[r]!;
        const tie =
          leave >= 0 && q <= ratio + 1e-15 && (degenerate > 50 ? basis[r]! < basis[leave]! : u[r]! > u[leave]!);
        if (q < ratio - 1e-15 || tie) {
          ratio = q;
          leave = r;
        }
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
      isBasic[basis[leave]!] = 0;
      isBasic[enter] = 1;
      basis[leave] = enter;
      if (++this.pivotsSinceRefactor >= 64) this.refactor();
    }
    throw new Error('cutting-plane master: simplex iteration limit');
  }
}
