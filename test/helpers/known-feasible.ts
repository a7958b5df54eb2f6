// Models with a known feasible plan (issue 11): the solvers must return a verified plan for every one.
// Two families, both on the built-in sample data:
// - "witness": a random plan is drawn first, and every limit is set so that this plan meets it (with a
//   random slack, often none: the tightest models such a plan allows);
// - "issue": the reference constraints of the issue (budget, email 30%, call 1%, high-risk ≥ 60%,
//   saturation 50%, fairness 15% by segment) with a budget between what push notifications need to meet
//   every floor ($0.10 each) and five times that.
import fc from 'fast-check';
import { RetentionModel, coverage, defaultCatalog, fairness, sampleCustomers, saturation } from '../../src/index.js';
import { mulberry32 } from '../../src/util/random.js';

export interface KnownFeasible {
  family: 'witness' | 'issue';
  n: number;
  seed: number;
  share: number;
  slack: number;
}

const OPEN_ACTIONS = ['email', 'call', 'in-app', 'push', 'playlist'] as const; // actions every customer may get
const COST: Record<string, number> = { email: 2, call: 15, 'in-app': 1, push: 0.1, playlist: 0.5 };

/** Arbitrary parameters of a known-feasible model with `minN`–`maxN` customers. */
export function knownFeasible(minN: number, maxN: number): fc.Arbitrary<KnownFeasible> {
  return fc.record({
    family: fc.constantFrom('witness' as const, 'issue' as const),
    n: fc.integer({ min: minN, max: maxN }),
    seed: fc.integer({ min: 1, max: 100_000 }),
    share: fc.double({ min: 0.02, max: 0.7, noNaN: true }),
    slack: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
  });
}

/** Builds the model of `k`. */
export function buildKnownFeasible(k: KnownFeasible) {
  const { n, seed } = k;
  const t = sampleCustomers({ customers: n, seed });
  const p = t.array('churn_probability') as ArrayLike<number>;
  const seg = t.array('subscription_type') as ArrayLike<string>;
  const base = RetentionModel.create({ name: `${k.family}-${n}-${seed}` })
    .actions(defaultCatalog())
    .customers(t, { segment: 'subscription_type' });
  const segments = [...new Set(Array.from(seg))];
  const size = new Map(segments.map((g) => [g, 0]));
  const high = new Map(segments.map((g) => [g, 0]));
  for (let i = 0; i < n; i++) {
    size.set(seg[i]!, size.get(seg[i]!)! + 1);
    if (p[i]! > 0.5) high.set(seg[i]!, high.get(seg[i]!)! + 1);
  }
  if (k.family === 'issue') {
    // Push to max(15% of each segment, 60% of its high-risk customers) meets every floor.
    let need = 0;
    for (const g of segments) need += Math.max(Math.ceil(0.15 * size.get(g)!), Math.ceil(0.6 * high.get(g)!));
    const budget = Math.ceil(need * 0.1 * (1 + 4 * k.share * (1 + k.slack)));
    return base
      .budget(budget)
      .capacity('email', Math.round(n * 0.3))
      .capacity('call', Math.round(n * 0.01))
      .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.6 }))
      .use(saturation({ max: 0.5 }))
      .use(fairness({ by: 'segment', min: 0.15 }));
  }
  // A random plan over the actions everyone may get, and limits it meets.
  const rand = mulberry32(seed * 7 + 1);
  const count = new Map<string, number>(OPEN_ACTIONS.map((a) => [a, 0]));
  const treated = new Map(segments.map((g) => [g, 0]));
  let spend = 0;
  let highTreated = 0;
  for (let i = 0; i < n; i++) {
    if (rand() >= k.share) continue;
    const a = OPEN_ACTIONS[Math.floor(rand() * OPEN_ACTIONS.length)]!;
    count.set(a, count.get(a)! + 1);
    treated.set(seg[i]!, treated.get(seg[i]!)! + 1);
    spend += COST[a]!;
    if (p[i]! > 0.5) highTreated++;
  }
  const up = (x: number) => Math.floor(x * (1 + k.slack));
  const down = (x: number) => Math.ceil(x * (1 - k.slack));
  const fair = Math.min(...segments.map((g) => treated.get(g)! / size.get(g)!)) * (1 - k.slack);
  return base
    .budget((Math.round(spend * 100) / 100) * (1 + k.slack) + 0.005)
    .capacity('email', up(count.get('email')! + count.get('playlist')!))
    .capacity('call', up(count.get('call')!))
    .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, minCount: down(highTreated) }))
    .use(saturation({ maxCount: up(Math.max(...count.values())) }))
    .use(fairness({ by: 'segment', min: Math.max(0, fair - 1e-12) }));
}
