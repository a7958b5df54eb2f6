import { describe, expect, it } from 'vitest';
import { RetentionModel, coverage, defaultCatalog, fairness, sampleCustomers } from '../src/index.js';

const model = (n: number) =>
  RetentionModel.create()
    .actions(defaultCatalog())
    .customers(sampleCustomers({ customers: n, seed: 4 }), { segment: 'subscription_type' })
    .budget(n * 0.8)
    .capacity('call', Math.ceil(n * 0.02))
    .capacity('email', Math.ceil(n * 0.3))
    .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.5 }))
    .use(fairness({ by: 'segment', min: 0.1 }));

describe('auto', () => {
  it('uses the exact MILP for tiny models and decomposition beyond, and says which', async () => {
    const tiny = await model(100).solve();
    expect(tiny.solver.pickedBy).toBe('auto');
    expect(tiny.solver.name).toBe('highs');
    const big = await model(20_000).solve();
    expect(big.solver.pickedBy).toBe('auto');
    expect(big.solver.name).toBe('decomposition');
    expect(big.status).toBe('optimal');
  });
});

describe('progress, abort, time limit, warm start (decomposition)', () => {
  const m = model(200_000);
  it('reports progress with a non-increasing bound', async () => {
    const seen: number[] = [];
    const plan = await m.solve({ solver: 'decomposition', onProgress: (p) => seen.push(p.bound) });
    expect(seen.length).toBeGreaterThan(3);
    for (let t = 1; t < seen.length; t++)
      expect(seen[t]!).toBeLessThanOrEqual(seen[t - 1]! + 1e-9 * Math.abs(seen[0]!));
    expect(plan.bound).toBeLessThanOrEqual(seen[0]!);
  });
  it('an abort mid-solve returns time_limit with either no plan or a verified one', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const plan = await m.solve({ solver: 'decomposition', signal: ac.signal, gapTolerance: 1e-12 });
    expect(plan.status).toBe('time_limit');
    if (plan.hasAssignment) for (const r of plan.rows) expect(r.slack).toBeGreaterThanOrEqual(0);
  });
  it('a timeLimit is honoured the same way', async () => {
    const plan = await m.solve({ solver: 'decomposition', timeLimit: 0.02, gapTolerance: 1e-12 });
    expect(plan.status).toBe('time_limit');
  });
  it('a time limit that falls in any phase ends the solve within about half a second', async () => {
    m.problem();
    for (const limit of [0.01, 0.05, 0.15, 0.3]) {
      const started = performance.now();
      const plan = await m.solve({ solver: 'decomposition', timeLimit: limit, gapTolerance: 1e-12 });
      expect((performance.now() - started) / 1000).toBeLessThan(limit + 0.6);
      // A solve that ends before the limit is feasible (the gap asked, 1e-12, is out of reach).
      expect(['time_limit', 'feasible']).toContain(plan.status);
      if (plan.hasAssignment) for (const r of plan.rows) expect(r.slack).toBeGreaterThanOrEqual(0);
    }
  });
  it("a warm start from last week's plan needs fewer passes", async () => {
    const cold = await m.solve({ solver: 'decomposition', gapTolerance: 1e-6 });
    const nextWeek = m.without('budget').budget(200_000 * 0.85);
    const warm = await nextWeek.solve({ solver: 'decomposition', gapTolerance: 1e-6, warmStart: cold });
    const fresh = await nextWeek.solve({ solver: 'decomposition', gapTolerance: 1e-6 });
    expect(warm.status).toBe('optimal');
    expect(Math.abs(warm.objective - fresh.objective)).toBeLessThanOrEqual(2e-6 * fresh.objective);
    expect(warm.solver.iterations!).toBeLessThanOrEqual(fresh.solver.iterations!);
  });
});
