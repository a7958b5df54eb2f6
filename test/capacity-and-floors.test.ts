import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  RetentionModel,
  byChannel,
  capacity,
  constraintReport,
  coverage,
  fairness,
  saturation,
} from '../src/index.js';
import { catalog, columns } from './helpers/small-model.js';

const catalog3 = [...catalog, { id: 'push', name: 'Push', channel: 'push', cost: 0.5, uplift: 0.03 }];
const base = RetentionModel.create().actions(catalog3).customers(columns(60));

describe('capacity over several channels or actions (issue 10, part 4)', () => {
  it('channels: one row counting every action of those channels', () => {
    const [r] = base.use(capacity({ name: 'team', channels: ['call', 'push'], max: 10 })).problem().rows;
    expect(Array.from(r!.actionCoef)).toEqual([0, 0, 1, 1]);
    expect(r!.rhs).toBe(10);
  });
  it('actions: one row counting the listed actions', () => {
    const [r] = base.use(capacity({ actions: ['discount', 'call'], max: 7 })).problem().rows;
    expect(r!.name).toBe('capacity:actions:discount+call');
    expect(Array.from(r!.actionCoef)).toEqual([0, 1, 1, 0]);
  });
  it('round-trips through the model file and holds in the plan', async () => {
    const model = base
      .use(capacity({ name: 'team', channels: ['call', 'push'], max: 5 }))
      .use(capacity({ actions: ['email', 'discount'], max: 6 }));
    const doc = model.toJSON();
    expect(doc.constraints).toEqual([
      { type: 'capacity', name: 'team', channels: ['call', 'push'], max: 5 },
      { type: 'capacity', actions: ['email', 'discount'], max: 6 },
    ]);
    const again = RetentionModel.fromJSON(JSON.parse(JSON.stringify(doc)));
    for (const solver of ['decomposition', 'highs'] as const) {
      const plan = await again.solve({ solver });
      const choice = Array.from(plan.choice()!);
      expect(choice.filter((k) => k === 2 || k === 3).length).toBeLessThanOrEqual(5);
      expect(choice.filter((k) => k === 0 || k === 1).length).toBeLessThanOrEqual(6);
      const shared = (
        byChannel(plan).objects() as { channel: string; customers: number; capacity: number | null }[]
      ).find((r) => r.channel === 'call+push');
      expect(shared).toMatchObject({ capacity: 5, customers: choice.filter((k) => k === 2 || k === 3).length });
    }
  });
  it('names the unknown channel or action, and wants exactly one scope', () => {
    expect(() => base.use(capacity({ channels: ['call', 'fax'], max: 1 })).problem()).toThrow(
      /channels\[1\].*unknown channel "fax"/,
    );
    expect(() => base.use(capacity({ actions: ['call', 'vip'], max: 1 })).problem()).toThrow(
      /actions\[1\].*unknown action "vip"/,
    );
    expect(() => capacity({ channel: 'call', channels: ['push'], max: 1 } as never)).toThrow(InvalidInputError);
    expect(() => capacity({ channels: [], max: 1 })).toThrow(/non-empty/);
    expect(() => capacity({ channels: ['call', 'call'], max: 1 })).toThrow(/listed twice/);
    expect(() =>
      RetentionModel.fromJSON({
        ...base.toJSON(),
        constraints: [{ type: 'capacity', channels: ['call'], channel: 'push', max: 1 }],
      }),
    ).toThrow(InvalidInputError);
  });
  it('rows say which channels they count: byChannel and constraintReport read it, also from a plugin of your own', async () => {
    const team = {
      type: 'team-capacity',
      name: 'team',
      compile: (ctx: { actions: readonly { channel: string }[] }) => ({
        rows: [
          {
            name: 'team',
            sense: '<=' as const,
            rhs: 4,
            actionCoef: ctx.actions.map((a) => (a.channel === 'call' || a.channel === 'push' ? 1 : 0)),
            channels: ['call', 'push'],
          },
        ],
      }),
    };
    const plan = await base.use(team).solve({ solver: 'highs' });
    const shared = byChannel(plan)
      .objects()
      .find((r) => r.channel === 'call+push');
    expect(shared).toMatchObject({ capacity: 4 });
    expect(
      constraintReport(plan)
        .objects()
        .find((r) => r.row === 'team')!.type,
    ).toBe('team-capacity');
    const bad = {
      ...team,
      compile: () => ({
        rows: [{ name: 'x', sense: '<=' as const, rhs: 1, actionCoef: [1, 1, 1, 1], channels: 'call' as never }],
      }),
    };
    expect(() => base.use(bad).problem()).toThrow(/rows\.x\.channels: must be an array of channel names/);
  });
  it("a capacity on a subset of one channel's actions is not reported as that channel's capacity", async () => {
    const plan = await base.use(capacity({ actions: ['email'], max: 3 })).solve({ solver: 'highs' });
    const email = (byChannel(plan).objects() as { channel: string; capacity: number | null }[]).find(
      (r) => r.channel === 'email',
    );
    expect(email!.capacity).toBeNull();
  });
});

describe('floors and caps from fractions (issue 10, part 5)', () => {
  // 98 customers above 0.5: as in the reference data, where the reference truncated 58.8 to 58.
  const n = 196;
  const cols = columns(n);
  cols.churnProbability = Array.from({ length: n }, (_, i) => (i < 98 ? 0.9 : 0.1));
  const model = RetentionModel.create().actions(catalog).customers(cols);

  it('a floor rounds up, and the report says what the fraction became', async () => {
    const m = model.use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 }));
    expect(m.problem().rows[0]!.rhs).toBe(59);
    const plan = await m.solve({ solver: 'highs' });
    const report = constraintReport(plan).objects() as { row: string; limit: number; limitFrom: string | null }[];
    expect(report[0]).toMatchObject({
      row: 'high-risk',
      limit: 59,
      limitFrom: 'min 0.6 of 98 customers = 58.8, rounded up to 59',
    });
    expect(plan.toJSON().constraints[0]!.limitFrom).toBe('min 0.6 of 98 customers = 58.8, rounded up to 59');
    expect(model.readPlan(plan.toJSON()).status).toBeDefined();
  });
  it('a cap rounds down; a count alone has no note; with both, the tighter is named', () => {
    const rows = model
      .use(saturation({ max: 0.333 }))
      .use(coverage({ name: 'c', where: { churnProbability: { gt: 0.5 } }, minCount: 10 }))
      .use(fairness({ by: 'segment', min: 0.5, minCount: 30 }))
      .problem().rows;
    expect(rows[0]!.limitFrom).toBe('max 0.333 of 196 customers = 65.268, rounded down to 65');
    expect(rows.find((r) => r.name === 'c')!.limitFrom).toBeUndefined();
    expect(rows.find((r) => r.name === 'fairness:segment=Free')!.limitFrom).toBe(
      'min 0.5 of 49 customers = 24.5, rounded up to 25; minCount 30; the tighter, 30, applies',
    );
  });
});
