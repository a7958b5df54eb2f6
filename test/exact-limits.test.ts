// Limits hold exactly (issue 11, item 3): a count limit is never exceeded, not by one; a money limit
// by float rounding at most. The old tolerance, 1e-6 relative to the limit, let a whole contact through
// a capacity of 2,000,000 and a whole dollar through a budget of 999,999.01.
import { describe, expect, it } from 'vitest';
import {} from '../src/index.js';
import {
  decompositionBackend,
  highsBackend,
  verifyChoice,
  type AssignmentProblem,
  type CouplingRow,
} from '../src/entries/solvers.js';

function problem(values: number[], rows: CouplingRow[]): AssignmentProblem {
  const n = values.length;
  return { n, K: 1, values: Float64Array.from(values), eligible: new Uint8Array(n).fill(1), rows };
}
const row = (
  name: string,
  sense: '<=' | '>=',
  rhs: number,
  actionCoef: number,
  customerCoef?: number[],
): CouplingRow => ({
  name,
  constraint: name,
  type: 'test',
  sense,
  rhs,
  actionCoef: Float64Array.of(actionCoef),
  ...(customerCoef ? { customerCoef: Float64Array.from(customerCoef) } : {}),
});

describe('exact limits', () => {
  it('a count limit of 2,000,000 is not passed by one', () => {
    // Two customers stand for 1,000,000 contacts each, one for a single contact.
    const p = problem([5, 5, 1], [row('capacity', '<=', 2_000_000, 1, [1_000_000, 1_000_000, 1])]);
    expect(verifyChoice(p, Int32Array.of(0, 0, -1)).ok).toBe(true);
    const over = verifyChoice(p, Int32Array.of(0, 0, 0));
    expect(over.ok).toBe(false);
    expect(over.violations[0]).toMatch(/2000001 > 2000000/);
  });
  it('a budget of 999,999.01 is not passed by 0.99', () => {
    const p = problem([5, 5], [row('budget', '<=', 999_999.01, 500_000)]);
    expect(verifyChoice(p, Int32Array.of(0, 0)).ok).toBe(false);
    // Cents: a money row is held to float rounding.
    const cents = problem([5, 5], [row('budget', '<=', 1_000_000, 500_000.005)]);
    expect(verifyChoice(cents, Int32Array.of(0, 0)).ok).toBe(false);
    expect(
      verifyChoice(problem([5, 5], [row('budget', '<=', 1_000_000.01, 500_000.005)]), Int32Array.of(0, 0)).ok,
    ).toBe(true);
  });
  it('a floor of a non-integer count needs the next whole count', () => {
    const p = problem([-1, -1, -1], [row('coverage', '>=', 1.2, 1)]);
    expect(verifyChoice(p, Int32Array.of(0, -1, -1)).ok).toBe(false);
    expect(verifyChoice(p, Int32Array.of(0, 0, -1)).ok).toBe(true);
  });
  for (const backend of [decompositionBackend(), highsBackend()]) {
    it(`${backend.name} keeps a large weighted count limit exactly`, async () => {
      // 2 heavy customers (1,000,000 each) and 400 light ones; the limit leaves room for 5 light ones.
      const n = 402;
      const weights = Array.from({ length: n }, (_, i) => (i < 2 ? 1_000_000 : 1));
      const p = problem(
        Array.from({ length: n }, (_, i) => (i < 2 ? 1e6 : 1 + (i % 7) / 10)),
        [row('capacity', '<=', 2_000_005, 1, weights)],
      );
      const r = await backend.solve(p, { gapTolerance: 1e-9, timeLimit: 30 });
      expect(r.choice).not.toBeNull();
      const v = verifyChoice(p, r.choice!);
      expect(v.ok).toBe(true);
      expect(v.lhs[0]).toBeLessThanOrEqual(2_000_005);
      expect(r.bound).toBeGreaterThanOrEqual(v.objective * (1 - 1e-12));
      // The exact MILP fills the limit to the unit; the decomposition may stop short of it (and says so in its gap).
      if (backend.name === 'highs') expect(v.lhs[0]).toBe(2_000_005);
    });
  }
});
