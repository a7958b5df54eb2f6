import type { ActionSpec } from '../data/actions.js';
import type { CalibrationResult } from './calibrate.js';

/**
 * Next week's catalog: the same actions with their uplifts replaced by the
 * calibrated ones (per segment when the calibration was by segment). An
 * action whose uplift is per customer (`upliftColumn`) keeps its column and
 * gets `upliftScale` = calibrated / prior (the prior being the column's
 * churn-weighted mean), so every customer's figure moves by the same factor.
 * Actions with no measurement keep their figures. The input is not changed.
 *
 * @example
 * ```ts
 * const nextCatalog = withCalibration(catalog, calibrate(plan, outcomes));
 * ```
 */
export function withCalibration(catalog: readonly ActionSpec[], result: CalibrationResult): ActionSpec[] {
  const rows = result.table.objects();
  return catalog.map((a) => {
    const mine = rows.filter((r) => r.action === a.id);
    if (mine.length === 0) return structuredCloneAction(a);
    // An uplift model's figures keep their shape and are scaled by calibrated / prior (the churn-weighted mean of the column).
    if (a.upliftColumn !== undefined) {
      const factor = (r: { calibrated: number; prior: number }) => (r.prior > 0 ? r.calibrated / r.prior : 1);
      // The prior is the column as given (before any scale), so the factor replaces an earlier scale.
      if (!result.bySegment) return { ...structuredCloneAction(a), upliftScale: factor(mine[0]!) };
      const bySegment = { ...(a.upliftScaleBySegment ?? {}) };
      for (const r of mine) if (r.segment !== null) bySegment[r.segment] = factor(r);
      return { ...structuredCloneAction(a), upliftScaleBySegment: bySegment };
    }
    if (!result.bySegment) return { ...structuredCloneAction(a), uplift: mine[0]!.calibrated };
    const bySegment = { ...(a.upliftBySegment ?? {}) };
    for (const r of mine) if (r.segment !== null) bySegment[r.segment] = r.calibrated;
    return { ...structuredCloneAction(a), upliftBySegment: bySegment };
  });
}

// Copies an action, keeping a predicate eligibility (functions cannot be cloned).
function structuredCloneAction(a: ActionSpec): ActionSpec {
  const { eligible, ...rest } = a;
  return {
    ...structuredClone(rest),
    ...(eligible !== undefined
      ? { eligible: typeof eligible === 'function' ? eligible : structuredClone(eligible) }
      : {}),
  };
}
