import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  RetentionError,
  RetentionModel,
  SerializationError,
  SolverLimitError,
  capacity,
  coverage,
  saturation,
  fairness,
} from '../src/index.js';
import { highsBackend, lpSolverBackend } from '../src/entries/solvers.js';
import { catalog, columns } from './helpers/small-model.js';

function expectInvalid(fn: () => unknown, path: RegExp | string) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e).toBeInstanceOf(RetentionError);
    const p = (e as InvalidInputError).path;
    if (typeof path === 'string') expect(p).toBe(path);
    else expect(p).toMatch(path);
    return e as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

describe('bad input gets a typed error naming what and where', () => {
  const m = RetentionModel.create();
  it('customers', () => {
    const c = columns(5);
    expectInvalid(() => m.customers({ ...c, id: ['a', 'b', 'a', 'd', 'e'] }), 'customers.id[2]');
    expectInvalid(() => m.customers({ ...c, id: [1, 2, '1', 4, 5] }), 'customers.id[2]');
    expectInvalid(() => m.customers({ ...c, churnProbability: [0.1, 1.2, 0, 0, 0] }), 'customers.churnProbability[1]');
    expectInvalid(() => m.customers({ ...c, churnProbability: [0.1, NaN, 0, 0, 0] }), 'customers.churnProbability[1]');
    expectInvalid(() => m.customers({ ...c, value: [1, 2, 3, -4, 5] }), 'customers.value[3]');
    expectInvalid(() => m.customers({ ...c, value: [1, 2, 3, Infinity, 5] }), 'customers.value[3]');
    expectInvalid(() => m.customers({ ...c, value: [1, 2, 3] }), 'customers.value');
    const e = expectInvalid(() => m.customers({ ...c, churnProbability: [0.1, 1.2, 0, 0, 0] }), /churnProbability/);
    expect(e.value).toBe(1.2);
    expect(e.message).toContain('1.2');
  });
  it('arquero tables with a column mapping', () => {
    const t = aq.table({ customer_id: [1, 2], p: [0.2, 0.4], clv: [10, 20], plan: ['Free', 'Premium'] });
    const ok = m.customers(t, { churnProbability: 'p', segment: 'plan' });
    expect([...ok.customerData!.segment!]).toEqual(['Free', 'Premium']);
    expectInvalid(() => m.customers(t, { churnProbability: 'prob' }), 'customers.churnProbability');
  });
  it('filtered and ordered arquero tables give their own rows, and changing the table afterwards does not change the customers', () => {
    const t = aq.table({
      customer_id: [1, 2, 3, 4],
      p: [0.2, 0.4, 0.6, 0.8],
      clv: Float64Array.of(10, 20, 30, 40),
      region: ['EU', 'US', 'EU', 'US'],
    });
    const kept = m.customers(t.filter((d: { region: string }) => d.region === 'EU').orderby(aq.desc('p')), {
      churnProbability: 'p',
    }).customerData!;
    expect(kept.id).toEqual([3, 1]);
    expect(Array.from(kept.churnProbability)).toEqual([0.6, 0.2]);
    expect([...kept.attributes.region!]).toEqual(['EU', 'EU']);
    const all = m.customers(t, { churnProbability: 'p' }).customerData!;
    (t.column('clv') as Float64Array)[0] = 999;
    (t.column('region') as string[])[0] = 'APAC';
    expect(all.value[0]).toBe(10);
    expect(all.attributes.region!.at(0)).toBe('EU');
  });
  it('actions', () => {
    expectInvalid(() => m.actions([]), 'actions');
    expectInvalid(() => m.actions([catalog[0]!, catalog[0]!]), 'actions[1].id');
    expectInvalid(() => m.actions([{ ...catalog[0]!, cost: -1 }]), 'actions[0].cost');
    expectInvalid(() => m.actions([{ ...catalog[0]!, uplift: 1.5 }]), 'actions[0].uplift');
    expectInvalid(
      () => m.actions([{ ...catalog[0]!, upliftBySegment: { Premium: -0.1 } }]),
      'actions[0].upliftBySegment.Premium',
    );
  });
  it('constraints and filters', () => {
    const base = m.actions(catalog).customers(columns(8));
    expectInvalid(() => base.use(capacity({ channel: 'sms', max: 5 })).problem(), 'constraints.capacity:sms.channel');
    expectInvalid(
      () => base.use(saturation({ action: 'gift', maxCount: 3 })).problem(),
      'constraints.saturation:gift.action',
    );
    expectInvalid(
      () => base.use(coverage({ name: 'x', where: { tenure: { gt: 3 } }, min: 0.5 })).problem(),
      'constraints.x.where.tenure',
    );
    expectInvalid(
      () => base.use(coverage({ name: 'x', where: { value: { between: 3 } } as never, min: 0.5 })).problem(),
      'constraints.x.where.value.between',
    );
    expectInvalid(() => base.use(fairness({ by: 'country', min: 0.1 })).problem(), 'constraints.fairness:country.by');
    expectInvalid(() => coverage({ where: { value: { gt: 1 } }, min: 1.5 }), /min$/);
    expectInvalid(() => base.budget(10).budget(20).problem(), 'constraints.budget');
    expectInvalid(
      () =>
        RetentionModel.fromJSON({
          format: 'retention-model/v1',
          actions: catalog as never,
          customers: columns(3),
          constraints: [{ type: 'budjet', max: 3 }],
        }),
      'constraints[0].type',
    );
    expectInvalid(
      () =>
        RetentionModel.fromJSON({
          format: 'retention-model/v1',
          actions: catalog as never,
          customers: columns(3),
          constraints: [{ type: 'budget', maxx: 3 }],
        }),
      'constraints[0].maxx',
    );
  });
});

describe('immutability', () => {
  it('every builder call returns a new model and leaves its inputs alone', async () => {
    const cols = columns(20);
    const snapshot = structuredClone(cols);
    const cat = structuredClone(catalog);
    const a = RetentionModel.create().actions(cat).customers(cols);
    const b = a.budget(50);
    expect(a.constraints).toHaveLength(0);
    expect(b.constraints).toHaveLength(1);
    cols.churnProbability[0] = 0.99; // caller mutates after the fact: the model keeps its copy
    expect(a.customerData!.churnProbability[0]).toBe(snapshot.churnProbability[0]);
    cols.churnProbability[0] = snapshot.churnProbability[0]!;
    await b.solve({ solver: 'highs' });
    expect(cols).toEqual(snapshot);
    expect(cat).toEqual(catalog);
  });
});

describe('model files', () => {
  it('a predicate filter makes toJSON throw a SerializationError naming the plugin', () => {
    const m = RetentionModel.create()
      .actions(catalog)
      .customers(columns(4))
      .use(coverage({ name: 'risky', where: (c) => c.churnProbability > 0.5, min: 0.5 }));
    expect(() => m.toJSON()).toThrow(SerializationError);
    try {
      m.toJSON();
    } catch (e) {
      expect((e as SerializationError).plugin).toBe('coverage "risky"');
    }
  });
  it('a code-only plugin makes toJSON throw naming it', () => {
    const m = RetentionModel.create()
      .actions(catalog)
      .customers(columns(4))
      .use({ type: 'custom', name: 'my-rule', compile: () => ({}) });
    expect(() => m.toJSON()).toThrow(/my-rule/);
  });
});

describe('solver limits', () => {
  it('a backend refuses a model too big for it, naming the size and a better backend', async () => {
    const m = RetentionModel.create().actions(catalog).customers(columns(400)).budget(100);
    await expect(m.solve({ solver: 'lp-solver' })).rejects.toBeInstanceOf(SolverLimitError);
    await expect(m.solve({ solver: highsBackend({ maxColumns: 100 }) })).rejects.toThrow(/decomposition/);
    await expect(m.solve({ solver: lpSolverBackend({ maxColumns: 10 }) })).rejects.toThrow(/pairs/);
  });
});

describe('array-likes (issue 12)', () => {
  it('a negative, fractional or huge length is an InvalidInputError naming the column', async () => {
    const { customersFromColumns, InvalidInputError } = await import('../src/index.js');
    for (const length of [-1, 2.5, 1e12, Number.NaN]) {
      expect(() => customersFromColumns({ id: { length } as never, churnProbability: [], value: [] })).toThrow(
        InvalidInputError,
      );
      expect(() => customersFromColumns({ id: { length } as never, churnProbability: [], value: [] })).toThrow(
        /customers\.id|id/,
      );
    }
  });
});
