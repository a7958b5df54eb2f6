import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, RetentionModel, loadActions, withUpliftColumns } from '../src/index.js';
import { catalog, columns } from './helpers/small-model.js';

const dir = mkdtempSync(join(tmpdir(), 'ro-catalog-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

// The reference project's catalog, as published: a "No Action" row and a value tier in eligible_segment.
const REFERENCE = [
  'action_id,action_name,channel,cost,uplift,eligible_segment',
  '0,No Action,none,0,0.00,all',
  '1,Personalized Email,email,2,0.08,all',
  '2,20% Discount Offer,email,20,0.15,all',
  '3,Premium Trial (Free users),in_app,10,0.25,Free',
  '4,Family Plan Upgrade,email,15,0.18,Premium',
  '5,Retention Specialist Call,call,50,0.30,high_value',
  '6,VIP Concierge Service,call,100,0.40,high_value',
  '7,Win-Back Email Series,email,30,0.22,all',
].join('\n');

describe('catalog CSVs that went silently wrong (issue 10, part 3)', () => {
  it('a no-action row is left out, and the warning names its row', async () => {
    const { actions, warnings } = await loadActions(file('ref.csv', REFERENCE));
    expect(actions.map((a) => a.id)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^actions\[row 1\]: "No Action" \(cost 0, uplift 0\) is a no-action row: left out/);
  });

  it('an eligibility value no customer has is a model warning listing the values there are, carried into the plan', async () => {
    const loaded = await loadActions(file('ref2.csv', REFERENCE));
    const model = RetentionModel.create().actions(loaded).customers(columns(40)).budget(100);
    const w = model.warnings;
    expect(w[0]).toMatch(/no-action row/);
    expect(w).toContain(
      'actions[4].eligible.segment.in[0]: "high_value" matches no customer (segment values: Free, Premium, Family, Student)',
    );
    expect(w).toContain('actions[4] "5": eligible for no customer, so it is never chosen');
    expect(w).toContain('actions[5] "6": eligible for no customer, so it is never chosen');
    const plan = await model.solve({ solver: 'highs' });
    expect(plan.warnings).toEqual(w);
  });

  it('a tier named in options makes high_value a filter on value', async () => {
    const { actions } = await loadActions(file('ref3.csv', REFERENCE), {
      tiers: { high_value: { value: { gt: 300, lte: 1000 } } },
    });
    expect(actions[4]!.eligible).toEqual({ value: { gt: 300, lte: 1000 } });
    const model = RetentionModel.create().actions(actions).customers(columns(40));
    expect(model.warnings).toEqual([]);
    const mask = model.problem().eligible;
    const cols = columns(40);
    for (let i = 0; i < 40; i++) expect(mask[i * 7 + 4]).toBe(cols.value[i]! > 300 ? 1 : 0);
  });

  it('segments and tiers mix with "|", and a filter column holds JSON filters', async () => {
    const { actions } = await loadActions(
      file(
        'mix.csv',
        'action_id,channel,cost,uplift,eligible_segment,eligible\na,call,5,0.2,Premium|high_value,\nb,email,1,0.1,,"{""churnProbability"":{""gt"":0.5}}"\nc,email,1,0.1,Free,"{""value"":{""lt"":100}}"\n',
      ),
      { tiers: { high_value: { value: { gt: 300 } } } },
    );
    expect(actions[0]!.eligible).toEqual({ any: [{ segment: { in: ['Premium'] } }, { value: { gt: 300 } }] });
    expect(actions[1]!.eligible).toEqual({ churnProbability: { gt: 0.5 } });
    expect(actions[2]!.eligible).toEqual({ all: [{ segment: { in: ['Free'] } }, { value: { lt: 100 } }] });
  });

  it('a garbled filter cell and a bad tier are errors naming the row', async () => {
    await expect(
      loadActions(file('bad.csv', 'action_id,channel,cost,uplift,eligible\na,call,5,0.2,{value>3}\n')),
    ).rejects.toMatchObject({ path: 'actions[row 1].eligible' });
    await expect(
      loadActions(file('ok.csv', 'action_id,channel,cost,uplift\na,call,5,0.2\n'), { tiers: { x: 3 as never } }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      loadActions(file('ok2.csv', 'action_id,channel,cost,uplift\na,call,5,0.2\n'), { tier: {} } as never),
    ).rejects.toThrow(/tier/);
  });

  it('a catalog action with cost 0 and uplift 0 given to the builder is a warning', () => {
    const model = RetentionModel.create()
      .actions([...catalog, { id: 'none', channel: 'none', cost: 0, uplift: 0 }])
      .customers(columns(10));
    expect(model.warnings[0]).toMatch(/^actions\[3\] "none": cost 0 and uplift 0/);
  });

  it('per-customer figures: uplift_column, cost_column and cost_share columns, and withUpliftColumns', async () => {
    const { actions, warnings } = await loadActions(
      file(
        'pc.csv',
        'action_id,channel,cost,uplift,uplift_column,cost_column,cost_share\nemail,email,2,0.08,uplift_email,,\ndiscount,email,0,0.15,,fee,0.2\nfree,email,0,0,uplift_free,,\n',
      ),
    );
    expect(warnings).toEqual([]);
    expect(actions).toEqual([
      { id: 'email', name: 'email', channel: 'email', cost: 2, uplift: 0.08, upliftColumn: 'uplift_email' },
      {
        id: 'discount',
        name: 'discount',
        channel: 'email',
        cost: 0,
        uplift: 0.15,
        costPerCustomer: { column: 'fee', share: 0.2 },
      },
      { id: 'free', name: 'free', channel: 'email', cost: 0, uplift: 0, upliftColumn: 'uplift_free' },
    ]);
    await expect(
      loadActions(file('pc2.csv', 'action_id,channel,cost,uplift,cost_share\na,email,1,0.1,0.5\n')),
    ).rejects.toMatchObject({ path: 'actions[row 1].cost_share' });
    expect(withUpliftColumns(catalog, 'u:{id}').map((a) => a.upliftColumn)).toEqual([
      'u:email',
      'u:discount',
      'u:call',
    ]);
  });

  it('a per-customer column that is missing, out of range or not a number is an error naming the action, row and value', () => {
    const cols = columns(6);
    const attrs = { ...cols.attributes, uplift_email: [0.1, 0.2, 1.5, 0.1, 0.1, 0.1], fee: [10, 10, 10, 'x', 10, 10] };
    const at = (specs: typeof catalog) => () =>
      RetentionModel.create()
        .actions(specs)
        .customers({ ...cols, attributes: attrs as never });
    expect(at([{ ...catalog[0]!, upliftColumn: 'uplift_mail' }])).toThrow(
      /actions\[0\]\.upliftColumn: action "email": no customer column "uplift_mail"/,
    );
    expect(at([{ ...catalog[0]!, upliftColumn: 'uplift_email' }])).toThrow(
      /customers\.uplift_email\[2\]: action "email" reads an uplift in \[0, 1\] here \(got 1\.5; customer "c2"\)/,
    );
    expect(at([{ ...catalog[0]!, costPerCustomer: { column: 'fee' } }])).toThrow(/customers\.fee\[3\].*"x"/);
    expect(() =>
      RetentionModel.create().actions([{ ...catalog[0]!, costPerCustomer: { column: 'fee', share: -1 } }]),
    ).toThrow(/costPerCustomer\.share/);
    expect(() => RetentionModel.create().actions([{ ...catalog[0]!, upliftScale: 0.5 }])).toThrow(
      /scales an upliftColumn/,
    );
  });
});
