// The testing kit (retention-optimizer/testing): its arbitraries and checkPlan, as a user's property
// test would use them (issue 12).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RetentionModel } from '../src/index.js';
import { checkPlan, modelArbitrary } from '../src/testing/index.js';
import { bruteForceOptimum } from './helpers/independent-check.js';

describe('testing kit', () => {
  it('known-feasible models always have a plan, and every plan passes checkPlan', async () => {
    await fc.assert(
      fc.asyncProperty(modelArbitrary({ maxCustomers: 6, maxActions: 3, knownFeasible: true }), async (doc) => {
        expect(bruteForceOptimum(doc)).not.toBeNull();
        const model = RetentionModel.fromJSON(doc);
        for (const solver of ['highs', 'decomposition'] as const) {
          const plan = await model.solve({ solver, gapTolerance: 1e-6 });
          expect(plan.hasAssignment).toBe(true);
          const check = checkPlan(model, plan);
          expect(check.violations).toEqual([]);
          expect(check.objective).toBeCloseTo(plan.objective, 6);
        }
      }),
      { numRuns: 60, seed: 5 },
    );
  });
  it('checkPlan finds what an edited plan breaks', async () => {
    const doc = fc.sample(
      modelArbitrary({ maxCustomers: 20, knownFeasible: true }).filter((d) =>
        (d.constraints ?? []).some((c) => c.type === 'budget' || c.type === 'capacity'),
      ),
      { numRuns: 1, seed: 9 },
    )[0]!;
    const model = RetentionModel.fromJSON(doc);
    const plan = (await model.solve({ solver: 'highs' })).toJSON();
    // Everyone gets the costliest action: a budget or a capacity breaks, and the stated objective no longer recomputes.
    const k = doc.actions.reduce((b, a, j) => (a.cost > doc.actions[b]!.cost ? j : b), 0);
    const edited = {
      ...plan,
      assignments: doc.customers.id.map((customer) => ({
        customer,
        action: doc.actions[k]!.id,
        expectedValue: 0,
        holdout: false,
      })),
    };
    const check = checkPlan(doc, edited);
    expect(check.ok).toBe(false);
    expect(
      check.violations.some((v) =>
        /objective|budget|cap|not eligible|excluded|sat|fair|coverage|high-risk|premium/.test(v),
      ),
    ).toBe(true);
  });
});
