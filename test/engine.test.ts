// The decomposition in a SQL engine (issue 16, item 3): DuckDB holds the customers, passes and the plan
// are queries; it must agree with the in-memory solver, verify its plan in the engine, refuse values
// that are not what their factored form says, and stop on time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceModel } from '../bench/reference-model.js';
import { duckdbEngine } from '../src/solvers/decomposition/engine/duckdb.js';
import { loadProblem } from '../src/solvers/decomposition/engine/problem.js';
import { envelope } from '../src/solvers/decomposition/engine/scores.js';
import { solveInEngine } from '../src/solvers/engine-backend.js';

describe('engine (DuckDB)', () => {
  it('the envelope of lines is, at every point, the best line (the steeper on a tie)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -20, max: 20 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 1, maxLength: 20 }),
        (lines, xs) => {
          const slope = Float64Array.from(lines, ([u]) => u / 2);
          const icpt = Float64Array.from(lines, ([, v]) => v);
          const runs = envelope(slope, icpt, lines.length);
          expect(runs[0]!.from).toBe(-Infinity);
          expect(runs[runs.length - 1]!.to).toBe(Infinity);
          for (const x0 of xs) {
            const x = x0 / 4;
            const run = runs.find((r) => r.from <= x && x < r.to)!;
            const value = (l: number) => slope[l]! * x + icpt[l]!;
            let best = -Infinity;
            for (let l = 0; l < lines.length; l++) best = Math.max(best, value(l));
            expect(value(run.line)).toBeCloseTo(best, 9);
          }
        },
      ),
      { numRuns: 300, seed: 16 },
    );
  });

  it.each([
    ['factored values: passes per class on sorted scores', 'factored', 60_000],
    ['an uplift per customer: passes over every customer', 'uplift', 20_000],
  ] as const)('agrees with the in-memory decomposition (%s)', async (_, kind, n) => {
    const model = referenceModel(n, 3, undefined, kind);
    const memory = await model.solve({ solver: 'decomposition', gapTolerance: 1e-6 });
    const engine = await model.solve({ solver: 'duckdb', gapTolerance: 1e-6 });
    expect(engine.status).toBe('optimal');
    expect(engine.solver.name).toBe('duckdb');
    expect(engine.solver.message).toContain('in duckdb');
    // Both within their certified gaps of the optimum: the objectives within the wider gap of each other.
    const scale = Math.max(memory.bound, engine.bound);
    expect(Math.abs(engine.objective - memory.objective)).toBeLessThanOrEqual(2e-6 * scale);
    expect(engine.bound).toBeGreaterThanOrEqual(memory.objective - 1e-9 * scale);
    expect(memory.bound).toBeGreaterThanOrEqual(engine.objective - 1e-9 * scale);
  });

  it('solveInEngine leaves the customers in the engine and writes a verified plan there', async () => {
    const engine = await duckdbEngine();
    try {
      const problem = await loadProblem(engine, referenceModel(30_000, 5).problem(), 'customers');
      expect(problem.scores).toBeDefined();
      const out = await solveInEngine(engine, problem, { gapTolerance: 1e-6 }, 'weekly_plan');
      expect(out.status).toBe('optimal');
      expect(out.violations).toEqual([]);
      const [plan] = await engine.query(
        'SELECT count(*) AS n, sum(CASE WHEN k >= 0 THEN w ELSE 0 END) AS value, count(DISTINCT i) AS ids FROM weekly_plan',
      );
      expect(plan!.n).toBe(30_000);
      expect(plan!.ids).toBe(30_000);
      expect(Number(plan!.value)).toBeCloseTo(out.objective, 6);
      // The rows as the in-memory verifier sees them: the same activities.
      const rows = problem.rows.map((r) => r.name);
      expect(out.lhs!.length).toBe(rows.length);
      const tables = await engine.query(
        "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'weekly_plan_%'",
      );
      expect(tables).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('values that are not their factored form are refused, naming the column', async () => {
    const engine = await duckdbEngine();
    try {
      const problem = await loadProblem(engine, referenceModel(5_000, 2).problem(), 'customers');
      const [changed] = await engine.query("SELECT min(i) AS i FROM customers WHERE w2 > -'inf'::DOUBLE");
      await engine.run(`UPDATE customers SET w2 = w2 + 1 WHERE i = ${changed!.i}`);
      await expect(solveInEngine(engine, problem, { gapTolerance: 1e-6 })).rejects.toThrow(/w2/);
    } finally {
      await engine.close();
    }
  });

  it('a time limit stops the solve, with no plan claimed', async () => {
    const engine = await duckdbEngine();
    try {
      const problem = await loadProblem(engine, referenceModel(40_000, 2, undefined, 'uplift').problem(), 'customers');
      const started = performance.now();
      const out = await solveInEngine(engine, problem, { gapTolerance: 1e-9, timeLimit: 0.3 });
      expect((performance.now() - started) / 1000).toBeLessThan(0.3 + 0.6);
      expect(out.status).toBe('time_limit');
    } finally {
      await engine.close();
    }
  });
});
