import {
  NO_ACTION,
  integerRhs,
  pairValue,
  rowCoef,
  rowTolerance,
  type AssignmentProblem,
} from '../problem/assignment-problem.js';
import { eligiblePairs, type BackendResult } from '../problem/backend.js';

/**
 * The explicit MILP of an assignment problem, for the exact backends: one
 * binary column per useful eligible pair, the coupling rows first (so their
 * duals sit at indices 0..m-1), then one "at most one action" row per customer
 * with two or more columns. CSC storage.
 */
export interface MilpForm {
  numCols: number;
  numRows: number;
  /** Customer and action of each column. */
  colCustomer: Int32Array;
  colAction: Int32Array;
  colCost: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** Number of coupling rows (the first rows). */
  couplingRows: number;
}

/**
 * Builds the MILP. A pair with value ≤ 0 that only uses up capacity (no
 * positive part in any floor, no negative part in any cap) can never beat
 * "no action", so it is left out: the optimum, the LP bound and the duals stay
 * the same, and the exact solvers see far fewer columns.
 */
export function buildMilp(problem: AssignmentProblem, infinity: number): MilpForm {
  const { n, K, rows } = problem;
  const m = rows.length;
  const helps = helpMask(problem);
  const keep: number[] = [];
  for (let p = 0; p < n * K; p++) {
    if (problem.eligible[p] && (problem.values[p]! > 0 || helps[p])) keep.push(p);
  }
  const numCols = keep.length;
  const colCustomer = new Int32Array(numCols);
  const colAction = new Int32Array(numCols);
  const colCost = new Float64Array(numCols);
  const perCustomer = new Int32Array(n);
  keep.forEach((p, c) => {
    const i = Math.floor(p / K);
    colCustomer[c] = i;
    colAction[c] = p - i * K;
    colCost[c] = problem.values[p]!;
    perCustomer[i]!++;
  });
  const customerRow = new Int32Array(n).fill(-1);
  let numRows = m;
  for (let i = 0; i < n; i++) if (perCustomer[i]! >= 2) customerRow[i] = numRows++;

  const starts = new Int32Array(numCols + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let c = 0; c < numCols; c++) {
    const i = colCustomer[c]!;
    const k = colAction[c]!;
    for (let j = 0; j < m; j++) {
      const row = rows[j]!;
      const a = rowCoef(row, i, k);
      if (a !== 0) {
        idx.push(j);
        val.push(a);
      }
    }
    if (customerRow[i]! >= 0) {
      idx.push(customerRow[i]!);
      val.push(1);
    }
    starts[c + 1] = idx.length;
  }
  const rowLower = new Float64Array(numRows).fill(-infinity);
  const rowUpper = new Float64Array(numRows).fill(1);
  rows.forEach((row, j) => {
    // Integer right-hand sides on count rows: the solver's own tolerance then cannot let a unit through.
    rowLower[j] = row.sense === '>=' ? integerRhs(row) : -infinity;
    rowUpper[j] = row.sense === '<=' ? integerRhs(row) : infinity;
  });
  return {
    numCols,
    numRows,
    colCustomer,
    colAction,
    colCost,
    rowLower,
    rowUpper,
    starts,
    indices: Int32Array.from(idx),
    values: Float64Array.from(val),
    couplingRows: m,
  };
}

// helps[i*K+k] = 1 when the pair could help some row (needed even at a loss).
function helpMask(problem: AssignmentProblem): Uint8Array {
  const { n, K, rows } = problem;
  const helps = new Uint8Array(n * K);
  for (const row of rows) {
    for (let i = 0; i < n; i++) {
      if (!row.pairCoef && row.customerCoef?.[i] === 0) continue;
      for (let k = 0; k < K; k++) {
        const a = rowCoef(row, i, k);
        if ((row.sense === '>=' && a > 0) || (row.sense === '<=' && a < 0)) helps[i * K + k] = 1;
      }
    }
  }
  return helps;
}

/**
 * The number of columns {@link buildMilp} would build when it is above `max`,
 * else null; counted without building anything large. The eligible pairs bound
 * it from above in one cheap pass, so a model within the limit is not looked at
 * twice (buildMilp finds its useful pairs itself).
 */
export function milpColumnsAbove(problem: AssignmentProblem, max: number): number | null {
  if (eligiblePairs(problem) <= max) return null;
  const columns = countMilpColumns(problem);
  return columns > max ? columns : null;
}

// Pair values are read one by one, not as the n × K array.
function countMilpColumns(problem: AssignmentProblem): number {
  const { n, K } = problem;
  const helps = helpMask(problem);
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++)
      if (problem.eligible[i * K + k] && (helps[i * K + k] || pairValue(problem, i, k) > 0)) count++;
  }
  return count;
}

/**
 * Turns 0/1 column values into a choice vector, or returns null when a value
 * is not within 1e-6 of 0 or 1 (a "binary" some solvers leave fractional).
 */
export function choiceFromColumns(form: MilpForm, n: number, colValue: (c: number) => number): Int32Array | null {
  const choice = new Int32Array(n).fill(NO_ACTION);
  for (let c = 0; c < form.numCols; c++) {
    const x = colValue(c);
    if (Math.abs(x) <= 1e-6) continue;
    if (Math.abs(x - 1) > 1e-6) return null;
    choice[form.colCustomer[c]!] = form.colAction[c]!;
  }
  return choice;
}

/**
 * The answer for a MILP with no useful columns: no action for anyone is the
 * only plan, feasible exactly when every row holds at activity 0. (Solvers
 * report such a model as "empty" without checking its rows.)
 */
export function emptyMilpResult(problem: AssignmentProblem): BackendResult {
  const feasible = problem.rows.every((r) =>
    r.sense === '<=' ? 0 <= r.rhs + rowTolerance(r) : 0 >= r.rhs - rowTolerance(r),
  );
  return feasible
    ? { status: 'optimal', choice: new Int32Array(problem.n).fill(NO_ACTION), bound: 0, shadowPrices: null }
    : { status: 'infeasible', choice: null, bound: -Infinity, shadowPrices: null };
}
