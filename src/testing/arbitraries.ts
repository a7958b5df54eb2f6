import fc from 'fast-check';
import type { ModelJSON } from '../model/serialize.js';
import { matches, pairCost, policyBreach, ratioSums, requiresBreach } from './check-plan.js';

type ActionDoc = ModelJSON['actions'][number];
type CustomersDoc = ModelJSON['customers'];
type ConstraintDoc = NonNullable<ModelJSON['constraints']>[number];

const SEGMENTS = ['Free', 'Premium', 'Family'];
const CHANNELS = ['email', 'call', 'push'];

/**
 * Sizes of generated models.
 *
 * @example
 * ```ts
 * const options: ModelArbitraryOptions = { maxCustomers: 12, knownFeasible: true, perCustomer: true };
 * ```
 */
export interface ModelArbitraryOptions {
  /** Most customers (default 30). Some are duplicates of others: ties are the hard case for solvers. */
  maxCustomers?: number;
  /** Fewest customers (default 1). */
  minCustomers?: number;
  /** Most actions (default 4). */
  maxActions?: number;
  /** Most constraints (default 5). */
  maxConstraints?: number;
  /**
   * Only models with a plan: a random plan is drawn and every limit is loosened
   * until that plan meets it (default false: some models are infeasible).
   */
  knownFeasible?: boolean;
  /**
   * Uplift and cost per customer, as an uplift model gives them: every action
   * reads its uplift from a column `uplift_<id>`, and some have a cost per
   * customer (a share of a `fee` column, or a column `cost_<id>`) (default false).
   */
  perCustomer?: boolean;
  /**
   * A contact history (0–3 contacts per customer in weeks 44–47, a few
   * opted out; plan week 48) and 1–3 contact policies: limits overall, per
   * channel and per action, and suppression (default false).
   */
  history?: boolean;
  /** 1–2 ratio constraints (calls among treated, spend on a segment, one action among some channels) (default false). */
  ratios?: boolean;
  /**
   * Up to two actions per customer (`maxActionsPerCustomer`), sometimes with the first two actions
   * never together, sometimes with the last only after or with the first, sometimes combining by `max`
   * (default false).
   */
  multi?: boolean;
}

/**
 * Catalogs: 1 to `maxActions` actions on three channels, costs 0–20,
 * uplifts 0–0.5, some with a Premium uplift or segment eligibility.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(catalogArbitrary(), (actions) => actions.length > 0));
 * ```
 */
export function catalogArbitrary(options: Pick<ModelArbitraryOptions, 'maxActions'> = {}): fc.Arbitrary<ActionDoc[]> {
  const action = fc.record({
    channel: fc.constantFrom(...CHANNELS),
    cost: fc.integer({ min: 0, max: 20 }),
    uplift: fc.constantFrom(0, 0.1, 0.2, 0.3, 0.5),
    premiumUplift: fc.option(fc.constantFrom(0.1, 0.25), { nil: undefined }),
    eligibleSegments: fc.option(fc.subarray(SEGMENTS, { minLength: 1 }), { nil: undefined }),
  });
  return fc.array(action, { minLength: 1, maxLength: options.maxActions ?? 4 }).map((actions) =>
    actions.map((a, k) => ({
      id: `a${k}`,
      channel: a.channel,
      cost: a.cost,
      uplift: a.uplift,
      ...(a.premiumUplift !== undefined ? { upliftBySegment: { Premium: a.premiumUplift } } : {}),
      ...(a.eligibleSegments ? { eligible: { segment: { in: a.eligibleSegments } } } : {}),
    })),
  );
}

/**
 * Customer tables in the model file's columnar form: probabilities (often
 * 0, 0.5, 1), values 0–800, a segment, a `region` and a `dnc` flag, with
 * duplicated customers (identical rows tie at every price).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(customersArbitrary({ maxCustomers: 10 }), (c) => c.id.length <= 10));
 * ```
 */
export function customersArbitrary(
  options: Pick<ModelArbitraryOptions, 'minCustomers' | 'maxCustomers'> = {},
): fc.Arbitrary<CustomersDoc> {
  const max = options.maxCustomers ?? 30;
  const customer = fc.record({
    p: fc.oneof(
      fc.constantFrom(0, 0.2, 0.5, 0.8, 1),
      fc.integer({ min: 0, max: 1000 }).map((x) => x / 1000),
    ),
    v: fc.integer({ min: 0, max: 800 }),
    segment: fc.constantFrom(...SEGMENTS),
    region: fc.constantFrom('EU', 'US'),
    dnc: fc.boolean(),
  });
  return fc
    .record({
      base: fc.array(customer, { minLength: options.minCustomers ?? 1, maxLength: max }),
      dupes: fc.array(fc.nat(), { maxLength: 3 }),
    })
    .map(({ base, dupes }) => {
      const rows = base.concat(dupes.map((d) => base[d % base.length]!)).slice(0, max);
      return {
        id: rows.map((_, i) => `c${i}`),
        churnProbability: rows.map((r) => r.p),
        value: rows.map((r) => r.v),
        segment: rows.map((r) => r.segment),
        attributes: { region: rows.map((r) => r.region), dnc: rows.map((r) => r.dnc) },
      };
    });
}

type Seed = (actions: ActionDoc[]) => ConstraintDoc;

/**
 * Constraint sets for a catalog: budgets, channel capacities, coverage floors
 * and quotas, saturation caps, fairness floors by segment or region, and a
 * no-contact exclusion (each name at most once).
 *
 * @example
 * ```ts
 * const models = catalogArbitrary().chain((actions) => constraintsArbitrary(actions));
 * ```
 */
export function constraintsArbitrary(
  actions: ActionDoc[],
  options: Pick<ModelArbitraryOptions, 'maxConstraints'> = {},
): fc.Arbitrary<ConstraintDoc[]> {
  const seed: fc.Arbitrary<Seed> = fc.oneof(
    fc.integer({ min: 0, max: 120 }).map((max): Seed => () => ({ type: 'budget', name: 'budget', max })),
    fc.record({ ch: fc.nat(), max: fc.integer({ min: 0, max: 6 }) }).map(({ ch, max }): Seed => (as) => ({
      type: 'capacity',
      name: `cap-${as[ch % as.length]!.channel}`,
      channel: as[ch % as.length]!.channel,
      max,
    })),
    fc
      .record({
        which: fc.boolean(),
        min: fc.constantFrom(0.2, 0.5, 1),
        quota: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      })
      .map(({ which, min, quota }): Seed => () => ({
        type: 'coverage',
        name: which ? 'high-risk' : 'premium',
        where: which ? { churnProbability: { gt: 0.5 } } : { segment: { eq: 'Premium' } },
        ...(quota !== undefined ? { maxCount: quota } : { min }),
      })),
    fc
      .record({
        one: fc.boolean(),
        k: fc.nat(),
        max: fc.constantFrom(0.3, 0.5, 1),
        count: fc.integer({ min: 0, max: 4 }),
      })
      .map(
        ({ one, k, max, count }): Seed =>
          (as) =>
            one
              ? { type: 'saturation', name: 'sat-one', action: as[k % as.length]!.id, maxCount: count }
              : { type: 'saturation', name: 'sat-all', max },
      ),
    fc
      .record({ by: fc.constantFrom('segment', 'region'), min: fc.constantFrom(0.1, 0.3, 0.6) })
      .map(({ by, min }): Seed => () => ({ type: 'fairness', name: `fair-${by}`, by, min })),
    fc.constant<Seed>(() => ({ type: 'exclude', name: 'dnc', where: { dnc: { eq: true } } })),
  );
  return fc.array(seed, { maxLength: options.maxConstraints ?? 5 }).map((seeds) => {
    const seen = new Set<string>();
    return seeds.map((s) => s(actions)).filter((c) => !seen.has(c.name!) && (seen.add(c.name!), true));
  });
}

/**
 * Whole `retention-model/v1` documents (pass them to `RetentionModel.fromJSON`).
 * With `knownFeasible`, every model has a plan.
 *
 * @example
 * ```ts
 * fc.assert(fc.asyncProperty(modelArbitrary({ knownFeasible: true }), async (doc) => {
 *   const model = RetentionModel.fromJSON(doc);
 *   expect(checkPlan(model, await model.solve()).ok).toBe(true);
 * }));
 * ```
 */
export function modelArbitrary(options: ModelArbitraryOptions = {}): fc.Arbitrary<ModelJSON> {
  const N = options.maxCustomers ?? 30;
  const cells = N * (options.maxActions ?? 4);
  return fc
    .record({
      actions: catalogArbitrary(options),
      customers: customersArbitrary(options),
      witness: fc.array(fc.integer({ min: -2, max: 7 }), { minLength: N, maxLength: N }),
      // Per-customer uplifts (in hundredths), fees and costs; drawn always, used with `perCustomer`.
      uplifts: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: cells, maxLength: cells }),
      fees: fc.array(fc.constantFrom(0, 5, 10, 15), { minLength: N, maxLength: N }),
      costs: fc.array(fc.integer({ min: 0, max: 25 }), { minLength: cells, maxLength: cells }),
      // Per customer up to three past contacts: [week 44–47, action draw, opted out?]; used with `history`.
      contacts: fc.array(
        fc.array(fc.tuple(fc.integer({ min: 44, max: 47 }), fc.nat(11), fc.integer({ min: 0, max: 9 })), {
          maxLength: 3,
        }),
        { minLength: N, maxLength: N },
      ),
      policies: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
      // Ratio shapes and shares (in hundredths); used with `ratios`.
      multi: fc.record({ never: fc.boolean(), requires: fc.boolean(), max: fc.boolean() }),
      ratios: fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 5, max: 95 })), {
        minLength: 1,
        maxLength: 2,
        selector: ([shape]) => shape,
      }),
    })
    .chain(({ actions, customers, witness, uplifts, fees, costs, contacts, policies, ratios, multi }) => {
      const perCustomer = options.perCustomer
        ? withPerCustomerColumns(actions, customers, uplifts, fees, costs)
        : { actions, customers };
      return constraintsArbitrary(perCustomer.actions, options).map((constraints) => {
        let doc: ModelJSON = { format: 'retention-model/v1', name: 'generated', ...perCustomer, constraints };
        if (options.history) doc = withHistory(doc, contacts, policies);
        if (options.ratios) doc = withRatios(doc, ratios);
        if (options.multi) doc = withMulti(doc, multi);
        return options.knownFeasible ? loosenFor(doc, witness) : doc;
      });
    });
}

// Two actions per customer, with the rules drawn (a requires rule only where the catalog has 3 actions).
function withMulti(doc: ModelJSON, m: { never: boolean; requires: boolean; max: boolean }): ModelJSON {
  const ids = doc.actions.map((a) => a.id);
  return {
    ...doc,
    maxActionsPerCustomer: {
      max: 2,
      ...(m.never && ids.length >= 2 ? { neverTogether: [[ids[0]!, ids[1]!] as [string, string]] } : {}),
      ...(m.requires && ids.length >= 3 ? { requires: [{ action: ids[2]!, with: ids[0]! }] } : {}),
      ...(m.max ? { combine: 'max' as const } : {}),
    },
  };
}

// Ratio rows of four shapes: a channel among the treated (cap), spend on Premium (floor), one action
// among the first two channels (cap), Premium customers among the treated (floor and cap).
function withRatios(doc: ModelJSON, picks: [number, number][]): ModelJSON {
  const channels = [...new Set(doc.actions.map((a) => a.channel))];
  const made = picks.map(([shape, pct]): ConstraintDoc => {
    const r = pct / 100;
    switch (shape) {
      case 0:
        return { type: 'ratio', name: 'ratio-channel', part: { channels: [channels[0]!] }, max: r };
      case 1:
        return {
          type: 'ratio',
          name: 'ratio-spend',
          measure: 'spend',
          part: { where: { segment: { eq: 'Premium' } } },
          min: r / 2,
        };
      case 2:
        return {
          type: 'ratio',
          name: 'ratio-action',
          part: { actions: [doc.actions[0]!.id] },
          of: { channels: channels.slice(0, 2) },
          max: r,
        };
      default:
        return {
          type: 'ratio',
          name: 'ratio-premium',
          part: { where: { segment: { eq: 'Premium' } } },
          min: r / 3,
          max: Math.min(1, r + 0.3),
        };
    }
  });
  return { ...doc, constraints: [...(doc.constraints ?? []), ...made] };
}

// Past contacts in weeks 44–47 (plan week 48), one in ten opted out, and the policies drawn.
function withHistory(doc: ModelJSON, contacts: [number, number, number][][], picks: number[]): ModelJSON {
  const history: NonNullable<ModelJSON['history']> = { asOf: 48, customerId: [], action: [], week: [], outcome: [] };
  doc.customers.id.forEach((id, i) => {
    for (const [week, a, o] of contacts[i] ?? []) {
      history.customerId.push(id);
      history.action.push(doc.actions[a % doc.actions.length]!.id);
      history.week!.push(week);
      history.outcome!.push(o === 0 ? 'opted_out' : null);
    }
  });
  const channel = doc.actions[0]!.channel;
  const all: ConstraintDoc[] = [
    { type: 'contact-limit', max: 2, days: 28 },
    { type: 'contact-limit', max: 1, days: 14, per: 'channel' },
    { type: 'contact-limit', max: 1, days: 21, channel },
    { type: 'contact-limit', max: 1, days: 21, per: 'action' },
    { type: 'suppress' },
  ];
  return { ...doc, history, constraints: [...(doc.constraints ?? []), ...picks.map((j) => all[j]!)] };
}

// Every action reads its uplift from `uplift_<id>`; every second action also costs a share of `fee`,
// every third one a cost from `cost_<id>`.
function withPerCustomerColumns(
  actions: ActionDoc[],
  customers: CustomersDoc,
  uplifts: number[],
  fees: number[],
  costs: number[],
): { actions: ActionDoc[]; customers: CustomersDoc } {
  const n = customers.id.length;
  const K = actions.length;
  const attributes = { ...customers.attributes, fee: fees.slice(0, n) } as NonNullable<CustomersDoc['attributes']>;
  const out = actions.map((a, k): ActionDoc => {
    attributes[`uplift_${a.id}`] = Array.from({ length: n }, (_, i) => uplifts[i * K + k]! / 100);
    if (k % 3 === 2) attributes[`cost_${a.id}`] = Array.from({ length: n }, (_, i) => costs[i * K + k]!);
    const costPerCustomer =
      k % 3 === 2 ? { column: `cost_${a.id}` } : k % 2 === 1 ? { column: 'fee', share: 0.2 } : undefined;
    return { ...a, upliftColumn: `uplift_${a.id}`, ...(costPerCustomer ? { costPerCustomer } : {}) };
  });
  return { actions: out, customers: { ...customers, attributes } };
}

// Draws a plan from `witness` (per customer: an eligible action, or none) and loosens every limit it breaks.
function loosenFor(doc: ModelJSON, witness: number[]): ModelJSON {
  const N = doc.customers.id.length;
  const constraints = doc.constraints ?? [];
  const excluded = (i: number) =>
    constraints.some((c) => c.type === 'exclude' && matches(doc, c.where as Record<string, unknown>, i));
  const plan = Array.from({ length: N }, (_, i) => {
    const k = witness[i]!;
    if (k < 0 || excluded(i)) return -1;
    const a = doc.actions[k % doc.actions.length]!;
    if (a.eligible && !matches(doc, a.eligible as Record<string, unknown>, i)) return -1;
    const pick = [k % doc.actions.length];
    return policyBreach(doc, i, pick) || requiresBreach(doc, i, pick) ? -1 : pick[0]!;
  });
  const count = (pred: (i: number) => boolean) => plan.reduce((s, _, i) => s + (pred(i) ? 1 : 0), 0);
  const loosened = constraints.map((c0) => {
    const c = { ...c0 } as Record<string, unknown> & ConstraintDoc;
    switch (c.type) {
      case 'budget':
        c.max = Math.max(
          c.max as number,
          plan.reduce((s, k, i) => s + (k >= 0 ? pairCost(doc, i, k) : 0), 0),
        );
        break;
      case 'capacity':
        c.max = Math.max(
          c.max as number,
          count((i) => plan[i]! >= 0 && doc.actions[plan[i]!]!.channel === c.channel),
        );
        break;
      case 'coverage': {
        const S = count((i) => matches(doc, c.where as Record<string, unknown>, i));
        const t = count((i) => plan[i]! >= 0 && matches(doc, c.where as Record<string, unknown>, i));
        if (c.min !== undefined) c.min = S === 0 ? c.min : Math.min(c.min as number, t / S);
        if (c.maxCount !== undefined) c.maxCount = Math.max(c.maxCount as number, t);
        break;
      }
      case 'saturation': {
        const most = Math.max(
          0,
          ...doc.actions.map((a, k) => (c.action === undefined || c.action === a.id ? count((i) => plan[i] === k) : 0)),
        );
        if (c.maxCount !== undefined) c.maxCount = Math.max(c.maxCount as number, most);
        if (c.max !== undefined) c.max = N === 0 ? c.max : Math.max(c.max as number, Math.min(1, most / N));
        break;
      }
      case 'fairness': {
        const values = c.by === 'segment' ? doc.customers.segment! : doc.customers.attributes![c.by as string]!;
        let least = c.min as number;
        for (const g of new Set(values)) {
          const S = count((i) => values[i] === g);
          least = Math.min(least, count((i) => plan[i]! >= 0 && values[i] === g) / S);
        }
        c.min = least;
        break;
      }
      case 'ratio': {
        // The witness plan's share, where it has a whole: the limit moves to it when it is beyond.
        const { part, whole } = ratioSums(
          doc,
          c,
          plan.map((k) => (k >= 0 ? [k] : [])),
        );
        if (whole > 0) {
          if (c.min !== undefined) c.min = Math.min(c.min as number, part / whole);
          if (c.max !== undefined) c.max = Math.max(c.max as number, part / whole);
        }
        break;
      }
      default:
        break;
    }
    return c as ConstraintDoc;
  });
  return { ...doc, constraints: loosened };
}
