// One benchmark case in a fresh process, so peak memory is this case's alone.
//   npx tsx bench/case.ts <customers> <backend> <gapTolerance> <timeLimit> [warm] [fairnessGroups] [values] [threads] [input]
// (values: factored, uplift, uplift+fee, uplift+cost; see reference-model.ts; threads: a number or auto, the default;
// input: held, the default, or freed: the customers' table is dropped and collected before the solve, which needs
// node --expose-gc; the library's own memory is then what the solve's peak shows)
// Reports the first solve in the process ("cold": includes JIT warm-up and loading WebAssembly)
// and, with "warm", a second solve of a freshly built model of the same size and another seed.
// The event loop is probed during the first solve: the longest wait between ticks of a 5 ms timer
// (what a service would see as a frozen process).
import { referenceHistory, referenceModel, type ValueKind } from './reference-model.js';

const [n, backend, gap, limit, warm, groups, values, threadsArg, input] = process.argv.slice(2);
const threads = !threadsArg || threadsArg === 'auto' ? 'auto' : Number(threadsArg);
async function timed(seed: number, probe: boolean) {
  const model = referenceModel(
    Number(n),
    seed,
    groups && groups !== '0' ? Number(groups) : undefined,
    (values ?? 'factored') as ValueKind,
  );
  if (input === 'freed') await collect();
  // A 5 ms interval's longest gap between ticks (perf_hooks' monitorEventLoopDelay reported 17 ms
  // where this saw 206 ms during the same solve).
  let last = performance.now();
  let stall = 0;
  // The process's memory sampled on the same ticks: the solve's own peak (maxRSS also counts the build).
  let rss = process.memoryUsage.rss();
  const timer = probe
    ? setInterval(() => {
        const t = performance.now();
        stall = Math.max(stall, t - last);
        last = t;
        rss = Math.max(rss, process.memoryUsage.rss());
      }, 5)
    : undefined;
  const started = performance.now();
  const plan = await model.solve({
    solver: backend as 'decomposition',
    gapTolerance: Number(gap),
    timeLimit: Number(limit),
    threads,
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  stall = Math.max(stall, performance.now() - last);
  rss = Math.max(rss, process.memoryUsage.rss());
  return { plan, seconds, stallMs: probe ? stall : NaN, solvePeakMB: Math.round(rss / 2 ** 20) };
}

// The caller's table is garbage once the model is built; collect it (twice, a turn apart: array buffers are
// released after the collection that finds them dead).
async function collect() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('input "freed" needs node --expose-gc');
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
}
const cold = await timed(1, true);
// With a history: an independent check of history + plan (written from the rules, not the library's scan).
const policyViolations = values === 'history' || values === 'history+multi' ? checkPolicies(cold.plan) : null;
const second = warm === 'warm' ? await timed(2, false) : null;
const plan = cold.plan;
console.log(
  JSON.stringify({
    customers: Number(n),
    backend: plan.solver.name,
    status: plan.status,
    seconds: cold.seconds,
    warmSeconds: second?.seconds ?? null,
    warmStatus: second?.plan.status ?? null,
    warmGap: second?.plan.gap ?? null,
    objective: plan.objective,
    bound: plan.bound,
    gap: plan.gap,
    iterations: plan.solver.iterations ?? null,
    rows: plan.rows.length,
    planHash: planHash(plan.choice()),
    stallMs: cold.stallMs,
    peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
    solvePeakMB: cold.solvePeakMB,
    ...(policyViolations !== null ? { policyViolations, heldBack: plan.heldBack.map((h) => h.customers) } : {}),
  }),
);

// The reference policies (2 contacts in 28 days, a call every 28 days, no action within 21 days, no
// contact after an opt-out) on the reference history plus the plan: the number of customers breaking one.
function checkPolicies(plan: Awaited<ReturnType<typeof timed>>['plan']): number {
  const ids = plan.customerData.id;
  const singles = plan.catalog.filter((a) => !a.members);
  const h = referenceHistory(
    ids,
    singles.map((a) => a.id),
  );
  const channel = new Map(singles.map((a) => [a.id, a.channel]));
  const past = new Map<string, number[]>();
  h.customerId.forEach((id, r) => {
    const list = past.get(String(id));
    if (list) list.push(r);
    else past.set(String(id), [r]);
  });
  let bad = 0;
  for (const t of plan.treated()) {
    const rows = past.get(String(t.customer)) ?? [];
    const now = t.action.members ?? [t.action.id]; // this week's contacts: a bundle's actions
    const calls = now.filter((id) => channel.get(id) === 'call').length;
    const days = (r: number) => (48 - h.week[r]!) * 7;
    const within = (d: number) => rows.filter((r) => days(r) < d);
    const breaks =
      within(28).length + now.length > 2 ||
      (calls > 0 && within(28).filter((r) => channel.get(h.action[r]!) === 'call').length + calls > 1) ||
      now.some((id) => within(21).some((r) => h.action[r] === id)) ||
      rows.some((r) => h.outcome[r] === 'opted_out');
    if (breaks) bad++;
  }
  return bad;
}

// A hash of the choice vector: equal plans, equal hashes (to compare thread counts).
function planHash(choice: Int32Array | null): string {
  if (!choice) return 'none';
  let h = 2166136261;
  for (let i = 0; i < choice.length; i++) h = Math.imul(h ^ (choice[i]! + 2), 16777619) >>> 0;
  return h.toString(16);
}
