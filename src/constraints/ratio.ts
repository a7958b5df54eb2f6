import { InvalidInputError } from '../errors.js';
import { checkFilterDepth, filterToJSON, type Filter } from '../data/filter.js';
import { pairTerms } from '../data/pair-terms.js';
import { checkKeys } from '../util/keys.js';
import { checkFraction } from './limits.js';
import type { ConstraintContext, ConstraintPlugin, RowSpec } from './plugin.js';

/**
 * Which (customer, action) pairs a {@link ratio} counts: some actions, some
 * channels, some customers, or both a list and a filter (both must hold).
 * Empty means every pair.
 *
 * @example
 * ```ts
 * const calls: RatioPart = { channels: ['call'] };
 * const premium: RatioPart = { where: { subscription_type: { eq: 'Premium' } } };
 * ```
 */
export interface RatioPart {
  /** These actions only. */
  actions?: readonly string[];
  /** Actions through these channels only. */
  channels?: readonly string[];
  /** These customers only. */
  where?: Filter;
}

/**
 * Options of {@link ratio}.
 *
 * @example
 * ```ts
 * const calls: RatioOptions = { part: { channels: ['call'] }, max: 0.2 };
 * ```
 */
export interface RatioOptions {
  /** What is counted in the part (treated customers, or the money spent on them). */
  part: RatioPart;
  /** The whole the part is a share of (default every treated customer). */
  of?: RatioPart;
  /** `count` (treated customers, the default) or `spend` (money). */
  measure?: 'count' | 'spend';
  /** Smallest share allowed, in [0, 1]. */
  min?: number;
  /** Largest share allowed, in [0, 1]. */
  max?: number;
  /** Constraint name, unique in the model (default `ratio:<part>`). */
  name?: string;
}

/**
 * A share of the plan kept within bounds: part ≥ min × whole and/or
 * part ≤ max × whole, where part and whole count treated customers (or
 * spend) over pairs you select. A row `part − r · whole` against 0, so it
 * is linear and every backend handles it; with counts and a share like 0.2
 * the row is scaled to whole numbers (5·part − 1·whole ≤ 0), so it holds
 * exactly.
 *
 * @example
 * ```ts
 * model
 *   .use(ratio({ part: { channels: ['call'] }, max: 0.2 }))                         // calls ≤ 20% of treated
 *   .use(ratio({ measure: 'spend', part: { where: { segment: { eq: 'Premium' } } }, min: 0.3 })); // ≥ 30% of spend on Premium
 * ```
 */
export function ratio(options: RatioOptions): ConstraintPlugin {
  if (options == null || typeof options !== 'object')
    throw new InvalidInputError('ratio', 'expected options { part, min?, max? }', options);
  checkKeys(options, ['part', 'of', 'measure', 'min', 'max', 'name'], 'ratio');
  const part = checkPart(options.part, 'ratio.part');
  const of = options.of === undefined ? {} : checkPart(options.of, 'ratio.of');
  const measure = options.measure ?? 'count';
  if (measure !== 'count' && measure !== 'spend')
    throw new InvalidInputError('ratio.measure', 'must be "count" or "spend"', measure);
  const min = checkFraction(options.min, 'ratio.min');
  const max = checkFraction(options.max, 'ratio.max');
  if (min === undefined && max === undefined) throw new InvalidInputError('ratio', 'needs min or max');
  if (min !== undefined && max !== undefined && min > max)
    throw new InvalidInputError('ratio.min', `is above max (${min} > ${max})`, min);
  const name = options.name ?? `ratio:${label(part)}${options.of ? `/${label(of)}` : ''}`;
  return {
    type: 'ratio',
    name,
    compile(ctx) {
      const rows: RowSpec[] = [];
      const both = min !== undefined && max !== undefined;
      if (min !== undefined) rows.push(rowFor(ctx, name, both ? `${name}:min` : name, '>=', min, part, of, measure));
      if (max !== undefined) rows.push(rowFor(ctx, name, both ? `${name}:max` : name, '<=', max, part, of, measure));
      return { rows };
    },
    toJSON: () => ({
      type: 'ratio',
      ...(options.name ? { name } : {}),
      part: partToJSON(part, name),
      ...(options.of ? { of: partToJSON(of, name) } : {}),
      ...(options.measure ? { measure } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
    }),
  };
}

/** A part as compiled: per option, selected or not and its weight; per customer 0/1 (undefined: everyone). */
interface Selection {
  selected: Uint8Array;
  weight: Float64Array;
  customer: Uint8Array | undefined;
}

// The row part − share · whole against 0. Per option k, a part weighs: counting, 1 when the customer's
// action (any action of a bundle) is selected; spending, the cost of the actions selected (the call of an
// email + call bundle, not the email). Counts with a share p/q of small q are scaled by q, so the row has
// whole coefficients and holds exactly (a cap of 0.2 becomes 5·part − whole ≤ 0).
function rowFor(
  ctx: ConstraintContext,
  constraint: string,
  name: string,
  sense: '<=' | '>=',
  share: number,
  part: RatioPart,
  of: RatioPart,
  measure: 'count' | 'spend',
): RowSpec {
  const at = `constraints.${constraint}`;
  const P = select(ctx, part, `${at}.part`, measure);
  const W = select(ctx, of, `${at}.of`, measure);
  const K = ctx.actions.length;
  const n = ctx.customers.size;
  const [scaleP, scaleW] = measure === 'count' ? fraction(share) : [1, share];
  // Costs per customer (single actions only: bundles of such actions are not built).
  const extra = measure === 'spend' ? pairTerms(ctx.actions, ctx.customers).costColumns : [];
  const limitFrom = `${sense === '<=' ? 'at most' : 'at least'} ${share} of the whole: ${scaleP === 1 ? '' : `${scaleP}·`}part − ${scaleW}·whole ${sense} 0`;
  const perCustomer = P.customer !== undefined || W.customer !== undefined || extra.some(Boolean);
  if (!perCustomer) {
    const actionCoef = Array.from({ length: K }, (_, k) => scaleP * P.weight[k]! - scaleW * W.weight[k]!);
    return { name, sense, rhs: 0, actionCoef, limitFrom };
  }
  // Masks or per-customer costs: the coefficients are kept per (customer, action), action by action.
  const pairCoef = Array.from({ length: K }, (_, k) => {
    if (!P.selected[k] && !W.selected[k]) return undefined;
    const more = extra[k];
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = P.selected[k] ? (P.weight[k]! + (more ? more[i]! : 0)) * (P.customer ? P.customer[i]! : 1) : 0;
      const q = W.selected[k] ? (W.weight[k]! + (more ? more[i]! : 0)) * (W.customer ? W.customer[i]! : 1) : 0;
      col[i] = scaleP * p - scaleW * q;
    }
    return col;
  });
  return { name, sense, rhs: 0, actionCoef: new Float64Array(K), pairCoef, limitFrom };
}

// What a part selects: per option, whether any of its actions is selected and what that weighs.
function select(ctx: ConstraintContext, p: RatioPart, path: string, measure: 'count' | 'spend'): Selection {
  const base = new Float64Array(ctx.catalog.length).fill(1);
  if (p.actions) {
    base.fill(0);
    p.actions.forEach((id, j) => (base[ctx.actionIndex(id, `${path}.actions[${j}]`)] = 1));
  }
  if (p.channels) {
    p.channels.forEach((c, j) => {
      if (!ctx.channels.includes(c))
        throw new InvalidInputError(
          `${path}.channels[${j}]`,
          `unknown channel "${c}" (catalog channels: ${ctx.channels.join(', ')})`,
          c,
        );
    });
    ctx.catalog.forEach((a, b) => {
      if (!p.channels!.includes(a.channel)) base[b] = 0;
    });
  }
  const chosen = (k: number) => ctx.members(k).filter((b) => base[b] === 1);
  const selected = Uint8Array.from(ctx.actions, (_, k) => (chosen(k).length > 0 ? 1 : 0));
  const weight = Float64Array.from(ctx.actions, (_, k) =>
    measure === 'count' ? selected[k]! : chosen(k).reduce((s, b) => s + ctx.catalog[b]!.cost, 0),
  );
  return { selected, weight, customer: p.where === undefined ? undefined : ctx.filter(p.where, `${path}.where`) };
}

// share = num/den with den ≤ 1000, when it is one to 1e-12: [den, num]; else [1, share].
function fraction(share: number): [number, number] {
  for (let den = 1; den <= 1000; den++) {
    const num = Math.round(share * den);
    if (Math.abs(num / den - share) <= 1e-12) return [den, num];
  }
  return [1, share];
}

function checkPart(p: RatioPart, path: string): RatioPart {
  if (p == null || typeof p !== 'object')
    throw new InvalidInputError(path, 'must be an object { actions?, channels?, where? }', p);
  checkKeys(p, ['actions', 'channels', 'where'], path);
  for (const key of ['actions', 'channels'] as const) {
    const list = p[key];
    if (
      list !== undefined &&
      (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string' && x !== ''))
    )
      throw new InvalidInputError(`${path}.${key}`, 'must be a non-empty list of names', list);
  }
  if (p.where !== undefined) checkFilterDepth(p.where, `${path}.where`);
  return p;
}

function label(p: RatioPart): string {
  const parts = [
    ...(p.actions ? [p.actions.join('+')] : []),
    ...(p.channels ? [p.channels.join('+')] : []),
    ...(p.where !== undefined ? [typeof p.where === 'function' ? 'where' : JSON.stringify(p.where)] : []),
  ];
  return parts.length ? parts.join(',') : 'all';
}

function partToJSON(p: RatioPart, name: string): Record<string, unknown> {
  return {
    ...(p.actions ? { actions: [...p.actions] } : {}),
    ...(p.channels ? { channels: [...p.channels] } : {}),
    ...(p.where !== undefined ? { where: filterToJSON(p.where, `ratio "${name}"`) } : {}),
  };
}
