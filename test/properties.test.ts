import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RetentionModel } from '../src/index.js';
import { modelArbitrary } from '../src/testing/index.js';
import { assignmentOf, bruteForceOptimum, objectiveOf, violations } from './helpers/independent-check.js';

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)) + 1e-9;

describe('properties over generated models (checked against an independent reading of the contract)', () => {
  it('highs: every plan is feasible, its objective recomputes, and it is within the gap of the true optimum', async () => {
    await fc.assert(
      fc.asyncProperty(modelArbitrary({ maxCustomers: 6, maxActions: 3 }), async (doc) => {
        const optimum = bruteForceOptimum(doc);
        const plan = await RetentionModel.fromJSON(doc).solve({ solver: 'highs', gapTolerance: 1e-9 });
        if (optimum === null) {
          expect(plan.status).toBe('infeasible');
          expect(plan.assignments.numRows()).toBe(0);
          return;
        }
        expect(plan.status).toBe('optimal');
        const json = plan.toJSON();
        const assign = assignmentOf(doc, json);
        expect(violations(doc, assign)).toEqual([]);
        expect(close(objectiveOf(doc, assign), plan.objective, 1e-9)).toBe(true);
        expect(plan.bound).toBeGreaterThanOrEqual(optimum - 1e-6);
        expect(plan.objective).toBeGreaterThanOrEqual(optimum - 1e-6 - plan.gap * Math.max(1, Math.abs(plan.bound)));
      }),
      { numRuns: 150, seed: 20261123 },
    );
  });

  it('lp-solver agrees with highs on tiny models', async () => {
    await fc.assert(
      fc.asyncProperty(modelArbitrary({ maxCustomers: 8, maxActions: 3 }), async (doc) => {
        const model = RetentionModel.fromJSON(doc);
        const a = await model.solve({ solver: 'highs', gapTolerance: 1e-9 });
        const b = await model.solve({ solver: 'lp-solver' });
        expect(b.status === 'infeasible').toBe(a.status === 'infeasible');
        if (a.status === 'infeasible') return;
        expect(violations(doc, assignmentOf(doc, b.toJSON()))).toEqual([]);
        expect(close(a.objective, b.objective, 1e-6)).toBe(true);
      }),
      { numRuns: 80, seed: 7 },
    );
  });

  it('fromJSON(toJSON(m)) solves to the same objective', async () => {
    await fc.assert(
      fc.asyncProperty(modelArbitrary({ maxCustomers: 12, maxActions: 4 }), async (doc) => {
        const model = RetentionModel.fromJSON(doc);
        const again = RetentionModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
        const a = await model.solve({ solver: 'highs', gapTolerance: 1e-9 });
        const b = await again.solve({ solver: 'highs', gapTolerance: 1e-9 });
        expect(b.status).toBe(a.status);
        if (a.status !== 'infeasible') expect(close(a.objective, b.objective, 1e-9)).toBe(true);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('infeasible plans name at least one conflict when a floor-cap pair explains it', async () => {
    await fc.assert(
      fc.asyncProperty(modelArbitrary({ maxCustomers: 10, maxActions: 3 }), async (doc) => {
        const plan = await RetentionModel.fromJSON(doc).solve({ solver: 'highs' });
        for (const c of plan.conflicts) {
          expect(c.needed).toBeGreaterThan(c.available);
          expect(c.rows.length).toBeGreaterThan(0);
        }
        if (plan.conflicts.length > 0) expect(plan.status).toBe('infeasible');
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});

describe('uplift and cost per customer (issue 10, part 2)', () => {
  it('highs: per-customer models solve to the brute-force optimum, every constraint holds, the objective recomputes', async () => {
    await fc.assert(
      fc.asyncProperty(modelArbitrary({ maxCustomers: 6, maxActions: 3, perCustomer: true }), async (doc) => {
        const optimum = bruteForceOptimum(doc);
        const plan = await RetentionModel.fromJSON(doc).solve({ solver: 'highs', gapTolerance: 1e-9 });
        if (optimum === null) {
          expect(plan.status).toBe('infeasible');
          return;
        }
        expect(plan.status).toBe('optimal');
        const assign = assignmentOf(doc, plan.toJSON());
        expect(violations(doc, assign)).toEqual([]);
        expect(close(objectiveOf(doc, assign), plan.objective, 1e-9)).toBe(true);
        expect(close(plan.objective, optimum, 1e-6)).toBe(true);
      }),
      { numRuns: 120, seed: 20261202 },
    );
  });

  it('decomposition, lp-solver, auto and duckdb agree with highs within the reported gap on known-feasible per-customer models', async () => {
    await fc.assert(
      fc.asyncProperty(
        modelArbitrary({ maxCustomers: 14, maxActions: 4, perCustomer: true, knownFeasible: true }),
        async (doc) => {
          const model = RetentionModel.fromJSON(doc);
          const exact = await model.solve({ solver: 'highs', gapTolerance: 1e-9 });
          expect(exact.status).toBe('optimal');
          for (const solver of ['decomposition', 'lp-solver', 'auto', 'duckdb'] as const) {
            const plan = await model.solve({ solver, gapTolerance: 1e-9 });
            expect(plan.status === 'optimal' || plan.status === 'feasible').toBe(true);
            const assign = assignmentOf(doc, plan.toJSON());
            expect(violations(doc, assign)).toEqual([]);
            expect(close(objectiveOf(doc, assign), plan.objective, 1e-9)).toBe(true);
            expect(plan.bound).toBeGreaterThanOrEqual(exact.objective - 1e-6 * Math.max(1, Math.abs(exact.objective)));
            expect(plan.objective).toBeLessThanOrEqual(exact.objective + 1e-6 * Math.max(1, Math.abs(exact.objective)));
            expect(plan.objective).toBeGreaterThanOrEqual(
              exact.objective - plan.gap * Math.max(1, Math.abs(plan.bound)) - 1e-6,
            );
          }
        },
      ),
      { numRuns: 60, seed: 1202 },
    );
  });
});
