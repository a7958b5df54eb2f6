// Plans can be read back and are checked (issue 12): model.readPlan(doc) re-verifies a plan file
// against its model; an edited plan that breaks a constraint or whose figures do not recompute is refused.
import { describe, expect, it } from 'vitest';
import * as lib from '../src/index.js';
import {
  InvalidInputError,
  RetentionModel,
  calibrate,
  coverage,
  fairness,
  headline,
  saturation,
  simulateOutcomes,
  type PlanJSON,
} from '../src/index.js';
import { catalog, columns } from './helpers/small-model.js';

const model = RetentionModel.create({ name: 'week-48' })
  .actions(catalog)
  .customers(columns(200))
  .budget(600)
  .capacity('email', 40)
  .capacity('call', 20)
  .use(coverage({ name: 'high-risk', where: { churnProbability: { gt: 0.5 } }, min: 0.4 }))
  .use(saturation({ max: 0.5 }))
  .use(fairness({ by: 'segment', min: 0.1 }));
const plan = await model.solve({ solver: 'highs', gapTolerance: 1e-9, holdout: { fraction: 0.2, seed: 3 } });
const doc = () => JSON.parse(JSON.stringify(plan.toJSON())) as PlanJSON;

describe('readPlan', () => {
  it('reads a plan file back to the same plan', () => {
    const back = model.readPlan(doc());
    expect(back.objective).toBe(plan.objective);
    expect(back.status).toBe(plan.status);
    expect(back.toJSON()).toEqual(plan.toJSON());
    expect(headline(back)).toEqual(headline(plan));
  });
  it('refuses an edited plan that breaks a constraint (everyone given a call)', () => {
    const d = doc();
    d.assignments = columns(200).id.map((customer) => ({ customer, action: 'call', expectedValue: 0, holdout: false }));
    expect(() => model.readPlan(d)).toThrow(/breaks the model/);
  });
  it('refuses figures that do not recompute, unknown customers and actions, doubles, wrong holdout flags', () => {
    const cases: [(d: PlanJSON) => void, RegExp][] = [
      [
        (d) => {
          d.objective = d.objective! + 100;
        },
        /plan\.objective/,
      ],
      [
        (d) => {
          d.assignments[0]!.expectedValue += 5;
        },
        /expectedValue/,
      ],
      [
        (d) => {
          d.assignments[0]!.customer = 'nobody';
        },
        /no customer "nobody"/,
      ],
      [
        (d) => {
          d.assignments[0]!.action = 'fax';
        },
        /no action "fax"/,
      ],
      [
        (d) => {
          d.assignments.push({ ...d.assignments[0]! });
        },
        /assigned twice/,
      ],
      [
        (d) => {
          const a = d.assignments.find((x) => !x.holdout)!;
          a.holdout = true;
        },
        /holdout flag/,
      ],
      [
        (d) => {
          d.bound = d.objective! - 10;
        },
        /plan\.bound/,
      ],
      [
        (d) => {
          d.model = 'another-week';
        },
        /made for model "another-week"/,
      ],
      [
        (d) => {
          (d as { format: string }).format = 'retention-plan/v9';
        },
        /plan\.format/,
      ],
    ];
    for (const [edit, message] of cases) {
      const d = doc();
      edit(d);
      let error: unknown;
      try {
        model.readPlan(d);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(String((error as Error).message) + (error as InvalidInputError).path).toMatch(message);
    }
  });
  it('the Plan class is not exported as a value: plans come from solve or readPlan', () => {
    expect('Plan' in lib).toBe(false);
  });
});

describe('calibrate refuses', () => {
  it('a customer with two outcomes, and id and outcome columns of different lengths', () => {
    const outcomes = simulateOutcomes(plan, () => 0.1, 5);
    const ids = outcomes.array('customer_id') as unknown[];
    const churned = outcomes.array('churned') as unknown[];
    expect(() =>
      calibrate(plan, { customer_id: [...ids, ids[0]], churned: [...churned, 1 - (churned[0] as number)] }),
    ).toThrow(/second outcome/);
    expect(() => calibrate(plan, { customer_id: ids, churned: churned.slice(1) })).toThrow(/different lengths/);
  });
});
