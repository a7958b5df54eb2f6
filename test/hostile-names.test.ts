// Names that are Object.prototype members are names like any other (issue 12): segment values,
// attribute columns and constraint types such as "constructor", "__proto__", "toString".
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  RetentionModel,
  byAction,
  bySegment,
  constraintFromJSON,
  coverage,
  exclude,
  fairness,
  headline,
  writeExports,
  writeReport,
  type ActionSpec,
} from '../src/index.js';

const HOSTILE = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
const SAFE = ['A', 'B', 'C', 'D'];

function build(names: string[]) {
  const n = 400;
  const catalog: ActionSpec[] = [
    { id: 'email', channel: 'email', cost: 2, uplift: 0.08 },
    { id: 'discount', channel: 'email', cost: 20, uplift: 0.1 },
    { id: 'call', channel: 'call', cost: 15, uplift: 0.2 },
  ];
  // Per-segment uplift keyed by the names (JSON.parse makes "__proto__" an own key, as a model file
  // would): a look-up that hits the prototype changes the optimum.
  catalog[1]!.upliftBySegment = JSON.parse(`{"${names[0]}": 0.3, "${names[2]}": 0.25, "${names[1]}": 0.28}`);
  const attributes = JSON.parse(
    JSON.stringify({ [names[2]!]: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'x' : 'y')) }),
  );
  return RetentionModel.create({ name: 'hostile' })
    .actions(catalog)
    .customers({
      id: Array.from({ length: n }, (_, i) => `c${i}`),
      churnProbability: Array.from({ length: n }, (_, i) => ((i * 37) % 100) / 100),
      value: Array.from({ length: n }, (_, i) => 50 + ((i * 53) % 400)),
      segment: Array.from({ length: n }, (_, i) => names[i % 4]!),
      attributes,
    })
    .budget(900)
    .capacity('call', 25)
    .use(coverage({ name: 'first', where: { segment: { eq: names[0]! } }, min: 0.3 }))
    .use(fairness({ by: names[2]!, min: 0.1 }))
    .use(fairness({ by: 'segment', min: 0.1 }))
    .use(exclude({ where: { segment: { eq: names[3]! }, churnProbability: { lt: 0.05 } } }));
}

describe('prototype-member names', () => {
  it('give the same optimum as plain names, through solve, analytics, exports and the report', async () => {
    const hostile = await build(HOSTILE).solve({ solver: 'highs', gapTolerance: 1e-9 });
    const plain = await build(SAFE).solve({ solver: 'highs', gapTolerance: 1e-9 });
    expect(hostile.status).toBe('optimal');
    expect(hostile.objective).toBeCloseTo(plain.objective, 6);
    const dec = await build(HOSTILE).solve({ solver: 'decomposition', gapTolerance: 1e-9 });
    expect(Math.abs(dec.objective - plain.objective)).toBeLessThanOrEqual(dec.gap * Math.abs(dec.bound) + 1e-6);
    // fairness by "toString" makes its rows (x and y) as fairness by a plain column does.
    expect(hostile.rows.filter((r) => r.constraint === 'fairness:toString').length).toBe(2);
    const segs = bySegment(hostile)
      .objects()
      .map((r) => r.segment);
    for (const name of HOSTILE) expect(segs).toContain(name);
    expect(headline(hostile).netValue).toBeCloseTo(plain.objective, 6);
    expect(byAction(hostile).numRows()).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
    await writeExports(hostile, dir);
    await writeReport(hostile, join(dir, 'report.html'));
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('constructor');
  });
  it('loading a CSV with such segment values and column names keeps them as plain names', async () => {
    const { loadCustomers } = await import('../src/index.js');
    const csv =
      'customer_id,churn_probability,clv,subscription_type,toString\n' +
      HOSTILE.map((s, i) => `${i},0.${i + 3},${100 + i},${s},${i % 2 ? 'x' : 'y'}`).join('\n') +
      '\n';
    const loaded = await loadCustomers({ predictions: csv });
    const model = RetentionModel.create()
      .actions([
        {
          id: 'email',
          channel: 'email',
          cost: 1,
          uplift: 0.1,
          upliftBySegment: JSON.parse('{"__proto__": 0.5, "constructor": 0.4}'),
        },
      ])
      .customers(loaded)
      .budget(10)
      .use(fairness({ by: 'toString', min: 0.5 }));
    expect([...model.customerData!.segment!]).toEqual(HOSTILE);
    const plan = await model.solve({ solver: 'highs' });
    expect(plan.status).toBe('optimal');
    expect(plan.rows.filter((r) => r.constraint === 'fairness:toString').length).toBe(2);
  });
  it('a constraint type "constructor" or "toString" is an unknown type, not a crash', () => {
    for (const type of ['constructor', 'toString', '__proto__']) {
      expect(() => constraintFromJSON({ type } as never, 'constraints[0]')).toThrow(InvalidInputError);
    }
  });
  it('a filter nested 10,000 deep is an InvalidInputError, not a stack overflow', () => {
    let f: Record<string, unknown> = { churnProbability: { gt: 0.5 } };
    for (let d = 0; d < 10_000; d++) f = { not: f };
    expect(() =>
      build(SAFE)
        .use(coverage({ name: 'deep', where: f as never, min: 0 }))
        .problem(),
    ).toThrow(/nest at most 64/);
  });
});

describe('deep filters in code', () => {
  it('an action eligibility nested 10,000 deep is an InvalidInputError naming the action', () => {
    let f: Record<string, unknown> = { churnProbability: { gt: 0.5 } };
    for (let d = 0; d < 10_000; d++) f = { not: f };
    expect(() =>
      RetentionModel.create().actions([{ id: 'a', channel: 'e', cost: 1, uplift: 0.1, eligible: f as never }]),
    ).toThrow(/actions\[0\]\.eligible: filters nest at most 64 deep/);
  });
});

describe('deep filters in constraint options', () => {
  it('coverage and exclude with a where nested 10,000 deep are InvalidInputErrors', async () => {
    const { coverage, exclude } = await import('../src/index.js');
    let f: Record<string, unknown> = { churnProbability: { gt: 0.5 } };
    for (let d = 0; d < 10_000; d++) f = { not: f };
    expect(() => coverage({ where: f as never, min: 0.1 })).toThrow(/coverage\.where: filters nest at most 64 deep/);
    expect(() => exclude({ where: f as never })).toThrow(/exclude\.where: filters nest at most 64 deep/);
  });
});
