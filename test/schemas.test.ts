// The model and plan files' JSON Schemas (issue 12): typos are errors with a "did you mean" hint and
// the JSON path; the docs' example files validate, and the example model is solvable.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, RetentionModel, type ModelJSON } from '../src/index.js';
import { checkAgainstSchema } from '../src/model/schema.js';

const docs = readFileSync('docs/model-format.md', 'utf8');
const blocks = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
const exampleModel = () =>
  structuredClone(blocks.find((b) => b.format === 'retention-model/v1')) as unknown as ModelJSON;

function errorOf(f: () => unknown): InvalidInputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return e as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

describe('JSON Schemas', () => {
  it("the docs' example model validates and is solvable; the example plan validates", async () => {
    expect(blocks.length).toBe(4);
    const plan = await RetentionModel.fromJSON(exampleModel()).solve({ solver: 'highs' });
    expect(plan.status).toBe('optimal');
    expect(() =>
      checkAgainstSchema(
        'plan',
        blocks.find((b) => b.format === 'retention-plan/v1'),
        'plan',
      ),
    ).not.toThrow();
    // The history section validates in the example model and solves there.
    const history = blocks.find((b) => b.history !== undefined && b.format === undefined)!
      .history as ModelJSON['history'];
    const withHistory = await RetentionModel.fromJSON({ ...exampleModel(), history }).solve({ solver: 'highs' });
    expect(withHistory.heldBack.find((h) => h.type === 'suppress')).toMatchObject({ customers: 1 });
    // A solved plan's own file validates too.
    expect(() => checkAgainstSchema('plan', JSON.parse(JSON.stringify(plan.toJSON())), 'plan')).not.toThrow();
  });
  it("the docs' per-customer action validates in a model whose customers have its columns, and solves", async () => {
    const action = blocks.find((b) => b.upliftColumn !== undefined)!;
    const doc = exampleModel();
    doc.actions[1] = action as never;
    const n = doc.customers.id.length;
    doc.customers.attributes = {
      ...doc.customers.attributes,
      uplift_discount: Array.from({ length: n }, (_, i) => 0.1 + 0.05 * i),
      monthly_fee: Array.from({ length: n }, () => 10.99),
    };
    const model = RetentionModel.fromJSON(doc);
    const plan = await model.solve({ solver: 'highs' });
    expect(plan.status).toBe('optimal');
    expect(model.problem().rows[0]!.pairCoef).toBeDefined();
  });
  it('typos are errors with the path and a "did you mean"', () => {
    const cases: [(d: ModelJSON) => void, string, RegExp][] = [
      [
        (d) => {
          const a = d.actions[1] as Record<string, unknown>;
          a.eligable = a.eligible;
          delete a.eligible;
        },
        'actions[1].eligable',
        /did you mean "eligible"/,
      ],
      [
        (d) => {
          const c = d.customers as Record<string, unknown>;
          c.segments = c.segment;
          delete c.segment;
        },
        'customers.segments',
        /did you mean "segment"/,
      ],
      [
        (d) => {
          d.holdout = { fracton: 0.1 } as never;
        },
        'holdout.fracton',
        /did you mean "fraction"/,
      ],
      [
        (d) => {
          d.constraints![0] = { type: 'budjet', max: 3 } as never;
        },
        'constraints[0].type',
        /did you mean "budget"/,
      ],
      [
        (d) => {
          d.constraints![2] = { ...d.constraints![2]!, where: { churnProbability: { gtt: 0.5 } } } as never;
        },
        'constraints[2].where.churnProbability.gtt',
        /did you mean "gt"/,
      ],
      [
        (d) => {
          (d.customers.churnProbability as unknown[])[1] = 'high';
        },
        'customers.churnProbability[1]',
        /must be number/,
      ],
    ];
    for (const [edit, path, message] of cases) {
      const d = exampleModel();
      edit(d);
      const e = errorOf(() => RetentionModel.fromJSON(d));
      expect(e.path).toBe(path);
      expect(e.message).toMatch(message);
    }
  });
});

describe('checked when added, not at solve', () => {
  it('an unknown filter column in a file is reported at constraints[j].where, before solving', () => {
    const d = exampleModel();
    d.constraints!.push({ type: 'coverage', name: 'late', where: { churn: { gt: 0.5 } }, min: 0.1 } as never);
    const e = errorOf(() => RetentionModel.fromJSON(d));
    expect(e.path).toBe(`constraints[${d.constraints!.length - 1}].where.churn`);
    const f = exampleModel();
    f.constraints!.push({ type: 'fairness', by: 'postcode', min: 0.1 } as never);
    expect(errorOf(() => RetentionModel.fromJSON(f)).path).toBe(`constraints[${f.constraints!.length - 1}].by`);
  });
  it('an exclusion of number 42 on text ids is an error, not a list that excludes nobody', () => {
    const d = exampleModel();
    d.constraints!.push({ type: 'exclude', name: 'dnc', where: { id: { in: [42] } } } as never);
    const e = errorOf(() => RetentionModel.fromJSON(d));
    expect(e.path).toBe(`constraints[${d.constraints!.length - 1}].where.id.in`);
    expect(e.message).toMatch(/holds text; 42 is a number.*write "42"/);
  });
  it('a second budget is an error at the builder call that adds it', () => {
    const m = RetentionModel.fromJSON(exampleModel());
    const e = errorOf(() => m.budget(100));
    expect(e.path).toBe('constraints.budget');
    expect(e.message).toMatch(/already has a constraint named "budget"/);
    expect(
      m
        .without('budget')
        .budget(100)
        .constraints.filter((c) => c.name === 'budget').length,
    ).toBe(1);
  });
  it('a builder constraint with an unknown column fails when added to a model with customers', async () => {
    const { coverage } = await import('../src/index.js');
    const m = RetentionModel.fromJSON(exampleModel());
    expect(errorOf(() => m.use(coverage({ name: 'x', where: { regoin: { eq: 'EU' } }, min: 0.1 }))).path).toBe(
      'constraints.x.where.regoin',
    );
  });
});

describe('typos in code are errors too', () => {
  it('unknown keys in actions, customer columns, holdout and constraint options, with a hint', async () => {
    const { coverage, validateActions, customersFromColumns } = await import('../src/index.js');
    expect(
      errorOf(() =>
        validateActions([
          { id: 'd', channel: 'email', cost: 1, uplift: 0.1, eligable: { segment: { eq: 'Premium' } } } as never,
        ]),
      ).message,
    ).toMatch(/did you mean "eligible"/);
    expect(
      errorOf(() =>
        customersFromColumns({ id: ['a'], churnProbability: [0.5], value: [1], segments: ['Free'] } as never),
      ).path,
    ).toBe('customers.segments');
    expect(
      errorOf(() => RetentionModel.fromJSON(exampleModel()).withHoldout({ fracton: 0.1 } as never)).message,
    ).toMatch(/did you mean "fraction"/);
    expect(
      errorOf(() => coverage({ where: { churnProbability: { gt: 0.5 } }, min: 0.2, maxCont: 5 } as never)).message,
    ).toMatch(/did you mean "maxCount"/);
  });
});
