import { NO_ACTION } from '../../../problem/assignment-problem.js';
import type { HighsModel } from '../../worker/highs-job.js';
import type { LinearSolver } from '../core/linear.js';
import { activity } from '../core/margins.js';
import type { Structure } from '../core/structure.js';

/**
 * Phase 1: a feasible plan when the repair found none, or a proof that none exists.
 *
 * Customers of the same group (identical row coefficients) with the same
 * eligible actions are interchangeable as far as the rows can tell: only how
 * many of them take each option matters. So feasibility of the whole problem
 * is exactly feasibility of a small integer program over counts y[c, k]
 * (class c, option k, "no action" included), Σ_k y[c, k] = |c|,
 * Σ_{c,k} a_j(c, k)·y[c, k] ≤ b_j for every row j. Among the feasible counts it
 * takes those nearest (in L1) to the repair's last, nearly feasible plan, so
 * that the plan stays close to the best response at the final multipliers;
 * the counts are then realized by moving, class by class, the customers whose
 * moves lose least, and the caller's fill improves the result.
 *
 * The count program is solved by HiGHS on a worker thread (its size grows with
 * the classes, not the customers: ~60 integer columns for the reference
 * model). "Infeasible" from it is a proof about the whole problem.
 */
export type Phase1 =
  | { outcome: 'plan'; choice: Int32Array }
  | { outcome: 'infeasible' }
  | { outcome: 'stopped' | 'failed'; message: string };

/** Classes: customers with the same group and the same eligible options. */
interface Classes {
  C: number;
  of: Int32Array;
  group: Int32Array;
  size: Float64Array;
  /** Per class, bit k set when action k is eligible (actions 0–29). */
  mask: Int32Array;
  /** A customer of each class (its first): eligibility beyond action 29 is read from it. */
  rep: Int32Array;
}

function classify(s: Structure): Classes {
  const { n, K, values } = s;
  const of = new Int32Array(n);
  const ids = new Map<string, number>();
  const group: number[] = [];
  const size: number[] = [];
  const mask: number[] = [];
  const rep: number[] = [];
  const w = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    values.row(i, w);
    let bits = 0;
    // K ≤ 30 keeps the bits in an Int32; beyond, the eligible set goes into the key as text.
    let text = '';
    for (let k = 0; k < K; k++) {
      if (w[k] === -Infinity) continue;
      if (k < 30) bits |= 1 << k;
      else text += `,${k}`;
    }
    const key = `${s.group[i]}|${bits}${text}`;
    let c = ids.get(key);
    if (c === undefined) {
      ids.set(key, (c = group.length));
      group.push(s.group[i]!);
      size.push(0);
      mask.push(bits);
      rep.push(i);
    }
    size[c]!++;
    of[i] = c;
  }
  return {
    C: group.length,
    of,
    group: Int32Array.from(group),
    size: Float64Array.from(size),
    mask: Int32Array.from(mask),
    rep: Int32Array.from(rep),
  };
}

/**
 * Finds a feasible plan near `near` (a choice vector, typically the repair's
 * last attempt) or proves there is none, within `timeLimit` seconds.
 */
export async function phase1(
  s: Structure,
  near: Int32Array,
  lp: LinearSolver,
  timeLimit: number,
  signal?: AbortSignal,
): Promise<Phase1> {
  const { K, m, nzStart, nzRow, nzValue, scale, rhs, tol, values } = s;
  const cls = classify(s);
  const { C } = cls;
  const eligibleK = (c: number, k: number) =>
    k < 0 || (k < 30 ? (cls.mask[c]! >> k) & 1 : values.at(cls.rep[c]!, k) !== -Infinity);
  // Current counts per (class, option), option index k+1 (0 is "no action").
  const current = new Float64Array(C * (K + 1));
  for (let i = 0; i < s.n; i++) current[cls.of[i]! * (K + 1) + near[i]! + 1]!++;

  // Columns: for each (class, eligible option) a count y (integer) and a deviation d ≥ |y − y0|.
  const colClass: number[] = [];
  const colOption: number[] = [];
  for (let c = 0; c < C; c++) {
    for (let k = NO_ACTION; k < K; k++)
      if (eligibleK(c, k)) {
        colClass.push(c);
        colOption.push(k);
      }
  }
  const Y = colClass.length;
  const numCols = 2 * Y;
  // Rows: m coupling rows, C class totals, then 2 per y for the deviations.
  const numRows = m + C + 2 * Y;
  const rowLower = new Float64Array(numRows).fill(-Infinity);
  const rowUpper = new Float64Array(numRows).fill(Infinity);
  for (let j = 0; j < m; j++) rowUpper[j] = (rhs[j]! + tol[j]!) * scale[j]!;
  for (let c = 0; c < C; c++) {
    rowLower[m + c] = cls.size[c]!;
    rowUpper[m + c] = cls.size[c]!;
  }
  const starts = new Int32Array(numCols + 1);
  const indices: number[] = [];
  const vals: number[] = [];
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  for (let y = 0; y < Y; y++) {
    const c = colClass[y]!;
    const k = colOption[y]!;
    const y0 = current[c * (K + 1) + k + 1]!;
    colUpper[y] = cls.size[c]!;
    if (k >= 0) {
      const g = cls.group[c]!;
      for (let e = nzStart[g * K + k]!; e < nzStart[g * K + k + 1]!; e++) {
        indices.push(nzRow[e]!);
        vals.push(nzValue[e]! * scale[nzRow[e]!]!);
      }
    }
    indices.push(m + c);
    vals.push(1);
    // d − y ≥ −y0 and d + y ≥ y0.
    indices.push(m + C + 2 * y);
    vals.push(-1);
    indices.push(m + C + 2 * y + 1);
    vals.push(1);
    starts[y + 1] = indices.length;
    rowLower[m + C + 2 * y] = -y0;
    rowLower[m + C + 2 * y + 1] = y0;
  }
  for (let y = 0; y < Y; y++) {
    const col = Y + y;
    colCost[col] = 1;
    colUpper[col] = Infinity;
    indices.push(m + C + 2 * y);
    vals.push(1);
    indices.push(m + C + 2 * y + 1);
    vals.push(1);
    starts[col + 1] = indices.length;
  }
  const model: HighsModel = {
    numCols,
    numRows,
    maximize: false,
    integerColumns: Y,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    starts,
    indices: Int32Array.from(indices),
    values: Float64Array.from(vals),
  };
  const outcome = await lp.solve({ model, options: { output_flag: false, mip_rel_gap: 1e-3 } }, { timeLimit, signal });
  if (outcome.status === 'infeasible') return { outcome: 'infeasible' };
  if (!outcome.colValue) {
    return outcome.status === 'stopped'
      ? { outcome: 'stopped', message: 'stopped before the feasibility phase found a plan' }
      : { outcome: 'failed', message: `the feasibility phase ended with HiGHS status ${outcome.modelStatus}` };
  }
  const target = new Float64Array(C * (K + 1));
  for (let y = 0; y < Y; y++) target[colClass[y]! * (K + 1) + colOption[y]! + 1] = Math.round(outcome.colValue[y]!);
  const choice = realize(s, cls, near, current, target);
  // The counts are exact integers: check the rows as the repair would before handing the plan on.
  const count = new Float64Array(s.G * K);
  for (let i = 0; i < s.n; i++) if (choice[i]! >= 0) count[s.group[i]! * K + choice[i]!]!++;
  const act = activity(s, count, new Float64Array(m));
  for (let j = 0; j < m; j++) {
    if (act[j]! > rhs[j]! + tol[j]!)
      return { outcome: 'failed', message: `the feasibility phase's counts break row ${j} after rounding` };
  }
  return { outcome: 'plan', choice };
}

/**
 * Moves customers so that every class has the target counts: the candidate
 * moves (a customer of an option above its target, to an option below it)
 * are taken in order of least value lost.
 */
function realize(
  s: Structure,
  cls: Classes,
  near: Int32Array,
  current: Float64Array,
  target: Float64Array,
): Int32Array {
  const { n, K, values } = s;
  const x = near.slice();
  const excess = new Float64Array(current.length);
  for (let t = 0; t < current.length; t++) excess[t] = current[t]! - target[t]!;
  const loss: number[] = [];
  const who: number[] = [];
  const to: number[] = [];
  const w = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const base = cls.of[i]! * (K + 1);
    const k1 = x[i]!;
    if (excess[base + k1 + 1]! <= 0) continue;
    values.row(i, w);
    const w1 = k1 >= 0 ? w[k1]! : 0;
    for (let k2 = NO_ACTION; k2 < K; k2++) {
      if (k2 === k1 || excess[base + k2 + 1]! >= 0) continue;
      const w2 = k2 >= 0 ? w[k2]! : 0;
      if (w2 === -Infinity) continue;
      loss.push(w1 - w2);
      who.push(i);
      to.push(k2);
    }
  }
  const order = Int32Array.from(loss.keys()).sort(
    (a, b) => loss[a]! - loss[b]! || who[a]! - who[b]! || to[a]! - to[b]!,
  );
  const moved = new Uint8Array(n);
  for (const e of order) {
    const i = who[e]!;
    if (moved[i]) continue;
    const base = cls.of[i]! * (K + 1);
    const k1 = x[i]!;
    const k2 = to[e]!;
    if (excess[base + k1 + 1]! <= 0 || excess[base + k2 + 1]! >= 0) continue;
    x[i] = k2;
    moved[i] = 1;
    excess[base + k1 + 1]!--;
    excess[base + k2 + 1]!++;
  }
  return x;
}
