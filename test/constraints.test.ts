import { describe, expect, it } from 'vitest';
import { RetentionModel, budget, capacity, coverage, exclude, fairness, saturation } from '../src/index.js';
import { catalog, columns } from './helpers/small-model.js';

const base = RetentionModel.create().actions(catalog).customers(columns(40));
const rowsOf = (m: RetentionModel<true, true>) => m.problem().rows;

describe('built-in constraint plugins compile to the rows the contract defines', () => {
  it('budget: cost[k] · 1', () => {
    const [r] = rowsOf(base.use(budget({ max: 150 })));
    expect(r).toMatchObject({ name: 'budget', sense: '<=', rhs: 150 });
    expect(Array.from(r!.actionCoef)).toEqual([2, 20, 15]);
    expect(r!.customerCoef).toBeUndefined();
  });
  it('capacity: [channel(k) = ch] · 1', () => {
    const [r] = rowsOf(base.use(capacity({ channel: 'email', max: 12 })));
    expect(Array.from(r!.actionCoef)).toEqual([1, 1, 0]);
    expect(r!.rhs).toBe(12);
  });
  it('coverage: floor ceil(min·|S|) and quota floor(max·|S|), tighter of fraction and count', () => {
    const m = base.use(
      coverage({
        name: 'prem',
        where: { segment: { eq: 'Premium' } },
        min: 0.35,
        minCount: 2,
        max: 0.9,
        maxCount: 100,
      }),
    );
    const [lo, hi] = rowsOf(m);
    // 10 Premium customers out of 40
    expect(lo).toMatchObject({ name: 'prem:min', sense: '>=', rhs: 4 });
    expect(hi).toMatchObject({ name: 'prem:max', sense: '<=', rhs: 9 });
    expect(Array.from(lo!.customerCoef!).reduce((s, x) => s + x, 0)).toBe(10);
  });
  it('coverage: 0.6 × 5 is 3, not 4 (float noise does not round up)', () => {
    const m = RetentionModel.create()
      .actions(catalog)
      .customers(columns(5))
      .use(coverage({ name: 'all', where: { value: { gte: 0 } }, min: 0.6 }));
    expect(rowsOf(m)[0]!.rhs).toBe(3);
  });
  it('saturation: one row per action, or one for the named action', () => {
    const all = rowsOf(base.use(saturation({ max: 0.5 })));
    expect(all.map((r) => r.name)).toEqual(['saturation[email]', 'saturation[discount]', 'saturation[call]']);
    expect(all.every((r) => r.rhs === 20)).toBe(true);
    const one = rowsOf(base.use(saturation({ action: 'call', maxCount: 7, max: 0.5 })));
    expect(one).toHaveLength(1);
    expect(Array.from(one[0]!.actionCoef)).toEqual([0, 0, 1]);
    expect(one[0]!.rhs).toBe(7);
  });
  it('fairness: a floor for every value of the column', () => {
    const rows = rowsOf(base.use(fairness({ by: 'region', min: 0.5 })));
    expect(rows.map((r) => [r.name, r.rhs])).toEqual([
      ['fairness:region=EU', 7],
      ['fairness:region=US', 13],
    ]);
  });
  it('exclude: matching customers lose every action', () => {
    const p = base.use(exclude({ where: { doNotContact: { eq: true } } })).problem();
    for (let i = 0; i < p.n; i++) {
      const excluded = i % 10 === 0;
      for (let k = 0; k < p.K; k++) if (excluded) expect(p.eligible[i * p.K + k]).toBe(0);
    }
    // eligibility filters still apply to the rest: discount only for Premium / Family
    expect(p.eligible[1 * 3 + 1]).toBe(1);
    expect(p.eligible[3 * 3 + 1]).toBe(0);
  });
  it('a user plugin is used exactly like the built-ins', async () => {
    const euCalls = {
      type: 'eu-calls',
      name: 'eu-calls',
      compile: (ctx: Parameters<NonNullable<import('../src/index.js').ConstraintPlugin['compile']>>[0]) => ({
        rows: [
          {
            name: 'eu-calls',
            sense: '<=' as const,
            rhs: 1,
            actionCoef: ctx.actions.map((a) => (a.channel === 'call' ? 1 : 0)),
            customerCoef: ctx.filter({ region: { eq: 'EU' } }, 'eu-calls'),
          },
        ],
      }),
    };
    const plan = await base.use(euCalls).solve({ solver: 'highs' });
    const row = plan.rows.find((r) => r.name === 'eu-calls')!;
    expect(row.lhs).toBeLessThanOrEqual(1);
    const t = plan.assignments.objects() as { customer: string; channel: string }[];
    const eu = new Set(columns(40).id.filter((_, i) => i % 3 === 0));
    expect(t.filter((r) => r.channel === 'call' && eu.has(r.customer)).length).toBeLessThanOrEqual(1);
  });
});

describe('net values', () => {
  it('are p·u·v − c, with per-segment uplifts where given and the base uplift otherwise (with or without segments)', () => {
    const withSeg = RetentionModel.create().actions(catalog).customers(columns(8)).problem();
    const c = columns(8);
    for (let i = 0; i < 8; i++) {
      const premium = c.segment[i] === 'Premium';
      expect(withSeg.values[i * 3 + 0]).toBeCloseTo(c.churnProbability[i]! * 0.08 * c.value[i]! - 2, 10);
      // The discount is for Premium and Family only: other pairs are marked −Infinity.
      if (premium || c.segment[i] === 'Family')
        expect(withSeg.values[i * 3 + 1]).toBeCloseTo(
          c.churnProbability[i]! * (premium ? 0.18 : 0.15) * c.value[i]! - 20,
          10,
        );
      else expect(withSeg.values[i * 3 + 1]).toBe(-Infinity);
    }
    const plain = RetentionModel.create()
      .actions(catalog.map(({ eligible: _e, ...a }) => a))
      .customers({ id: [1, 2], churnProbability: [0.5, 0.2], value: [100, 50] })
      .problem();
    const expected = [
      0.5 * 0.08 * 100 - 2,
      0.5 * 0.15 * 100 - 20,
      0.5 * 0.22 * 100 - 15,
      0.2 * 0.08 * 50 - 2,
      0.2 * 0.15 * 50 - 20,
      0.2 * 0.22 * 50 - 15,
    ];
    expected.forEach((x, j) => expect(plain.values[j]).toBeCloseTo(x, 10));
  });
});

describe('dictionary encoding of categorical columns', () => {
  it('widens its codes past 256 and 65,536 distinct values and decodes every row back', async () => {
    const { encode } = await import('../src/data/categorical.js');
    for (const distinct of [3, 300, 70_000]) {
      const column = Array.from({ length: 140_000 }, (_, i) => `v${(i * 7919) % distinct}`);
      const { codes, values } = encode(column);
      expect(values.length).toBe(distinct);
      expect(codes.BYTES_PER_ELEMENT).toBe(distinct <= 256 ? 1 : distinct <= 65_536 ? 2 : 4);
      for (let i = 0; i < column.length; i++)
        if (values[codes[i]!] !== column[i]) throw new Error(`row ${i}: ${values[codes[i]!]} ≠ ${column[i]}`);
    }
  });
});
