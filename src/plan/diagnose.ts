import {
  amountTolerance,
  rowTolerance,
  rowCoef,
  supportOf,
  type AssignmentProblem,
  type CouplingRow,
} from '../problem/assignment-problem.js';

/**
 * One reason a model has no plan: the constraints involved and the amounts.
 *
 * @example
 * ```ts
 * for (const c of plan.conflicts) console.log(c.message);
 * // coverage floors "fairness:segment" need 9,200 treated customers; the cheapest eligible actions for them cost 18,400, but "budget" allows 7,500
 * ```
 */
export interface Conflict {
  /** Names of the constraints (as given to the model) in conflict. */
  constraints: string[];
  /** Names of the rows in conflict. */
  rows: string[];
  /** What the floors need of the limiting resource. */
  needed: number;
  /** What the limiting constraint allows. */
  available: number;
  /** The conflict in words (what the floors need, what the caps allow). */
  message: string;
}

const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2 });

/**
 * Explains why a model is infeasible by reasoning on its rows, not by
 * guessing. Each finding is a proof: a floor that the eligible customers cannot
 * reach, or a floor (or a family of floors on disjoint customer sets) whose
 * cheapest fulfilment uses more of a cap (budget, channel capacity, quota,
 * saturation) than the cap allows. Returns [] when no single floor–cap pair
 * explains it (the conflict then needs three or more rows together).
 *
 * @example
 * ```ts
 * const conflicts = diagnoseInfeasibility(model.problem());
 * ```
 */
export function diagnoseInfeasibility(problem: AssignmentProblem): Conflict[] {
  const floors = problem.rows.map((r, j) => j).filter((j) => isCountFloor(problem, problem.rows[j]!));
  const caps = problem.rows.map((r, j) => j).filter((j) => isNonNegativeCap(problem.rows[j]!));
  const families = floorFamilies(problem, floors);
  const out: Conflict[] = [];

  for (const family of families) {
    const rows = family.map((j) => problem.rows[j]!);
    const need = rows.reduce((s, r) => s + r.rhs, 0);
    const reach = rows.reduce((s, r) => s + reachable(problem, r), 0);
    const label = familyLabel(rows);
    if (reach < need - amountTolerance(need)) {
      out.push({
        constraints: unique(rows.map((r) => r.constraint)),
        rows: rows.map((r) => r.name),
        needed: need,
        available: reach,
        message: `${label} need${rows.length > 1 ? '' : 's'} ${fmt(need)} treated customers, but only ${fmt(reach)} of them are eligible for any action`,
      });
      continue;
    }
    for (const c of caps) {
      const cap = problem.rows[c]!;
      const used = rows.reduce((s, r) => s + cheapestFulfilment(problem, r, cap), 0);
      if (used > cap.rhs + rowTolerance(cap)) {
        out.push({
          constraints: unique([...rows.map((r) => r.constraint), cap.constraint]),
          rows: [...rows.map((r) => r.name), cap.name],
          needed: used,
          available: cap.rhs,
          message: `${label} need${rows.length > 1 ? '' : 's'} ${fmt(need)} treated customers; the cheapest way to treat them uses ${fmt(used)} of "${cap.name}", which allows ${fmt(cap.rhs)}`,
        });
      }
    }
  }
  return out;
}

// A floor counting treated customers of a set: ≥ row, 0/1 coefficients on every pair.
function isCountFloor(problem: AssignmentProblem, row: CouplingRow): boolean {
  if (row.sense !== '>=' || row.rhs <= 0 || row.pairCoef) return false;
  if (!row.actionCoef.every((a) => a === 0 || a === 1)) return false;
  const c = row.customerCoef;
  if (c) for (const i of supportOf(row)!) if (c[i] !== 1) return false;
  return true;
}

function isNonNegativeCap(row: CouplingRow): boolean {
  if (row.sense !== '<=') return false;
  if (!row.actionCoef.every((a) => a >= 0)) return false;
  const c = row.customerCoef;
  if (c) for (let i = 0; i < c.length; i++) if (c[i]! < 0) return false;
  return (row.pairCoef ?? []).every((col) => !col || col.every((x) => x >= 0));
}

// Floors of one constraint on pairwise disjoint sets (fairness groups) add up; others stand alone.
function floorFamilies(problem: AssignmentProblem, floors: number[]): number[][] {
  const byConstraint = new Map<string, number[]>();
  for (const j of floors) {
    const key = problem.rows[j]!.constraint;
    const list = byConstraint.get(key);
    if (list) list.push(j);
    else byConstraint.set(key, [j]);
  }
  const families: number[][] = [];
  for (const group of byConstraint.values()) {
    if (group.length > 1 && disjoint(problem, group)) families.push(group);
    for (const j of group) families.push([j]);
  }
  return families;
}

function disjoint(problem: AssignmentProblem, rows: number[]): boolean {
  const seen = new Uint8Array(problem.n);
  for (const j of rows) {
    const support = supportOf(problem.rows[j]!);
    if (!support) return false;
    for (const i of support) {
      if (seen[i]) return false;
      seen[i] = 1;
    }
  }
  return true;
}

/** How many customers could count toward the floor at all. */
function reachable(problem: AssignmentProblem, floor: CouplingRow): number {
  const { K, eligible } = problem;
  const a = floor.actionCoef;
  let m = 0;
  for (const i of customersOf(problem, floor)) {
    for (let k = 0; k < K; k++)
      if (a[k] === 1 && eligible[i * K + k] === 1) {
        m++;
        break;
      }
  }
  return m;
}

/** Least use of `cap` that meets `floor` alone: the floor's rhs cheapest customers, each by its cheapest counting action. */
function cheapestFulfilment(problem: AssignmentProblem, floor: CouplingRow, cap: CouplingRow): number {
  const { K, eligible } = problem;
  const a = floor.actionCoef;
  // Few distinct costs in practice, so a histogram instead of a sort of n values.
  const hist = new Map<number, number>();
  for (const i of customersOf(problem, floor)) {
    let best = Infinity;
    for (let k = 0; k < K; k++) {
      if (a[k] === 1 && eligible[i * K + k] === 1) best = Math.min(best, rowCoef(cap, i, k));
    }
    if (best < Infinity) hist.set(best, (hist.get(best) ?? 0) + 1);
  }
  let need = Math.ceil(floor.rhs - 1e-9);
  let used = 0;
  for (const cost of [...hist.keys()].sort((a, b) => a - b)) {
    const take = Math.min(need, hist.get(cost)!);
    used += take * cost;
    need -= take;
    if (need === 0) break;
  }
  return need > 0 ? Infinity : used;
}

// The customers a count floor counts (its 0/1 customer factor is 1), or everyone.
function customersOf(problem: AssignmentProblem, floor: CouplingRow): Iterable<number> {
  return supportOf(floor) ?? Array.from({ length: problem.n }, (_, i) => i);
}

function familyLabel(rows: CouplingRow[]): string {
  if (rows.length === 1) return `floor "${rows[0]!.name}"`;
  return `the floors of "${rows[0]!.constraint}" (${rows.length} groups)`;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
