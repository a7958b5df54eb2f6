import fc from 'fast-check';
import type { ModelJSON } from '../../src/index.js';

const SEGMENTS = ['Free', 'Premium', 'Family'];
const CHANNELS = ['email', 'call', 'push'];

/** Random retention-model/v1 documents, with duplicated customers for ties. */
export function modelDoc(opts: { maxCustomers: number; minCustomers?: number; maxActions: number; maxConstraints?: number }): fc.Arbitrary<ModelJSON> {
  const customer = fc.record({
    p: fc.oneof(fc.constantFrom(0, 0.2, 0.5, 0.8, 1), fc.integer({ min: 0, max: 1000 }).map((x) => x / 1000)),
    v: fc.integer({ min: 0, max: 800 }),
    segment: fc.constantFrom(...SEGMENTS),
    region: fc.constantFrom('EU', 'US'),
    dnc: fc.boolean(),
  });
  const action = fc.record({
    channel: fc.constantFrom(...CHANNELS),
    cost: fc.integer({ min: 0, max: 20 }),
    uplift: fc.constantFrom(0, 0.1, 0.2, 0.3, 0.5),
    premiumUplift: fc.option(fc.constantFrom(0.1, 0.25), { nil: undefined }),
    eligibleSegments: fc.option(fc.subarray(SEGMENTS, { minLength: 1 }), { nil: undefined }),
  });
  return fc
    .record({
      base: fc.array(customer, { minLength: opts.minCustomers ?? 1, maxLength: opts.maxCustomers }),
      dupes: fc.array(fc.nat(), { maxLength: 3 }),
      actions: fc.array(action, { minLength: 1, maxLength: opts.maxActions }),
      constraints: fc.array(constraintSeed(), { maxLength: opts.maxConstraints ?? 5 }),
    })
    .map(({ base, dupes, actions, constraints }) => {
      // Duplicated customers tie at every multiplier: the hard case for decomposition repair.
      const rows = base.concat(dupes.map((d) => base[d % base.length]!)).slice(0, opts.maxCustomers);
      const doc: ModelJSON = {
        format: 'retention-model/v1',
        name: 'generated',
        actions: actions.map((a, k) => ({
          id: `a${k}`, channel: a.channel, cost: a.cost, uplift: a.uplift,
          ...(a.premiumUplift !== undefined ? { upliftBySegment: { Premium: a.premiumUplift } } : {}),
          ...(a.eligibleSegments ? { eligible: { segment: { in: a.eligibleSegments } } } : {}),
        })),
        customers: {
          id: rows.map((_, i) => `c${i}`),
          churnProbability: rows.map((r) => r.p),
          value: rows.map((r) => r.v),
          segment: rows.map((r) => r.segment),
          attributes: { region: rows.map((r) => r.region), dnc: rows.map((r) => r.dnc) },
        },
        constraints: [],
      };
      const used = new Set<string>();
      for (const c of constraints) {
        const json = c(doc);
        const key = json.name ?? json.type + JSON.stringify(json);
        if (used.has(key)) continue;
        used.add(key);
        doc.constraints!.push(json);
      }
      return doc;
    });
}

type Seed = (doc: ModelJSON) => NonNullable<ModelJSON['constraints']>[number];

function constraintSeed(): fc.Arbitrary<Seed> {
  return fc.oneof(
    fc.integer({ min: 0, max: 120 }).map((max): Seed => () => ({ type: 'budget', name: 'budget', max })),
    fc.record({ ch: fc.nat(), max: fc.integer({ min: 0, max: 6 }) }).map(({ ch, max }): Seed => (d) => ({
      type: 'capacity', name: `cap-${d.actions[ch % d.actions.length]!.channel}`, channel: d.actions[ch % d.actions.length]!.channel, max,
    })),
    fc.record({ which: fc.boolean(), min: fc.constantFrom(0.2, 0.5, 1), quota: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }) })
      .map(({ which, min, quota }): Seed => () => ({
        type: 'coverage', name: which ? 'high-risk' : 'premium',
        where: which ? { churnProbability: { gt: 0.5 } } : { segment: { eq: 'Premium' } },
        ...(quota !== undefined ? { maxCount: quota } : { min }),
      })),
    fc.record({ one: fc.boolean(), k: fc.nat(), max: fc.constantFrom(0.3, 0.5, 1), count: fc.integer({ min: 0, max: 4 }) })
      .map(({ one, k, max, count }): Seed => (d) => (one
        ? { type: 'saturation', name: 'sat-one', action: d.actions[k % d.actions.length]!.id, maxCount: count }
        : { type: 'saturation', name: 'sat-all', max })),
    fc.record({ by: fc.constantFrom('segment', 'region'), min: fc.constantFrom(0.1, 0.3, 0.6) })
      .map(({ by, min }): Seed => () => ({ type: 'fairness', name: `fair-${by}`, by, min })),
    fc.constant<Seed>(() => ({ type: 'exclude', name: 'dnc', where: { dnc: { eq: true } } })),
  );
}
