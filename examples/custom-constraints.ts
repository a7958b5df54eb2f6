// Rules of your own, next to the built-ins: a geographic fairness floor, a
// no-contact list, a quota on students, and a plugin written from scratch
// (at most 1 call per 100 EU customers) with the same interface the built-ins use.
//   npx tsx examples/custom-constraints.ts
import {
  RetentionModel,
  coverage,
  defaultCatalog,
  exclude,
  fairness,
  headline,
  sampleCustomers,
  type ConstraintPlugin,
} from '../src/index.js';

const table = sampleCustomers({ customers: 30_000, seed: 7 });
const doNotContact = new Set([100_003, 100_010, 100_042]);

const euCallLimit: ConstraintPlugin = {
  type: 'eu-call-limit',
  name: 'eu-call-limit',
  compile(ctx) {
    const eu = ctx.filter({ region: { eq: 'EU' } }, 'eu-call-limit');
    let euCount = 0;
    eu.forEach((x) => (euCount += x));
    return {
      rows: [
        {
          name: 'eu-call-limit',
          sense: '<=',
          rhs: Math.floor(euCount / 100),
          actionCoef: ctx.actions.map((a) => (a.channel === 'call' ? 1 : 0)),
          customerCoef: eu,
        },
      ],
    };
  },
};

const model = RetentionModel.create({ name: 'custom-rules' })
  .actions(defaultCatalog())
  .customers(table, { segment: 'subscription_type' })
  .budget(12_000)
  .use(fairness({ name: 'regions', by: 'region', min: 0.2 }))
  .use(exclude({ name: 'no-contact-list', where: (c) => doNotContact.has(c.id as number) }))
  .use(coverage({ name: 'student-quota', where: { segment: { eq: 'Student' } }, maxCount: 500 }))
  .use(euCallLimit);

const plan = await model.solve();
const h = headline(plan);
console.log(`${plan.status} by ${plan.solver.name}: ${h.treated} treated, net value ${h.netValue.toFixed(0)}`);
console.table(plan.rows.map((r) => ({ row: r.name, limit: `${r.sense} ${r.rhs}`, used: r.lhs, binding: r.binding })));
try {
  model.toJSON();
} catch (e) {
  console.log(`as expected, this model has no file form: ${(e as Error).message}`);
}
