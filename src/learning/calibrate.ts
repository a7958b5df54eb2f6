import type { ColumnTable } from 'arquero';
import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { upliftFor } from '../data/actions.js';
import { pairTerms } from '../data/pair-terms.js';
import { isTable } from '../data/customer-source.js';
import { planData, type Plan } from '../plan/plan.js';
import { columnsOf, tableOf, type TableOf } from '../util/columns.js';
import { newcombeDifference, normalQuantile } from './intervals.js';

const CALIBRATION_COLUMNS = [
  'action',
  'segment',
  'treated',
  'holdout',
  'treatedChurned',
  'holdoutChurned',
  'treatedRate',
  'holdoutRate',
  'meanPredicted',
  'uplift',
  'lower',
  'upper',
  'prior',
  'calibrated',
  'weight',
] as const;

/**
 * Observed outcomes: who churned. An arquero table or plain columns.
 *
 * @example
 * ```ts
 * const outcomes: Outcomes = { customer_id: [1, 2, 3], churned: [0, 1, 0] };
 * ```
 */
export type Outcomes = ColumnTable | Record<string, ArrayLike<unknown>>;

/**
 * Options of {@link calibrate}.
 *
 * @example
 * ```ts
 * calibrate(plan, outcomes, { bySegment: true, id: 'customer_id', churned: 'churned' });
 * ```
 */
export interface CalibrateOptions {
  /** Estimate per action and segment, not only per action (default false). */
  bySegment?: boolean;
  /** Id column of the outcomes (default `customer_id`). */
  id?: string;
  /** Churn column of the outcomes: 0/1 or false/true (default `churned`). */
  churned?: string;
  /** Confidence of the intervals (default 0.95). */
  confidence?: number;
  /**
   * Least spread of the true uplifts around the priors (a variance) the
   * shrinkage assumes once the priors are rejected (default 0). A positive
   * floor moves every estimate by at least tau² / (tau² + se²) toward its
   * noisy measurement.
   */
  minPriorVariance?: number;
  /**
   * How sure the data must be that the priors are wrong before any uplift
   * moves: the measurements' distances from their priors, in standard
   * errors, must together exceed chance at this level (Cochran's Q against
   * χ² with one degree per action measured; default 0.99). 0: always move.
   */
  evidence?: number;
}

/** Default of {@link CalibrateOptions.evidence}: chosen with bench/learning.ts (docs/benchmarks.md). */
const DEFAULT_EVIDENCE = 0.99;

/**
 * A row of {@link CalibrationResult.table}: one action (or action × segment).
 *
 * @example
 * ```ts
 * const measured = calibrate(plan, outcomes).table.objects().filter((r: CalibrationRow) => r.weight > 0.5);
 * ```
 */
export interface CalibrationRow {
  /** Action id. */
  action: string;
  /** Segment, or null when the calibration is not by segment. */
  segment: string | null;
  /** Treated (contacted) customers with an outcome. */
  treated: number;
  /** Held-out customers with an outcome. */
  holdout: number;
  /** Of the treated, how many churned. */
  treatedChurned: number;
  /** Of the held out, how many churned. */
  holdoutChurned: number;
  /** treatedChurned / treated. */
  treatedRate: number;
  /** holdoutChurned / holdout. */
  holdoutRate: number;
  /** Mean predicted churn probability of the stratum. */
  meanPredicted: number;
  /** Measured uplift (share of churn risk removed); NaN when an arm is empty. */
  uplift: number;
  /** Lower end of its interval. */
  lower: number;
  /** Upper end of its interval. */
  upper: number;
  /** The prior: the catalog's uplift, or the churn-weighted mean of an uplift column. */
  prior: number;
  /** The prior moved toward the measurement by `weight`. */
  calibrated: number;
  /** How much the measurement counts against the prior, 0–1. */
  weight: number;
}

/**
 * What {@link calibrate} measured. `table` has a row per action (or action ×
 * segment): `action`, `segment`, `treated`, `holdout`, `treatedChurned`,
 * `holdoutChurned`, `treatedRate`, `holdoutRate`, `meanPredicted`, `uplift`,
 * `lower`, `upper` (the interval), `prior`, `calibrated`, `weight` (how much the
 * measurement counts against the prior, 0–1).
 *
 * @example
 * ```ts
 * const result = calibrate(plan, outcomes);
 * result.table.print();
 * const nextWeek = withCalibration(catalog, result);
 * ```
 */
export interface CalibrationResult {
  /** A row per action (or action × segment). */
  table: TableOf<CalibrationRow>;
  /** True when the rows are action × segment. */
  bySegment: boolean;
  /** Confidence of the intervals. */
  confidence: number;
  /** Between-action variance of true uplift around the prior, estimated from the data (0 when the priors stand). */
  priorVariance: number;
  /** The test that decides whether anything moves (see `CalibrateOptions.evidence`). */
  evidence: {
    /** Cochran's Q: Σ ((estimate − prior) / se)² over the strata measured. */
    statistic: number;
    /** The χ² quantile it must exceed. */
    threshold: number;
    /** True when it does: the calibrated figures move from the priors. */
    priorsRejected: boolean;
  };
  /** Outcome rows whose customer is not in the plan. */
  unknownOutcomes: number;
  /** Planned (treated) customers with no outcome row. */
  missingOutcomes: number;
  /** What was noticed: outcomes for unknown customers, treated customers with no outcome, empty arms. */
  warnings: string[];
}

/**
 * Measures each action's uplift from a week's outcomes: churn of the held-out
 * customers minus churn of the contacted ones, with Newcombe's hybrid score
 * interval, divided by the stratum's mean predicted churn probability (the
 * model's uplift is the share of churn risk an action removes, so
 * E[holdout rate − treated rate] = uplift × mean p). The calibrated uplift
 * shrinks each estimate toward the catalog's prior by precision (empirical
 * Bayes): weight = τ² / (τ² + se²), where se is the interval's half-width / z
 * and τ², the spread of true uplifts around the priors, is estimated by the
 * method of moments across strata (never below 0.0001). Outcomes for customers
 * not in the plan, and planned customers without outcomes, are counted, not
 * silently dropped.
 *
 * Several weeks: pass the plans and their outcomes as two arrays; the counts
 * are pooled per stratum (the intervals narrow as weeks accumulate) and the
 * priors are those of the first week's catalog.
 *
 * @example
 * ```ts
 * const result = calibrate(plan, outcomes, { bySegment: true });
 * const pooled = calibrate([week1, week2], [outcomes1, outcomes2]);
 * ```
 */
export function calibrate(
  plans: Plan | readonly Plan[],
  outcomes: Outcomes | readonly Outcomes[],
  options: CalibrateOptions = {},
): CalibrationResult {
  const weeks = Array.isArray(plans) ? (plans as readonly Plan[]) : [plans as Plan];
  const results = Array.isArray(outcomes) ? (outcomes as readonly Outcomes[]) : [outcomes as Outcomes];
  if (weeks.length === 0 || weeks.length !== results.length) {
    throw new InvalidInputError(
      'outcomes',
      `give one outcomes table per plan (${weeks.length} plans, ${results.length} outcome tables)`,
    );
  }
  if (options == null || typeof options !== 'object')
    throw new InvalidInputError('calibrate.options', 'must be an object', options);
  checkKeys(options, ['bySegment', 'id', 'churned', 'confidence', 'minPriorVariance', 'evidence'], 'calibrate.options');
  if (options.evidence !== undefined && !(options.evidence >= 0 && options.evidence < 1))
    throw new InvalidInputError('evidence', 'must be in [0, 1)', options.evidence);
  const confidence = options.confidence ?? 0.95;
  const floor = options.minPriorVariance;
  if (floor !== undefined && !(typeof floor === 'number' && floor >= 0 && Number.isFinite(floor)))
    throw new InvalidInputError('minPriorVariance', 'must be a finite number ≥ 0', floor);
  if (!(confidence > 0 && confidence < 1)) throw new InvalidInputError('confidence', 'must be in (0, 1)', confidence);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  // Priors come from the first week's catalog: later weeks may already use calibrated figures.
  const priorOf = new Map(weeks[0]!.catalog.map((a) => [a.id, a]));
  const cells = new Map<string, Cell>();
  let unknown = 0,
    missing = 0;
  const unknownExamples: string[] = [];
  weeks.forEach((plan, w) => {
    const at = weeks.length > 1 ? `outcomes[${w}]` : 'outcomes';
    const counted = countWeek(plan, results[w]!, options, at, priorOf, cells);
    unknown += counted.unknown;
    missing += counted.missing;
    unknownExamples.push(...counted.unknownExamples.slice(0, 5 - unknownExamples.length));
  });
  return estimate([...cells.values()], z, confidence, options, unknown, unknownExamples, missing);
}

// `puSum`: Σ p·u over the cell's customers when the action's uplift is per customer (its prior is then
// the churn-weighted mean Σ p·u / Σ p, the figure the measured risk reduction / mean p compares with).
type Cell = {
  action: string;
  segment: string | null;
  nt: number;
  ct: number;
  nh: number;
  ch: number;
  pSum: number;
  prior: number;
  puSum: number | null;
};

// Adds one week's counts per stratum (action, or action × segment) into `cells`.
function countWeek(
  plan: Plan,
  outcomes: Outcomes,
  options: CalibrateOptions,
  at: string,
  priorOf: Map<string, { uplift: number; upliftBySegment?: Readonly<Record<string, number>> }>,
  cells: Map<string, Cell>,
): { unknown: number; unknownExamples: string[]; missing: number } {
  const held = planData(plan);
  if (!held.choice) throw new InvalidInputError('plan', 'the plan has no assignment to calibrate');
  if (!held.holdout)
    throw new InvalidInputError(
      'plan',
      'the plan has no holdout; solve with { holdout: { fraction, seed } } to measure uplift',
    );
  const idCol = options.id ?? 'customer_id';
  const churnCol = options.churned ?? 'churned';
  const ids = column(outcomes, idCol, at);
  const churned = column(outcomes, churnCol, at);
  if (ids.length !== churned.length) {
    throw new InvalidInputError(
      at,
      `the ${idCol} and ${churnCol} columns have different lengths (${ids.length} and ${churned.length})`,
      churned.length,
    );
  }

  const data = plan.customerData;
  const row = new Map<string, number>();
  for (let i = 0; i < data.size; i++) row.set(String(data.id[i]), i);
  const outcome = new Int8Array(data.size).fill(-1);
  let unknown = 0;
  const unknownExamples: string[] = [];
  for (let r = 0; r < ids.length; r++) {
    const c = churned[r];
    const v = c === true || c === 1 ? 1 : c === false || c === 0 ? 0 : -1;
    if (v < 0)
      throw new InvalidInputError(`${at}.${churnCol}[${r}]`, `must be 0/1 or true/false (got ${JSON.stringify(c)})`, c);
    const i = row.get(String(ids[r]));
    if (i === undefined) {
      unknown++;
      if (unknownExamples.length < 5) unknownExamples.push(String(ids[r]));
      continue;
    }
    // One outcome per customer: a second one (churned 1, then 0) is not a measurement but an error in the file.
    if (outcome[i]! >= 0)
      throw new InvalidInputError(`${at}.${idCol}[${r}]`, `customer ${String(ids[r])} has a second outcome`, ids[r]);
    outcome[i] = v;
  }

  let missing = 0;
  const raw = pairTerms(plan.catalog, data).rawUpliftColumns;
  for (let i = 0; i < data.size; i++) {
    const k = held.choice[i]!;
    if (k < 0) continue;
    if (outcome[i]! < 0) {
      missing++;
      continue;
    }
    const a = plan.catalog[k]!;
    const seg = options.bySegment && data.segment ? data.segment.at(i)! : null;
    const key = `${a.id}\u0000${seg ?? ''}`;
    let cell = cells.get(key);
    if (!cell) {
      const first = priorOf.get(a.id) ?? a;
      const prior = upliftFor(first, seg);
      cells.set(
        key,
        (cell = { action: a.id, segment: seg, nt: 0, ct: 0, nh: 0, ch: 0, pSum: 0, prior, puSum: raw[k] ? 0 : null }),
      );
    }
    cell.pSum += data.churnProbability[i]!;
    if (cell.puSum !== null) cell.puSum += data.churnProbability[i]! * (raw[k]?.[i] ?? 0);
    if (held.holdout[i]) {
      cell.nh++;
      cell.ch += outcome[i]!;
    } else {
      cell.nt++;
      cell.ct += outcome[i]!;
    }
  }
  return { unknown, unknownExamples, missing };
}

// Interval, prior spread and shrinkage over the pooled strata.
function estimate(
  cellList: Cell[],
  z: number,
  confidence: number,
  options: CalibrateOptions,
  unknown: number,
  unknownExamples: string[],
  missing: number,
): CalibrationResult {
  const list = cellList.sort(
    (a, b) => a.action.localeCompare(b.action) || String(a.segment).localeCompare(String(b.segment)),
  );
  for (const c of list) if (c.puSum !== null && c.pSum > 0) c.prior = c.puSum / c.pSum;
  const est = list.map((c) => {
    const meanP = c.pSum / (c.nt + c.nh);
    if (c.nt === 0 || c.nh === 0 || meanP === 0) return null;
    const d = newcombeDifference(c.ch, c.nh, c.ct, c.nt, z);
    return { uplift: d.estimate / meanP, lower: d.lower / meanP, upper: d.upper / meanP, meanP };
  });
  // Evidence first: do the measurements, taken together, say the priors are wrong? Cochran's
  // Q = Σ ((estimate − prior) / se)² against the χ²(m) quantile at the `evidence` level (Wilson–Hilferty).
  // Only then does anything move, each stratum by its empirical-Bayes weight. Without this test a few
  // noisy strata made the spread τ² below look real and moved every figure toward noise: with truths
  // near the priors, plans got worse on average (bench/learning.ts, docs/benchmarks.md).
  const seOf = (e: NonNullable<(typeof est)[number]>) => (e.upper - e.lower) / (2 * z);
  const measured = est.filter(Boolean).length;
  const level = options.evidence ?? DEFAULT_EVIDENCE;
  let q = 0;
  list.forEach((c, g) => {
    const e = est[g];
    if (e) q += ((e.uplift - c.prior) / seOf(e)) ** 2;
  });
  const threshold = level > 0 && measured > 0 ? chiSquareQuantile(level, measured) : 0;
  const priorsRejected = measured > 0 && q > threshold;
  // τ²: spread of the true uplifts around their priors, by moments: E[(est − prior)²] = τ² + se².
  let sum = 0,
    count = 0;
  list.forEach((c, g) => {
    const e = est[g];
    if (!e) return;
    sum += (e.uplift - c.prior) ** 2 - seOf(e) ** 2;
    count++;
  });
  const tau2 = priorsRejected ? Math.max(options.minPriorVariance ?? 0, count ? sum / count : 0) : 0;

  const warnings: string[] = [];
  if (unknown)
    warnings.push(
      `${unknown} outcome row${unknown > 1 ? 's' : ''} for customers not in the plan, ignored (first: ${unknownExamples.join(', ')})`,
    );
  if (missing)
    warnings.push(`${missing} treated customer${missing > 1 ? 's' : ''} with no outcome, left out of the estimates`);
  if (measured > 0 && !priorsRejected)
    warnings.push(
      `the measurements are within chance of the priors (Q = ${q.toFixed(1)}, needs more than ${threshold.toFixed(1)} at ${level}): every prior stands`,
    );
  const thin = list.filter((c, g) => !est[g]).map((c) => (c.segment ? `${c.action}/${c.segment}` : c.action));
  if (thin.length)
    warnings.push(`no estimate (an arm is empty) for: ${thin.join(', ')}; their calibrated uplift is the prior`);

  const out = list.map((c, g) => {
    const e = est[g];
    const se = e ? (e.upper - e.lower) / (2 * z) : Infinity;
    const weight = e && tau2 > 0 ? tau2 / (tau2 + se * se) : 0;
    const calibrated = e ? Math.min(1, Math.max(0, c.prior + weight * (e.uplift - c.prior))) : c.prior;
    return {
      action: c.action,
      segment: c.segment,
      treated: c.nt,
      holdout: c.nh,
      treatedChurned: c.ct,
      holdoutChurned: c.ch,
      treatedRate: c.nt ? c.ct / c.nt : NaN,
      holdoutRate: c.nh ? c.ch / c.nh : NaN,
      meanPredicted: e?.meanP ?? c.pSum / (c.nt + c.nh),
      uplift: e?.uplift ?? NaN,
      lower: e?.lower ?? NaN,
      upper: e?.upper ?? NaN,
      prior: c.prior,
      calibrated,
      weight,
    };
  });
  return {
    table: tableOf<CalibrationRow>(columnsOf(out, CALIBRATION_COLUMNS)),
    bySegment: options.bySegment === true,
    confidence,
    priorVariance: tau2,
    evidence: { statistic: q, threshold, priorsRejected },
    unknownOutcomes: unknown,
    missingOutcomes: missing,
    warnings,
  };
}

function column(src: Outcomes, name: string, what: string): ArrayLike<unknown> {
  if (isTable(src)) {
    if (!src.columnNames().includes(name))
      throw new InvalidInputError(
        `${what}.${name}`,
        `column "${name}" not found (have: ${src.columnNames().join(', ')})`,
        name,
      );
    return src.array(name) as ArrayLike<unknown>;
  }
  const col = Object.hasOwn(src, name) ? (src as Record<string, ArrayLike<unknown>>)[name] : undefined;
  if (!col) throw new InvalidInputError(`${what}.${name}`, `column "${name}" not found`, name);
  return col;
}

// The p-quantile of χ² with m degrees of freedom (Wilson–Hilferty: within about 1% from m = 3 up).
function chiSquareQuantile(p: number, m: number): number {
  const zp = normalQuantile(p);
  return m * (1 - 2 / (9 * m) + zp * Math.sqrt(2 / (9 * m))) ** 3;
}
