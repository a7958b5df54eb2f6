import { NO_ACTION } from '../problem/assignment-problem.js';
import { InvalidInputError } from '../errors.js';
import type { Action } from '../data/actions.js';
import type { CustomerData } from '../data/customers.js';
import { measureChoice, type AssignmentProblem, type CouplingRow } from '../problem/assignment-problem.js';
import { withRows } from './compile.js';
import type { HeldBack } from '../plan/plan.js';
import { checkHoldout } from '../plan/holdout.js';
import { makePlan, planData, rowReports, type MeasuredRow, type Plan, type PlanJSON } from '../plan/plan.js';
import { verifyChoice } from '../plan/verify.js';
import { relativeGap, type PlanStatus } from '../problem/backend.js';
import { checkAgainstSchema } from './schema.js';

/** What reading a plan needs of its model. */
export interface PlanContext {
  modelName: string;
  problem: AssignmentProblem;
  customers: CustomerData;
  actions: readonly Action[];
  /** Whom the model's exclusions and policies held back. */
  heldBack?: readonly HeldBack[];
  /** The model's report-only rows. */
  measured?: readonly CouplingRow[];
  /** The model's risk tiers (see `Plan.riskTiers`). */
  riskTiers?: readonly [number, number];
}

const STATUSES: readonly PlanStatus[] = ['optimal', 'feasible', 'infeasible', 'time_limit'];

// Figures a file states must recompute to within float rounding of what the model gives.
const agrees = (stated: number, computed: number) =>
  Math.abs(stated - computed) <= 1e-9 * Math.max(1, Math.abs(computed)) + 1e-6;

/**
 * Reads a `retention-plan/v1` document against the model it was made for, and
 * verifies it as a solve would: every assignment names a customer and an
 * action of the model (each customer once), every constraint holds, the
 * objective and each expected value recompute, the bound is not below the
 * objective, and the holdout flags are the ones the holdout draws. Anything
 * else is an {@link InvalidInputError} naming the path in the document.
 */
export function readPlan(context: PlanContext, doc: PlanJSON): Plan {
  const { problem, customers, actions, modelName } = context;
  if (doc == null || typeof doc !== 'object')
    throw new InvalidInputError('plan', 'must be a retention-plan/v1 object', doc);
  if (doc.format !== 'retention-plan/v1')
    throw new InvalidInputError('plan.format', 'must be "retention-plan/v1"', doc.format);
  checkAgainstSchema('plan', doc, 'plan');
  if (doc.model !== modelName) {
    throw new InvalidInputError(
      'plan.model',
      `the plan was made for model "${String(doc.model)}", this model is "${modelName}"`,
      doc.model,
    );
  }
  if (!STATUSES.includes(doc.status))
    throw new InvalidInputError('plan.status', `must be one of ${STATUSES.join(', ')}`, doc.status);
  if (!Array.isArray(doc.assignments))
    throw new InvalidInputError('plan.assignments', 'must be an array', doc.assignments);
  const solver = { ...(doc.solver ?? { name: 'unknown', seconds: 0 }) };
  if (
    doc.status === 'infeasible' ||
    (doc.status === 'time_limit' && doc.assignments.length === 0 && doc.objective === null)
  ) {
    if (doc.assignments.length)
      throw new InvalidInputError(
        'plan.assignments',
        `a plan with status ${doc.status} has no assignments`,
        doc.assignments.length,
      );
    return makePlan({
      modelName,
      problem,
      customers,
      actions,
      solver,
      status: doc.status,
      objective: NaN,
      bound: doc.bound ?? (doc.status === 'infeasible' ? -Infinity : Infinity),
      gap: doc.status === 'infeasible' ? NaN : Infinity,
      choice: null,
      rows: rowReports(problem, null, null),
      conflicts: (doc.conflicts ?? []).map((c) => ({ ...c })),
      heldBack: context.heldBack ?? [],
      riskTiers: context.riskTiers,
    });
  }
  const rowOf = new Map<string, number>();
  for (let i = 0; i < customers.size; i++) rowOf.set(String(customers.id[i]), i);
  const actionOf = new Map(actions.map((a, k) => [a.id, k]));
  const choice = new Int32Array(customers.size).fill(NO_ACTION);
  const held = new Uint8Array(customers.size);
  doc.assignments.forEach((a, r) => {
    const at = `plan.assignments[${r}]`;
    const i = a && rowOf.get(String(a.customer));
    if (i === undefined)
      throw new InvalidInputError(`${at}.customer`, `no customer "${String(a?.customer)}" in the model`, a?.customer);
    if (choice[i] !== NO_ACTION)
      throw new InvalidInputError(`${at}.customer`, `customer "${String(a.customer)}" is assigned twice`, a.customer);
    const k = actionOf.get(a.action);
    if (k === undefined)
      throw new InvalidInputError(`${at}.action`, `no action "${String(a.action)}" in the model's catalog`, a.action);
    choice[i] = k;
    held[i] = a.holdout === true ? 1 : 0;
  });
  const check = verifyChoice(problem, choice);
  if (!check.ok)
    throw new InvalidInputError(
      'plan.assignments',
      `the plan breaks the model: ${check.violations.slice(0, 5).join('; ')}`,
    );
  if (typeof doc.objective !== 'number' || !agrees(doc.objective, check.objective)) {
    throw new InvalidInputError(
      'plan.objective',
      `states ${String(doc.objective)}, the assignments are worth ${check.objective}`,
      doc.objective,
    );
  }
  const bound = typeof doc.bound === 'number' ? doc.bound : Infinity;
  if (bound < check.objective - 1e-6 * Math.max(1, Math.abs(check.objective))) {
    throw new InvalidInputError(
      'plan.bound',
      `a bound of ${bound} is below the plan's own value ${check.objective}`,
      doc.bound,
    );
  }
  const prices = new Map((doc.constraints ?? []).map((r) => [r.name, r.shadowPrice ?? null]));
  const shadow = prices.size ? Float64Array.from(problem.rows, (row) => prices.get(row.name) ?? NaN) : null;
  const gap = relativeGap(bound, check.objective);
  let plan = makePlan({
    modelName,
    problem,
    customers,
    actions,
    solver,
    status: doc.status,
    objective: check.objective,
    bound,
    gap,
    choice,
    rows: rowReports(problem, check.lhs, shadow).map((r) => ({
      ...r,
      shadowPrice: r.shadowPrice === null || Number.isNaN(r.shadowPrice) ? null : r.shadowPrice,
    })),
    conflicts: [],
    heldBack: context.heldBack ?? [],
    measured: measuredRows(context, choice, doc),
  });
  // Each stated expected value is the pair's value in this model.
  const ev = plan.assignments.array('expectedValue') as ArrayLike<number>;
  const ids = plan.assignments.array('customer') as ArrayLike<string | number>;
  const stated = new Map(doc.assignments.map((a, r) => [String(a.customer), { value: a.expectedValue, r }]));
  for (let t = 0; t < ids.length; t++) {
    const s = stated.get(String(ids[t]))!;
    if (typeof s.value !== 'number' || !agrees(s.value, ev[t]!)) {
      throw new InvalidInputError(
        `plan.assignments[${s.r}].expectedValue`,
        `states ${String(s.value)}, the model gives ${ev[t]}`,
        s.value,
      );
    }
  }
  if (doc.holdout !== undefined) {
    plan = plan.withHoldout(checkHoldout(doc.holdout, 'plan.holdout'));
    for (let i = 0; i < customers.size; i++) {
      if ((planData(plan).holdout![i] ?? 0) !== held[i]) {
        throw new InvalidInputError(
          'plan.assignments',
          `customer "${String(customers.id[i])}"'s holdout flag is not the one the plan's holdout draws`,
        );
      }
    }
  } else if (held.some((h) => h === 1)) {
    throw new InvalidInputError('plan.holdout', 'assignments are flagged as held out but the plan has no holdout');
  }
  return plan;
}

/**
 * The model's report-only rows on the plan read: each row's use recomputed from the assignments (a
 * stated use that differs is an error); the would-be price and the cost of enforcing, which need a
 * solve, are taken from the file, or null when it has none.
 */
function measuredRows(context: PlanContext, choice: Int32Array, doc: PlanJSON): MeasuredRow[] {
  const rows = context.measured ?? [];
  const stated = new Map((doc.measured ?? []).map((r, j) => [r.name, { r, j }]));
  for (const name of stated.keys())
    if (!rows.some((row) => row.name === name))
      throw new InvalidInputError(
        `plan.measured[${stated.get(name)!.j}].name`,
        `the model has no report-only row "${name}"`,
        name,
      );
  if (rows.length === 0) return [];
  const problem = withRows(context.problem, rows);
  const lhs = measureChoice(problem, choice).lhs;
  return rowReports(problem, lhs, null).map((report, j) => {
    const s = stated.get(report.name);
    if (!s)
      return {
        ...report,
        costToEnforce: report.slack >= 0 ? 0 : null,
        ...(report.slack >= 0 ? { shadowPrice: 0 } : { note: 'not in the plan file' }),
      };
    if (s.r.lhs === null || !agrees(s.r.lhs, lhs[j]!))
      throw new InvalidInputError(
        `plan.measured[${s.j}].lhs`,
        `states ${String(s.r.lhs)}, the assignments give ${lhs[j]}`,
        s.r.lhs,
      );
    return {
      ...report,
      shadowPrice: s.r.shadowPrice,
      costToEnforce: s.r.costToEnforce,
      ...(s.r.note !== undefined ? { note: s.r.note } : {}),
    };
  });
}
