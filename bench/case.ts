// One benchmark case in a fresh process, so peak memory is this case's alone.
//   npx tsx bench/case.ts <customers> <backend> <gapTolerance> <timeLimit> [warm] [fairnessGroups] [values]
// (values: factored, uplift, uplift+fee, uplift+cost; see reference-model.ts)
// Reports the first solve in the process ("cold": includes JIT warm-up and loading WebAssembly)
// and, with "warm", a second solve of a freshly built model of the same size and another seed.
// The event loop is probed during the first solve: the longest wait between ticks of a 5 ms timer
// (what a service would see as a frozen process).
import { referenceModel, type ValueKind } from './reference-model.js';

const [n, backend, gap, limit, warm, groups, values] = process.argv.slice(2);
async function timed(seed: number, probe: boolean) {
  const model = referenceModel(
    Number(n),
    seed,
    groups && groups !== '0' ? Number(groups) : undefined,
    (values ?? 'factored') as ValueKind,
  );
  // A 5 ms interval's longest gap between ticks (perf_hooks' monitorEventLoopDelay reported 17 ms
  // where this saw 206 ms during the same solve).
  let last = performance.now();
  let stall = 0;
  const timer = probe
    ? setInterval(() => {
        const t = performance.now();
        stall = Math.max(stall, t - last);
        last = t;
      }, 5)
    : undefined;
  const started = performance.now();
  const plan = await model.solve({
    solver: backend as 'decomposition',
    gapTolerance: Number(gap),
    timeLimit: Number(limit),
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  stall = Math.max(stall, performance.now() - last);
  return { plan, seconds, stallMs: probe ? stall : NaN };
}
const cold = await timed(1, true);
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
    stallMs: cold.stallMs,
    peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
