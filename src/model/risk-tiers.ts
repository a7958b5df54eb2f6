import type { ConstraintPlugin } from '../constraints/plugin.js';

/** The risk tiers when the model says nothing: low below 0.3, high above 0.5. */
export const DEFAULT_RISK_TIERS: readonly [number, number] = [0.3, 0.5];

/**
 * The risk tiers the model itself uses: the churn-probability thresholds of
 * its coverage rules (`where: { churnProbability: { gt: 0.5 } }`), so that a
 * report's "high risk" is the model's. Two or more thresholds: the lowest and
 * the highest; one: it is the high cut and the low cut stays 0.3 (or half the
 * threshold when that is not below it); none: 0.3 and 0.5.
 */
export function riskTiersOf(rules: readonly ConstraintPlugin[]): readonly [number, number] {
  const cuts = new Set<number>();
  for (const rule of rules) {
    if (rule.type !== 'coverage') continue;
    let json: Record<string, unknown> | undefined;
    try {
      json = rule.toJSON?.() as Record<string, unknown> | undefined;
    } catch {
      continue; // a code filter has no threshold to read
    }
    const p = (json?.where as Record<string, unknown> | undefined)?.churnProbability as
      Record<string, unknown> | undefined;
    for (const op of ['gt', 'gte'] as const) {
      const x = p?.[op];
      if (typeof x === 'number' && x > 0 && x < 1) cuts.add(x);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  if (sorted.length >= 2) return [sorted[0]!, sorted[sorted.length - 1]!];
  if (sorted.length === 1) {
    const hi = sorted[0]!;
    return [DEFAULT_RISK_TIERS[0] < hi ? DEFAULT_RISK_TIERS[0] : hi / 2, hi];
  }
  return DEFAULT_RISK_TIERS;
}
