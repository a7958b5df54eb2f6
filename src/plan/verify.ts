import {
  choiceMeasurer,
  measureChoice,
  breaksRow,
  type AssignmentProblem,
  type ChoiceMeasure,
} from '../problem/assignment-problem.js';
import { forSlices } from '../util/slices.js';

/**
 * Outcome of {@link verifyChoice}: `ok`, the recomputed objective and row
 * activities, and every violation found (empty when ok).
 *
 * @example
 * ```ts
 * const v = verifyChoice(problem, choice);
 * if (!v.ok) console.error(v.violations.join('\n'));
 * ```
 */
export interface Verification {
  /** True when every check passed. */
  ok: boolean;
  /** The net value recomputed from the problem. */
  objective: number;
  /** Activity of every row. */
  lhs: Float64Array;
  /** What failed, in words. */
  violations: string[];
}

/**
 * Checks a choice vector against the problem, independently of any backend:
 * one action per customer (by construction of the vector), a valid index,
 * eligibility (action filters and exclusions), every coupling row, and the
 * objective recomputed from the values.
 *
 * @example
 * ```ts
 * verifyChoice(problem, Int32Array.from([0, -1, 2])).ok;
 * ```
 */
export function verifyChoice(problem: AssignmentProblem, choice: Int32Array): Verification {
  return choice.length !== problem.n
    ? wrongLength(problem, choice)
    : verdict(problem, choice, measureChoice(problem, choice));
}

/**
 * {@link verifyChoice} with turns of the event loop between slices of
 * customers (the same verdict, bit for bit): the library's own solves use it.
 */
export async function verifyChoiceInSlices(problem: AssignmentProblem, choice: Int32Array): Promise<Verification> {
  if (choice.length !== problem.n) return wrongLength(problem, choice);
  const m = choiceMeasurer(problem, choice);
  await forSlices(problem.n, m.over);
  return verdict(problem, choice, m.result());
}

function wrongLength(problem: AssignmentProblem, choice: Int32Array): Verification {
  return {
    ok: false,
    objective: NaN,
    lhs: new Float64Array(problem.rows.length),
    violations: [`choice has ${choice.length} entries for ${problem.n} customers`],
  };
}

function verdict(problem: AssignmentProblem, choice: Int32Array, measure: ChoiceMeasure): Verification {
  const violations: string[] = [];
  const { K } = problem;
  const { lhs, objective, invalid } = measure;
  for (const i of invalid) {
    const k = choice[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= K) violations.push(`customer row ${i}: action index ${k} out of range`);
    else if (violations.length < 20)
      violations.push(`customer row ${i}: action ${k} not eligible (filter or exclusion)`);
  }
  problem.rows.forEach((row, j) => {
    if (breaksRow(row, lhs[j]!))
      violations.push(`row "${row.name}": ${lhs[j]} ${row.sense === '<=' ? '>' : '<'} ${row.rhs}`);
  });
  return { ok: violations.length === 0, objective, lhs, violations };
}
