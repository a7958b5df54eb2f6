import { describe, expect, it } from 'vitest';
import { RetentionModel, coverage, fairness } from '../src/index.js';
import { compileProblem, compileProblemAsync } from '../src/model/compile.js';
import { catalog, columns } from './helpers/small-model.js';

describe('compiling in steps (solve gives the event loop turns while it compiles)', () => {
  it.each([false, true])(
    'gives the same problem as the one-piece compile, pausing between steps (values per customer: %s)',
    async (perCustomer) => {
      const cols = columns(200);
      const attributes = {
        ...cols.attributes,
        ...Object.fromEntries(
          catalog.map((a, k) => [`uplift_${a.id}`, cols.value.map((_, i) => ((i * 7 + k * 13) % 50) / 100)]),
        ),
      };
      const actions = perCustomer ? catalog.map((a) => ({ ...a, upliftColumn: `uplift_${a.id}` })) : catalog;
      const model = RetentionModel.create()
        .actions(actions)
        .customers({ ...cols, attributes })
        .budget(300)
        .use(coverage({ name: 'eu', where: { region: { eq: 'EU' } }, min: 0.2 }))
        .use(fairness({ by: 'segment', min: 0.1 }));
      const { catalog: a, customerData: c, constraints } = model;
      let pauses = 0;
      const stepped = await compileProblemAsync(c!, a!, constraints, async () => {
        pauses++;
      });
      const whole = compileProblem(c!, a!, constraints);
      expect(Array.from(stepped.values)).toEqual(Array.from(whole.values));
      expect(Array.from(stepped.eligible)).toEqual(Array.from(whole.eligible));
      expect(stepped.rows.map((r) => [r.name, r.rhs, Array.from(r.actionCoef)])).toEqual(
        whole.rows.map((r) => [r.name, r.rhs, Array.from(r.actionCoef)]),
      );
      expect(stepped.valueFactors === undefined).toBe(perCustomer);
      // After the eligibility, before each of the 3 constraints, and (per customer) before each action's values.
      expect(pauses).toBe(1 + constraints.length + (perCustomer ? catalog.length : 0));
    },
  );
});
