import { describe, expect, it } from 'vitest';
import {
  RetentionModel,
  calibrate,
  customersFromColumns,
  defaultCatalog,
  drawHoldout,
  fairness,
  sampleCustomers,
  simulateOutcomes,
  upliftFor,
  withCalibration,
} from '../src/index.js';

const TRUE: Record<string, number> = {
  email: 0.08,
  discount: 0.2,
  call: 0.3,
  'free-month': 0.12,
  'in-app': 0.05,
  push: 0.02,
  playlist: 0.04,
};
const truth = (a: string) => TRUE[a]!;

const model = RetentionModel.create()
  .actions(defaultCatalog())
  .customers(sampleCustomers({ customers: 30_000, seed: 11 }), { segment: 'subscription_type' })
  .budget(30_000)
  .capacity('call', 1500)
  .use(fairness({ by: 'segment', min: 0.2 }));
const base = await model.solve({ solver: 'decomposition' });

describe('holdout', () => {
  it('holds out the asked share of each action (exactly stratified), recorded in the plan, its table and its file', () => {
    const plan = base.withHoldout({ fraction: 0.1, seed: 42 });
    const rows = plan.assignments.objects();
    const byAction = new Map<string, { n: number; h: number }>();
    for (const r of rows) {
      const e = byAction.get(r.action) ?? { n: 0, h: 0 };
      e.n++;
      if (r.holdout) e.h++;
      byAction.set(r.action, e);
    }
    for (const [, { n, h }] of byAction)
      expect(Math.abs(h - 0.1 * n)).toBeLessThanOrEqual(4 /* strata per action */ * 0.5 + 1);
    const json = plan.toJSON();
    expect(json.holdout).toEqual({ fraction: 0.1, seed: 42, minStratum: 20 });
    expect(json.assignments.filter((a) => a.holdout).length).toBe(rows.filter((r) => r.holdout).length);
    // held-out customers still count as treated for every constraint
    expect(plan.rows).toEqual(base.rows);
  });
  it('is decided by seed and customer id: the same customers whatever the data order', () => {
    const t = sampleCustomers({ customers: 2000, seed: 5 });
    const ids = t.array('customer_id') as number[];
    const seg = t.array('subscription_type') as string[];
    const cols = (order: number[]) =>
      customersFromColumns({
        id: order.map((i) => ids[i]!),
        churnProbability: order.map(() => 0.5),
        value: order.map(() => 10),
        segment: order.map((i) => seg[i]!),
      });
    const order = ids.map((_, i) => i);
    const shuffled = [...order].sort((a, b) => ((a * 7919) % 2000) - ((b * 7919) % 2000));
    const choiceOf = (o: number[]) => Int32Array.from(o, (i) => i % 3);
    const a = drawHoldout(cols(order), choiceOf(order), { fraction: 0.2, seed: 9 });
    const b = drawHoldout(cols(shuffled), choiceOf(shuffled), { fraction: 0.2, seed: 9 });
    const heldA = new Set(order.filter((_, r) => a[r]).map((i) => ids[i]));
    const heldB = new Set(shuffled.filter((_, r) => b[r]).map((i) => ids[i]));
    expect(heldB).toEqual(heldA);
    const c = drawHoldout(cols(order), choiceOf(order), { fraction: 0.2, seed: 10 });
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });
  it('model files carry the holdout and solves apply it', async () => {
    const m = RetentionModel.create()
      .actions(defaultCatalog())
      .customers(sampleCustomers({ customers: 500, seed: 2 }), { segment: 'subscription_type' })
      .budget(300)
      .withHoldout({ fraction: 0.25, seed: 3 });
    const again = RetentionModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    const [p, q] = [await m.solve({ solver: 'highs' }), await again.solve({ solver: 'highs' })];
    expect(p.toJSON().assignments).toEqual(q.toJSON().assignments);
    expect(p.toJSON().assignments.some((a) => a.holdout)).toBe(true);
  });
});

describe('calibrate', () => {
  it('95% intervals cover the true uplift in about 95% of simulated weeks', () => {
    let covered = 0,
      total = 0;
    for (let week = 0; week < 150; week++) {
      const plan = base.withHoldout({ fraction: 0.3, seed: week });
      const result = calibrate(plan, simulateOutcomes(plan, truth, 1000 + week));
      for (const r of result.table.objects()) {
        if (!(r.treated >= 200) || Number.isNaN(r.lower)) continue;
        total++;
        if (r.lower <= truth(r.action) && truth(r.action) <= r.upper) covered++;
      }
    }
    // Binomial sd at ~500 intervals is about 1%: this band cannot pass by luck if coverage were 90% or 99%.
    expect(total).toBeGreaterThan(400);
    expect(covered / total).toBeGreaterThan(0.92);
    expect(covered / total).toBeLessThan(0.98);
  });
  it('shrinks toward the prior by precision, and the calibrated catalog moves toward the truth', () => {
    const plan = base.withHoldout({ fraction: 0.2, seed: 1 });
    // The shrinkage itself, with the evidence test off and the former floor on the spread.
    const result = calibrate(plan, simulateOutcomes(plan, truth, 77), { evidence: 0, minPriorVariance: 1e-4 });
    const catalog = defaultCatalog();
    const next = withCalibration(catalog, result);
    for (const r of result.table.objects()) {
      if (Number.isNaN(r.uplift)) continue;
      expect(r.weight).toBeGreaterThan(0);
      expect(r.weight).toBeLessThanOrEqual(1);
      expect(r.calibrated).toBeCloseTo(r.prior + r.weight * (r.uplift - r.prior), 12);
      expect(next.find((a) => a.id === r.action)!.uplift).toBe(r.calibrated);
    }
    expect(catalog).toEqual(defaultCatalog()); // not mutated
  });
  it('pooled over four weeks: never further from the truth than the priors; closer when the truth is far', () => {
    // Far: the calibration-loop example's truth (push and playlist worthless, email and call far better).
    const FAR: Record<string, number> = {
      email: 0.12,
      discount: 0.2,
      call: 0.35,
      'free-month': 0.1,
      'in-app': 0.08,
      push: 0,
      playlist: 0,
    };
    const errors = (uplift: (a: string) => number, options: Parameters<typeof calibrate>[2]) => {
      let priorErr = 0,
        calErr = 0,
        rejected = 0;
      for (let run = 0; run < 8; run++) {
        const weeks = [0, 1, 2, 3].map((w) => base.withHoldout({ fraction: 0.2, seed: 100 * run + w }));
        const result = calibrate(
          weeks,
          weeks.map((p, w) => simulateOutcomes(p, uplift, 5000 + 100 * run + w)),
          options,
        );
        if (result.evidence.priorsRejected) rejected++;
        for (const r of result.table.objects()) {
          if (Number.isNaN(r.uplift)) continue;
          priorErr += Math.abs(r.prior - uplift(r.action));
          calErr += Math.abs(r.calibrated - uplift(r.action));
        }
      }
      return { priorErr, calErr, rejected };
    };
    const moderate = errors(truth, {});
    expect(moderate.calErr).toBeLessThanOrEqual(moderate.priorErr + 1e-12);
    // The shrinkage alone (no evidence test) moves on every run, and closer on average.
    const always = errors(truth, { evidence: 0, minPriorVariance: 1e-4 });
    expect(always.calErr).toBeLessThan(always.priorErr);
    const far = errors((a) => FAR[a]!, {});
    // 30,000 customers, a fifth held out: about half the runs have the evidence by week 4.
    expect(far.rejected).toBeGreaterThanOrEqual(3);
    expect(far.calErr).toBeLessThan(far.priorErr);
  });
  it('with truths equal to the priors, the evidence test keeps the priors in nearly every week', () => {
    const prior = (a: string) => defaultCatalog().find((x) => x.id === a)!.uplift;
    let kept = 0;
    for (let week = 0; week < 40; week++) {
      const plan = base.withHoldout({ fraction: 0.2, seed: 900 + week });
      const result = calibrate(
        plan,
        simulateOutcomes(
          plan,
          (a, s) =>
            upliftFor(
              defaultCatalog().find((x) => x.id === a)!,
              s,
            ),
          77 + week,
        ),
      );
      if (!result.evidence.priorsRejected) {
        kept++;
        for (const r of result.table.objects()) expect(r.calibrated).toBe(r.prior);
      }
      expect(prior('email')).toBe(0.05);
    }
    // At the 0.99 level about one week in a hundred rejects by chance.
    expect(kept).toBeGreaterThanOrEqual(38);
  });
  it('counts outcomes for unknown customers and planned customers without outcomes', () => {
    const plan = base.withHoldout({ fraction: 0.1, seed: 1 });
    const sim = simulateOutcomes(plan, truth, 5);
    const ids = (sim.array('customer_id') as number[]).slice(10);
    const churned = (sim.array('churned') as number[]).slice(10);
    const result = calibrate(plan, { customer_id: [...ids, 'ghost-1', 'ghost-2'], churned: [...churned, 0, 1] });
    expect(result.unknownOutcomes).toBe(2);
    const treatedAmongFirst10 = Array.from(plan.choice()!.slice(0, 10)).filter((k) => k >= 0).length;
    expect(result.missingOutcomes).toBe(treatedAmongFirst10);
    expect(result.warnings.join(' ')).toMatch(/ghost-1/);
  });
  it('refuses a plan without a holdout, and bad churn values, by name', () => {
    expect(() => calibrate(base, { customer_id: [], churned: [] })).toThrow(/no holdout/);
    const plan = base.withHoldout({ fraction: 0.1, seed: 1 });
    expect(() => calibrate(plan, { customer_id: [plan.customerData.id[0]], churned: ['yes'] })).toThrow(
      /outcomes\.churned\[0\]/,
    );
  });
});

describe('calibrate with uplift per customer (issue 10)', () => {
  it("the prior is the column's churn-weighted mean; withCalibration scales the column by calibrated / prior, and the next model uses it", () => {
    // An uplift model that overstates every action by 2×: its column is twice the true per-action uplift.
    const t = sampleCustomers({ customers: 30_000, seed: 11 });
    const n = t.numRows();
    const catalog = defaultCatalog();
    const cols = Object.fromEntries(
      catalog.map((a) => [
        `uplift_${a.id}`,
        Array.from({ length: n }, (_, i) => Math.min(1, 2 * TRUE[a.id]! * (0.75 + (0.5 * ((i * 7919) % 101)) / 100))),
      ]),
    );
    const withColumns = catalog.map((a) => ({ ...a, upliftColumn: `uplift_${a.id}` }));
    const m = RetentionModel.create()
      .actions(withColumns)
      .customers(t.assign(cols), { segment: 'subscription_type' })
      .budget(30_000)
      .capacity('call', 1500)
      .use(fairness({ by: 'segment', min: 0.2 }));
    return m.solve({ solver: 'decomposition' }).then((solved) => {
      const plan = solved.withHoldout({ fraction: 0.3, seed: 4 });
      // The truth per action, whatever the model said: measured uplift should come out near half the prior.
      const result = calibrate(plan, simulateOutcomes(plan, truth, 99));
      const rows = result.table.objects();
      const next = withCalibration(withColumns, result);
      let checked = 0;
      const scales: number[] = [];
      for (const r of rows) {
        const a = next.find((x) => x.id === r.action)!;
        expect(a.upliftColumn).toBe(`uplift_${r.action}`);
        expect(a.upliftScale).toBeCloseTo(r.calibrated / r.prior, 12);
        if (r.treated < 2000) continue;
        // The prior is about 2 × truth: the column's churn-weighted mean.
        expect(r.prior / truth(r.action)).toBeGreaterThan(1.7);
        expect(r.prior / truth(r.action)).toBeLessThan(2.3);
        scales.push(a.upliftScale!);
        checked++;
      }
      expect(checked).toBeGreaterThan(2);
      // Measured uplift runs at half the model's: the scales, noisy one by one, average well below 1.
      expect(scales.reduce((x, y) => x + y, 0) / scales.length).toBeLessThan(0.8);
      // The next week's values use the scaled column.
      const again = RetentionModel.create().actions(next).customers(t.assign(cols), { segment: 'subscription_type' });
      const k = next.findIndex((a) => a.id === rows[0]!.action);
      const p = again.problem();
      const d = again.customerData!;
      const expected =
        d.churnProbability[0]! *
          d.value[0]! *
          Math.min(1, (cols[`uplift_${next[k]!.id}`]![0] as number) * next[k]!.upliftScale!) -
        next[k]!.cost;
      if (p.eligible[k]) expect(p.values[k]).toBe(expected);
    });
  });
});
