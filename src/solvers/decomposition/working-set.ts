import { CuttingPlaneMaster } from './master.js';

/**
 * The cutting-plane master over the rows that matter only. A row enters the
 * working set the first time an evaluation violates it (its subgradient entry
 * is negative) or a point gives it a positive multiplier; until then its
 * multiplier stays 0. Rows that never bind (most saturation caps, fairness
 * floors met anyway) then cost the master nothing: with 23 rows of which 8
 * matter, a pivot works on 9 × 9 instead of 24 × 24 numbers.
 *
 * It stays exact: every cut's entries outside the set are ≥ 0 (else the row
 * would have entered), so a point optimal over the set, with the others at 0,
 * is optimal over all rows. When a row enters, the master is rebuilt from the
 * cuts held, with their full subgradients.
 */
export class WorkingSetMaster {
  private readonly inSet: Uint8Array;
  private rows: number[] = [];
  private inner: CuttingPlaneMaster | null = null;
  // Cuts held, by id: full point, value and subgradient, and their id in the inner master.
  private readonly cuts = new Map<number, { mu: Float64Array; L: number; grad: Float64Array; inner: number }>();
  private nextId = 0;

  constructor(private readonly m: number) {
    this.inSet = new Uint8Array(m);
  }

  /** Adds the cut of an evaluated point (full vectors); returns its id. */
  addCut(mu: Float64Array, L: number, grad: Float64Array): number {
    let grew = false;
    for (let j = 0; j < this.m; j++) {
      if (!this.inSet[j] && (grad[j]! < 0 || mu[j]! > 0)) {
        this.inSet[j] = 1;
        grew = true;
      }
    }
    const id = this.nextId++;
    const cut = { mu: mu.slice(), L, grad: grad.slice(), inner: -1 };
    this.cuts.set(id, cut);
    if (grew) this.rebuild();
    else if (this.inner) cut.inner = this.inner.addCut(this.project(mu), L, this.project(grad));
    return id;
  }

  /** Minimizes the model over the box [max(0, c − Δ), c + Δ]; returns the minimizer (full) and the model value. */
  solve(center: Float64Array, Lc: number, delta: number): { mu: Float64Array; value: number } {
    // No row ever violated: every multiplier stays 0 and the model cannot go below the centre.
    if (!this.inner) return { mu: center.slice(), value: Lc };
    const step = this.inner.solve(this.project(center), Lc, delta);
    const mu = new Float64Array(this.m);
    this.rows.forEach((j, r) => { mu[j] = step.mu[r]!; });
    return { mu, value: step.value };
  }

  /** Drops the longest-idle cuts once there are too many (never `keep`, the centre's). */
  prune(keep: number): number {
    if (!this.inner) return keep;
    this.inner.prune(this.cuts.get(keep)!.inner);
    for (const [id, cut] of this.cuts) if (!this.inner.holds(cut.inner)) this.cuts.delete(id);
    return keep;
  }

  dispose(): void {
    this.inner?.dispose();
  }

  private project(full: Float64Array): Float64Array {
    return Float64Array.from(this.rows, (j) => full[j]!);
  }

  private rebuild(): void {
    this.rows = [];
    for (let j = 0; j < this.m; j++) if (this.inSet[j]) this.rows.push(j);
    this.inner?.dispose();
    const size = this.rows.length;
    this.inner = new CuttingPlaneMaster(size, Math.max(40, 4 * size + 20));
    // Oldest first, as they came; the inner master keeps at most its own limit (plus the newest).
    for (const cut of this.cuts.values()) cut.inner = this.inner.addCut(this.project(cut.mu), cut.L, this.project(cut.grad));
  }
}
