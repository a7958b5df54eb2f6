// Calls that must not compile (issue 14: "types that don't guide"). `npm run typecheck` checks this
// file: each line below a `@ts-expect-error` must be a type error, or the directive itself is one.
// Nothing here runs.
import {
  RetentionModel,
  byAction,
  capacity,
  constraintReport,
  defaultCatalog,
  sensitivity,
  simulateOutcomes,
  type PlanJSON,
} from '../src/index.js';

const catalog = defaultCatalog();
const columns = { id: ['a'], churnProbability: [0.5], value: [10] };

export async function wrongCalls() {
  // @ts-expect-error a model without customers cannot be solved
  await RetentionModel.create().actions(catalog).solve();
  // @ts-expect-error a model without actions cannot be solved
  await RetentionModel.create().customers(columns).solve();
  const model = RetentionModel.create().actions(catalog).customers(columns);
  // @ts-expect-error one parameter per sweep: budgets and a capacity together
  await sensitivity(model, { budgets: [1, 2], capacity: 'email', values: [1] });
  // @ts-expect-error replace needs make
  await sensitivity(model, { replace: 'budget', values: [1] });
  // @ts-expect-error one scope per capacity
  capacity({ channel: 'call', channels: ['push'], max: 1 });
  const plan = await model.solve();
  // @ts-expect-error a returned plan is never status 'error' (a failed solve throws)
  if (plan.status === 'error') return;
  // @ts-expect-error a plan's internals are not part of its type (read plan.treated(), plan.choice())
  plan.problem;
  if (plan.status === 'optimal') {
    // @ts-expect-error a solved plan has no conflicts to read
    plan.conflicts[0]!.message;
  }
  if (plan.status === 'infeasible') console.log(plan.conflicts.map((c) => c.message));
  // Views have typed rows: these compile and are what they say.
  const price: number | null = constraintReport(plan).objects()[0]!.shadowPrice;
  const roi: number = byAction(plan).objects()[0]!.roi;
  const churned: number = simulateOutcomes(plan, () => 0.1, 1).objects()[0]!.churned;
  // @ts-expect-error no such column
  byAction(plan).objects()[0]!.uplift;
  // @ts-expect-error a report row's shadow price may be null
  const strict: number = constraintReport(plan).objects()[0]!.shadowPrice;
  const doc: PlanJSON = plan.toJSON();
  // @ts-expect-error a plan file writes lhs null where there is no plan
  const lhs: number = doc.constraints[0]!.lhs;
  return [price, roi, churned, strict, lhs];
}
