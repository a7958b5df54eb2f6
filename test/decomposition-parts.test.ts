// The decomposition's parts on their own (issue 14): the bundle master's LP against HiGHS on tiny
// problems, and the bounded heap the repair keeps its move lists in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heapPush, heapSort } from '../src/solvers/decomposition/primal/bounded-heap.js';
import { roundMoves } from '../src/solvers/decomposition/primal/settle.js';
import { CuttingPlaneMaster } from '../src/solvers/decomposition/dual/master.js';
import { runHighs } from '../src/solvers/worker/highs-job.js';

describe("bounded heap (the repair's move lists)", () => {
  it('keeps the cap smallest losses of everything pushed, sorted ascending, each with its own id', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 7 }),
        (losses, cap, base) => {
          const L = new Float64Array(base + cap).fill(NaN);
          const W = new Int32Array(base + cap).fill(-9);
          let size = 0;
          losses.forEach((loss, i) => {
            size = heapPush(L, W, base, size, cap, loss, i);
          });
          heapSort(L, W, base, size);
          const kept = Array.from(L.subarray(base, base + size));
          expect(kept).toEqual([...losses].sort((a, b) => a - b).slice(0, cap));
          for (let e = 0; e < size; e++) expect(losses[W[base + e]!]).toBe(L[base + e]);
          expect(new Set(Array.from(W.subarray(base, base + size))).size).toBe(size);
          // The slice is the heap's only memory: nothing before it was touched.
          for (let e = 0; e < base; e++) expect(W[e]).toBe(-9);
        },
      ),
      { numRuns: 300, seed: 14 },
    );
  });
});

// minimize r  s.t.  r ≥ a_t + g_t·d (every cut),  lo ≤ d ≤ hi: the master's problem, written for HiGHS.
async function exactModelMinimum(
  cuts: { mu: number[]; L: number; g: number[] }[],
  center: number[],
  Lc: number,
  delta: number,
) {
  const m = center.length;
  const T = cuts.length;
  const starts = new Int32Array(m + 2);
  const indices: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < m; j++) {
    cuts.forEach((c, t) => {
      if (c.g[j] !== 0) {
        indices.push(t);
        values.push(-c.g[j]!);
      }
    });
    starts[j + 1] = indices.length;
  }
  cuts.forEach((_, t) => {
    indices.push(t);
    values.push(1);
  });
  starts[m + 1] = indices.length;
  const a = cuts.map((c) => c.L - Lc + c.g.reduce((s, gj, j) => s + gj * (center[j]! - c.mu[j]!), 0));
  const outcome = await runHighs(
    {
      model: {
        numCols: m + 1,
        numRows: T,
        maximize: false,
        integerColumns: 0,
        colCost: Float64Array.from({ length: m + 1 }, (_, j) => (j === m ? 1 : 0)),
        colLower: Float64Array.from({ length: m + 1 }, (_, j) => (j === m ? -Infinity : Math.max(-delta, -center[j]!))),
        colUpper: Float64Array.from({ length: m + 1 }, (_, j) => (j === m ? Infinity : delta)),
        rowLower: Float64Array.from(a),
        rowUpper: new Float64Array(T).fill(Infinity),
        starts,
        indices: Int32Array.from(indices),
        values: Float64Array.from(values),
      },
      options: { output_flag: false },
    },
    { timeLimit: 30 },
  );
  expect(outcome.status).toBe('optimal');
  return Lc + outcome.colValue![m]!;
}

describe("cutting-plane master (the bundle method's LP)", () => {
  it('finds the minimum of the cutting-plane model over the box, as HiGHS does, warm-started cut after cut', async () => {
    const value = fc.integer({ min: -20, max: 20 });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((m) =>
          fc.record({
            center: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: m, maxLength: m }),
            cuts: fc.array(
              fc.record({
                mu: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: m, maxLength: m }),
                L: value,
                g: fc.array(value, { minLength: m, maxLength: m }),
              }),
              { minLength: 1, maxLength: 6 },
            ),
            delta: fc.integer({ min: 1, max: 4 }),
          }),
        ),
        async ({ center, cuts, delta }) => {
          const m = center.length;
          const master = new CuttingPlaneMaster(m, 40);
          const Lc = cuts[0]!.L;
          for (let t = 1; t <= cuts.length; t++) {
            const c = cuts[t - 1]!;
            master.addCut(Float64Array.from(c.mu), c.L, Float64Array.from(c.g));
            const got = master.solve(Float64Array.from(center), Lc, delta);
            const want = await exactModelMinimum(cuts.slice(0, t), center, Lc, delta);
            expect(got.value).toBeCloseTo(want, 6);
            // The step is in the box, and the model there is the value reported.
            let model = -Infinity;
            for (const cut of cuts.slice(0, t))
              model = Math.max(model, cut.L + cut.g.reduce((s, gj, j) => s + gj * (got.mu[j]! - cut.mu[j]!), 0));
            for (let j = 0; j < m; j++) {
              expect(got.mu[j]!).toBeGreaterThanOrEqual(Math.max(0, center[j]! - delta) - 1e-9);
              expect(got.mu[j]!).toBeLessThanOrEqual(center[j]! + delta + 1e-9);
            }
            expect(model).toBeCloseTo(got.value, 6);
          }
        },
      ),
      { numRuns: 60, seed: 1414 },
    );
  });
});

describe('rounding of the tie-settling LP', () => {
  // Move type (g, k1, k2) as the structure numbers it (−1: no action).
  const typeOf = (K: number, g: number, k1: number, k2: number) => (g * (K + 1) + k1 + 1) * (K + 1) + k2 + 1;

  it('moves the floor of each amount (1e-7 of slack), cheapest first, types in order, nobody twice', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((K) =>
          fc.record({
            K: fc.constant(K),
            start: fc.array(fc.integer({ min: -1, max: K - 1 }), { minLength: 1, maxLength: 30 }),
            moves: fc.array(
              fc.record({
                g: fc.integer({ min: 0, max: 2 }),
                k2: fc.integer({ min: -1, max: K - 1 }),
                amount: fc.oneof(
                  fc.double({ min: 0, max: 12, noNaN: true }),
                  fc.integer({ min: 0, max: 12 }).map((a) => a - 1e-9),
                ),
                picks: fc.array(fc.nat(), { maxLength: 15 }),
              }),
              { maxLength: 6 },
            ),
          }),
        ),
        ({ K, start, moves }) => {
          const n = start.length;
          const s0 = Int32Array.from(start);
          const amounts = new Map<number, number>();
          const cheapest = new Map<number, Int32Array>();
          moves.forEach((mv, j) => {
            const t = typeOf(K, mv.g, (j % (K + 1)) - 1, mv.k2) + j * (K + 1) * (K + 1) * 3;
            amounts.set(t, mv.amount);
            cheapest.set(t, Int32Array.from(new Set(mv.picks.map((p) => p % n))));
          });
          const x = roundMoves(s0, K, amounts, cheapest);
          expect(Array.from(s0)).toEqual(start);
          // The rule, restated: each type in ascending order takes the first ⌊amount⌋ of its list not taken before.
          const taken = new Set<number>();
          const want = Int32Array.from(start);
          for (const t of [...amounts.keys()].sort((a, b) => a - b)) {
            let left = Math.floor(amounts.get(t)! + 1e-7);
            const k2 = (t % (K + 1)) - 1;
            for (const i of cheapest.get(t)!) {
              if (left <= 0) break;
              if (taken.has(i)) continue;
              taken.add(i);
              want[i] = k2;
              left--;
            }
          }
          expect(Array.from(x)).toEqual(Array.from(want));
        },
      ),
      { numRuns: 400, seed: 1415 },
    );
  });

  it('float noise in the LP does not lose or add a unit', () => {
    const K = 2;
    const t = typeOf(K, 0, -1, 1);
    const start = new Int32Array(5).fill(-1);
    const list = new Map([[t, Int32Array.of(4, 3, 2, 1, 0)]]);
    expect(Array.from(roundMoves(start, K, new Map([[t, 2.9999999999]]), list))).toEqual([-1, -1, 1, 1, 1]);
    expect(Array.from(roundMoves(start, K, new Map([[t, 2.99]]), list))).toEqual([-1, -1, -1, 1, 1]);
    expect(Array.from(roundMoves(start, K, new Map([[t, 9]]), list))).toEqual([1, 1, 1, 1, 1]);
  });
});
