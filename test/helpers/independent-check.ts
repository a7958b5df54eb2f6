// An independent reading of the retention-model/v1 contract, written from
// docs/model-format.md and sharing no code with src/: it checks a plan file
// against a model file, and finds the true optimum of tiny models by enumeration.
type Cell = string | number | boolean | null;
type Doc = any;

function col(doc: Doc, name: string): Cell[] {
  const c = doc.customers;
  if (name in c && name !== 'attributes') return c[name];
  if (c.attributes && name in c.attributes) return c.attributes[name];
  throw new Error(`unknown column ${name}`);
}

export function matches(doc: Doc, f: any, i: number): boolean {
  return Object.entries(f).every(([key, v]: [string, any]) => {
    if (key === 'all') return v.every((g: any) => matches(doc, g, i));
    if (key === 'any') return v.some((g: any) => matches(doc, g, i));
    if (key === 'not') return !matches(doc, v, i);
    const x = col(doc, key)[i]!;
    return Object.entries(v).every(([op, arg]: [string, any]) => {
      switch (op) {
        case 'eq':
          return x === arg;
        case 'ne':
          return x !== arg;
        case 'in':
          return arg.includes(x);
        case 'nin':
          return !arg.includes(x);
        case 'gt':
          return x !== null && x > arg;
        case 'gte':
          return x !== null && x >= arg;
        case 'lt':
          return x !== null && x < arg;
        case 'lte':
          return x !== null && x <= arg;
        default:
          throw new Error(`op ${op}`);
      }
    });
  });
}

// Cost of action k for customer i: fixed, plus share × a customer column when the action says so.
export function costOf(doc: Doc, i: number, k: number): number {
  const a = doc.actions[k];
  const per = a.costPerCustomer;
  return per ? a.cost + (per.share ?? 1) * doc.customers.attributes[per.column][i] : a.cost;
}

export function pairValue(doc: Doc, i: number, k: number): number {
  const a = doc.actions[k];
  const seg = doc.customers.segment?.[i];
  const u = a.upliftColumn
    ? doc.customers.attributes[a.upliftColumn][i]
    : a.upliftBySegment && seg in a.upliftBySegment
      ? a.upliftBySegment[seg]
      : a.uplift;
  return doc.customers.churnProbability[i] * u * doc.customers.value[i] - costOf(doc, i, k);
}

function eligible(doc: Doc, i: number, k: number): boolean {
  const a = doc.actions[k];
  if (a.eligible && !matches(doc, a.eligible, i)) return false;
  for (const c of enforced(doc)) if (c.type === 'exclude' && matches(doc, c.where, i)) return false;
  return !policyBlocks(doc, i, k);
}

/**
 * Contact policies read literally from docs/model-format.md: the window is the plan day and the `days − 1`
 * days before it; this week's contact counts; suppression looks at every past outcome.
 */
export function policyBlocks(doc: Doc, i: number, k: number): boolean {
  const h = doc.history;
  if (!h) return false;
  const day = (w: number | string) =>
    typeof w === 'number' ? w * 7 : Math.round(new Date(w + 'T00:00:00Z').getTime() / 864e5);
  const when = (r: number) => day(h.week ? h.week[r] : h.date[r]);
  const asOf = h.asOf !== undefined ? day(h.asOf) : Math.max(...h.action.map((_: string, r: number) => when(r))) + 7;
  const me = String(doc.customers.id[i]);
  const a = doc.actions[k];
  const chan = (r: number) => h.channel?.[r] ?? doc.actions.find((x: any) => x.id === h.action[r]).channel;
  for (const c of enforced(doc)) {
    if (c.type === 'suppress') {
      const outs = c.outcomes ?? ['churned', 'opted_out'];
      for (let r = 0; r < h.customerId.length; r++)
        if (String(h.customerId[r]) === me && outs.includes(h.outcome?.[r])) return true;
    }
    if (c.type !== 'contact-limit') continue;
    const per = c.per ?? (c.channel ? 'channel' : c.action ? 'action' : 'customer');
    if (c.channel !== undefined && a.channel !== c.channel) continue;
    if (c.action !== undefined && a.id !== c.action) continue;
    let n = 1;
    for (let r = 0; r < h.customerId.length; r++) {
      if (String(h.customerId[r]) !== me) continue;
      const age = asOf - when(r);
      if (age < 0 || age >= c.days) continue;
      if (per === 'channel' && chan(r) !== a.channel) continue;
      if (per === 'action' && h.action[r] !== a.id) continue;
      n++;
    }
    if (n > c.max) return true;
  }
  return false;
}

/** The constraints a plan must meet: report-only ones are measured, not enforced. */
function enforced(doc: Doc): any[] {
  return (doc.constraints ?? []).filter((c: any) => c.reportOnly !== true);
}

/** Violations of the contract by an assignment (array of action index or -1 per customer); [] when feasible. */
export function violations(doc: Doc, assign: number[]): string[] {
  const N = doc.customers.id.length;
  const out: string[] = [];
  const treated = (i: number) => assign[i]! >= 0;
  const eps = 1e-6;
  for (let i = 0; i < N; i++) if (treated(i) && !eligible(doc, i, assign[i]!)) out.push(`customer ${i} not eligible`);
  for (const c of enforced(doc)) {
    const cnt = (pred: (i: number) => boolean) => {
      let s = 0;
      for (let i = 0; i < N; i++) if (pred(i)) s++;
      return s;
    };
    switch (c.type) {
      case 'budget': {
        let s = 0;
        for (let i = 0; i < N; i++) if (treated(i)) s += costOf(doc, i, assign[i]!);
        if (s > c.max + eps) out.push(`budget ${s} > ${c.max}`);
        break;
      }
      case 'capacity': {
        const s = cnt((i) => treated(i) && doc.actions[assign[i]!].channel === c.channel);
        if (s > c.max + eps) out.push(`capacity ${c.channel} ${s} > ${c.max}`);
        break;
      }
      case 'coverage': {
        const S = cnt((i) => matches(doc, c.where, i));
        const t = cnt((i) => treated(i) && matches(doc, c.where, i));
        if (c.min !== undefined && t < c.min * S - eps) out.push(`coverage ${c.name} ${t} < ${c.min}·${S}`);
        if (c.minCount !== undefined && t < c.minCount - eps) out.push(`coverage ${c.name} ${t} < ${c.minCount}`);
        if (c.max !== undefined && t > c.max * S + eps) out.push(`coverage ${c.name} ${t} > ${c.max}·${S}`);
        if (c.maxCount !== undefined && t > c.maxCount + eps) out.push(`coverage ${c.name} ${t} > ${c.maxCount}`);
        break;
      }
      case 'saturation': {
        const ks = c.action
          ? [doc.actions.findIndex((a: any) => a.id === c.action)]
          : doc.actions.map((_: any, k: number) => k);
        for (const k of ks) {
          const t = cnt((i) => assign[i] === k);
          if (c.max !== undefined && t > c.max * N + eps) out.push(`saturation ${k} ${t} > ${c.max}·${N}`);
          if (c.maxCount !== undefined && t > c.maxCount + eps) out.push(`saturation ${k} ${t} > ${c.maxCount}`);
        }
        break;
      }
      case 'fairness': {
        const values = col(doc, c.by);
        for (const g of new Set(values)) {
          const S = cnt((i) => values[i] === g);
          const t = cnt((i) => treated(i) && values[i] === g);
          if (c.min !== undefined && t < c.min * S - eps) out.push(`fairness ${String(g)} ${t} < ${c.min}·${S}`);
          if (c.minCount !== undefined && t < c.minCount - eps) out.push(`fairness ${String(g)} ${t} < ${c.minCount}`);
        }
        break;
      }
      case 'ratio': {
        const sel = (p: any, i: number, k: number) =>
          !p ||
          ((!p.actions || p.actions.includes(doc.actions[k].id)) &&
            (!p.channels || p.channels.includes(doc.actions[k].channel)) &&
            (p.where === undefined || matches(doc, p.where, i)));
        let part = 0;
        let whole = 0;
        for (let i = 0; i < N; i++) {
          const k = assign[i]!;
          if (k < 0) continue;
          const w = c.measure === 'spend' ? costOf(doc, i, k) : 1;
          if (sel(c.part, i, k)) part += w;
          if (sel(c.of, i, k)) whole += w;
        }
        if (c.min !== undefined && part < c.min * whole - eps) out.push(`ratio ${c.name} ${part} < ${c.min}·${whole}`);
        if (c.max !== undefined && part > c.max * whole + eps) out.push(`ratio ${c.name} ${part} > ${c.max}·${whole}`);
        break;
      }
      case 'exclude':
      case 'contact-limit':
      case 'suppress':
        break;
      default:
        throw new Error(`type ${c.type}`);
    }
  }
  return out;
}

export function objectiveOf(doc: Doc, assign: number[]): number {
  let s = 0;
  assign.forEach((k, i) => {
    if (k >= 0) s += pairValue(doc, i, k);
  });
  return s;
}

/** Reads a plan file's assignments back into an index vector. */
export function assignmentOf(doc: Doc, plan: any): number[] {
  const pos = new Map(doc.customers.id.map((id: any, i: number) => [id, i]));
  const act = new Map(doc.actions.map((a: any, k: number) => [a.id, k]));
  const out = new Array(doc.customers.id.length).fill(-1);
  for (const a of plan.assignments) {
    const i = pos.get(a.customer);
    if (i === undefined) throw new Error(`unknown customer ${a.customer}`);
    if (out[i as number] !== -1) throw new Error(`customer ${a.customer} assigned twice`);
    out[i as number] = act.get(a.action);
  }
  return out;
}

/** True optimum by enumeration ((K+1)^N plans): null when infeasible. Tiny models only. */
export function bruteForceOptimum(doc: Doc): number | null {
  const N = doc.customers.id.length;
  const K = doc.actions.length;
  if ((K + 1) ** N > 300_000) throw new Error('too large to enumerate');
  const assign = new Array(N).fill(-1);
  let best: number | null = null;
  const rec = (i: number) => {
    if (i === N) {
      if (violations(doc, assign).length === 0) {
        const v = objectiveOf(doc, assign);
        if (best === null || v > best) best = v;
      }
      return;
    }
    for (let k = -1; k < K; k++) {
      if (k >= 0 && !eligible(doc, i, k)) continue;
      assign[i] = k;
      rec(i + 1);
    }
    assign[i] = -1;
  };
  rec(0);
  return best;
}
