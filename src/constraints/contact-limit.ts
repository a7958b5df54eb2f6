import { InvalidInputError } from '../errors.js';
import { dayLabel } from '../data/contact-history.js';
import type { HistoryView } from '../data/history-view.js';
import { checkKeys } from '../util/keys.js';
import type { BlockReason, ConstraintContext, ConstraintPlugin } from './plugin.js';

/**
 * Options of {@link contactLimit}.
 *
 * @example
 * ```ts
 * const weekly: ContactLimitOptions = { max: 2, days: 28 };                        // any channel
 * const calls: ContactLimitOptions = { max: 1, days: 28, channel: 'call' };         // one channel
 * const each: ContactLimitOptions = { max: 1, days: 21, per: 'action' };            // no action twice in 3 weeks
 * ```
 */
export interface ContactLimitOptions {
  /** Most contacts a customer may have in the window, this week's included (a whole number ≥ 1). */
  max: number;
  /** The window: this week's date and the days before it; a contact `days` or more days before the plan date no longer counts (whole number ≥ 1). */
  days: number;
  /**
   * What is counted: every contact (`customer`, the default), each channel on
   * its own (`channel`), or each action on its own (`action`).
   */
  per?: 'customer' | 'channel' | 'action';
  /** Only this channel (implies `per: 'channel'`). */
  channel?: string;
  /** Only this action (implies `per: 'action'`). */
  action?: string;
  /** Constraint name, unique in the model (default `contact-limit:<scope>:<max>/<days>d`). */
  name?: string;
}

/**
 * A contact policy over a rolling window, checked against the contact history
 * plus this week's plan: at most `max` contacts per customer in the last
 * `days` days, overall, per channel or per action. A customer already at the
 * limit is kept from the actions it covers (see `model.explain(id)` for the
 * contact that decided it). Needs `model.history(...)`.
 *
 * @example
 * ```ts
 * model
 *   .history(await loadContactHistory('contacts.csv'), { asOf: '2026-11-30' })
 *   .use(contactLimit({ max: 2, days: 28 }))                 // at most 2 contacts in 4 weeks
 *   .use(contactLimit({ max: 1, days: 28, channel: 'call' })) // a call at most every 4 weeks
 *   .use(contactLimit({ max: 1, days: 21, per: 'action' }));  // no action repeated within 3 weeks
 * ```
 */
export function contactLimit(options: ContactLimitOptions): ConstraintPlugin {
  if (options == null || typeof options !== 'object')
    throw new InvalidInputError('contactLimit', 'expected options { max, days }', options);
  checkKeys(options, ['max', 'days', 'per', 'channel', 'action', 'name'], 'contactLimit');
  const max = whole(options.max, 'contactLimit.max', 1);
  const days = whole(options.days, 'contactLimit.days', 1);
  if (options.channel !== undefined && options.action !== undefined)
    throw new InvalidInputError('contactLimit', 'give channel or action, not both');
  const per =
    options.per ?? (options.channel !== undefined ? 'channel' : options.action !== undefined ? 'action' : 'customer');
  if (!['customer', 'channel', 'action'].includes(per))
    throw new InvalidInputError('contactLimit.per', 'must be "customer", "channel" or "action"', per);
  const only = per === 'channel' ? options.channel : per === 'action' ? options.action : undefined;
  if ((options.channel !== undefined && per !== 'channel') || (options.action !== undefined && per !== 'action'))
    throw new InvalidInputError(
      'contactLimit.per',
      `"${per}" does not go with ${options.channel !== undefined ? 'channel' : 'action'}`,
      per,
    );
  if (only !== undefined && (typeof only !== 'string' || only === ''))
    throw new InvalidInputError(
      `contactLimit.${per}`,
      `must be a${per === 'action' ? 'n action id' : ' channel'}`,
      only,
    );
  const scopeLabel = only ?? (per === 'customer' ? 'any' : `each ${per}`);
  const name = options.name ?? `contact-limit:${scopeLabel}:${max}/${days}d`;
  const rule: Rule = { max, days, per, only, name };
  return {
    type: 'contact-limit',
    name,
    compile(ctx) {
      const view = needHistory(ctx, name);
      const scopes = scopesOf(ctx, rule);
      const n = ctx.customers.size;
      const K = ctx.actions.length;
      const blockPairs = new Uint8Array(n * K);
      // Options that alone put more contacts in a scope than allowed (two calls in a week under a
      // one-call rule) are out for everyone, history or not.
      const always = scopes.actions.flatMap((list) => list.filter(([, c]) => c > max).map(([k]) => k));
      const counts = new Int32Array(scopes.actions.length);
      for (let i = 0; i < n; i++) {
        for (const k of always) blockPairs[i * K + k] = 1;
        if (view.start[i] === view.start[i + 1]) continue;
        scan(view, i, rule, scopes, counts, (s) => {
          for (const [k, c] of scopes.actions[s]!) if (counts[s]! + c > max) blockPairs[i * K + k] = 1;
        });
      }
      return { blockPairs };
    },
    explain(ctx, i) {
      const view = needHistory(ctx, name);
      const scopes = scopesOf(ctx, rule);
      const reasons: BlockReason[] = [];
      const what = (s: number, c: number) =>
        (per === 'customer'
          ? 'contact'
          : per === 'channel'
            ? `${scopes.labels[s]} contact`
            : `contact with ${scopes.labels[s]}`) + (c === 1 ? '' : 's');
      scopes.actions.forEach((list, s) => {
        const alone = list.filter(([, c]) => c > max).map(([k]) => k);
        if (alone.length)
          reasons.push({
            actions: alone,
            reason: `gives more than ${max} ${what(s, 2)} in one week (at most ${max} in ${days} days)`,
          });
      });
      const counts = new Int32Array(scopes.actions.length);
      scan(view, i, rule, scopes, counts, (s, latest) => {
        const r = view.row[latest]!;
        const h = view.history;
        const c = counts[s]!;
        const blocked = scopes.actions[s]!.filter(([, d]) => d <= max && c + d > max).map(([k]) => k);
        if (blocked.length === 0) return;
        reasons.push({
          actions: blocked,
          reason: `${c} ${what(s, c)} in the last ${days} days, and at most ${max} allowed counting this week's; latest: "${h.action[r]}" by ${view.channel[latest]} on ${dayLabel(view.day[latest]!, h.unit)}`,
          contact: r,
        });
      });
      return reasons;
    },
    toJSON: () => ({
      type: 'contact-limit',
      ...(options.name ? { name } : {}),
      max,
      days,
      ...(options.per !== undefined ? { per } : {}),
      ...(per === 'channel' && only !== undefined ? { channel: only } : {}),
      ...(per === 'action' && only !== undefined ? { action: only } : {}),
    }),
  };
}

/**
 * At least `days` days between two contacts through a channel (the channel
 * named, or each channel on its own): {@link contactLimit} with `max: 1` per
 * channel.
 *
 * @example
 * ```ts
 * model.use(minDaysBetween({ channel: 'call', days: 28 }));
 * ```
 */
export function minDaysBetween(options: { days: number; channel?: string; name?: string }): ConstraintPlugin {
  if (options != null && typeof options === 'object') checkKeys(options, ['days', 'channel', 'name'], 'minDaysBetween');
  const days = options?.days;
  return contactLimit({
    max: 1,
    days,
    per: 'channel',
    ...(options?.channel !== undefined ? { channel: options.channel } : {}),
    name: options?.name ?? `min-days-between:${options?.channel ?? 'each channel'}:${days}d`,
  });
}

/**
 * An action is not given to a customer again within `days` days (one action
 * when named, else each action): {@link contactLimit} with `max: 1` per action.
 *
 * @example
 * ```ts
 * model.use(noRepeat({ days: 21 }));                  // no action twice in three weeks
 * model.use(noRepeat({ action: 'discount', days: 90 }));
 * ```
 */
export function noRepeat(options: { days: number; action?: string; name?: string }): ConstraintPlugin {
  if (options != null && typeof options === 'object') checkKeys(options, ['days', 'action', 'name'], 'noRepeat');
  const days = options?.days;
  return contactLimit({
    max: 1,
    days,
    per: 'action',
    ...(options?.action !== undefined ? { action: options.action } : {}),
    name: options?.name ?? `no-repeat:${options?.action ?? 'each action'}:${days}d`,
  });
}

/** The history a policy reads; a policy without one is an error, not a rule that quietly allows everything. */
export function needHistory(ctx: ConstraintContext, name: string): HistoryView {
  if (!ctx.history)
    throw new InvalidInputError(
      `constraints.${name}`,
      'is a contact policy and the model has no contact history: set it with model.history(...) (an empty history when there is none yet)',
    );
  return ctx.history;
}

interface Rule {
  max: number;
  days: number;
  per: 'customer' | 'channel' | 'action';
  only: string | undefined;
  name: string;
}

/**
 * What is counted apart: per scope, the options that add contacts to it with how many (a bundle of an
 * email and a push adds one to each channel, two to the customer), and its label; per past contact, its
 * scope.
 */
interface Scopes {
  actions: [option: number, contacts: number][][];
  labels: string[];
  /** Scope of a past contact (entry j of the view), or −1 when the rule does not count it. */
  of(view: HistoryView, j: number): number;
}

function scopesOf(ctx: ConstraintContext, rule: Rule): Scopes {
  const options = ctx.actions.map((_, k) => k);
  // Per option, the contacts it adds to a scope of catalog actions.
  const adds = (inScope: (b: number) => boolean) =>
    options.map((k): [number, number] => [k, ctx.members(k).filter(inScope).length]).filter(([, c]) => c > 0);
  if (rule.per === 'customer') return { actions: [adds(() => true)], labels: ['any'], of: () => 0 };
  if (rule.per === 'channel') {
    if (rule.only !== undefined && !ctx.channels.includes(rule.only))
      throw new InvalidInputError(
        `constraints.${rule.name}.channel`,
        `unknown channel "${rule.only}" (catalog channels: ${ctx.channels.join(', ')})`,
        rule.only,
      );
    const channels = rule.only !== undefined ? [rule.only] : [...ctx.channels];
    const code = new Map(channels.map((c, s) => [c, s]));
    return {
      actions: channels.map((c) => adds((b) => ctx.catalog[b]!.channel === c)),
      labels: channels,
      of: (view, j) => code.get(view.channel[j]!) ?? -1,
    };
  }
  // Per action: each catalog action (or the one named) is its own scope; a past action no longer in
  // the catalog limits nothing this week.
  const K = ctx.catalog.length;
  const list =
    rule.only !== undefined
      ? [ctx.actionIndex(rule.only, `constraints.${rule.name}.action`)]
      : Array.from({ length: K }, (_, b) => b);
  const scope = new Int32Array(ctx.actions.length).fill(-1);
  list.forEach((b, s) => (scope[b] = s));
  return {
    actions: list.map((b) => adds((x) => x === b)),
    labels: list.map((b) => `"${ctx.catalog[b]!.id}"`),
    of: (view, j) => (view.action[j]! >= 0 ? scope[view.action[j]!]! : -1),
  };
}

/**
 * The rule for one customer, the one place it is written: counts the customer's contacts in the window
 * per scope (entries run newest first, so the scan stops at the window's edge) and calls `counted` for
 * each scope with contacts in the window, with the latest one counted there. `counts` is left holding the
 * counts; an option is out where the count plus the contacts it adds exceed the limit.
 */
function scan(
  view: HistoryView,
  i: number,
  rule: Rule,
  scopes: Scopes,
  counts: Int32Array,
  counted: (scope: number, latest: number) => void,
): void {
  counts.fill(0);
  const a = view.start[i]!;
  const b = view.start[i + 1]!;
  let j = a;
  for (; j < b && view.asOf - view.day[j]! < rule.days; j++) {
    const s = scopes.of(view, j);
    if (s >= 0) counts[s]!++;
  }
  for (let s = 0; s < counts.length; s++) {
    if (counts[s] === 0) continue;
    let latest = a;
    while (scopes.of(view, latest) !== s) latest++;
    counted(s, latest);
  }
}

function whole(v: unknown, path: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new InvalidInputError(path, `must be a whole number ≥ ${min}`, v);
  return v;
}
