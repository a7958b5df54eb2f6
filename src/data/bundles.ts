import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { upliftFor, type Action } from './actions.js';
import type { Filter, FilterSpec } from './filter.js';

/**
 * A `requires` rule: `action` only together with `with`, or after it.
 *
 * @example
 * ```ts
 * const r: RequiresRule = { action: 'free-month', with: 'call' };
 * ```
 */
export interface RequiresRule {
  /** The action given only with or after the other. */
  readonly action: string;
  /** The action it needs. */
  readonly with: string;
}

/**
 * Rules for giving a customer several actions (see `model.maxActionsPerCustomer`).
 *
 * @example
 * ```ts
 * const rules: MultiActionOptions = {
 *   neverTogether: [['discount', 'free-month']],
 *   requires: [{ action: 'free-month', with: 'call' }],
 *   combine: 'independent',
 * };
 * ```
 */
export interface MultiActionOptions {
  /** Pairs of actions never given to one customer together. */
  neverTogether?: readonly (readonly [string, string])[];
  /** `action` only together with `with`, or after it (a past contact with `with` in the history). */
  requires?: readonly RequiresRule[];
  /**
   * The uplift of actions given together: `independent` (default: each removes its share of the
   * risk the others left, 1 − Π(1 − u)), `max` (the strongest alone), or a figure per bundle id
   * (`{ 'email+call': 0.4 }`; bundles not named combine independently).
   */
  combine?: 'independent' | 'max' | Readonly<Record<string, number>>;
}

/**
 * At most `max` actions per customer, with its rules, validated (what
 * `model.multiAction` returns).
 *
 * @example
 * ```ts
 * const m: MultiAction | undefined = model.maxActionsPerCustomer(2).multiAction; // { max: 2, neverTogether: [], requires: [], combine: 'independent' }
 * ```
 */
export interface MultiAction {
  /** Most actions per customer (≥ 1). */
  readonly max: number;
  /** Pairs never together. */
  readonly neverTogether: readonly (readonly [string, string])[];
  /** `action` only with or after `with`. */
  readonly requires: readonly RequiresRule[];
  /** How uplifts combine. */
  readonly combine: 'independent' | 'max' | Readonly<Record<string, number>>;
}

/** Most options (single actions and bundles) a model may have: each is a column of every pass. */
export const MAX_OPTIONS = 500;

/** Checks `maxActionsPerCustomer(m, options)`. */
export function checkMultiAction(max: unknown, options: MultiActionOptions = {}): MultiAction {
  const at = 'maxActionsPerCustomer';
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1)
    throw new InvalidInputError(`${at}.max`, 'must be a whole number ≥ 1', max);
  if (options == null || typeof options !== 'object')
    throw new InvalidInputError(at, 'options must be an object', options);
  checkKeys(options, ['neverTogether', 'requires', 'combine'], at);
  const pairs = options.neverTogether ?? [];
  if (!Array.isArray(pairs))
    throw new InvalidInputError(`${at}.neverTogether`, 'must be a list of [a, b] pairs', pairs);
  pairs.forEach((p, j) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((x) => typeof x === 'string' && x !== '') || p[0] === p[1])
      throw new InvalidInputError(`${at}.neverTogether[${j}]`, 'must be a pair of two different action ids', p);
  });
  const requires = options.requires ?? [];
  if (!Array.isArray(requires))
    throw new InvalidInputError(`${at}.requires`, 'must be a list of { action, with }', requires);
  requires.forEach((r, j) => {
    if (r == null || typeof r !== 'object')
      throw new InvalidInputError(`${at}.requires[${j}]`, 'must be { action, with }', r);
    checkKeys(r, ['action', 'with'], `${at}.requires[${j}]`);
    if (typeof r.action !== 'string' || typeof r.with !== 'string' || r.action === r.with || !r.action || !r.with)
      throw new InvalidInputError(`${at}.requires[${j}]`, 'must name two different actions', r);
  });
  const combine = options.combine ?? 'independent';
  if (typeof combine === 'object' && combine !== null) {
    for (const [id, u] of Object.entries(combine))
      if (typeof u !== 'number' || !(u >= 0 && u <= 1))
        throw new InvalidInputError(`${at}.combine.${id}`, 'must be an uplift in [0, 1]', u);
  } else if (combine !== 'independent' && combine !== 'max') {
    throw new InvalidInputError(`${at}.combine`, 'must be "independent", "max" or uplifts by bundle id', combine);
  }
  return Object.freeze({
    max,
    neverTogether: Object.freeze(pairs.map((p) => Object.freeze([p[0], p[1]] as const))),
    requires: Object.freeze(requires.map((r) => Object.freeze({ action: r.action, with: r.with }))),
    combine: typeof combine === 'object' ? Object.freeze({ ...combine }) : combine,
  });
}

/** The actions an option gives: its members for a bundle, else itself. */
export function membersOf(a: Action): readonly string[] {
  return a.members ?? [a.id];
}

/** Combined uplift of actions given together, by the rule (or the figure given for this bundle). */
export function combineUplift(uplifts: readonly number[], rule: MultiAction['combine'], bundleId: string): number {
  if (typeof rule === 'object' && Object.hasOwn(rule, bundleId)) return rule[bundleId]!;
  if (rule === 'max') return Math.max(...uplifts);
  let left = 1;
  for (const u of uplifts) left *= 1 - u;
  return 1 - left;
}

/**
 * The options a customer may be given under `multi`: every action alone, then every bundle of 2 … max
 * actions no `neverTogether` pair forbids, in catalog order. A bundle is an action whose `members` are
 * its actions: id `a+b`, channel `email+call`, cost the sum, uplift combined per segment, eligible
 * where every member is. With uplifts or costs per customer, `pairTerms` combines the actions' columns
 * customer by customer.
 */
export function expandBundles(actions: readonly Action[], multi: MultiAction): readonly Action[] {
  const at = 'maxActionsPerCustomer';
  const ids = new Set(actions.map((a) => a.id));
  const known = (id: string, path: string) => {
    if (!ids.has(id)) throw new InvalidInputError(path, `unknown action "${id}" (catalog: ${[...ids].join(', ')})`, id);
  };
  multi.neverTogether.forEach((p, j) => p.forEach((id) => known(id, `${at}.neverTogether[${j}]`)));
  multi.requires.forEach((r, j) => {
    known(r.action, `${at}.requires[${j}].action`);
    known(r.with, `${at}.requires[${j}].with`);
  });
  if (multi.max === 1) return actions;
  const forbidden = new Set(multi.neverTogether.map(([a, b]) => [a, b].sort().join('\u0000')));
  const options: Action[] = [...actions];
  const pick = (from: number, chosen: Action[]) => {
    if (chosen.length >= 2) {
      if (options.length >= MAX_OPTIONS)
        throw new InvalidInputError(
          `${at}.max`,
          `${actions.length} actions, up to ${multi.max} per customer, make more than ${MAX_OPTIONS} options; lower max or forbid pairs with neverTogether`,
          multi.max,
        );
      options.push(bundleOf(chosen, multi, ids));
    }
    if (chosen.length === multi.max) return;
    for (let k = from; k < actions.length; k++) {
      const a = actions[k]!;
      if (chosen.some((c) => forbidden.has([c.id, a.id].sort().join('\u0000')))) continue;
      pick(k + 1, [...chosen, a]);
    }
  };
  pick(0, []);
  if (typeof multi.combine === 'object') {
    const bundles = new Set(options.slice(actions.length).map((o) => o.id));
    for (const id of Object.keys(multi.combine))
      if (!bundles.has(id))
        throw new InvalidInputError(
          `${at}.combine.${id}`,
          `no bundle "${id}" (bundles: ${[...bundles].slice(0, 12).join(', ')}${bundles.size > 12 ? ', …' : ''})`,
          id,
        );
  }
  return Object.freeze(options);
}

function bundleOf(members: Action[], multi: MultiAction, ids: Set<string>): Action {
  const id = members.map((a) => a.id).join('+');
  const at = 'maxActionsPerCustomer';
  if (ids.has(id))
    throw new InvalidInputError(at, `the bundle id "${id}" is also an action's id; rename the action`, id);
  const segments = new Set(members.flatMap((a) => Object.keys(a.upliftBySegment ?? {})));
  const uplift = combineUplift(
    members.map((a) => a.uplift),
    multi.combine,
    id,
  );
  const upliftBySegment = segments.size
    ? Object.freeze(
        Object.fromEntries(
          [...segments].map((s) => [
            s,
            combineUplift(
              members.map((a) => upliftFor(a, s)),
              multi.combine,
              id,
            ),
          ]),
        ),
      )
    : undefined;
  const eligible = bothEligible(members);
  const bundle: Action = Object.freeze({
    id,
    name: members.map((a) => a.name).join(' + '),
    channel: members.map((a) => a.channel).join('+'),
    cost: members.reduce((s, a) => s + a.cost, 0),
    uplift,
    ...(upliftBySegment ? { upliftBySegment } : {}),
    ...(eligible !== undefined ? { eligible } : {}),
    members: Object.freeze(members.map((a) => a.id)),
  });
  // How its actions' uplifts combine, for uplifts per customer (pairTerms combines their columns).
  combineRules.set(bundle, multi.combine);
  return bundle;
}

const combineRules = new WeakMap<Action, MultiAction['combine']>();

/** How a bundle built by {@link expandBundles} combines its actions' uplifts (`independent` for others). */
export function combineRuleOf(bundle: Action): MultiAction['combine'] {
  return combineRules.get(bundle) ?? 'independent';
}

// Eligible where every member is: declarative filters joined with `all`, predicates joined in code.
function bothEligible(members: Action[]): Filter | undefined {
  const filters = members.map((a) => a.eligible).filter((f): f is Filter => f !== undefined);
  if (filters.length === 0) return undefined;
  if (filters.length === 1) return filters[0];
  if (filters.every((f) => typeof f !== 'function')) return { all: filters as FilterSpec[] };
  if (filters.every((f) => typeof f === 'function'))
    return (c) => filters.every((f) => (f as (c: never) => boolean)(c as never));
  throw new InvalidInputError(
    'maxActionsPerCustomer',
    `actions ${members.map((a) => `"${a.id}"`).join(', ')} mix a code eligibility with a declarative one; bundling them is not supported yet`,
  );
}
