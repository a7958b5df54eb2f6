import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byChannel,
  callQueue,
  contactLimit,
  coverage,
  emailList,
  InvalidInputError,
  ratio,
  RetentionModel,
  saturation,
  type ActionSpec,
  type ModelJSON,
} from '../src/index.js';
import { checkPlan, modelArbitrary } from '../src/testing/index.js';
import { optionsOf, optionValue } from '../src/testing/check-plan.js';
import { expectDecompositionWithinGap } from './helpers/agreement.js';

const catalog: ActionSpec[] = [
  { id: 'email', channel: 'email', cost: 1, uplift: 0.1 },
  { id: 'call', channel: 'call', cost: 20, uplift: 0.4, upliftBySegment: { Premium: 0.5 } },
  { id: 'push', channel: 'push', cost: 0.5, uplift: 0.05 },
];
const n = 30;
const customers = {
  id: Array.from({ length: n }, (_, i) => `c${i}`),
  churnProbability: Array.from({ length: n }, (_, i) => 0.2 + (i % 7) / 10),
  value: Array.from({ length: n }, (_, i) => 200 + 13 * i),
  segment: Array.from({ length: n }, (_, i) => (i % 3 ? 'Free' : 'Premium')),
};
const base = RetentionModel.create().actions(catalog).customers(customers);
const given = (plan: {
  treated(): Iterable<{ customer: string | number; action: { id: string; members?: readonly string[] } }>;
}) => new Map([...plan.treated()].map((t) => [t.customer, t.action.members ?? [t.action.id]]));

describe('several actions per customer', () => {
  it('expands the catalog into bundles with summed cost and combined uplift', () => {
    const m = base.maxActionsPerCustomer(2);
    const p = m.problem();
    expect(p.K).toBe(6); // 3 actions + 3 pairs
    const f = p.valueFactors!;
    const premium = customers.segment.indexOf('Premium');
    const k = 3 + 0; // email+call
    const u = f.uplift[f.segment[premium]! * p.K + k]!;
    expect(u).toBeCloseTo(1 - (1 - 0.1) * (1 - 0.5), 12);
    expect(f.cost[k]).toBe(21);
    expect(
      base.maxActionsPerCustomer(2, { combine: 'max' }).problem().valueFactors!.uplift[f.segment[premium]! * p.K + k],
    ).toBe(0.5);
    expect(base.maxActionsPerCustomer(2, { combine: { 'email+call': 0.55 } }).problem().valueFactors!.uplift[k]).toBe(
      0.55,
    );
    expect(base.maxActionsPerCustomer(3).problem().K).toBe(7);
    expect(base.maxActionsPerCustomer(2, { neverTogether: [['email', 'push']] }).problem().K).toBe(5);
  });

  it('names bad settings', () => {
    expect(() => base.maxActionsPerCustomer(0)).toThrow(/maxActionsPerCustomer\.max/);
    expect(() => base.maxActionsPerCustomer(2, { neverTogether: [['email', 'fax']] })).toThrow(
      /neverTogether\[0\]: unknown action "fax"/,
    );
    expect(() => base.maxActionsPerCustomer(2, { combine: { 'call+email': 0.3 } })).toThrow(
      /combine\.call\+email: no bundle/,
    );
    expect(() => base.maxActionsPerCustomer(2, { requires: [{ action: 'call', with: 'call' }] })).toThrow(
      InvalidInputError,
    );
  });

  it('capacities and saturation count each action of a bundle, coverage counts the customer once', async () => {
    const model = base
      .maxActionsPerCustomer(2)
      .capacity('call', 4)
      .use(saturation({ action: 'email', maxCount: 10 }))
      .use(coverage({ where: { segment: { eq: 'Premium' } }, max: 0.5 }));
    const plan = await model.solve({ solver: 'highs' });
    const g = given(plan);
    const count = (id: string) => [...g.values()].filter((m) => m.includes(id)).length;
    expect(count('call')).toBeLessThanOrEqual(4);
    expect(count('email')).toBeLessThanOrEqual(10);
    expect([...g.values()].some((m) => m.length === 2)).toBe(true);
    const premiumTreated = [...g.keys()].filter(
      (id) => customers.segment[customers.id.indexOf(id as string)] === 'Premium',
    );
    expect(premiumTreated.length).toBeLessThanOrEqual(5);
    expect(checkPlan(model, plan).violations).toEqual([]);
    // Send lists give one row per action: a customer with email + call is on both.
    const both = [...g].filter(([, m]) => m.includes('email') && m.includes('call')).map(([id]) => id);
    for (const id of both) {
      expect(
        emailList(plan)
          .objects()
          .some((r) => r.customer === id && r.action === 'email'),
      ).toBe(true);
      expect(
        callQueue(plan)
          .objects()
          .some((r) => r.customer === id && r.action === 'call'),
      ).toBe(true);
    }
    const channels = Object.fromEntries(
      byChannel(plan)
        .objects()
        .map((r) => [r.channel, r.customers]),
    );
    expect(channels).toMatchObject({ email: count('email'), call: count('call'), push: count('push') });
  });

  it('a bundle of two actions through one channel takes two of its capacity', async () => {
    const twoEmails = RetentionModel.create()
      .actions([...catalog, { id: 'offer', channel: 'email', cost: 2, uplift: 0.3 }])
      .customers(customers)
      .maxActionsPerCustomer(2)
      .capacity('email', 40);
    const plan = await twoEmails.solve({ solver: 'highs' });
    let emails = 0;
    for (const m of given(plan).values()) emails += m.filter((id) => id === 'email' || id === 'offer').length;
    // 30 customers, 40 email contacts: some customers get both, and each counts twice.
    expect([...given(plan).values()].some((m) => m.includes('email') && m.includes('offer'))).toBe(true);
    expect(emails).toBeLessThanOrEqual(40);
    expect(plan.rows[0]!.lhs).toBe(emails);
  });

  it('a contact limit counts the contacts a bundle adds; requires reads the history', async () => {
    const history = { customerId: ['c0', 'c1'], action: ['email', 'call'], week: [47, 47] };
    const model = base
      .history(history, { asOf: 48 })
      .maxActionsPerCustomer(2, { requires: [{ action: 'push', with: 'call' }] })
      .use(contactLimit({ max: 2, days: 14 }));
    const plan = await model.solve({ solver: 'highs' });
    const g = given(plan);
    expect((g.get('c0') ?? []).length).toBeLessThanOrEqual(1); // one contact last week, at most 2 in 14 days
    for (const [id, m] of g) if (m.includes('push') && !m.includes('call')) expect(id).toBe('c1');
    expect(checkPlan(model, plan).violations).toEqual([]);
    const why = model.explain('c0').actions.find((a) => a.action === 'email+call')!;
    expect(why.allowed).toBe(false);
    expect(why.blockedBy[0]!.reason).toMatch(/1 contact in the last 14 days/);
    const push = model.explain('c2').actions.find((a) => a.action === 'push')!;
    expect(push.blockedBy[0]!.reason).toMatch(/"push" only together with "call" or after it/);
  });

  it('ratios count a customer once (count) or the cost of the actions selected (spend)', async () => {
    const model = base.maxActionsPerCustomer(2).use(ratio({ part: { channels: ['call'] }, max: 0.25 }));
    const plan = await model.solve({ solver: 'highs' });
    const g = [...given(plan).values()];
    expect(g.filter((m) => m.includes('call')).length).toBeLessThanOrEqual(0.25 * g.length);
    expect(checkPlan(model, plan).violations).toEqual([]);
  });

  it('round-trips through the model and plan files', async () => {
    const model = base
      .maxActionsPerCustomer(2, { neverTogether: [['email', 'push']], combine: { 'email+call': 0.7 } })
      .budget(200);
    const doc = JSON.parse(JSON.stringify(model.toJSON()));
    expect(doc.maxActionsPerCustomer).toEqual({
      max: 2,
      neverTogether: [['email', 'push']],
      combine: { 'email+call': 0.7 },
    });
    const again = RetentionModel.fromJSON(doc);
    const plan = await again.solve({ solver: 'highs' });
    expect(plan.assignments.objects().some((r) => r.action.includes('+'))).toBe(true);
    const read = again.readPlan(JSON.parse(JSON.stringify(plan.toJSON())));
    expect(read.objective).toBeCloseTo(plan.objective, 9);
    expect(checkPlan(again, plan).violations).toEqual([]);
  });
});

// Every assignment of options (or none) to every customer, scored by the testing kit's reading of the files.
function bruteForce(doc: ModelJSON): number | null {
  const options = [...optionsOf(doc)];
  const N = doc.customers.id.length;
  if ((options.length + 1) ** N > 40_000) throw new Error('too large to enumerate');
  let best: number | null = null;
  const pick = new Array<number>(N).fill(-1);
  const rec = (i: number) => {
    if (i === N) {
      const assignments = pick.flatMap((o, c) =>
        o < 0 ? [] : [{ customer: doc.customers.id[c]!, action: options[o]![0], expectedValue: 0, holdout: false }],
      );
      const check = checkPlan(doc, {
        format: 'retention-plan/v1',
        model: '',
        status: 'optimal',
        objective: null,
        bound: null,
        gap: null,
        solver: { name: '', seconds: 0 },
        assignments,
        constraints: [],
      });
      if (check.violations.every((v) => v.startsWith('objective')))
        if (best === null || check.objective > best) best = check.objective;
      return;
    }
    for (let o = -1; o < options.length; o++) {
      pick[i] = o;
      rec(i + 1);
    }
  };
  rec(0);
  return best;
}

// highs on a tiny model: infeasible exactly when enumeration finds no plan, else a plan that breaks
// nothing and is worth the enumerated optimum.
async function expectBundleOptimum(doc: ModelJSON): Promise<void> {
  const best = bruteForce(doc);
  const model = RetentionModel.fromJSON(doc);
  const plan = await model.solve({ solver: 'highs', gapTolerance: 1e-9 });
  if (best === null) {
    expect(plan.status).toBe('infeasible');
    return;
  }
  expect(checkPlan(model, plan).violations).toEqual([]);
  expect(Math.abs(plan.objective - best)).toBeLessThan(1e-6 * Math.max(1, Math.abs(best)));
}

describe('several actions per customer: properties', () => {
  it('highs reaches the brute-force optimum over bundles, and the plan breaks nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        modelArbitrary({ maxCustomers: 4, maxActions: 3, multi: true, ratios: true }),
        expectBundleOptimum,
      ),
      { numRuns: 60, seed: 47 },
    );
  });

  it('uplifts and costs per customer: highs reaches the brute-force optimum over bundles', async () => {
    await fc.assert(
      fc.asyncProperty(
        modelArbitrary({ maxCustomers: 4, maxActions: 3, multi: true, perCustomer: true }),
        expectBundleOptimum,
      ),
      { numRuns: 40, seed: 61 },
    );
  });

  it('with policies too, the decomposition agrees with highs within its gap on known-feasible models', async () => {
    await fc.assert(
      fc.asyncProperty(
        modelArbitrary({ maxCustomers: 25, maxActions: 4, multi: true, history: true, knownFeasible: true }),
        async (doc) => {
          await expectDecompositionWithinGap(doc);
        },
      ),
      { numRuns: 150, seed: 53 },
    );
  });

  it('the option values the solver maximizes are the ones the files give, uplifts and costs per customer included', () => {
    fc.assert(
      fc.property(
        fc
          .boolean()
          .chain((perCustomer) => modelArbitrary({ maxCustomers: 6, maxActions: 4, multi: true, perCustomer })),
        (doc) => {
          const p = RetentionModel.fromJSON(doc).problem();
          const options = [...optionsOf(doc).values()];
          expect(p.K).toBe(options.length);
          for (let i = 0; i < p.n; i++)
            options.forEach((members, k) => {
              if (p.values[i * p.K + k] === -Infinity) return;
              expect(p.values[i * p.K + k]).toBeCloseTo(optionValue(doc, i, members), 9);
            });
        },
      ),
      { numRuns: 80, seed: 59 },
    );
  });
});
