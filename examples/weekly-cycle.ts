// Four simulated weeks of the weekly cycle, end to end: plan against the contact history and the
// contact policies → simulate what customers do → append the contacts and outcomes to the history →
// calibrate the uplifts (pooling the weeks) → plan the next week. Each week shows whom each policy held
// back, checks that no customer is over a limit (an independent reading of the rules), and explains one
// held-back customer. Up to two actions per customer a week. Week 4 is compared with the same week
// planned without policies, in the report.
//   npx tsx examples/weekly-cycle.ts
import {
  RetentionModel,
  calibrate,
  compare,
  contactLimit,
  defaultCatalog,
  minDaysBetween,
  noRepeat,
  sampleCustomers,
  simulateOutcomes,
  suppress,
  withCalibration,
  writeReport,
  type ActionSpec,
  type ContactColumns,
  type Plan,
} from '../src/index.js';
import { escape, type ColumnTable } from 'arquero';
import { checkPlan } from '../src/testing/index.js';

// The truth the planner does not know: what each action really does.
const TRUE: Record<string, number> = {
  email: 0.08,
  discount: 0.16,
  call: 0.3,
  'free-month': 0.12,
  'in-app': 0.05,
  push: 0.01,
  playlist: 0.02,
};
// Customers who churn leave the base; the others come back next week with the same scores.
let customers: ColumnTable = sampleCustomers({ customers: 75_001, seed: 7 });
const prior = defaultCatalog();

const modelWith = (catalog: ActionSpec[], history: ContactColumns, week: number) =>
  RetentionModel.create({ name: `week-${week}` })
    .actions(catalog)
    .customers(customers, { segment: 'subscription_type' })
    .budget(25_000)
    .capacity('call', 600)
    // Up to two actions a week (an email with a call, say), never the discount with the free month.
    .maxActionsPerCustomer(2, { neverTogether: [['discount', 'free-month']] })
    .history(history, { asOf: week })
    .use(contactLimit({ name: 'two-a-month', max: 2, days: 28 }))
    .use(minDaysBetween({ name: 'calls-monthly', channel: 'call', days: 28 }))
    .use(noRepeat({ name: 'no-repeat-3w', days: 21 }))
    .use(suppress());

// The history grows by one week of contacts at a time.
const history = {
  customerId: [] as (string | number)[],
  action: [] as string[],
  week: [] as number[],
  outcome: [] as (string | null)[],
};
let catalog = prior;
const plans: Plan[] = [];
const outcomes: ReturnType<typeof simulateOutcomes>[] = [];
let last: { model: ReturnType<typeof modelWith>; plan: Plan } | undefined;
for (let week = 1; week <= 4; week++) {
  const model = modelWith(catalog, history, week);
  const plan = await model.solve({ holdout: { fraction: 0.2, seed: week } });
  const check = checkPlan(model, plan);
  console.log(
    `\nweek ${week}: ${plan.status}, ${plan.assignments.numRows().toLocaleString('en-US')} treated, ` +
      `net value $${Math.round(plan.objective).toLocaleString('en-US')}, gap ${plan.gap.toExponential(1)}; ` +
      `independent check of history + plan: ${check.ok ? 'no customer over any limit' : check.violations.slice(0, 3).join('; ')}`,
  );
  console.table(
    plan.heldBack.map((h) => ({ policy: h.constraint, 'held back': h.customers, 'from every action': h.allActions })),
  );
  // Why one customer was held back: the rule and the past contact that decided it.
  // (Looked for among last week's contacts, who are the ones the policies hold back.)
  const here = new Set(customers.array('customer_id') as number[]);
  for (const id of new Set(history.customerId.slice(-300).filter((c) => here.has(c as number)))) {
    const why = model.explain(id).actions.find((a) => a.blockedBy.some((b) => b.type === 'contact-limit'));
    if (!why) continue;
    console.log(
      `  why not customer ${String(id)} for "${why.action}": ${why.blockedBy.map((b) => `${b.rule}: ${b.reason}`).join(' | ')}`,
    );
    break;
  }

  // What customers did: churn under the true uplifts; one contacted customer in 200 opts out.
  const outcome = simulateOutcomes(plan, (a) => TRUE[a]!, 1000 + week);
  const churned = new Map(outcome.objects().map((r) => [r.customer_id, r.churned]));
  let optOuts = 0;
  for (const t of plan.treated()) {
    if (t.heldOut) continue; // held out: not contacted, so no contact in the history
    const optOut = (t.index * 7919 + week) % 200 === 0;
    optOuts += optOut ? 1 : 0;
    // One contact per action sent (a bundle is several).
    for (const action of t.action.members ?? [t.action.id]) {
      history.customerId.push(t.customer);
      history.action.push(action);
      history.week.push(week);
      history.outcome.push(optOut ? 'opted_out' : churned.get(t.customer) ? 'churned' : 'retained');
    }
  }
  const gone = new Set(outcome.objects().flatMap((r) => (r.churned ? [r.customer_id] : [])));
  customers = customers.filter(escape((d: { customer_id: number }) => !gone.has(d.customer_id)));
  console.log(
    `  contacts appended to the history (held-out customers were not contacted); ${optOuts} opted out; ` +
      `${gone.size.toLocaleString('en-US')} churned and leave the base`,
  );

  plans.push(plan);
  outcomes.push(outcome);
  const result = calibrate(plans, outcomes);
  catalog = withCalibration(prior, result);
  console.log(
    '  calibrated uplifts: ' +
      result.table
        .objects()
        .map((r) => `${r.action} ${r.calibrated.toFixed(3)}${r.weight > 0 ? '' : ' (prior kept)'}`)
        .join(', '),
  );
  last = { model, plan };
}

// Week 4 again without the contact policies: what they cost, side by side in the report.
const { model, plan } = last!;
let free = model;
for (const name of ['two-a-month', 'calls-monthly', 'no-repeat-3w', 'suppress']) free = free.without(name);
const unconstrained = await free.solve({ holdout: { fraction: 0.2, seed: 4 } });
const comparison = compare(plan, unconstrained, { names: ['with policies', 'without policies'], chosen: 0 });
console.log('\nweek 4, with and without the contact policies:');
console.table(
  comparison.headline.objects().map((r) => ({
    scenario: r.scenario + (r.chosen ? ' (chosen)' : ''),
    'net value': `$${Math.round(r.netValue).toLocaleString('en-US')}`,
    spend: `$${Math.round(r.spend).toLocaleString('en-US')}`,
    treated: r.treated.toLocaleString('en-US'),
  })),
);
await writeReport(plan, 'out/weekly-cycle.html', { comparison });
console.log('\nreport: out/weekly-cycle.html');
