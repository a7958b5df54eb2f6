// A model with a known feasible plan never throws and always gets a verified plan (issue 11, item 1).
// `npx tsx bench/known-feasible.ts` runs the same property a few hundred times at 2,000–20,000 customers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildKnownFeasible, knownFeasible, type KnownFeasible } from './helpers/known-feasible.js';

async function check(k: KnownFeasible, solver: 'decomposition' | 'auto' | 'duckdb') {
  const plan = await buildKnownFeasible(k).solve({ solver, gapTolerance: 1e-4 });
  expect(['optimal', 'feasible']).toContain(plan.status);
  expect(plan.hasAssignment).toBe(true);
  for (const r of plan.rows) expect(r.slack).toBeGreaterThanOrEqual(0);
  expect(plan.bound).toBeGreaterThanOrEqual(plan.objective);
}

describe('models with a known feasible plan', () => {
  // The failures the issue reported: the repair found no plan at n = 10,344, seed 448, budget 1,008.
  it("the issue's model (10,344 customers, seed 448) gets a verified plan", async () => {
    const { RetentionModel, coverage, defaultCatalog, fairness, sampleCustomers, saturation } =
      await import('../src/index.js');
    const n = 10_344;
    const plan = await RetentionModel.create()
      .actions(defaultCatalog())
      .customers(sampleCustomers({ customers: n, seed: 448 }), { segment: 'subscription_type' })
      .budget(1_008)
      .capacity('email', Math.round(n * 0.3))
      .capacity('call', Math.round(n * 0.01))
      .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 }))
      .use(saturation({ max: 0.5 }))
      .use(fairness({ by: 'segment', min: 0.15 }))
      .solve({ solver: 'decomposition', gapTolerance: 1e-4 });
    expect(['optimal', 'feasible']).toContain(plan.status);
    for (const r of plan.rows) expect(r.slack).toBeGreaterThanOrEqual(0);
  });
  for (const solver of ['decomposition', 'auto', 'duckdb'] as const) {
    it(`${solver}: never throws, always a verified plan (2,000–5,000 customers)`, async () => {
      await fc.assert(
        fc.asyncProperty(knownFeasible(2_000, 5_000), (k) => check(k, solver)),
        { numRuns: solver === 'decomposition' ? 8 : 4, seed: 20261202 },
      );
    });
  }
});
