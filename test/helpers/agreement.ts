// The two checks the property tests of each rule make (policies, ratios, …), in one place.
import { expect } from 'vitest';
import { RetentionModel, type ModelJSON } from '../../src/index.js';
import { checkPlan } from '../../src/testing/index.js';
import { assignmentOf, bruteForceOptimum, objectiveOf, violations } from './independent-check.js';

/**
 * highs on a tiny model: infeasible exactly when enumeration finds no plan; otherwise a plan that breaks
 * nothing (the independent check and checkPlan) and is worth the enumerated optimum. Returns the assignment.
 */
export async function expectBruteForceOptimum(doc: ModelJSON): Promise<number[] | null> {
  const optimum = bruteForceOptimum(doc);
  const model = RetentionModel.fromJSON(doc);
  const plan = await model.solve({ solver: 'highs', gapTolerance: 1e-9 });
  if (optimum === null) {
    expect(plan.status).toBe('infeasible');
    return null;
  }
  const assign = assignmentOf(doc, plan.toJSON());
  expect(violations(doc, assign)).toEqual([]);
  expect(checkPlan(model, plan).violations).toEqual([]);
  expect(Math.abs(objectiveOf(doc, assign) - optimum)).toBeLessThan(1e-6 * Math.max(1, Math.abs(optimum)));
  return assign;
}

/** On a known-feasible model: the decomposition returns a plan that breaks nothing, within its own gap of highs's optimum. */
export async function expectDecompositionWithinGap(doc: ModelJSON): Promise<void> {
  const model = RetentionModel.fromJSON(doc);
  const exact = await model.solve({ solver: 'highs', gapTolerance: 1e-9 });
  const ours = await model.solve({ solver: 'decomposition' });
  expect(exact.status).toBe('optimal');
  expect(ours.hasAssignment).toBe(true);
  expect(checkPlan(model, ours).violations).toEqual([]);
  const scale = Math.max(1, Math.abs(exact.objective));
  expect(ours.objective).toBeLessThanOrEqual(exact.objective + 1e-6 * scale);
  expect(ours.objective).toBeGreaterThanOrEqual(exact.objective - ours.gap * Math.max(1, Math.abs(ours.bound)) - 1e-6);
}
