import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RetentionModel,
  SolverError,
  coverage,
  defaultCatalog,
  exclude,
  fairness,
  sampleCustomers,
  saturation,
  type ModelJSON,
  type Plan,
} from '../src/index.js';
import { decompositionBackend } from '../src/entries/solvers.js';
import { DualOracle } from '../src/solvers/decomposition/dual/oracle.js';
import { buildStructure, groupCustomers } from '../src/solvers/decomposition/core/structure.js';
import { ScoreClasses, ThresholdOracle } from '../src/solvers/decomposition/dual/threshold-oracle.js';
import { modelArbitrary } from '../src/testing/index.js';
import { assignmentOf, objectiveOf, violations } from './helpers/independent-check.js';

// A plan meets every constraint, its objective recomputes, its bound is at least the exact optimum,
// and it is within its claimed gap of that optimum.
function expectWithinGapOfExact(doc: ModelJSON, plan: Plan, exact: Plan) {
  const assign = assignmentOf(doc, plan.toJSON());
  expect(violations(doc, assign)).toEqual([]);
  expect(Math.abs(objectiveOf(doc, assign) - plan.objective)).toBeLessThan(
    1e-6 * Math.max(1, Math.abs(plan.objective)),
  );
  expect(plan.bound).toBeGreaterThanOrEqual(exact.objective - 1e-6 * Math.max(1, Math.abs(exact.objective)));
  expect(plan.objective).toBeLessThanOrEqual(exact.objective + 1e-6 * Math.max(1, Math.abs(exact.objective)));
  expect(exact.objective - plan.objective).toBeLessThanOrEqual(plan.gap * Math.max(1, Math.abs(plan.bound)) + 1e-6);
}

describe('decomposition backend', () => {
  it.each(['per-customer', 'per-class'] as const)(
    'on random models (with duplicated customers), %s passes: verified plans, bound ≥ the highs optimum, objective within the claimed gap',
    async (passes) => {
      await fc.assert(
        fc.asyncProperty(modelArbitrary({ maxCustomers: 30, maxActions: 4, maxConstraints: 6 }), async (doc) => {
          const model = RetentionModel.fromJSON(doc);
          const exact = await model.solve({ solver: 'highs', gapTolerance: 1e-9 });
          const plan = await model.solve({ solver: decompositionBackend({ passes }), gapTolerance: 1e-6 });
          if (exact.status === 'infeasible') {
            expect(plan.status).toBe('infeasible');
            expect(plan.hasAssignment).toBe(false);
            return;
          }
          expect(plan.hasAssignment).toBe(true);
          expectWithinGapOfExact(doc, plan, exact);
        }),
        { numRuns: 150, seed: 42 },
      );
    },
  );

  it.each(['group', 'price'] as const)(
    'uplift and cost per customer, per-customer rows %s: verified plans, bound ≥ the highs optimum, objective within the claimed gap',
    async (perCustomerRows) => {
      await fc.assert(
        fc.asyncProperty(
          modelArbitrary({ maxCustomers: 30, maxActions: 4, maxConstraints: 6, perCustomer: true }),
          async (doc) => {
            const model = RetentionModel.fromJSON(doc);
            const exact = await model.solve({ solver: 'highs', gapTolerance: 1e-9 });
            // Without the feasibility phase (rows priced per customer) the repair may miss a tight model: a
            // SolverError saying so, never a wrong plan.
            const plan = await model
              .solve({ solver: decompositionBackend({ perCustomerRows }), gapTolerance: 1e-6 })
              .catch((e: unknown) => {
                if (perCustomerRows === 'price' && e instanceof SolverError) return null;
                throw e;
              });
            if (!plan) return;
            if (exact.status === 'infeasible') {
              expect(plan.status).toBe('infeasible');
              expect(plan.hasAssignment).toBe(false);
              return;
            }
            expect(plan.hasAssignment).toBe(true);
            expectWithinGapOfExact(doc, plan, exact);
          },
        ),
        { numRuns: 150, seed: 1202 },
      );
    },
  );

  it.each([
    [1, 40, 300],
    [200, 700, 40],
  ])(
    'per-class passes give the same dual value as per-customer passes, and a subgradient of it (%i to %i customers)',
    async (minCustomers, maxCustomers, numRuns) => {
      const mus = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 50, noNaN: true })), {
        minLength: 12,
        maxLength: 12,
      });
      await fc.assert(
        fc.asyncProperty(
          modelArbitrary({ minCustomers, maxCustomers, maxActions: 5, maxConstraints: 6 }),
          mus,
          mus,
          async (doc, a, b) => {
            const problem = RetentionModel.fromJSON(doc).problem();
            const grouping = await groupCustomers(problem, true);
            const classes = (await ScoreClasses.build(problem, grouping, 0))!;
            expect(classes).not.toBeNull();
            const s = buildStructure(problem, grouping);
            // The value range measured per class is the one measured per customer.
            const range = classes.range();
            expect(Math.abs(range.lowest - s.lowest)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(s.lowest)));
            expect(Math.abs(range.maxAbsW - s.maxAbsW)).toBeLessThanOrEqual(1e-9 * (1 + s.maxAbsW));
            const perClass = new ThresholdOracle(s, classes);
            const perCustomer = new DualOracle(s);
            const muA = Float64Array.from({ length: s.m }, (_, j) => a[j]!);
            const muB = Float64Array.from({ length: s.m }, (_, j) => b[j]!);
            const g = new Float64Array(s.m);
            const LA = perClass.evaluate(muA, g);
            const LB = perCustomer.evaluate(muB, new Float64Array(s.m));
            const scale = 1e-9 * (1 + Math.abs(LA) + Math.abs(LB));
            expect(Math.abs(LA - perCustomer.evaluate(muA, new Float64Array(s.m)))).toBeLessThanOrEqual(scale);
            // Subgradient inequality: L(b) ≥ L(a) + g·(b − a).
            let lin = LA;
            for (let j = 0; j < s.m; j++) lin += g[j]! * (muB[j]! - muA[j]!);
            expect(LB).toBeGreaterThanOrEqual(lin - scale);
          },
        ),
        { numRuns, seed: 7 },
      );
    },
  );

  it('how often the repair finds a plan on random small models is high', async () => {
    const docs = fc.sample(modelArbitrary({ maxCustomers: 30, maxActions: 4, maxConstraints: 6 }), {
      numRuns: 80,
      seed: 5,
    });
    let feasible = 0,
      found = 0;
    for (const doc of docs) {
      const model = RetentionModel.fromJSON(doc);
      const exact = await model.solve({ solver: 'highs' });
      if (exact.status === 'infeasible') continue;
      feasible++;
      if ((await model.solve({ solver: 'decomposition' })).hasAssignment) found++;
    }
    expect(feasible).toBeGreaterThan(30);
    expect(found / feasible).toBeGreaterThanOrEqual(0.9);
  });

  it('matches the exact optimum within the gap on a 3,000-customer model with every constraint type', async () => {
    const n = 3000;
    const model = RetentionModel.create()
      .actions(defaultCatalog())
      .customers(sampleCustomers({ customers: n, seed: 3 }), { segment: 'subscription_type' })
      .budget(n * 1.2)
      .capacity('email', n * 0.3)
      .capacity('call', n * 0.02)
      .capacity('push', n * 0.5)
      .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 }))
      .use(coverage({ name: 'premium', where: { segment: { eq: 'Premium' } }, min: 0.4, max: 0.9 }))
      .use(saturation({ max: 0.5 }))
      .use(saturation({ action: 'discount', maxCount: n * 0.05 }))
      .use(fairness({ by: 'segment', min: 0.15 }))
      .use(fairness({ by: 'region', min: 0.1 }))
      .use(exclude({ where: { do_not_contact: { eq: true } } }));
    const exact = await model.solve({ solver: 'highs', gapTolerance: 1e-9 });
    const plan = await model.solve({ solver: 'decomposition', gapTolerance: 1e-6 });
    expect(plan.status).toBe('optimal');
    expect(plan.gap).toBeLessThanOrEqual(1e-6);
    expect(plan.bound).toBeGreaterThanOrEqual(exact.objective - 1e-9 * exact.objective);
    expect(exact.objective - plan.objective).toBeLessThanOrEqual(1e-6 * exact.objective);
    expect(plan.solver.shadowPriceSource).toBe('lagrangian');
  });

  it('handles a user row weighted per customer (a group per customer) and agrees with highs', async () => {
    const valueCap = {
      type: 'value-cap',
      name: 'value-cap',
      compile: (ctx: { actions: readonly unknown[]; customers: { value: Float64Array } }) => ({
        rows: [
          {
            name: 'value-cap',
            sense: '<=' as const,
            rhs: 20_000,
            actionCoef: ctx.actions.map(() => 1),
            customerCoef: Float64Array.from(ctx.customers.value, (v, i) => v + i * 1e-6),
          },
        ],
      }),
    };
    const model = RetentionModel.create()
      .actions(defaultCatalog())
      .customers(sampleCustomers({ customers: 1500, seed: 12 }), { segment: 'subscription_type' })
      .budget(700)
      .use(valueCap as never);
    const exact = await model.solve({ solver: 'highs', gapTolerance: 1e-9 });
    const plan = await model.solve({ solver: 'decomposition', gapTolerance: 1e-4 });
    expect(plan.hasAssignment).toBe(true);
    expect(plan.rows.find((r) => r.name === 'value-cap')!.slack).toBeGreaterThanOrEqual(0);
    expect(plan.bound).toBeGreaterThanOrEqual(exact.objective - 1e-6 * exact.objective);
    expect(exact.objective - plan.objective).toBeLessThanOrEqual(plan.gap * plan.bound + 1e-6);
  });

  it('is deterministic: same model, same plan', async () => {
    const model = RetentionModel.create()
      .actions(defaultCatalog())
      .customers(sampleCustomers({ customers: 2000, seed: 9 }), { segment: 'subscription_type' })
      .budget(1500)
      .capacity('call', 30)
      .use(fairness({ by: 'segment', min: 0.2 }));
    const a = await model.solve({ solver: 'decomposition' });
    const b = await model.solve({ solver: 'decomposition' });
    expect(Array.from(b.choice()!)).toEqual(Array.from(a.choice()!));
    expect(b.bound).toBe(a.bound);
  });

  it('proves infeasibility when floors cannot be paid for, with the same diagnosis', async () => {
    const n = 500;
    const model = RetentionModel.create()
      .actions([{ id: 'email', channel: 'email', cost: 2, uplift: 0.1 }])
      .customers({
        id: Array.from({ length: n }, (_, i) => i),
        churnProbability: Array(n).fill(0.9),
        value: Array(n).fill(100),
      })
      .budget(100)
      .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.8 }));
    const plan = await model.solve({ solver: 'decomposition' });
    expect(plan.status).toBe('infeasible');
    expect(plan.conflicts.find((c) => c.rows.includes('budget'))?.needed).toBe(800);
  });
});
