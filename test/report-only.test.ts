import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPlan, modelArbitrary } from '../src/testing/index.js';
import { capacity, contactLimit, coverage, reportOnly, RetentionModel, type ActionSpec } from '../src/index.js';

const catalog: ActionSpec[] = [
  { id: 'email', channel: 'email', cost: 1, uplift: 0.05 },
  { id: 'call', channel: 'call', cost: 20, uplift: 0.4 },
];
const n = 40;
const customers = {
  id: Array.from({ length: n }, (_, i) => i + 1),
  churnProbability: Array.from({ length: n }, (_, i) => 0.2 + (i % 9) / 12),
  value: Array.from({ length: n }, (_, i) => 150 + 7 * i),
};
const base = RetentionModel.create().actions(catalog).customers(customers).budget(400);

describe('report-only constraints', () => {
  it('are measured, not enforced; a broken one reports the price and cost of enforcing it', async () => {
    const free = await base.solve({ solver: 'highs' });
    const measured = await base.use(reportOnly(capacity({ channel: 'call', max: 5 }))).solve({ solver: 'highs' });
    const enforced = await base.use(capacity({ channel: 'call', max: 5 })).solve({ solver: 'highs' });
    // The plan is the unconstrained one.
    expect(measured.objective).toBeCloseTo(free.objective, 9);
    expect(measured.rows.map((r) => r.name)).toEqual(['budget']);
    const calls = [...measured.treated()].filter((t) => t.action.id === 'call').length;
    expect(calls).toBeGreaterThan(5);
    const row = measured.measured[0]!;
    expect(row).toMatchObject({ name: 'capacity:call', lhs: calls, rhs: 5, slack: 5 - calls });
    expect(row.costToEnforce).toBeCloseTo(free.objective - enforced.objective, 6);
    expect(row.shadowPrice).toBeCloseTo(enforced.rows.find((r) => r.name === 'capacity:call')!.shadowPrice!, 6);
  });

  it('a row the plan meets anyway has price 0 and costs nothing to enforce', async () => {
    const plan = await base.use(reportOnly(coverage({ where: { value: { gt: 0 } }, min: 0.1 }))).solve();
    expect(plan.measured[0]).toMatchObject({ shadowPrice: 0, costToEnforce: 0 });
    expect(plan.measured[0]!.slack).toBeGreaterThanOrEqual(0);
  });

  it('a report-only policy counts whom it would hold back and holds back nobody', async () => {
    const history = { customerId: [1, 2, 3], action: ['call', 'email', 'call'], week: [47, 47, 47] };
    const withPolicy = base.history(history, { asOf: 48 });
    const measured = await withPolicy.use(reportOnly(contactLimit({ max: 1, days: 14 }))).solve({ solver: 'highs' });
    const free = await base.solve({ solver: 'highs' });
    expect(measured.objective).toBeCloseTo(free.objective, 9);
    expect(measured.heldBack).toEqual([
      {
        constraint: 'contact-limit:any:1/14d',
        type: 'contact-limit',
        customers: 3,
        allActions: 3,
        pairs: 6,
        enforced: false,
      },
    ]);
    // Explanations speak of what is enforced: nothing keeps customer 1 from an action.
    const why = withPolicy.use(reportOnly(contactLimit({ max: 1, days: 14 }))).explain(1);
    expect(why.actions.every((a) => a.allowed && a.blockedBy.length === 0)).toBe(true);
  });

  it('round-trips through the model file as reportOnly: true', async () => {
    const m = base.use(reportOnly(capacity({ channel: 'call', max: 5 })));
    const doc = JSON.parse(JSON.stringify(m.toJSON()));
    expect(doc.constraints[1]).toEqual({ type: 'capacity', channel: 'call', max: 5, reportOnly: true });
    const again = await RetentionModel.fromJSON(doc).solve({ solver: 'highs' });
    expect(again.measured.map((r) => r.name)).toEqual(['capacity:call']);
    expect(() =>
      RetentionModel.fromJSON({ ...doc, constraints: [{ ...doc.constraints[1], reportOnly: 'yes' }] }),
    ).toThrow(/constraints\[0\]\.reportOnly/);
  });
});

describe('report-only constraints: properties', () => {
  it('marking a constraint report-only solves as if it were absent, and checkPlan does not hold the plan to it', async () => {
    await fc.assert(
      fc.asyncProperty(modelArbitrary({ maxCustomers: 8, maxActions: 3, knownFeasible: true }), async (doc) => {
        const constraints = doc.constraints ?? [];
        if (constraints.length === 0) return;
        const marked = { ...doc, constraints: constraints.map((c, j) => (j === 0 ? { ...c, reportOnly: true } : c)) };
        const without = { ...doc, constraints: constraints.slice(1) };
        const model = RetentionModel.fromJSON(marked);
        const [a, b] = [
          await model.solve({ solver: 'highs', gapTolerance: 1e-9 }),
          await RetentionModel.fromJSON(without).solve({ solver: 'highs', gapTolerance: 1e-9 }),
        ];
        expect(a.status).toBe(b.status);
        if (!a.hasAssignment) return;
        expect(Math.abs(a.objective - b.objective)).toBeLessThan(1e-6 * Math.max(1, Math.abs(b.objective)));
        expect(checkPlan(model, a).violations).toEqual([]);
        // Each measured row's use is its activity on the plan; a broken one says what enforcing it costs.
        for (const r of a.measured) {
          if (r.slack >= 0) expect(r.costToEnforce).toBe(0);
          else expect(r.costToEnforce === null || r.costToEnforce >= -1e-6).toBe(true);
        }
      }),
      { numRuns: 60, seed: 41 },
    );
  });
});
