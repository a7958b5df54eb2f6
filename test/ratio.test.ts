import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ratio, RetentionModel, type ActionSpec } from '../src/index.js';
import { checkPlan, modelArbitrary } from '../src/testing/index.js';
import { expectBruteForceOptimum, expectDecompositionWithinGap } from './helpers/agreement.js';

const catalog: ActionSpec[] = [
  { id: 'email', channel: 'email', cost: 1, uplift: 0.05 },
  { id: 'call', channel: 'call', cost: 20, uplift: 0.4 },
];
const n = 23;
const customers = {
  id: Array.from({ length: n }, (_, i) => `c${i}`),
  churnProbability: Array.from({ length: n }, (_, i) => 0.3 + (i % 7) / 10),
  value: Array.from({ length: n }, (_, i) => 200 + 10 * i),
  segment: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'Premium' : 'Free')),
};
const base = RetentionModel.create().actions(catalog).customers(customers);
const count = (plan: { treated(): Iterable<{ action: { id: string } }> }, id?: string) =>
  [...plan.treated()].filter((t) => id === undefined || t.action.id === id).length;

describe('ratio constraints', () => {
  it('calls at most 20% of the treated hold exactly, on every backend', async () => {
    const model = base.use(ratio({ part: { channels: ['call'] }, max: 0.2 }));
    for (const solver of ['highs', 'lp-solver', 'decomposition'] as const) {
      const plan = await model.solve({ solver });
      // The decomposition finds the same plan; its bound is the LP's (4.6 calls), a gap of 7% at 23 customers.
      expect(plan.status).toBe(solver === 'decomposition' ? 'feasible' : 'optimal');
      const calls = count(plan, 'call');
      expect(calls).toBeLessThanOrEqual(0.2 * count(plan));
      expect(calls).toBe(4); // 23 treated: 4 calls ≤ 4.6 (every customer is worth treating)
      expect(checkPlan(model, plan).violations).toEqual([]);
    }
    // The row is scaled to whole numbers: 5·calls − treated ≤ 0.
    const row = model.problem().rows[0]!;
    expect(Array.from(row.actionCoef)).toEqual([-1, 4]);
    expect(row.limitFrom).toBe('at most 0.2 of the whole: 5·part − 1·whole <= 0');
  });

  it('at least 30% of spend on Premium, with a budget', async () => {
    const model = base
      .budget(100)
      .use(ratio({ measure: 'spend', part: { where: { segment: { eq: 'Premium' } } }, min: 0.3 }));
    const plan = await model.solve({ solver: 'highs' });
    let premium = 0;
    let spend = 0;
    for (const t of plan.treated()) {
      spend += t.action.cost;
      if (customers.segment[t.index] === 'Premium') premium += t.action.cost;
    }
    expect(premium).toBeGreaterThanOrEqual(0.3 * spend - 1e-9);
    expect(checkPlan(model, plan).violations).toEqual([]);
    const free = await base.budget(100).solve({ solver: 'highs' });
    expect(plan.objective).toBeLessThanOrEqual(free.objective + 1e-9);
  });

  it('names bad options, and round-trips through the model file', () => {
    expect(() => ratio({ part: {}, min: 0.5, max: 0.2 })).toThrow(/ratio\.min: is above max/);
    expect(() => ratio({ part: { channels: [] }, max: 0.2 })).toThrow(/ratio\.part\.channels/);
    expect(() => ratio({ part: { chanels: ['call'] } as never, max: 0.2 })).toThrow(/did you mean "channels"/);
    expect(() => base.use(ratio({ part: { channels: ['fax'] }, max: 0.2 })).problem()).toThrow(
      /part\.channels\[0\]: unknown channel "fax"/,
    );
    const m = base.use(
      ratio({ part: { actions: ['call'] }, of: { where: { segment: { eq: 'Free' } } }, max: 0.5, name: 'calls' }),
    );
    const doc = JSON.parse(JSON.stringify(m.toJSON()));
    expect(doc.constraints).toEqual([
      {
        type: 'ratio',
        name: 'calls',
        part: { actions: ['call'] },
        of: { where: { segment: { eq: 'Free' } } },
        max: 0.5,
      },
    ]);
    expect(RetentionModel.fromJSON(doc).problem().rows[0]!.name).toBe('calls');
  });

  it('properties: highs reaches the brute-force optimum, no ratio is broken', async () => {
    await fc.assert(
      fc.asyncProperty(modelArbitrary({ maxCustomers: 6, maxActions: 3, ratios: true }), async (doc) => {
        await expectBruteForceOptimum(doc);
      }),
      { numRuns: 120, seed: 17 },
    );
  });

  it('properties: the decomposition never throws on a known-feasible model and agrees with highs within its gap', async () => {
    await fc.assert(
      fc.asyncProperty(
        modelArbitrary({ maxCustomers: 30, maxActions: 4, ratios: true, knownFeasible: true }),
        async (doc) => {
          await expectDecompositionWithinGap(doc);
        },
      ),
      { numRuns: 80, seed: 31 },
    );
  });
});
