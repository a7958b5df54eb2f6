import type { Plan } from '../plan/plan.js';
import { columnsOf, tableOf, type TableOf } from '../util/columns.js';
import { treatedRows } from './plan-rows.js';

/**
 * A row of {@link byAction}.
 *
 * @example
 * ```ts
 * const roi: number = byAction(plan).objects()[0]!.roi;
 * ```
 */
export interface ByActionRow {
  /** Action id. */
  action: string;
  /** Action name. */
  actionName: string;
  /** Its channel. */
  channel: string;
  /** Customers given it (held-out included). */
  customers: number;
  /** Share of the treated customers. */
  share: number;
  /** Σ cost. */
  spend: number;
  /** Σ p·v·u: expected value kept. */
  retainedValue: number;
  /** retainedValue − spend. */
  netValue: number;
  /** netValue / spend (0 when nothing is spent). */
  roi: number;
}

/**
 * The action mix: per action, customers, share of the treated, spend,
 * retained value (Σ p·u·v), net value and ROI. Every catalog action appears,
 * used or not.
 *
 * @example
 * ```ts
 * byAction(plan).print();
 * ```
 */
export function byAction(plan: Plan): TableOf<ByActionRow> {
  const rows = treatedRows(plan);
  const stats = plan.catalog.map((a) => ({
    action: a.id,
    actionName: a.name,
    channel: a.channel,
    customers: 0,
    share: 0,
    spend: 0,
    retainedValue: 0,
    netValue: 0,
    roi: 0,
  }));
  const index = new Map(plan.catalog.map((a, k) => [a.id, k]));
  for (const r of rows) {
    const s = stats[index.get(r.action)!]!;
    s.customers++;
    s.spend += r.cost;
    s.retainedValue += r.expectedValue + r.cost;
  }
  for (const s of stats) {
    s.netValue = s.retainedValue - s.spend;
    s.roi = s.spend > 0 ? s.netValue / s.spend : 0;
    s.share = rows.length ? s.customers / rows.length : 0;
  }
  return tableOf<ByActionRow>(
    columnsOf(stats, [
      'action',
      'actionName',
      'channel',
      'customers',
      'share',
      'spend',
      'retainedValue',
      'netValue',
      'roi',
    ]),
  );
}
