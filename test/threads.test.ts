// The decomposition on several threads (issue 16): the same plan, bit for bit, as on one thread, for
// each way values come (factored, per customer, with a cost per customer), and the parts it shares out
// (grouping keys, sorts, best responses, candidate moves) equal to the single-thread loops.
import { describe, expect, it } from 'vitest';
import { referenceModel, type ValueKind } from '../bench/reference-model.js';
import { RetentionError } from '../src/index.js';
import { bestResponseInSlices, Margins } from '../src/solvers/decomposition/core/margins.js';
import { MoveLists } from '../src/solvers/decomposition/primal/move-lists.js';
import { buildStructure, groupCustomers } from '../src/solvers/decomposition/core/structure.js';
import { ScoreClasses } from '../src/solvers/decomposition/dual/threshold-oracle.js';
import { Team, threadsFor, THREADS_FROM } from '../src/solvers/decomposition/parallel/team.js';
import { SLICE } from '../src/util/slices.js';

// Several slices per thread, so each thread has work and slice order matters.
const N = 5 * SLICE + 123;

describe('threads', () => {
  it('a team of 2 or 3 threads groups, sorts, responds and lists moves exactly as one thread', async () => {
    const problem = referenceModel(N, 4).problem();
    for (const size of [2, 3]) {
      const team = Team.open(size);
      try {
        const alone = await groupCustomers(problem, true);
        const shared = await groupCustomers(problem, true, 'auto', team.keys);
        expect(shared.G).toBe(alone.G);
        expect(Array.from(shared.rep)).toEqual(Array.from(alone.rep));
        expect(Array.from(shared.size)).toEqual(Array.from(alone.size));
        expect(shared.group).toEqual(alone.group);
        const classes = (await ScoreClasses.build(problem, alone))!;
        const sortedBy = (await ScoreClasses.build(problem, alone, undefined, team))!;
        expect(sortedBy.sorted).toEqual(classes.sorted);
        expect(sortedBy.blockPrefix).toEqual(classes.blockPrefix);
        const s = buildStructure(problem, alone);
        const mu = Float64Array.from({ length: s.m }, (_, j) => (j % 4) * 0.02);
        const one = await bestResponseInSlices(s, mu);
        const many = await team.respond(s, mu);
        expect(many.objective).toBe(one.objective);
        expect(many.choice).toEqual(one.choice);
        expect(many.margin).toEqual(one.margin);
        expect(many.count).toEqual(one.count);
        // Candidate moves: every customer, within a cut-off that keeps many ties (the heaps' order decides).
        const margins = new Margins(s, mu, one.choice, one.margin);
        const all = Int32Array.from({ length: s.n }, (_, i) => i);
        const cutoff = 0.5;
        const alone2 = await MoveLists.build(s, 64, one.choice, all, cutoff, margins);
        const byTeam = await MoveLists.build(s, 64, one.choice, all, cutoff, margins, team);
        expect(Array.from(byTeam.typeOf)).toEqual(Array.from(alone2.typeOf));
        expect(byTeam.active).toEqual(alone2.active);
        expect(Array.from(byTeam.size)).toEqual(Array.from(alone2.size));
        expect(byTeam.loss).toEqual(alone2.loss);
        expect(byTeam.who).toEqual(alone2.who);
        expect(alone2.size.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
      } finally {
        team.close();
      }
    }
  });

  const kinds: ValueKind[] = ['factored', 'uplift', 'uplift+cost'];
  it.each(kinds)('solve({ threads: 2 }) gives the plan of threads: 1, bit for bit (%s values)', async (kind) => {
    const plans = [];
    for (const threads of [1, 2]) {
      const plan = await referenceModel(N, 7, undefined, kind).solve({
        solver: 'decomposition',
        gapTolerance: 1e-6,
        threads,
      });
      plans.push(plan);
    }
    const [one, two] = plans as [(typeof plans)[0], (typeof plans)[0]];
    expect(one.status).not.toBe('error');
    expect(two.status).toBe(one.status);
    expect(two.objective).toBe(one.objective);
    expect(two.bound).toBe(one.bound);
    expect(two.choice()).toEqual(one.choice());
  });

  it("threads: 'auto' uses every core from THREADS_FROM customers; a bad setting is a typed error", async () => {
    expect(threadsFor('auto', THREADS_FROM - 1)).toBe(1);
    expect(threadsFor('auto', THREADS_FROM)).toBeGreaterThanOrEqual(1);
    expect(threadsFor(3, 10)).toBe(3);
    const model = referenceModel(500, 1);
    for (const threads of [0, 1.5, -2, Number.NaN]) {
      const error = await model.solve({ threads }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RetentionError);
      expect((error as RetentionError).code).toBe('INVALID_INPUT');
      expect((error as Error).message).toContain('threads');
    }
  });
});
