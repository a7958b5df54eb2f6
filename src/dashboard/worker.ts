// The dashboard's Web Worker: holds the model, re-plans with the decomposition (each plan warm-started
// from the last one), and sends the page the report's own sections. Runs the library's browser build.
import { headline } from '../analytics/headline.js';
import { exportTexts } from '../analytics/exports.js';
import { sensitivity } from '../analytics/sensitivity.js';
import loadHighs from 'highs';
import { RetentionModel } from '../model/retention-model.js';
import { createDecomposition } from '../solvers/decomposition/index.js';
import { localHighsSolver } from '../solvers/worker/highs-local.js';
import type { ModelJSON } from '../model/serialize.js';
import type { Plan } from '../plan/plan.js';
import { planSections } from '../report/sections.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { applyScenario, controlsOf, type Control } from './scenario.js';

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

// base64 → bytes without a callback per byte (4.7 MB of HiGHS: ~10 ms instead of ~100 ms).
function decode(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

let doc: ModelJSON | undefined;
let solver: ReturnType<typeof createDecomposition> | undefined;
let lp: ReturnType<typeof localHighsSolver> | undefined;
let controls: Control[] = [];
// The last plan with an assignment seeds the next solve; the files are those of the current plan.
let last: Plan | undefined;
let current: Plan | undefined;
let currentModel: RetentionModel<true, true> | undefined;
let currentBudget = 0;

// What the page shows of a plan: the report's sections, the figures kept for the scenario list, and
// the assignments (so that a script, or the page's test, can compare them with Node's).
async function planMessage(
  id: number,
  plan: Plan,
  sweep?: Awaited<ReturnType<typeof sensitivity>>,
): Promise<FromWorker> {
  const h = plan.hasAssignment ? headline(plan) : null;
  return {
    type: 'plan',
    id,
    sections: await planSections(plan, { scatterPoints: 2000, ...(sweep ? { sensitivity: sweep } : {}) }),
    figures: {
      status: plan.status,
      objective: plan.objective,
      netValue: h?.netValue ?? NaN,
      spend: h?.spend ?? NaN,
      treated: h?.treated ?? 0,
      roi: h?.roi ?? NaN,
      gap: plan.gap,
      seconds: plan.solver.seconds,
    },
    assignments: [...plan.treated()].map((t) => [t.customer, t.action.id]),
  };
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  const id = m.type === 'init' ? 0 : m.id;
  try {
    if (m.type === 'init') {
      const started = performance.now();
      doc = JSON.parse(m.model) as ModelJSON;
      // The decomposition with HiGHS for its tie-settling LP, as in Node: the same plans. HiGHS is loaded
      // (its wasm decoded and compiled) the first time the decomposition asks for it.
      const wasm = m.highsWasm;
      lp = localHighsSolver(() =>
        loadHighs({
          // highs reads no wasmBinary option; instantiateWasm is emscripten's hook for wasm of one's own.
          instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) {
            void WebAssembly.instantiate(decode(wasm), imports).then((r) => done(r.instance));
            return {};
          },
        } as never),
      );
      solver = createDecomposition({ lp });
      controls = controlsOf(doc);
      post({
        type: 'ready',
        controls,
        name: doc.name ?? 'model',
        customers: doc.customers.id.length,
        seconds: (performance.now() - started) / 1000,
      });
    } else if (m.type === 'solve') {
      const model = RetentionModel.fromJSON(applyScenario(doc!, controls, m.scenario));
      let lastProgress = 0;
      const plan = await model.solve({
        solver: solver!,
        ...(last ? { warmStart: last } : {}),
        onProgress: (p) => {
          if (p.seconds - lastProgress < 0.05) return;
          lastProgress = p.seconds;
          post({ type: 'progress', id, iteration: p.iteration, bound: p.bound, seconds: p.seconds });
        },
      });
      current = plan;
      currentModel = model;
      currentBudget = m.scenario.budget ?? 0;
      if (plan.hasAssignment) last = plan;
      post(await planMessage(id, plan));
      // Once the first plan is on screen, HiGHS is loaded ahead of a re-plan that needs it.
      lp?.prewarm?.();
    } else if (m.type === 'sweep') {
      if (!current?.hasAssignment || !currentModel) throw new Error('this scenario has no plan to sweep from');
      const budgets = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2].map((f) => Math.round(currentBudget * f));
      const budgetRule = currentModel.toJSON().constraints?.find((r) => r.type === 'budget');
      if (!budgetRule || !(currentBudget > 0)) throw new Error('the scenario has no budget to sweep');
      const sweep = await sensitivity(currentModel, { budgets, solve: { solver: solver!, warmStart: current } });
      post(await planMessage(id, current, sweep));
    } else if (m.type === 'file') {
      if (!current?.hasAssignment) throw new Error('this scenario has no plan to download');
      const text =
        m.name === 'plan.json'
          ? JSON.stringify(current.toJSON(), null, 1)
          : exportTexts(current).find((f) => f.name === m.name)?.text;
      if (text === undefined) throw new Error(`unknown file ${m.name}`);
      post({ type: 'file', id, name: m.name, text });
    }
  } catch (err) {
    post({ type: 'error', id, message: (err as Error)?.message ?? String(err) });
  }
};
