// Long per-customer loops run in slices with turns of the event loop between them, and give the same
// results bit for bit as one loop (the verification, the best response, the grouping of customers).
import { describe, expect, it } from 'vitest';
import { forSlices, SLICE } from '../src/util/slices.js';
import { verifyChoice, verifyChoiceInSlices } from '../src/plan/verify.js';
import { bestResponse, bestResponseInSlices } from '../src/solvers/decomposition/core/margins.js';
import { buildStructure, groupCustomers } from '../src/solvers/decomposition/core/structure.js';
import { referenceModel } from '../bench/reference-model.js';

describe('slices', () => {
  it('forSlices covers [0, n) in order and lets other work run between slices', async () => {
    const n = 3 * SLICE + 17;
    const seen: number[] = [];
    let interleaved = 0;
    const timer = setInterval(() => interleaved++, 0);
    await forSlices(
      n,
      (from, to) => {
        seen.push(from, to);
        const until = performance.now() + 2;
        while (performance.now() < until); // a slice that takes time
      },
      0,
    );
    clearInterval(timer);
    expect(seen).toEqual([0, SLICE, SLICE, 2 * SLICE, 2 * SLICE, 3 * SLICE, 3 * SLICE, n]);
    expect(interleaved).toBeGreaterThan(0);
  });

  it('the sliced verification, best response and grouping are the single loop’s, bit for bit', async () => {
    const problem = referenceModel(200_000, 3).problem();
    const grouping = await groupCustomers(problem, true);
    const s = buildStructure(problem, grouping);
    const mu = Float64Array.from({ length: s.m }, (_, j) => (j % 3) * 0.01);
    const one = bestResponse(s, mu);
    const sliced = await bestResponseInSlices(s, mu);
    expect(sliced.objective).toBe(one.objective);
    expect(sliced.choice).toEqual(one.choice);
    expect(sliced.count).toEqual(one.count);
    const a = verifyChoice(problem, one.choice);
    const b = await verifyChoiceInSlices(problem, one.choice);
    expect(b.objective).toBe(a.objective);
    expect(Array.from(b.lhs)).toEqual(Array.from(a.lhs));
    expect(b.violations).toEqual(a.violations);
    // Grouping twice gives the same groups (first-appearance numbering over the slices).
    const again = await groupCustomers(problem, true);
    expect(again.group).toEqual(grouping.group);
    expect(again.G).toBe(grouping.G);
  });
});
