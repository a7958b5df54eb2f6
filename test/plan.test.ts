import { describe, expect, it } from 'vitest';
import { NO_ACTION, RetentionModel, coverage, fairness, saturation, exclude } from '../src/index.js';
import { catalog, columns } from './helpers/small-model.js';

const model = RetentionModel.create({ name: 'week-48' })
  .actions(catalog)
  .customers(columns(200))
  .budget(600)
  .capacity('email', 40)
  .capacity('call', 20)
  .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.4 }))
  .use(saturation({ max: 0.5 }))
  .use(fairness({ by: 'segment', min: 0.1 }))
  .use(exclude({ where: { doNotContact: { eq: true } } }));

describe('plans', () => {
  it('a read view: treated customers with action and holdout, a copy of the assignment, the catalog and customers', async () => {
    const plan = (await model.solve({ solver: 'highs' })).withHoldout({ fraction: 0.3, seed: 4 });
    const treated = [...plan.treated()];
    const rows = plan.assignments.objects();
    expect(treated.map((t) => [t.customer, t.action.id, t.heldOut])).toEqual(
      rows.map((r) => [r.customer, r.action, r.holdout]),
    );
    expect(treated.some((t) => t.heldOut)).toBe(true);
    const choice = plan.choice()!;
    for (const t of treated) {
      expect(choice[t.index]).toBe(t.actionIndex);
      expect(plan.catalog[t.actionIndex]).toBe(t.action);
      expect(plan.customerData.id[t.index]).toBe(t.customer);
    }
    expect(choice.filter((k) => k !== NO_ACTION).length).toBe(treated.length);
    // A copy: changing it changes nothing in the plan.
    choice.fill(NO_ACTION);
    expect([...plan.treated()].length).toBe(treated.length);
    const infeasible = await model
      .use(coverage({ name: 'all', where: { value: { gte: 0 } }, min: 1 }))
      .solve({ solver: 'highs' });
    expect(infeasible.choice()).toBeNull();
    expect([...infeasible.treated()]).toEqual([]);
  });

  it('report every row with lhs, slack, binding and shadow prices that match re-solves', async () => {
    const plan = await model.solve({ solver: 'highs', gapTolerance: 1e-9 });
    expect(plan.status).toBe('optimal');
    expect(plan.solver.shadowPriceSource).toBe('lp-relaxation');
    for (const r of plan.rows) {
      expect(r.slack).toBeGreaterThanOrEqual(0);
      expect(r.binding).toBe(r.slack === 0);
    }
    // Sign convention: caps are worth ≥ 0 per unit, floors cost ≤ 0 per unit.
    for (const r of plan.rows) {
      if (r.sense === '<=') expect(r.shadowPrice!).toBeGreaterThanOrEqual(-1e-9);
      else expect(r.shadowPrice!).toBeLessThanOrEqual(1e-9);
    }
    // The scarcest cap is binding, and relaxing it pays.
    const call = plan.rows.find((r) => r.name === 'capacity:call')!;
    expect(call.binding).toBe(true);
    expect(call.shadowPrice!).toBeGreaterThan(0);
    const unpriced = plan.rows.filter((r) => !r.binding && r.sense === '<=');
    const more = await model
      .without('capacity:call')
      .capacity('call', 25)
      .solve({ solver: 'highs', gapTolerance: 1e-9 });
    expect(more.objective).toBeGreaterThan(plan.objective);
    expect(unpriced.length).toBeGreaterThan(0);
  });
  it('toJSON follows retention-plan/v1 and lists only treated customers', async () => {
    const plan = await model.solve({ solver: 'highs' });
    const json = plan.toJSON();
    expect(json.format).toBe('retention-plan/v1');
    expect(json.model).toBe('week-48');
    expect(json.assignments.length).toBe(plan.assignments.numRows());
    const sum = json.assignments.reduce((s, a) => s + a.expectedValue, 0);
    expect(Math.abs(sum - json.objective!)).toBeLessThan(1e-6);
    expect(json.gap).toBeCloseTo((json.bound! - json.objective!) / Math.max(1, Math.abs(json.bound!)), 12);
  });
  it('infeasible: floors the budget cannot pay for are named with the amounts', async () => {
    // 100 high-risk customers need 80 treated; the cheapest action costs 2, so 160 is needed but 100 is allowed.
    const n = 100;
    const m = RetentionModel.create()
      .actions(catalog.map(({ eligible: _, ...a }) => a))
      .customers({
        id: Array.from({ length: n }, (_, i) => i),
        churnProbability: Array(n).fill(0.9),
        value: Array(n).fill(100),
      })
      .budget(100)
      .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.8 }));
    const plan = await m.solve({ solver: 'highs' });
    expect(plan.status).toBe('infeasible');
    expect(plan.assignments.numRows()).toBe(0);
    const c = plan.conflicts.find((x) => x.rows.includes('budget'))!;
    expect(c.constraints).toEqual(['high-risk', 'budget']);
    expect(c.needed).toBe(160);
    expect(c.available).toBe(100);
    expect(c.message).toContain('80 treated');
  });
  it('infeasible: fairness floors add up across groups against a channel capacity', async () => {
    const m = RetentionModel.create()
      .actions([{ id: 'call', channel: 'call', cost: 1, uplift: 0.1 }])
      .customers(columns(100))
      .capacity('call', 30)
      .use(fairness({ by: 'segment', min: 0.4 }));
    const plan = await m.solve({ solver: 'highs' });
    expect(plan.status).toBe('infeasible');
    const c = plan.conflicts.find((x) => x.rows.length === 5)!;
    expect(c.needed).toBe(40);
    expect(c.available).toBe(30);
  });
  it('timeLimit and an aborted signal return status time_limit, never an unverified plan', async () => {
    const ac = new AbortController();
    ac.abort();
    const plan = await model.solve({ solver: 'highs', signal: ac.signal });
    expect(plan.status).toBe('time_limit');
    expect(plan.hasAssignment).toBe(false);
    expect(plan.assignments.numRows()).toBe(0);
  });
});
