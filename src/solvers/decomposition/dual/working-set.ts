import { CuttingPlaneMaster } from './master.js';

/**
 * The cutting-plane master over a working set of rows, for problems with many
 * coupling rows (fairness by a postcode-like column: thousands of rows).
 *
 * The dense master costs O(m²) per pivot and O(m³) per refactorization: at
 * 800 rows it was most of a 9 s solve, at 4,000 it did not finish. But most
 * such rows are floors the best response meets anyway: their multiplier stays
 * 0 and they need not be in the master at all. So the master works over the
 * rows W that some evaluated best response has violated (or that start with a
 * multiplier > 0); every other multiplier is held at 0. A cut projected onto W
 * stays valid there, because every point evaluated so far is 0 off W. When a
 * new evaluation violates a row outside W, the row joins W and the master is
 * rebuilt from the live cuts. At the end every row outside W is met by the
 * centre's best response (else it would have joined), which is the optimality
 * condition of a zero multiplier: the bound is the full dual's.
 *
 * Same interface as {@link CuttingPlaneMaster}, in full-space multipliers.
 */
export class WorkingSetMaster {
  private readonly inW: Uint8Array;
  private W: number[] = [];
  private inner: CuttingPlaneMaster | undefined;
  /** Live cuts by their outer id: full-space point, value and subgradient, and the inner id. */
  private readonly cuts = new Map<number, { mu: Float64Array; L: number; grad: Float64Array; inner: number }>();
  private nextId = 0;

  constructor(
    private readonly m: number,
    initial?: Float64Array,
  ) {
    this.inW = new Uint8Array(m);
    if (initial) for (let j = 0; j < m; j++) if (initial[j]! > 0) this.join(j);
  }

  /** Rows in the working set. */
  get rows(): number {
    return this.W.length;
  }

  addCut(mu: Float64Array, L: number, grad: Float64Array): number {
    let grew = false;
    for (let j = 0; j < this.m; j++)
      if (!this.inW[j] && grad[j]! < 0) {
        this.join(j);
        grew = true;
      }
    if (grew || !this.inner) this.rebuild();
    const id = this.nextId++;
    const cut = { mu: mu.slice(), L, grad: grad.slice(), inner: -1 };
    cut.inner = this.inner!.addCut(this.project(cut.mu), L, this.project(cut.grad));
    this.cuts.set(id, cut);
    return id;
  }

  solve(center: Float64Array, Lc: number, delta: number): { mu: Float64Array; value: number } {
    const { mu, value } = this.inner!.solve(this.project(center), Lc, delta);
    const full = new Float64Array(this.m);
    this.W.forEach((j, r) => {
      full[j] = mu[r]!;
    });
    return { mu: full, value };
  }

  prune(keep: number): number {
    const inner = this.inner!;
    inner.prune(this.cuts.get(keep)!.inner);
    for (const [id, cut] of this.cuts) if (!inner.holds(cut.inner)) this.cuts.delete(id);
    return keep;
  }

  private join(j: number): void {
    this.inW[j] = 1;
    this.W.push(j);
  }

  private project(v: Float64Array): Float64Array {
    return Float64Array.from(this.W, (j) => v[j]!);
  }

  // A master over the grown W, holding every live cut again (their order kept).
  private rebuild(): void {
    const size = Math.max(1, this.W.length);
    const inner = new CuttingPlaneMaster(size, Math.max(40, 4 * size + 20, this.cuts.size + 2));
    for (const cut of this.cuts.values()) cut.inner = inner.addCut(this.project(cut.mu), cut.L, this.project(cut.grad));
    this.inner = inner;
  }
}
