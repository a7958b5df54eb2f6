// The engine backend's statements, as text in the portable subset of docs/scale.md ("Dialect"): CTEs,
// CASE, greatest/least over non-null numbers, GROUP BY, a join on a small VALUES table, ORDER BY …
// LIMIT, CREATE TABLE AS, UPDATE … FROM. Every statement is a function of a few names and numbers.
import { valueColumns } from './problem.js';

/** A float as SQL text, exactly (17 significant digits round-trip a double); infinities as DOUBLE casts. */
export function num(v: number): string {
  if (v === Infinity) return `'inf'::DOUBLE`;
  if (v === -Infinity) return `-'inf'::DOUBLE`;
  return Number.isInteger(v) ? `${v}.0` : v.toPrecision(17);
}

/** The penalties μ·a of each (group, action) as a VALUES table `pen(g, p0 … p{K−1})`. */
export function penaltiesTable(P: Float64Array, G: number, K: number): string {
  const rows: string[] = [];
  for (let g = 0; g < G; g++) {
    const cells = [String(g)];
    for (let k = 0; k < K; k++) cells.push(num(P[g * K + k]!));
    rows.push(`(${cells.join(', ')})`);
  }
  return `pen(g, ${Array.from({ length: K }, (_, k) => `p${k}`).join(', ')}) AS (VALUES ${rows.join(', ')})`;
}

// Each customer's reduced values r_k = w_k − p_k, its best (0 for no action) and its choice: the first
// action reaching the best, no action on a tie with 0 (as the in-memory best response decides).
function reduced(table: string, K: number, extra: string[]): string {
  const w = valueColumns(K);
  const r = w.map((c, k) => `c.${c} - pen.p${k} AS r${k}`);
  const rs = Array.from({ length: K }, (_, k) => `r${k}`);
  const arg = `CASE ${rs.map((x, k) => `WHEN best > 0 AND ${x} = best THEN ${k}`).join(' ')} ELSE -1 END`;
  return `r AS (SELECT ${[...extra.map((e) => `c.${e}`), 'c.g', ...r].join(', ')} FROM ${table} c JOIN pen ON c.g = pen.g),
  b AS (SELECT *, greatest(0, ${rs.join(', ')}) AS best FROM r),
  a AS (SELECT *, ${arg} AS k FROM b)`;
}

/**
 * One dual pass: per (group, choice), how many customers choose it and the sum of their best
 * reduced values (Σ of which, plus μ·b, is L(μ)).
 */
export function passQuery(table: string, K: number, pen: string): string {
  return `WITH ${pen}, ${reduced(table, K, [])}
  SELECT g, k, count(*) AS cnt, sum(best) AS lag FROM a GROUP BY g, k`;
}

/**
 * The best response at μ as table `plan(i, g, k, w, margin)`: each customer's choice, its value
 * (0 for no action) and its margin over the second-best option.
 */
export function planStatement(plan: string, table: string, K: number, pen: string): string {
  const w = valueColumns(K);
  const rs = Array.from({ length: K }, (_, k) => `r${k}`);
  // The second best: every other option (no action is worth 0); −inf when there is none.
  const others = (k: number) => [...(k >= 0 ? ['0'] : []), ...rs.filter((_, q) => q !== k)];
  const most = (xs: string[]) =>
    xs.length === 0 ? `-'inf'::DOUBLE` : xs.length === 1 ? xs[0]! : `greatest(${xs.join(', ')})`;
  const second = `CASE k ${Array.from({ length: K }, (_, k) => `WHEN ${k} THEN ${most(others(k))}`).join(' ')} ELSE ${most(others(-1))} END`;
  const value = `CASE k ${w.map((c, k) => `WHEN ${k} THEN ${c}`).join(' ')} ELSE 0 END`;
  return `CREATE OR REPLACE TABLE ${plan} AS
  WITH ${pen}, ${reduced(table, K, ['i', ...w])}
  SELECT i, g, k, ${value} AS w, best - ${second} AS margin FROM a`;
}

/** Counts and value of a plan per (group, choice). */
export function planCounts(plan: string): string {
  return `SELECT g, k, count(*) AS cnt, sum(w) AS val FROM ${plan} GROUP BY g, k`;
}

/** The `limit` customers nearest a tie (smallest margin; then by row), with their group, choice and values. */
export function nearestQuery(plan: string, table: string, K: number, limit: number): string {
  return `SELECT p.i, p.g, p.k, ${valueColumns(K)
    .map((c) => `c.${c}`)
    .join(', ')} FROM ${plan} p JOIN ${table} c ON c.i = p.i ORDER BY p.margin, p.i LIMIT ${limit}`;
}

/** Applies moves `moves(i, k, w)` to the plan. */
export function applyMoves(plan: string, moves: string): string {
  return `UPDATE ${plan} SET k = m.k, w = m.w FROM ${moves} m WHERE ${plan}.i = m.i`;
}

/**
 * The verification's figures, from the plan and the rows' own coefficients `coef(g, k, j, a)`:
 * each row's activity.
 */
export function activityQuery(plan: string, coef: string): string {
  return `SELECT c.j, sum(c.a) AS lhs FROM ${plan} p JOIN ${coef} c ON c.g = p.g AND c.k = p.k GROUP BY c.j`;
}

/** The verification's value and eligibility: the plan's value and how many customers got an action they may not have. */
export function valueQuery(plan: string): string {
  return `SELECT sum(CASE WHEN k >= 0 THEN w ELSE 0 END) AS objective, sum(CASE WHEN k >= 0 AND w = -'inf'::DOUBLE THEN 1 ELSE 0 END) AS ineligible, count(*) AS customers FROM ${plan}`;
}
