import { InvalidInputError } from '../errors.js';
import { checkFilterDepth, type FilterSpec } from './filter.js';
import { checkKeys } from '../util/keys.js';
import { validateActions, type ActionSpec } from './actions.js';
import { readTable, type TableSource } from './read-table.js';

/**
 * Options of {@link loadActions}.
 *
 * @example
 * ```ts
 * const opts: LoadActionsOptions = { tiers: { high_value: { value: { gt: 300, lte: 1000 } } } };
 * ```
 */
export interface LoadActionsOptions {
  /**
   * Names an `eligible_segment` cell may use besides segments, each a filter
   * on customers: a value tier, a risk band. `high_value` in the reference
   * catalog is such a tier, not a segment.
   */
  tiers?: Record<string, FilterSpec>;
}

/**
 * A catalog read from a file, ready for `model.actions(loaded)`, and what the
 * loader noticed but did not treat as an error (a no-action row left out).
 *
 * @example
 * ```ts
 * const loaded = await loadActions('retention_actions.csv');
 * loaded.warnings.forEach((w) => console.warn(w));
 * model.actions(loaded);
 * ```
 */
export interface LoadedActions {
  /** The actions, in file order (a no-action row left out). */
  actions: ActionSpec[];
  /** What was noticed: each no-action row left out, with its row number. */
  warnings: string[];
}

const COLUMNS = [
  'action_id',
  'action_name',
  'channel',
  'cost',
  'uplift',
  'eligible_segment',
  'eligible',
  'uplift_column',
  'cost_column',
  'cost_share',
];

/**
 * Reads an action catalog: a CSV (or table) with columns `action_id`,
 * `action_name`, `channel`, `cost`, `uplift`, and optionally
 * `eligible_segment` (`all`, a segment, a tier named in `options.tiers`, or
 * several separated by `|`: eligible when any matches) and `eligible` (a
 * filter as JSON text, e.g. `{"value":{"gt":300}}`; both columns set means
 * both must hold). Per-customer figures: `uplift_column` names the customer
 * column with this action's uplift per customer, `cost_column` (with
 * `cost_share`, default 1) a per-customer cost added to `cost`. Validated
 * like any catalog; errors name the row.
 *
 * A row of cost 0 and uplift 0 (the reference catalog's "No Action") is left
 * out and said in `warnings`: no action is implicit, and as an action it
 * would count as treated toward coverage floors. An `eligible_segment` value
 * that no customer has is reported in `model.warnings` once customers are set.
 *
 * @example
 * ```ts
 * const { actions, warnings } = await loadActions('retention_actions.csv', {
 *   tiers: { high_value: { value: { gt: 300, lte: 1000 } } },
 * });
 * // action_id,action_name,channel,cost,uplift,eligible_segment
 * // 1,Custom Email,email,3,0.10,all
 * // 2,Special Offer,email,25,0.18,Premium|Family
 * // 5,Specialist Call,call,50,0.30,high_value
 * ```
 */
export async function loadActions(source: TableSource, options: LoadActionsOptions = {}): Promise<LoadedActions> {
  if (options == null || typeof options !== 'object')
    throw new InvalidInputError('loadActions.options', 'must be an object', options);
  checkKeys(options, ['tiers'], 'loadActions.options');
  const tiers = checkTiers(options.tiers);
  const t = await readTable(source, 'actions', {
    text: ['action_id', 'action_name', 'channel', 'eligible_segment', 'eligible', 'uplift_column', 'cost_column'],
  });
  const names = t.columnNames();
  for (const c of ['action_id', 'channel', 'cost', 'uplift']) {
    if (!names.includes(c))
      throw new InvalidInputError(`actions.${c}`, `required column "${c}" not found (have: ${names.join(', ')})`, c);
  }
  const unknown = names.filter((c) => !COLUMNS.includes(c));
  const warnings: string[] = [];
  if (unknown.length)
    warnings.push(
      `actions: column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')} not read (known: ${COLUMNS.join(', ')})`,
    );
  const rows = t.objects() as Record<string, unknown>[];
  const specs: ActionSpec[] = [];
  rows.forEach((r, i) => {
    const at = `actions[row ${i + 1}]`;
    const id = r.action_id;
    if (id === null || id === undefined || id === '')
      throw new InvalidInputError(`${at}.action_id`, 'missing action id', id);
    const name = r.action_name == null || r.action_name === '' ? String(id) : String(r.action_name);
    const upliftColumn = text(r.uplift_column);
    const costColumn = text(r.cost_column);
    if (r.cost_share != null && r.cost_share !== '' && !costColumn)
      throw new InvalidInputError(`${at}.cost_share`, 'is a share of cost_column, which is empty', r.cost_share);
    if (r.cost === 0 && r.uplift === 0 && !upliftColumn && !costColumn) {
      warnings.push(
        `${at}: "${name}" (cost 0, uplift 0) is a no-action row: left out, since a customer given no action gets nothing anyway; kept as an action it would count as treated toward coverage floors`,
      );
      return;
    }
    const eligible = both(
      parseEligible(r.eligible_segment, `${at}.eligible_segment`, tiers),
      parseFilter(r.eligible, `${at}.eligible`),
    );
    specs.push({
      id: String(id),
      name,
      channel: String(r.channel ?? ''),
      cost: r.cost as number,
      uplift: r.uplift as number,
      ...(eligible ? { eligible } : {}),
      ...(upliftColumn ? { upliftColumn } : {}),
      ...(costColumn
        ? {
            costPerCustomer: {
              column: costColumn,
              ...(r.cost_share != null && r.cost_share !== '' ? { share: r.cost_share as number } : {}),
            },
          }
        : {}),
    });
  });
  validateActions(specs, 'actions');
  return { actions: specs, warnings };
}

/** True for the result of {@link loadActions}. */
export function isLoadedActions(x: unknown): x is LoadedActions {
  return x != null && typeof x === 'object' && !Array.isArray(x) && 'actions' in x && 'warnings' in x;
}

const text = (v: unknown) => (v === null || v === undefined || v === '' ? undefined : String(v));

/**
 * The catalog with every action reading its uplift from a customer column
 * named by `pattern` (`{id}` is the action id): the layout uplift models
 * export (`uplift_email`, `uplift_call`, …). Actions whose column is missing
 * are an error when the model is built, naming the column.
 *
 * @example
 * ```ts
 * model.actions(withUpliftColumns(defaultCatalog(), 'uplift_{id}'));
 * // a matrix U (n × K) becomes columns first:
 * // table.assign(Object.fromEntries(catalog.map((a, k) => [`uplift_${a.id}`, U.map((row) => row[k])])))
 * ```
 */
export function withUpliftColumns(catalog: readonly ActionSpec[], pattern = 'uplift_{id}'): ActionSpec[] {
  if (typeof pattern !== 'string' || !pattern.includes('{id}'))
    throw new InvalidInputError('withUpliftColumns.pattern', 'must contain {id}', pattern);
  return catalog.map((a) => ({ ...a, upliftColumn: pattern.replaceAll('{id}', a.id) }));
}

function checkTiers(tiers: unknown): Map<string, FilterSpec> {
  const out = new Map<string, FilterSpec>();
  if (tiers === undefined) return out;
  if (tiers === null || typeof tiers !== 'object' || Array.isArray(tiers))
    throw new InvalidInputError('loadActions.tiers', 'must be an object of tier name → filter', tiers);
  for (const [name, filter] of Object.entries(tiers)) {
    if (filter === null || typeof filter !== 'object' || Array.isArray(filter))
      throw new InvalidInputError(`loadActions.tiers.${name}`, 'must be a filter object', filter);
    checkFilterDepth(filter, `loadActions.tiers.${name}`);
    out.set(name.toLowerCase(), structuredClone(filter as FilterSpec));
  }
  return out;
}

function parseEligible(v: unknown, path: string, tiers: Map<string, FilterSpec>): FilterSpec | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v !== 'string')
    throw new InvalidInputError(
      path,
      `expected "all", a segment, a tier, or several separated by "|" (got ${JSON.stringify(v)})`,
      v,
    );
  const parts = v
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.some((p) => p.toLowerCase() === 'all')) return undefined;
  const segments = parts.filter((p) => !tiers.has(p.toLowerCase()));
  const alternatives: FilterSpec[] = parts
    .filter((p) => tiers.has(p.toLowerCase()))
    .map((p) => tiers.get(p.toLowerCase())!);
  if (segments.length) alternatives.unshift({ segment: { in: segments } });
  return alternatives.length === 1 ? alternatives[0] : { any: alternatives };
}

function parseFilter(v: unknown, path: string): FilterSpec | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(v));
  } catch {
    throw new InvalidInputError(
      path,
      `expected a filter as JSON text, e.g. {"value":{"gt":300}} (got ${JSON.stringify(v)})`,
      v,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InvalidInputError(path, 'must be a JSON object (a filter)', v);
  checkFilterDepth(parsed, path);
  return parsed as FilterSpec;
}

function both(a: FilterSpec | undefined, b: FilterSpec | undefined): FilterSpec | undefined {
  return a && b ? { all: [a, b] } : (a ?? b);
}
