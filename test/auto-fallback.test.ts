// auto falls back between backends and says what it did (issue 11): a decomposition that throws or
// fails on a model small enough for the exact MILP is handed to highs. The decomposition is replaced
// here by one that fails, as it must never do on a solvable model.
import { describe, expect, it, vi } from 'vitest';

vi.mock('../src/solvers/decomposition-backend.js', () => ({
  decompositionBackend: () => ({
    name: 'decomposition',
    solve: async () => {
      throw new Error('simulated failure');
    },
  }),
}));

const { RetentionModel, coverage, defaultCatalog, sampleCustomers } = await import('../src/index.js');

describe('auto fallback', () => {
  it('a failing decomposition on a mid-size model is solved by highs, and plan.solver says so', async () => {
    const n = 600; // 4,200 pairs: beyond auto's direct-MILP size, within its fallback size
    const plan = await RetentionModel.create()
      .actions(defaultCatalog())
      .customers(sampleCustomers({ customers: n, seed: 2 }), { segment: 'subscription_type' })
      .budget(n * 0.5)
      .capacity('call', 10)
      .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.3 }))
      .solve({ gapTolerance: 1e-6, timeLimit: 60 });
    expect(plan.status).toBe('optimal');
    expect(plan.solver.pickedBy).toBe('auto');
    expect(plan.solver.name).toBe('highs');
    expect(plan.solver.message).toMatch(/decomposition failed \(simulated failure\); solved by highs/);
    for (const r of plan.rows) expect(r.slack).toBeGreaterThanOrEqual(0);
  });
});
