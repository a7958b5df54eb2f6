import { InvalidInputError } from '../errors.js';
import type { Action } from './actions.js';
import { dayLabel, dayOf, weekDay, type ContactHistory } from './contact-history.js';
import type { CustomerData } from './customers.js';
import { idIndex } from './id-index.js';

/**
 * Contact history joined with this model's customers and catalog, as
 * contact policies read it: each customer's past contacts, newest first, with
 * channels resolved and the plan's own date (`asOf`).
 *
 * @example
 * ```ts
 * // in a plugin's compile(ctx):
 * const h = ctx.history!;
 * for (let j = h.start[i]!; j < h.start[i + 1]!; j++) console.log(h.asOf - h.day[j]!, h.channel[j]);
 * ```
 */
export interface HistoryView {
  /** The history as given. */
  readonly history: ContactHistory;
  /** Day number of this week's contacts (the plan date). */
  readonly asOf: number;
  /** `asOf` as people read it (`2026-11-30`, `week 48`). */
  readonly asOfLabel: string;
  /** Customer i's contacts are entries `start[i]` … `start[i + 1] − 1` of the arrays below (length n + 1). */
  readonly start: Int32Array;
  /** Per entry: row of the contact in the history. */
  readonly row: Int32Array;
  /** Per entry: day number of the contact (entries of a customer run newest first). */
  readonly day: Int32Array;
  /** Per entry: index of the action in the catalog, or −1 for an action no longer in it. */
  readonly action: Int32Array;
  /** Per entry: channel of the contact (the history's, else the catalog's). */
  readonly channel: readonly string[];
  /** Contacts whose customer id is not among the customers (they count toward nothing). */
  readonly unknownContacts: number;
  /** The customer ids of those contacts. */
  readonly unknownIds: {
    /** How many distinct ids. */
    readonly count: number;
    /** Up to five of them, as they were given. */
    readonly examples: readonly (string | number)[];
  };
}

/**
 * Options of `model.history(...)`.
 *
 * @example
 * ```ts
 * const opts: HistoryOptions = { asOf: '2026-11-30' }; // or { asOf: 48 } for a history in weeks
 * ```
 */
export interface HistoryOptions {
  /**
   * The date of this week's contacts: an ISO date for a history in dates, a
   * week number for one in weeks. Default: one week after the latest contact.
   */
  asOf?: string | number | Date;
}

/**
 * Joins a history with customers (on the id, compared as text) and a catalog.
 * Unknown customer ids are counted (see {@link HistoryView.unknownIds}); a
 * contact after `asOf`, or an action outside the catalog with no channel, is
 * an error naming the row.
 *
 * @example
 * ```ts
 * const view = joinHistory(history, customers, actions, { asOf: '2026-11-30' });
 * ```
 */
export function joinHistory(
  history: ContactHistory,
  customers: CustomerData,
  actions: readonly Action[],
  options: HistoryOptions = {},
): HistoryView {
  const n = customers.size;
  const asOf = asOfDay(history, options.asOf);
  const index = idIndex(customers.id);
  const actionIndex = new Map(actions.map((a, k) => [a.id, k]));

  const owner = new Int32Array(history.size);
  const count = new Int32Array(n + 1);
  const unknown = new Set<string>();
  const examples: (string | number)[] = [];
  let unknownContacts = 0;
  for (let r = 0; r < history.size; r++) {
    if (history.day[r]! > asOf) {
      throw new InvalidInputError(
        `history.${history.unit}[${r}]`,
        `contact of customer "${history.customerId[r]}" is dated ${dayLabel(history.day[r]!, history.unit)}, after the plan date ${dayLabel(asOf, history.unit)} (asOf)`,
        history.unit === 'week' ? history.day[r]! / 7 : dayLabel(history.day[r]!, 'date'),
      );
    }
    const k = actionIndex.get(history.action[r]!);
    if (k === undefined && history.channel[r] === undefined) {
      throw new InvalidInputError(
        `history.channel[${r}]`,
        `action "${history.action[r]}" is not in the catalog, so the contact needs its channel`,
      );
    }
    const i = index.find(history.customerId[r]!);
    if (i < 0) {
      const key = String(history.customerId[r]);
      unknownContacts++;
      if (!unknown.has(key) && examples.length < 5) examples.push(history.customerId[r]!);
      unknown.add(key);
      owner[r] = -1;
      continue;
    }
    owner[r] = i;
    count[i + 1]!++;
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + count[i + 1]!;
  const m = start[n]!;
  const row = new Int32Array(m);
  const fill = start.slice(0, n);
  // Newest first within each customer (rules read the latest contact first, explanations name it): the
  // rows are visited newest day first, ties in file order, so filling each customer's slots in that order
  // sorts them. A counting sort over the days: a million contacts in milliseconds (a sort per customer
  // took a second).
  for (const r of newestFirst(history.day)) if (owner[r]! >= 0) row[fill[owner[r]!]!++] = r;
  const day = new Int32Array(m);
  const action = new Int32Array(m);
  const channel: string[] = new Array(m);
  for (let j = 0; j < m; j++) {
    const r = row[j]!;
    day[j] = history.day[r]!;
    const k = actionIndex.get(history.action[r]!);
    action[j] = k ?? -1;
    channel[j] = history.channel[r] ?? actions[k!]!.channel;
  }
  return Object.freeze({
    history,
    asOf,
    asOfLabel: dayLabel(asOf, history.unit),
    start,
    row,
    day,
    action,
    channel: Object.freeze(channel),
    unknownContacts,
    unknownIds: Object.freeze({ count: unknown.size, examples: Object.freeze(examples) }),
  });
}

// Row numbers ordered by day, newest first, ties in row order (a stable counting sort when the days span
// a modest range, else a comparison sort).
function newestFirst(day: Int32Array): Int32Array {
  const n = day.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < n; r++) {
    if (day[r]! < lo) lo = day[r]!;
    if (day[r]! > hi) hi = day[r]!;
  }
  const out = new Int32Array(n);
  if (n === 0) return out;
  const span = hi - lo + 1;
  if (span > 4 * n + 100_000) {
    for (let r = 0; r < n; r++) out[r] = r;
    return out.sort((x, y) => day[y]! - day[x]! || x - y);
  }
  const count = new Int32Array(span + 1);
  for (let r = 0; r < n; r++) count[hi - day[r]! + 1]!++;
  for (let d = 0; d < span; d++) count[d + 1]! += count[d]!;
  for (let r = 0; r < n; r++) out[count[hi - day[r]!]!++] = r;
  return out;
}

/** What the join noticed, for `model.warnings`: contacts of customers the model does not have. */
export function historyNotes(view: HistoryView): string[] {
  if (view.unknownContacts === 0) return [];
  const { count, examples } = view.unknownIds;
  return [
    `history: ${view.unknownContacts} contact${view.unknownContacts > 1 ? 's' : ''} of ${count} customer id${count > 1 ? 's' : ''} not among the customers (${examples.map((e) => JSON.stringify(e)).join(', ')}${count > examples.length ? ', …' : ''}): they count toward no policy`,
  ];
}

function asOfDay(history: ContactHistory, asOf: HistoryOptions['asOf']): number {
  if (asOf === undefined) {
    let latest = -Infinity;
    for (let r = 0; r < history.size; r++) latest = Math.max(latest, history.day[r]!);
    if (latest === -Infinity)
      throw new InvalidInputError('history.asOf', 'the history is empty: give the plan date with { asOf }');
    return latest + 7;
  }
  if (history.unit === 'week') {
    if (typeof asOf !== 'number')
      throw new InvalidInputError('history.asOf', 'the history is in weeks: give asOf as a week number', asOf);
    return weekDay(asOf, 'history.asOf');
  }
  return dayOf(asOf, 'history.asOf');
}
