/**
 * A testing kit for property tests of retention models (`retention-optimizer/testing`):
 * fast-check arbitraries for catalogs, customers, constraint sets and whole models (with a switch
 * for "known feasible"), and {@link checkPlan}, a solver-independent check of a plan against its
 * model. Needs `fast-check` (a peer dependency of this subpath).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { expect, it } from 'vitest';
 * import { RetentionModel } from 'retention-optimizer';
 * import { checkPlan, modelArbitrary } from 'retention-optimizer/testing';
 *
 * it('every plan meets every constraint', async () => {
 *   await fc.assert(fc.asyncProperty(modelArbitrary({ knownFeasible: true }), async (doc) => {
 *     const model = RetentionModel.fromJSON(doc);
 *     const plan = await model.solve();
 *     expect(checkPlan(model, plan).violations).toEqual([]);
 *   }));
 * });
 * ```
 *
 * @module
 */
export { checkPlan, type PlanCheck } from './check-plan.js';
export {
  catalogArbitrary,
  constraintsArbitrary,
  customersArbitrary,
  modelArbitrary,
  type ModelArbitraryOptions,
} from './arbitraries.js';
