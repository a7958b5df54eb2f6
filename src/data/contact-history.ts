import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { isTable } from './customer-source.js';
import { readTable, type TableSource } from './read-table.js';

/**
 * Past contacts, validated and owned by the library: one entry per contact,
 * column by column. Dates are kept as day numbers (days since 1970-01-01);
 * a history given in weeks keeps week × 7, so every window is in days.
 *
 * @example
 * ```ts
 * const history = contactHistory({ customerId: ['c1'], action: ['email'], date: ['2026-11-23'] });
 * history.size; // 1
 * ```
 */
export interface ContactHistory {
  /** Number of contacts. */
  readonly size: number;
  /** Customer id of each contact, as it went in (joined with the customers' ids as text). */
  readonly customerId: readonly (string | number)[];
  /** Action id of each contact (an action no longer in the catalog still counts as a contact). */
  readonly action: readonly string[];
  /** Channel of each contact, or undefined where the catalog is to say (the action's channel). */
  readonly channel: readonly (string | undefined)[];
  /** Day of each contact: days since 1970-01-01 (dates), or week × 7 (weeks). */
  readonly day: Int32Array;
  /** Whether the history was given in dates or in week numbers (a plan date is given the same way). */
  readonly unit: 'date' | 'week';
  /** Outcome of each contact (`retained`, `churned`, `opted_out`, …), undefined where not known. */
  readonly outcome: readonly (string | undefined)[];
}

/**
 * Plain columns accepted by {@link contactHistory}: equal-length arrays, with
 * exactly one of `date` (ISO `YYYY-MM-DD`) and `week` (whole numbers).
 *
 * @example
 * ```ts
 * const cols: ContactColumns = { customerId: [1, 2], action: ['email', 'call'], week: [47, 48], outcome: ['retained', 'churned'] };
 * ```
 */
export interface ContactColumns {
  /** Customer ids, strings or numbers. */
  customerId: ArrayLike<string | number>;
  /** Action ids. */
  action: ArrayLike<string>;
  /** Channels (optional: the catalog's channel of the action when absent or empty). */
  channel?: ArrayLike<string | null | undefined>;
  /** Contact dates, ISO `YYYY-MM-DD` (or `Date`s). */
  date?: ArrayLike<string | Date>;
  /** Contact weeks, whole numbers (any numbering that increases by one a week). */
  week?: ArrayLike<number>;
  /** Outcomes (optional): `churned` and `opted_out` are what `suppress()` reads by default. */
  outcome?: ArrayLike<string | null | undefined>;
}

const DAY_MS = 86_400_000;

/**
 * Validates and copies contact columns into a {@link ContactHistory}. Errors
 * name the column, row and value: a missing id or action, a date that is not
 * an ISO day, a week that is not a whole number, columns of unequal length.
 *
 * @example
 * ```ts
 * const history = contactHistory({ customerId: ['c1', 'c2'], action: ['email', 'call'], date: ['2026-11-16', '2026-11-23'] });
 * ```
 */
export function contactHistory(columns: ContactColumns, path = 'history'): ContactHistory {
  if (columns == null || typeof columns !== 'object')
    throw new InvalidInputError(path, 'expected an object of columns', columns);
  checkKeys(columns, ['customerId', 'action', 'channel', 'date', 'week', 'outcome'], path);
  const ids = columns.customerId;
  if (ids == null || typeof ids.length !== 'number')
    throw new InvalidInputError(`${path}.customerId`, 'is required (an array of customer ids)', ids);
  const n = ids.length;
  const sameLength = (col: ArrayLike<unknown> | undefined, name: string) => {
    if (col !== undefined && (col == null || col.length !== n))
      throw new InvalidInputError(`${path}.${name}`, `must have length ${n} like customerId (got ${col?.length})`);
  };
  if (columns.action === undefined)
    throw new InvalidInputError(`${path}.action`, 'is required (an array of action ids)');
  for (const name of ['action', 'channel', 'date', 'week', 'outcome'] as const) sameLength(columns[name], name);
  if ((columns.date === undefined) === (columns.week === undefined))
    throw new InvalidInputError(path, 'give exactly one of date (ISO days) and week (week numbers)');

  const customerId: (string | number)[] = new Array(n);
  const action: string[] = new Array(n);
  const channel: (string | undefined)[] = new Array(n);
  const outcome: (string | undefined)[] = new Array(n);
  const day = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const id = ids[r];
    if (typeof id === 'number' ? !Number.isFinite(id) : typeof id !== 'string' || id === '')
      throw new InvalidInputError(`${path}.customerId[${r}]`, 'must be a non-empty string or a finite number', id);
    customerId[r] = id as string | number;
    const a = columns.action[r];
    if (typeof a !== 'string' || a === '')
      throw new InvalidInputError(`${path}.action[${r}]`, 'must be an action id (non-empty text)', a);
    action[r] = a;
    channel[r] = optionalText(columns.channel?.[r], `${path}.channel[${r}]`);
    outcome[r] = optionalText(columns.outcome?.[r], `${path}.outcome[${r}]`);
    day[r] = columns.date
      ? dayOf(columns.date[r], `${path}.date[${r}]`)
      : weekDay(columns.week![r], `${path}.week[${r}]`);
  }
  return Object.freeze({
    size: n,
    customerId: Object.freeze(customerId),
    action: Object.freeze(action),
    channel: Object.freeze(channel),
    day,
    unit: columns.date ? 'date' : 'week',
    outcome: Object.freeze(outcome),
  });
}

/**
 * Options of {@link loadContactHistory}: which columns hold what, when the
 * file does not use the default names, and columns to leave unread.
 *
 * @example
 * ```ts
 * const opts: LoadContactHistoryOptions = { columns: { customerId: 'member_id', date: 'sent_on' }, ignore: ['campaign'] };
 * ```
 */
export interface LoadContactHistoryOptions {
  /** Column names (defaults: `customer_id`, `action` or `action_id`, `channel`, `date`, `week`, `outcome`). */
  columns?: {
    /** Column of customer ids. */
    customerId?: string;
    /** Column of action ids. */
    action?: string;
    /** Column of channels. */
    channel?: string;
    /** Column of ISO dates. */
    date?: string;
    /** Column of week numbers. */
    week?: string;
    /** Column of outcomes. */
    outcome?: string;
  };
  /** Columns the file has that are not read (any other unknown column is an error). */
  ignore?: readonly string[];
}

/**
 * Reads past contacts from a file (CSV, TSV, JSON, Arrow), CSV text or an
 * arquero table. Columns: `customer_id`, `action` (or `action_id`), `date`
 * (ISO days) or `week` (week numbers), and optionally `channel` and `outcome`
 * (other names through `options.columns`). Ids and actions are read as text,
 * byte for byte. An unknown column is an error unless listed in
 * `options.ignore`; errors name the row.
 *
 * @example
 * ```ts
 * const history = await loadContactHistory('contacts.csv');
 * // customer_id,action,channel,date,outcome
 * // 1001,email,email,2026-11-23,retained
 * const model = base.history(history, { asOf: '2026-11-30' });
 * ```
 */
export async function loadContactHistory(
  source: TableSource,
  options: LoadContactHistoryOptions = {},
): Promise<ContactHistory> {
  const what = 'history';
  if (options == null || typeof options !== 'object')
    throw new InvalidInputError('loadContactHistory.options', 'must be an object', options);
  checkKeys(options, ['columns', 'ignore'], 'loadContactHistory.options');
  const given = options.columns ?? {};
  checkKeys(
    given,
    ['customerId', 'action', 'channel', 'date', 'week', 'outcome'],
    'loadContactHistory.options.columns',
  );
  const ignore = options.ignore ?? [];
  const text = [
    given.customerId ?? 'customer_id',
    given.action ?? 'action',
    'action_id',
    given.channel ?? 'channel',
    given.date ?? 'date',
    given.outcome ?? 'outcome',
  ];
  const t = await readTable(source, what, { text });
  const names = t.columnNames();
  const pick = (field: keyof NonNullable<LoadContactHistoryOptions['columns']>, fallbacks: string[]) => {
    const name = given[field];
    if (name !== undefined) {
      if (!names.includes(name))
        throw new InvalidInputError(
          `loadContactHistory.options.columns.${field}`,
          `column "${name}" not found (have: ${names.join(', ')})`,
          name,
        );
      return name;
    }
    return fallbacks.find((c) => names.includes(c));
  };
  const columns = {
    customerId: pick('customerId', ['customer_id']),
    action: pick('action', ['action', 'action_id']),
    channel: pick('channel', ['channel']),
    date: pick('date', ['date']),
    week: pick('week', ['week']),
    outcome: pick('outcome', ['outcome']),
  };
  const read = new Set(Object.values(columns).filter((c): c is string => c !== undefined));
  const unknown = names.filter((c) => !read.has(c) && !ignore.includes(c));
  if (unknown.length)
    throw new InvalidInputError(
      `${what}.${unknown[0]}`,
      `unknown column "${unknown[0]}" (read: ${[...read].join(', ')}); name what it holds in options.columns or list it in options.ignore, so that no column is dropped unseen`,
      unknown[0],
    );
  if (!columns.customerId)
    throw new InvalidInputError(
      `${what}.customer_id`,
      `required column "customer_id" not found (have: ${names.join(', ')})`,
    );
  if (!columns.action)
    throw new InvalidInputError(
      `${what}.action`,
      `required column "action" (or "action_id") not found (have: ${names.join(', ')})`,
    );
  const col = (name: string | undefined) =>
    name === undefined ? undefined : (t.array(name) as unknown as ArrayLike<never>);
  return contactHistory(
    {
      customerId: col(columns.customerId)!,
      action: col(columns.action)!,
      ...(columns.channel ? { channel: col(columns.channel) } : {}),
      ...(columns.date ? { date: col(columns.date) } : {}),
      ...(columns.week ? { week: col(columns.week) } : {}),
      ...(columns.outcome ? { outcome: col(columns.outcome) } : {}),
    },
    isTable(source) || typeof source !== 'string' || source.includes('\n') ? what : `${what} (${source})`,
  );
}

/** The day number of an ISO date (`YYYY-MM-DD`, or a `Date`), for a plan date given as `asOf`. */
export function dayOf(value: unknown, path: string): number {
  if (value instanceof Date) {
    const t = value.getTime();
    if (!Number.isFinite(t)) throw new InvalidInputError(path, 'is an invalid Date', value);
    return Math.floor(t / DAY_MS);
  }
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value.trim()) : null;
  if (!m) throw new InvalidInputError(path, 'must be an ISO date YYYY-MM-DD', value);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    throw new InvalidInputError(path, 'is not a calendar date', value);
  return t / DAY_MS;
}

/** Week number → day number (week × 7), for a plan week given as `asOf`. */
export function weekDay(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 1e8)
    throw new InvalidInputError(path, 'must be a whole week number', value);
  return value * 7;
}

/** A day number as people read it: the ISO date, or `week N`. */
export function dayLabel(day: number, unit: 'date' | 'week'): string {
  return unit === 'week' ? `week ${day / 7}` : new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function optionalText(v: unknown, path: string): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new InvalidInputError(path, 'must be text', v);
  return v;
}
