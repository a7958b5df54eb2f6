import { planData, type Plan } from '../plan/plan.js';
import { tableOf, type TableOf } from '../util/columns.js';

/**
 * A row of {@link byChannel}: a channel, or channels sharing one capacity (`call+in_app`).
 *
 * @example
 * ```ts
 * const full = byChannel(plan).objects().filter((r: ByChannelRow) => r.utilization === 1);
 * ```
 */
export interface ByChannelRow {
  /** The channel, or the channels of a shared capacity joined by `+`. */
  channel: string;
  /** Contacts through it (held-out included): a customer given a bundle counts once per action of it. */
  customers: number;
  /** Its capacity, when a capacity constraint covers exactly its actions; else null. */
  capacity: number | null;
  /** customers / capacity, or null. */
  utilization: number | null;
}

/**
 * Per channel: customers contacted through it, its capacity (when a capacity
 * constraint covers exactly that channel's actions) and utilization. A
 * capacity shared by several channels (`capacity({ channels: [...] })`) adds
 * a row of its own, labelled with the channels joined by `+`.
 *
 * @example
 * ```ts
 * byChannel(plan).print();
 * // channel | customers | capacity | utilization
 * // email   | 120       | 120      | 1
 * // call+in_app+push | 100 | 100   | 1
 * ```
 */
export function byChannel(plan: Plan): TableOf<ByChannelRow> {
  // The catalog's own actions (a bundle's channel joins its actions' channels: each counts as a contact).
  const singles = plan.catalog.filter((a) => !a.members);
  const channelOf = new Map(singles.map((a) => [a.id, a.channel]));
  const channels = [...new Set(singles.map((a) => a.channel))];
  const volume = new Map(channels.map((c) => [c, 0]));
  for (const t of plan.treated())
    for (const id of t.action.members ?? [t.action.id]) {
      const c = channelOf.get(id)!;
      volume.set(c, volume.get(c)! + 1);
    }
  // A row that counts every contact of some channels says which (capacity plugins set `channels`).
  const capacity = new Map<string, number>();
  planData(plan).problem.rows.forEach((row) => {
    if (!row.channels?.length || row.customerCoef || row.sense !== '<=') return;
    const covered = channels.filter((c) => row.channels!.includes(c));
    if (covered.length === 0) return;
    const label = covered.join('+');
    if (covered.length > 1 && !volume.has(label))
      volume.set(
        label,
        covered.reduce((s, c) => s + volume.get(c)!, 0),
      );
    capacity.set(label, Math.min(capacity.get(label) ?? Infinity, row.rhs));
  });
  const labels = [...volume.keys()];
  const cap = labels.map((c) => capacity.get(c) ?? null);
  return tableOf<ByChannelRow>({
    channel: labels,
    customers: labels.map((c) => volume.get(c)!),
    capacity: cap,
    utilization: labels.map((c, j) => (cap[j] ? volume.get(c)! / cap[j]! : null)),
  });
}
