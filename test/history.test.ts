import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contactHistory,
  contactLimit,
  coverage,
  exclude,
  InvalidInputError,
  loadContactHistory,
  minDaysBetween,
  noRepeat,
  RetentionModel,
  suppress,
  validateActions,
  type ActionSpec,
} from '../src/index.js';
import { checkPlan, modelArbitrary } from '../src/testing/index.js';
import { idIndex } from '../src/data/id-index.js';
import { joinHistory } from '../src/data/history-view.js';
import { policyBlocks } from './helpers/independent-check.js';
import { expectBruteForceOptimum, expectDecompositionWithinGap } from './helpers/agreement.js';

const catalog: ActionSpec[] = [
  { id: 'email', channel: 'email', cost: 1, uplift: 0.1 },
  { id: 'offer', channel: 'email', cost: 10, uplift: 0.3 },
  { id: 'call', channel: 'call', cost: 20, uplift: 0.4 },
];
const customers = {
  id: ['a', 'b', 'c', 'd', 'e'],
  churnProbability: [0.9, 0.9, 0.9, 0.9, 0.9],
  value: [500, 500, 500, 500, 500],
};
const base = RetentionModel.create().actions(catalog).customers(customers);
const ids = (plan: { treated(): Iterable<{ customer: string | number; action: { id: string } }> }) =>
  Object.fromEntries([...plan.treated()].map((t) => [t.customer, t.action.id]));

describe('contact history: reading and joining', () => {
  it('reads dates and weeks, and names the row of a bad cell', async () => {
    const h = await loadContactHistory(
      'customer_id,action,channel,date,outcome\n007,email,,2026-11-23,retained\n8,call,call,2026-11-16,\n',
    );
    expect(h.customerId).toEqual(['007', '8']); // ids as text, byte for byte
    expect(h.channel).toEqual([undefined, 'call']);
    expect(h.outcome).toEqual(['retained', undefined]);
    expect(h.day[0]! - h.day[1]!).toBe(7);
    expect(() => contactHistory({ customerId: ['a'], action: ['email'], date: ['2026-02-30'] })).toThrow(
      /history\.date\[0\]: is not a calendar date/,
    );
    expect(() => contactHistory({ customerId: ['a'], action: ['email'], week: [4.5] })).toThrow(/history\.week\[0\]/);
    expect(() => contactHistory({ customerId: ['a'], action: ['email'], week: [4], date: ['2026-01-01'] })).toThrow(
      /exactly one of date/,
    );
    expect(() => contactHistory({ customerId: ['a', 'b'], action: ['email'], week: [4, 5] })).toThrow(
      /history\.action: must have length 2/,
    );
    await expect(loadContactHistory('customer_id,action,wek\n1,email,4\n')).rejects.toThrow(/unknown column "wek"/);
    // Other names, and columns left unread on purpose.
    const named = await loadContactHistory('member,offer,sent_on,campaign\n0042,call,2026-11-20,bf\n', {
      columns: { customerId: 'member', action: 'offer', date: 'sent_on' },
      ignore: ['campaign'],
    });
    expect([named.customerId[0], named.action[0], named.unit]).toEqual(['0042', 'call', 'date']);
    await expect(
      loadContactHistory('customer_id,action,week\n1,email,4\n', { columns: { date: 'sent' } }),
    ).rejects.toThrow(/options\.columns\.date: column "sent" not found/);
  });

  it('counts contacts of unknown customers in warnings, and rejects contacts after the plan date', () => {
    const m = base.history({
      customerId: ['a', 'zz', 'zz', 'yy'],
      action: ['email', 'email', 'call', 'call'],
      week: [1, 1, 2, 2],
    });
    expect(m.warnings.join('\n')).toMatch(/3 contacts of 2 customer ids not among the customers \("zz", "yy"\)/);
    expect(() => base.history({ customerId: ['a'], action: ['email'], week: [9] }, { asOf: 8 })).toThrow(
      /history\.week\[0\]: contact of customer "a" is dated week 9, after the plan date week 8/,
    );
    expect(() => base.history({ customerId: ['a'], action: ['sms'], week: [1] })).toThrow(
      /history\.channel\[0\]: action "sms" is not in the catalog, so the contact needs its channel/,
    );
    // An action no longer in the catalog still counts toward its channel.
    const old = base
      .history({ customerId: ['a'], action: ['sms'], channel: ['email'], week: [7] }, { asOf: 8 })
      .use(minDaysBetween({ channel: 'email', days: 14 }));
    expect(old.explain('a').actions.map((a) => a.allowed)).toEqual([false, false, true]);
  });

  it('a policy without a history is an error, not a rule that allows everything', async () => {
    await expect(base.use(suppress()).solve()).rejects.toThrow(
      /constraints\.suppress: is a contact policy and the model has no contact history/,
    );
  });
});

describe('contact policies', () => {
  // a: emailed last week; b: called 3 weeks ago and emailed 2 weeks ago; c: opted out; d: nothing.
  const history = {
    customerId: ['a', 'b', 'b', 'c', 'e'],
    action: ['email', 'call', 'offer', 'email', 'call'],
    week: [47, 45, 46, 40, 44],
    outcome: [null, null, null, 'opted_out', null],
  };
  const withHistory = base.history(history, { asOf: 48 });

  it('at most N contacts in D days, overall', async () => {
    const plan = await withHistory.use(contactLimit({ max: 2, days: 28 })).solve({ solver: 'highs' });
    // b has 2 contacts within 28 days (weeks 45, 46): held back; e's week-44 contact is 28 days old, out of the window.
    expect(ids(plan)).toEqual({ a: 'call', c: 'call', d: 'call', e: 'call' });
    expect(plan.heldBack).toEqual([
      {
        constraint: 'contact-limit:any:2/28d',
        type: 'contact-limit',
        customers: 1,
        allActions: 1,
        pairs: 3,
        enforced: true,
      },
    ]);
  });

  it('per channel, per action, days between contacts, suppression; each explained with the deciding contact', async () => {
    const m = withHistory
      .use(minDaysBetween({ channel: 'call', days: 28 }))
      .use(noRepeat({ days: 14 }))
      .use(suppress());
    const plan = await m.solve({ solver: 'highs' });
    // b: call blocked (called 21 days ago); its offer was 14 days ago, just outside the 14-day no-repeat
    // window; c opted out; e's call was 28 days ago, outside the 28-day gap.
    expect(ids(plan)).toEqual({ a: 'call', b: 'offer', d: 'call', e: 'call' });
    const why = m.explain('b');
    expect(why.actions.find((a) => a.action === 'call')!.blockedBy[0]).toMatchObject({
      rule: 'min-days-between:call:28d',
      contact: { row: 1, action: 'call', when: 'week 45' },
    });
    const c = m.explain('c').actions[0]!;
    expect(c.allowed).toBe(false);
    expect(c.blockedBy[0]!.reason).toMatch(/outcome "opted_out" after "email" on week 40/);
    expect(m.explain('d').actions.every((a) => a.allowed)).toBe(true);
    // e was called 28 days ago: just outside a 28-day window.
    expect(m.explain('e').actions.every((a) => a.allowed)).toBe(true);
    expect(() => m.explain('nobody')).toThrow(InvalidInputError);
    // Rules without an explain of their own: exclusions say so; rules that only add rows say nothing.
    const other = withHistory
      .use(exclude({ name: 'vip-hold', where: { id: { eq: 'd' } } }))
      .use(coverage({ where: { value: { gt: 0 } }, min: 0.1 }));
    expect(other.explain('d').actions[0]!.blockedBy).toEqual([
      { rule: 'vip-hold', type: 'exclude', reason: 'excluded from every action' },
    ]);
    expect(other.explain('a').actions.every((x) => x.allowed)).toBe(true);
  });

  it('unknown channel or action in a policy names the path', async () => {
    await expect(withHistory.use(contactLimit({ max: 1, days: 7, channel: 'fax' })).solve()).rejects.toThrow(
      /constraints\.contact-limit:fax:1\/7d\.channel: unknown channel "fax"/,
    );
    expect(() => contactLimit({ max: 0, days: 7 })).toThrow(/contactLimit\.max: must be a whole number ≥ 1/);
    expect(() => contactLimit({ max: 1, days: 7, channel: 'call', per: 'action' })).toThrow(/does not go with channel/);
  });

  it('round-trips through the model file, dates included', async () => {
    const m = base
      .history(
        {
          customerId: ['a', 'b'],
          action: ['email', 'call'],
          date: ['2026-11-23', '2026-11-02'],
          channel: [null, 'call'] as never,
        },
        { asOf: '2026-11-30' },
      )
      .use(contactLimit({ max: 1, days: 28, channel: 'call' }))
      .use(noRepeat({ days: 14 }));
    const doc = JSON.parse(JSON.stringify(m.toJSON()));
    expect(doc.history).toEqual({
      asOf: '2026-11-30',
      customerId: ['a', 'b'],
      action: ['email', 'call'],
      channel: [null, 'call'],
      date: ['2026-11-23', '2026-11-02'],
    });
    const again = RetentionModel.fromJSON(doc);
    const [p, q] = [await m.solve({ solver: 'highs' }), await again.solve({ solver: 'highs' })];
    expect(ids(q)).toEqual(ids(p));
    expect(checkPlan(again, q).violations).toEqual([]);
    expect(() => RetentionModel.fromJSON({ ...doc, history: { ...doc.history, wek: [1] } })).toThrow(/history\.wek/);
  });
});

describe('contact policies: properties against highs and a literal reading of the rules', () => {
  it('highs reaches the brute-force optimum, and no plan breaks a policy', async () => {
    await fc.assert(
      fc.asyncProperty(modelArbitrary({ maxCustomers: 6, maxActions: 3, history: true }), async (doc) => {
        const assign = await expectBruteForceOptimum(doc);
        assign?.forEach((k, i) => {
          if (k >= 0) expect(policyBlocks(doc, i, k)).toBe(false);
        });
      }),
      { numRuns: 120, seed: 13 },
    );
  });

  it('the decomposition agrees with highs within its reported gap on known-feasible models with policies', async () => {
    await fc.assert(
      fc.asyncProperty(
        modelArbitrary({ maxCustomers: 30, maxActions: 4, history: true, knownFeasible: true }),
        async (doc) => {
          await expectDecompositionWithinGap(doc);
        },
      ),
      { numRuns: 60, seed: 29 },
    );
  });
});

describe('contact policies at size', () => {
  it('30,000 customers with four weeks of history: the plan breaks no policy (checkPlan, from the files)', async () => {
    const n = 30_000;
    const ids = Array.from({ length: n }, (_, i) => `c${i}`);
    const actions = ['email', 'offer', 'call'];
    const history = {
      customerId: [] as string[],
      action: [] as string[],
      week: [] as number[],
      outcome: [] as (string | null)[],
    };
    for (let week = 44; week <= 47; week++)
      for (let i = 0; i < n; i++) {
        const h = ((i + 1) * 2654435761 + week * 97) >>> 0;
        if (h % 100 >= 30) continue;
        history.customerId.push(ids[i]!);
        history.action.push(actions[(h >>> 8) % 3]!);
        history.week.push(week);
        history.outcome.push((h >>> 16) % 100 === 0 ? 'opted_out' : null);
      }
    const model = RetentionModel.create()
      .actions(catalog)
      .customers({
        id: ids,
        churnProbability: ids.map((_, i) => ((i * 7919) % 1000) / 1000),
        value: ids.map((_, i) => 100 + ((i * 104729) % 500)),
      })
      .budget(n * 2)
      .capacity('call', n / 20)
      .history(history, { asOf: 48 })
      .use(contactLimit({ max: 2, days: 28 }))
      .use(minDaysBetween({ channel: 'call', days: 28 }))
      .use(noRepeat({ days: 21 }))
      .use(suppress());
    const plan = await model.solve({ solver: 'decomposition' });
    expect(plan.status).toBe('optimal');
    expect(plan.heldBack.every((h) => h.customers > 0)).toBe(true);
    expect(checkPlan(model, plan).violations).toEqual([]);
  });
});

describe('the join, at speed', () => {
  it('finds ids as text: 7 and "7" are one id, "007" another, whatever path the index takes', () => {
    const dense = idIndex([5, 6, 7, '8']);
    expect([
      dense.find(7),
      dense.find('7'),
      dense.find('007'),
      dense.find(8),
      dense.find(9),
      dense.find('7.0'),
    ]).toEqual([2, 2, -1, 3, -1, -1]);
    const text = idIndex(['a', 7, '007']);
    expect([text.find('7'), text.find(7), text.find('007'), text.find('b')]).toEqual([1, 1, 2, -1]);
    const sparse = idIndex([1, 1e12]);
    expect([sparse.find('1000000000000'), sparse.find(1)]).toEqual([1, 0]);
    expect(idIndex([3, '3']).duplicates).toBe(true);
  });

  it("each customer's contacts run newest first, ties in file order", () => {
    const h = contactHistory({
      customerId: ['b', 'a', 'b', 'b', 'a'],
      action: ['email', 'call', 'offer', 'call', 'email'],
      week: [40, 46, 47, 40, 46],
    });
    const cust = RetentionModel.create().actions(catalog).customers(customers).customerData!;
    const view = joinHistory(h, cust, validateActions(catalog), { asOf: 48 });
    const rowsOf = (i: number) => Array.from(view.row.subarray(view.start[i], view.start[i + 1]));
    expect(rowsOf(0)).toEqual([1, 4]); // a: week 46 twice, in file order
    expect(rowsOf(1)).toEqual([2, 0, 3]); // b: 47, then the two of week 40 in file order
    expect(Array.from(view.day.subarray(view.start[1], view.start[2]))).toEqual([47 * 7, 40 * 7, 40 * 7]);
  });
});
