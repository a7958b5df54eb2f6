import { table, type ColumnTable } from 'arquero';
import type { Plan } from '../plan/plan.js';

/**
 * Per channel: customers contacted through it, its capacity (when a capacity
 * constraint names it) and utilization.
 *
 * @example
 * ```ts
 * byChannel(plan).print();
 * ```
 */
export function byChannel(plan: Plan): ColumnTable {
  const channels = [...new Set(plan.actionList.map((a) => a.channel))];
  const volume = new Map(channels.map((c) => [c, 0]));
  if (plan.choice) for (const k of plan.choice) if (k >= 0) volume.set(plan.actionList[k]!.channel, volume.get(plan.actionList[k]!.channel)! + 1);
  // A capacity row's actions are exactly one channel's: read the channel off its action coefficients.
  const capacity = new Map<string, number>();
  plan.problem.rows.forEach((row) => {
    if (row.type !== 'capacity' || row.customerCoef) return;
    const used = plan.actionList.filter((_, k) => row.actionCoef[k] !== 0).map((a) => a.channel);
    const ch = used[0];
    if (ch !== undefined && used.every((c) => c === ch)) capacity.set(ch, Math.min(capacity.get(ch) ?? Infinity, row.rhs));
  });
  const cap = channels.map((c) => capacity.get(c) ?? null);
  return table({
    channel: channels,
    customers: channels.map((c) => volume.get(c)!),
    capacity: cap,
    utilization: channels.map((c, j) => (cap[j] ? volume.get(c)! / cap[j]! : null)),
  });
}
