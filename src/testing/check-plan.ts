// A solver-independent check of a plan against its model, written from the file contract
// (docs/model-format.md) on the JSON forms of both: it shares no code with the solvers, the compiler
// or the verifier, so a property test built on it does not test the library against itself.
import type { ModelJSON } from '../model/serialize.js';
import type { PlanJSON } from '../plan/plan.js';

type Cell = string | number | boolean | null;
type FilterDoc = Record<string, unknown>;

/**
 * Outcome of {@link checkPlan}.
 *
 * @example
 * ```ts
 * const { ok, violations }: PlanCheck = checkPlan(model, plan);
 * ```
 */
export interface PlanCheck {
  /** True when the plan breaks nothing and its objective recomputes. */
  ok: boolean;
  /** Every broken rule, in words (empty when ok). */
  violations: string[];
  /** The net value of the assignments, recomputed from the model file. */
  objective: number;
}

function column(doc: ModelJSON, name: string): readonly Cell[] {
  const c = doc.customers as unknown as Record<string, unknown>;
  if (name !== 'attributes' && Object.hasOwn(c, name)) return c[name] as Cell[];
  if (doc.customers.attributes && Object.hasOwn(doc.customers.attributes, name)) return doc.customers.attributes[name]!;
  throw new Error(`checkPlan: unknown column "${name}"`);
}

/** @internal Does customer i match a filter of the model file? */
export function matches(doc: ModelJSON, f: FilterDoc, i: number): boolean {
  return Object.entries(f).every(([key, v]) => {
    if (key === 'all') return (v as FilterDoc[]).every((g) => matches(doc, g, i));
    if (key === 'any') return (v as FilterDoc[]).some((g) => matches(doc, g, i));
    if (key === 'not') return !matches(doc, v as FilterDoc, i);
    const x = column(doc, key)[i] ?? null;
    return Object.entries(v as Record<string, unknown>).every(([op, arg]) => {
      // Ordered comparisons as JavaScript makes them (numbers, or text by code units).
      const [l, r] = [x as number, arg as number];
      switch (op) {
        case 'eq':
          return x === arg;
        case 'ne':
          return x !== arg;
        case 'in':
          return (arg as Cell[]).includes(x);
        case 'nin':
          return !(arg as Cell[]).includes(x);
        case 'gt':
          return x !== null && l > r;
        case 'gte':
          return x !== null && l >= r;
        case 'lt':
          return x !== null && l < r;
        case 'lte':
          return x !== null && l <= r;
        default:
          throw new Error(`checkPlan: unknown op "${op}"`);
      }
    });
  });
}

/** Cost of action k for customer i: its cost, plus share × its per-customer column when it has one. */
export function pairCost(doc: ModelJSON, i: number, k: number): number {
  const a = doc.actions[k]!;
  const per = a.costPerCustomer;
  return per ? a.cost + (per.share ?? 1) * (doc.customers.attributes![per.column]![i] as number) : a.cost;
}

/** Net value of giving customer i action k: p·v·u − cost, u the customer's own uplift column, else the segment's, else the action's. */
function pairValue(doc: ModelJSON, i: number, k: number): number {
  return doc.customers.churnProbability[i]! * doc.customers.value[i]! * pairUplift(doc, i, k) - pairCost(doc, i, k);
}

/** Uplift of action k for customer i: its column (times its scale, capped at 1), else the segment's, else the action's. */
function pairUplift(doc: ModelJSON, i: number, k: number): number {
  const a = doc.actions[k]!;
  const seg = doc.customers.segment?.[i];
  if (a.upliftColumn !== undefined) {
    const bySeg = a.upliftScaleBySegment;
    const scale = bySeg && seg != null && Object.hasOwn(bySeg, seg) ? bySeg[seg]! : (a.upliftScale ?? 1);
    const u = doc.customers.attributes![a.upliftColumn]![i] as number;
    return scale === 1 ? u : Math.min(1, u * scale);
  }
  return a.upliftBySegment && seg != null && Object.hasOwn(a.upliftBySegment, seg) ? a.upliftBySegment[seg]! : a.uplift;
}

/**
 * Checks a plan against its model from their files alone: every assignment
 * names a customer once and an eligible action (its filter, no exclusion);
 * budget, capacity, coverage, saturation and fairness hold (counts exactly,
 * money to 1e-9 relative); contact policies hold on the file's history plus
 * this week's contacts; and the plan's objective is the recomputed net value. Accepts the model and plan objects or their `toJSON()` forms.
 *
 * @example
 * ```ts
 * import { checkPlan } from 'retention-optimizer/testing';
 * const { ok, violations } = checkPlan(model, await model.solve());
 * ```
 */
export function checkPlan(
  model: ModelJSON | { toJSON(): ModelJSON },
  plan: PlanJSON | { toJSON(): PlanJSON },
): PlanCheck {
  const doc = 'toJSON' in model && typeof model.toJSON === 'function' ? model.toJSON() : (model as ModelJSON);
  const p = 'toJSON' in plan && typeof plan.toJSON === 'function' ? plan.toJSON() : (plan as PlanJSON);
  const N = doc.customers.id.length;
  const out: string[] = [];
  const pos = new Map(doc.customers.id.map((id, i) => [String(id), i]));
  const options = optionsOf(doc);
  // Per customer, the catalog actions given ([] for none; several for a bundle).
  const given: number[][] = Array.from({ length: N }, () => []);
  for (const a of p.assignments) {
    const i = pos.get(String(a.customer));
    const members = options.get(a.action);
    if (i === undefined) {
      out.push(`unknown customer ${String(a.customer)}`);
      continue;
    }
    if (members === undefined) {
      out.push(`unknown action ${a.action}`);
      continue;
    }
    if (given[i]!.length) out.push(`customer ${String(a.customer)} assigned twice`);
    given[i] = members;
  }
  // Report-only constraints are measured, not enforced: a plan may break them.
  const constraints = (doc.constraints ?? []).filter((c) => c.reportOnly !== true);
  const treated = (i: number) => given[i]!.length > 0;
  for (let i = 0; i < N; i++) {
    if (!treated(i)) continue;
    for (const b of given[i]!) {
      const a = doc.actions[b]!;
      if (a.eligible && !matches(doc, a.eligible as FilterDoc, i))
        out.push(`customer ${String(doc.customers.id[i])}: not eligible for ${a.id}`);
    }
    const rule = requiresBreach(doc, i, given[i]!);
    if (rule) out.push(rule);
    for (const c of constraints) {
      if (c.type === 'exclude' && matches(doc, c.where as FilterDoc, i))
        out.push(`customer ${String(doc.customers.id[i])}: excluded by ${c.name ?? 'exclude'}`);
    }
    const breach = policyBreach(doc, i, given[i]!);
    if (breach) out.push(breach);
  }
  const count = (pred: (i: number) => boolean) => {
    let s = 0;
    for (let i = 0; i < N; i++) if (pred(i)) s++;
    return s;
  };
  // Counts are whole numbers: a floor of min·S needs at least that many (float noise aside), a cap allows no more.
  const floor = (t: number, need: number, what: string) => {
    if (t < need - 1e-9) out.push(`${what}: ${t} < ${need}`);
  };
  const cap = (t: number, most: number, what: string) => {
    if (t > most + 1e-9) out.push(`${what}: ${t} > ${most}`);
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a constraint's fields depend on its type
  for (const c of constraints as unknown as Record<string, any>[]) {
    const name = (c.name as string | undefined) ?? c.type;
    switch (c.type as string) {
      case 'budget': {
        let spend = 0;
        for (let i = 0; i < N; i++) for (const b of given[i]!) spend += pairCost(doc, i, b);
        if (spend > (c.max as number) + 1e-9 * Math.max(1, c.max as number))
          out.push(`${name}: spend ${spend} > ${c.max}`);
        break;
      }
      case 'capacity': {
        // One channel, several channels, or a list of actions.
        const counts = (k: number) =>
          c.actions
            ? (c.actions as string[]).includes(doc.actions[k]!.id)
            : ((c.channels as string[] | undefined) ?? [c.channel]).includes(doc.actions[k]!.channel);
        // Contacts: a bundle counts once per action of it the capacity covers.
        let contacts = 0;
        for (let i = 0; i < N; i++) for (const b of given[i]!) if (counts(b)) contacts++;
        cap(contacts, c.max, name);
        break;
      }
      case 'coverage': {
        const S = count((i) => matches(doc, c.where, i));
        const t = count((i) => treated(i) && matches(doc, c.where, i));
        if (c.min !== undefined) floor(t, (c.min as number) * S, name);
        if (c.minCount !== undefined) floor(t, c.minCount, name);
        if (c.max !== undefined) cap(t, (c.max as number) * S, name);
        if (c.maxCount !== undefined) cap(t, c.maxCount, name);
        break;
      }
      case 'saturation': {
        const ks = c.action ? [doc.actions.findIndex((a) => a.id === c.action)] : doc.actions.map((_, k) => k);
        for (const k of ks) {
          const t = count((i) => given[i]!.includes(k));
          if (c.max !== undefined) cap(t, (c.max as number) * N, `${name} (${doc.actions[k]?.id})`);
          if (c.maxCount !== undefined) cap(t, c.maxCount, `${name} (${doc.actions[k]?.id})`);
        }
        break;
      }
      case 'fairness': {
        const values = column(doc, c.by);
        for (const g of new Set(values)) {
          const S = count((i) => values[i] === g);
          const t = count((i) => treated(i) && values[i] === g);
          if (c.min !== undefined) floor(t, (c.min as number) * S, `${name}=${String(g)}`);
          if (c.minCount !== undefined) floor(t, c.minCount, `${name}=${String(g)}`);
        }
        break;
      }
      case 'exclude':
        break;
      case 'contact-limit':
      case 'suppress':
        break;
      case 'ratio': {
        const { part, whole } = ratioSums(doc, c, given);
        const tol = 1e-9 * Math.max(1, whole);
        if (c.min !== undefined && part < c.min * whole - tol) out.push(`${name}: ${part} < ${c.min} × ${whole}`);
        if (c.max !== undefined && part > c.max * whole + tol) out.push(`${name}: ${part} > ${c.max} × ${whole}`);
        break;
      }
      default:
        out.push(`${name}: constraint type ${String(c.type)} is not in the file contract`);
    }
  }
  let objective = 0;
  given.forEach((members, i) => {
    if (members.length) objective += optionValue(doc, i, members);
  });
  const stated = p.objective;
  if (
    p.assignments.length &&
    (stated === null || Math.abs(stated - objective) > 1e-9 * Math.max(1, Math.abs(objective)) + 1e-6)
  ) {
    out.push(`objective: the plan states ${String(stated)}, the assignments are worth ${objective}`);
  }
  return { ok: out.length === 0, violations: out, objective };
}

/** A ratio's part and whole in a plan: treated customers (or their cost) among the pairs each selects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a constraint's fields depend on its type
export function ratioSums(
  doc: ModelJSON,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a constraint's fields depend on its type
  c: Record<string, any>,
  given: readonly (readonly number[])[],
): { part: number; whole: number } {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the part's fields
  const selects = (sel: Record<string, any> | undefined, i: number, k: number) => {
    if (!sel) return true;
    const a = doc.actions[k]!;
    if (sel.actions && !(sel.actions as string[]).includes(a.id)) return false;
    if (sel.channels && !(sel.channels as string[]).includes(a.channel)) return false;
    return sel.where === undefined || matches(doc, sel.where as FilterDoc, i);
  };
  // Counting, a customer counts once when any action given is selected; spending, the cost of those selected.
  const weigh = (sel: Record<string, unknown> | undefined, i: number, members: readonly number[]) => {
    const chosen = members.filter((k) => selects(sel, i, k));
    if (c.measure === 'spend') return chosen.reduce((s, k) => s + pairCost(doc, i, k), 0);
    return chosen.length ? 1 : 0;
  };
  let part = 0;
  let whole = 0;
  given.forEach((members, i) => {
    if (!members.length) return;
    part += weigh(c.part, i, members);
    whole += weigh(c.of, i, members);
  });
  return { part, whole };
}

/**
 * Contact policies checked on the file's history plus this week's contacts (dated `asOf`): customer i's
 * contacts in the window, in each scope that action k falls in, are at most `max`; nobody with a
 * suppressing outcome is treated. Days from ISO dates or week × 7, as the file says. The message of the
 * first rule that action k for customer i would break, or undefined.
 */
export function policyBreach(doc: ModelJSON, i: number, given: readonly number[]): string | undefined {
  const h = doc.history;
  const policies = (doc.constraints ?? []).filter(
    (c) => (c.type === 'contact-limit' || c.type === 'suppress') && c.reportOnly !== true,
  );
  if (policies.length === 0) return undefined;
  if (!h) return 'a contact policy in a model file without a history';
  const { asOf, days, byCustomer } = historyIndex(h);
  const dayOfRow = (r: number) => days[r]!;
  const channelOf = (r: number) => h.channel?.[r] ?? doc.actions.find((a) => a.id === h.action[r])!.channel;
  const id = String(doc.customers.id[i]);
  const past = byCustomer.get(id) ?? [];
  const actions = given.map((k) => doc.actions[k]!);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a constraint's fields depend on its type
  for (const c of policies as Record<string, any>[]) {
    const name = (c.name as string | undefined) ?? c.type;
    if (c.type === 'suppress') {
      const outcomes: string[] = c.outcomes ?? ['churned', 'opted_out'];
      const r = past.find((r) => h.outcome?.[r] != null && outcomes.includes(h.outcome[r]!));
      if (r !== undefined) return `${name}: customer ${id} treated after outcome "${h.outcome![r]}"`;
      continue;
    }
    const per: string = c.per ?? (c.channel !== undefined ? 'channel' : c.action !== undefined ? 'action' : 'customer');
    // Each scope this week's actions fall in: all contacts, each channel, each action (the one named only).
    const scopes =
      per === 'customer'
        ? ['*']
        : per === 'channel'
          ? [...new Set(actions.map((a) => a.channel))].filter((ch) => c.channel === undefined || ch === c.channel)
          : [...new Set(actions.map((a) => a.id))].filter((id) => c.action === undefined || id === c.action);
    for (const scope of scopes) {
      const inScope = (ch: string, id: string) =>
        per === 'customer' ? true : per === 'channel' ? ch === scope : id === scope;
      const now = actions.filter((a) => inScope(a.channel, a.id)).length;
      const before = past.filter((r) => asOf - dayOfRow(r) < c.days && inScope(channelOf(r), h.action[r]!)).length;
      if (before + now > c.max)
        return `${name}: customer ${id} has ${before + now} contacts${scope === '*' ? '' : ` (${scope})`} in ${c.days} days counting this week's ${actions.map((a) => `"${a.id}"`).join(', ')} (max ${c.max})`;
    }
  }
  return undefined;
}

const indexes = new WeakMap<object, { asOf: number; days: number[]; byCustomer: Map<string, number[]> }>();

// Each contact's day and each customer's contacts, once per file (checks of large plans ask per customer).
function historyIndex(h: NonNullable<ModelJSON['history']>) {
  let index = indexes.get(h);
  if (!index) {
    const days = h.action.map((_, r) =>
      h.week ? h.week[r]! * 7 : Date.parse(`${h.date![r]!}T00:00:00Z`) / 86_400_000,
    );
    const asOf =
      h.asOf === undefined
        ? days.reduce((a, b) => Math.max(a, b), -Infinity) + 7
        : typeof h.asOf === 'number'
          ? h.asOf * 7
          : Date.parse(`${h.asOf}T00:00:00Z`) / 86_400_000;
    const byCustomer = new Map<string, number[]>();
    h.customerId.forEach((id, r) => {
      const list = byCustomer.get(String(id));
      if (list) list.push(r);
      else byCustomer.set(String(id), [r]);
    });
    indexes.set(h, (index = { asOf, days, byCustomer }));
  }
  return index;
}

/**
 * The options of a model file: each action alone and, with `maxActionsPerCustomer`, every bundle of 2 … max
 * actions (id: the ids joined by `+` in catalog order) that no `neverTogether` pair forbids, each with the
 * catalog indices of its actions.
 */
export function optionsOf(doc: ModelJSON): Map<string, number[]> {
  const out = new Map(doc.actions.map((a, k) => [a.id, [k]]));
  const multi = doc.maxActionsPerCustomer;
  if (!multi || multi.max < 2) return out;
  const never = (multi.neverTogether ?? []).map(([a, b]) => new Set([a, b]));
  const grow = (from: number, chosen: number[]) => {
    if (chosen.length >= 2) out.set(chosen.map((k) => doc.actions[k]!.id).join('+'), chosen);
    if (chosen.length === multi.max) return;
    for (let k = from; k < doc.actions.length; k++) {
      const ids = [...chosen, k].map((x) => doc.actions[x]!.id);
      if (never.some((pair) => [...pair].every((id) => ids.includes(id)))) continue;
      grow(k + 1, [...chosen, k]);
    }
  };
  grow(0, []);
  return out;
}

/** Net value of giving customer i these actions together: p·v·U − Σ cost, U their combined uplift. */
export function optionValue(doc: ModelJSON, i: number, members: readonly number[]): number {
  if (members.length === 1) return pairValue(doc, i, members[0]!);
  const own = members.map((k) => pairUplift(doc, i, k));
  const id = members.map((k) => doc.actions[k]!.id).join('+');
  const rule = doc.maxActionsPerCustomer?.combine ?? 'independent';
  const u =
    typeof rule === 'object' && Object.hasOwn(rule, id)
      ? rule[id]!
      : rule === 'max'
        ? Math.max(...own)
        : 1 - own.reduce((left, x) => left * (1 - x), 1);
  const cost = members.reduce((s, k) => s + pairCost(doc, i, k), 0);
  return doc.customers.churnProbability[i]! * doc.customers.value[i]! * u - cost;
}

/** The `requires` rules: B given without A needs a past contact with A in the file's history. */
export function requiresBreach(doc: ModelJSON, i: number, given: readonly number[]): string | undefined {
  const ids = given.map((k) => doc.actions[k]!.id);
  for (const r of doc.maxActionsPerCustomer?.requires ?? []) {
    if (!ids.includes(r.action) || ids.includes(r.with)) continue;
    const h = doc.history;
    const me = String(doc.customers.id[i]);
    const had = h ? h.customerId.some((c, row) => String(c) === me && h.action[row] === r.with) : false;
    if (!had) return `customer ${me}: "${r.action}" without "${r.with}" and no past "${r.with}"`;
  }
  return undefined;
}
