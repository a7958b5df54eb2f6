// The dashboard page: builds the sidebar from the controls the worker reads off the model, asks the
// worker for a plan on every change (the newest setting wins while one is solving), and puts the
// sections it sends into the page. No network: the worker is made from the script embedded in the page.
import { count, escapeHTML, gapText, money, percent } from '../report/format.js';
import type { FromWorker, PlanFigures, ToWorker } from './protocol.js';
import type { Control, Scenario } from './scenario.js';

interface Kept {
  name: string;
  scenario: Scenario;
  figures: PlanFigures;
}

/** What the page offers a script (and its browser test) on `window.dashboard`. */
export interface DashboardHandle {
  /** Resolves when the first plan is shown. */
  ready: Promise<void>;
  /** The current setting of every control. */
  scenario(): Scenario;
  /** Sets controls and resolves with the plan of the new setting once it is shown. */
  set(values: Scenario): Promise<{ figures: PlanFigures; assignments: [string | number, string][] }>;
  /** The plan shown last. */
  shown(): { figures: PlanFigures; assignments: [string | number, string][] } | null;
  /** Plans shown so far. */
  plans: number;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const workerSource = $('worker-source').textContent!;
const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
const send = (m: ToWorker) => worker.postMessage(m);

let controls: Control[] = [];
let scenario: Scenario = {};
let solving = false;
let pending = false;
let nextId = 1;
let lastShown: { figures: PlanFigures; assignments: [string | number, string][] } | null = null;
const kept: Kept[] = [];
const waiters: ((shown: NonNullable<typeof lastShown>) => void)[] = [];
const fileWaiters = new Map<number, (text: string | null) => void>();
// From navigation start (0) for the first plan: it includes reading the page and loading the model.
let started = 0;
let resolveReady!: () => void;

const handle: DashboardHandle = {
  ready: new Promise<void>((r) => (resolveReady = r)),
  scenario: () => ({ ...scenario }),
  set(values) {
    for (const [k, v] of Object.entries(values)) {
      scenario[k] = v;
      const input = document.querySelector<HTMLInputElement>(`input[data-key="${CSS.escape(k)}"]`);
      if (input) {
        input.value = String(v);
        showValue(input);
      }
    }
    const shown = new Promise<NonNullable<typeof lastShown>>((r) => waiters.push(r));
    replan();
    return shown;
  },
  shown: () => lastShown,
  plans: 0,
};
(window as unknown as { dashboard: DashboardHandle }).dashboard = handle;

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'ready':
      controls = m.controls;
      scenario = Object.fromEntries(controls.map((c) => [c.key, c.value]));
      $('subtitle').textContent =
        `${count(m.customers)} customers · re-plans here, in this browser, with the library's own solver`;
      buildSidebar();
      replan();
      break;
    case 'progress':
      $('progress').textContent = `Planning… pass ${count(m.iteration)}, ${m.seconds.toFixed(2)} s`;
      break;
    case 'plan':
      show(m);
      break;
    case 'file':
      fileWaiters.get(m.id)?.(m.text);
      fileWaiters.delete(m.id);
      break;
    case 'error':
      $('progress').textContent = `Error: ${m.message}`;
      $('progress').classList.add('error');
      // A download that failed: its button's wait ends; a solve (if one runs) goes on.
      if (fileWaiters.has(m.id)) {
        fileWaiters.get(m.id)!(null);
        fileWaiters.delete(m.id);
        break;
      }
      solving = false;
      sweeping = false;
      document.body.classList.remove('busy');
      setButtons(lastShown !== null && Number.isFinite(lastShown.figures.objective));
      if (pending) replan();
      break;
  }
};
worker.onerror = (e) => {
  $('progress').textContent = `Error: ${e.message}`;
};

send({ type: 'init', model: $('model-data').textContent!, highsWasm: $('highs-wasm').textContent! });

// Downloads, keep and sweep act on the plan shown: off while another is being made, and without a plan.
function setButtons(enabled: boolean): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('button.download, #keep, #sweep')) b.disabled = !enabled;
}

function replan(): void {
  if (solving) {
    pending = true;
    return;
  }
  solving = true;
  setButtons(false);
  pending = false;
  if (handle.plans > 0) started = performance.now();
  document.body.classList.add('busy');
  $('progress').classList.remove('error');
  $('progress').textContent = 'Planning…';
  send({ type: 'solve', id: nextId++, scenario: { ...scenario } });
}

function show(m: Extract<FromWorker, { type: 'plan' }>): void {
  const s = m.sections;
  $('status').innerHTML = s.status;
  $('problem').innerHTML = s.problem + s.notes;
  $('cards').innerHTML = s.cards;
  $('charts').innerHTML = s.charts;
  $('tables').innerHTML = s.tables;
  const seconds = (performance.now() - started) / 1000;
  const what = sweeping ? 'Budgets swept' : handle.plans === 0 ? 'Opened and planned' : 'Re-planned';
  if (sweeping) $('sensitivity')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  sweeping = false;
  $('progress').textContent = `${what} in ${seconds.toFixed(2)} s (solve ${m.figures.seconds.toFixed(2)} s)`;
  document.body.classList.remove('busy');
  lastShown = { figures: m.figures, assignments: m.assignments };
  handle.plans++;
  document.body.dataset.plans = String(handle.plans);
  setButtons(Number.isFinite(m.figures.objective));
  solving = false;
  if (handle.plans === 1) resolveReady();
  if (pending) replan();
  else for (const w of waiters.splice(0)) w(lastShown);
}

function format(c: Control, v: number): string {
  if (c.off !== undefined && v === c.off) return c.offLabel ?? 'off';
  return c.unit === 'money' ? money(v, false) : c.unit === 'share' ? percent(v) : count(v);
}

function showValue(input: HTMLInputElement): void {
  const c = controls.find((x) => x.key === input.dataset.key)!;
  input.parentElement!.querySelector('output')!.textContent = format(c, Number(input.value));
}

function buildSidebar(): void {
  const form = $('controls');
  form.innerHTML = controls
    .map(
      (c) =>
        `<label class="control"><span>${escapeHTML(c.label)} <output></output></span>` +
        `<input type="range" data-key="${escapeHTML(c.key)}" min="${c.min}" max="${c.max}" step="${c.step}" value="${c.value}"></label>`,
    )
    .join('');
  for (const input of form.querySelectorAll<HTMLInputElement>('input[type=range]')) {
    showValue(input);
    input.addEventListener('input', () => showValue(input));
    input.addEventListener('change', () => {
      scenario[input.dataset.key!] = Number(input.value);
      replan();
    });
  }
  $('reset').addEventListener(
    'click',
    () => void handle.set(Object.fromEntries(controls.map((c) => [c.key, c.value]))),
  );
  $('keep').addEventListener('click', keep);
  $('sweep').addEventListener('click', sweep);
  for (const b of document.querySelectorAll<HTMLButtonElement>('button.download'))
    b.addEventListener('click', () => void download(b.dataset.file!));
}

// A budget sweep of the current scenario: its charts and table join the page until the next re-plan.
let sweeping = false;
function sweep(): void {
  if (solving) return;
  solving = true;
  sweeping = true;
  setButtons(false);
  started = performance.now();
  document.body.classList.add('busy');
  $('progress').textContent = 'Solving 7 budgets, from a quarter to twice this one…';
  send({ type: 'sweep', id: nextId++ });
}

function keep(): void {
  if (!lastShown) return;
  kept.push({ name: `Scenario ${kept.length + 1}`, scenario: { ...scenario }, figures: lastShown.figures });
  drawKept();
}

function drawKept(): void {
  const base = kept[0]?.figures;
  const delta = (x: number, b: number | undefined, f: (v: number) => string) =>
    b === undefined || x === b ? '' : ` <small>(${x > b ? '+' : '−'}${f(Math.abs(x - b))})</small>`;
  const changed = (k: Kept) =>
    controls
      .filter((c) => k.scenario[c.key] !== c.value)
      .map((c) => `${c.label}: ${format(c, k.scenario[c.key]!)}`)
      .join('; ') || 'the model as written';
  $('kept').innerHTML = kept.length
    ? `<div class="scroll"><table><thead><tr><th class="txt">Scenario</th><th class="txt">Settings</th><th class="num">Net value</th><th class="num">Spend</th><th class="num">Treated</th><th class="num">ROI</th><th class="num">Gap</th><th></th></tr></thead><tbody>${kept
        .map(
          (k, j) =>
            `<tr><td class="txt">${escapeHTML(k.name)}</td><td class="txt">${escapeHTML(changed(k))}</td>` +
            `<td class="num">${money(k.figures.netValue, false)}${delta(k.figures.netValue, base?.netValue, (v) => money(v, false))}</td>` +
            `<td class="num">${money(k.figures.spend, false)}${delta(k.figures.spend, base?.spend, (v) => money(v, false))}</td>` +
            `<td class="num">${count(k.figures.treated)}${delta(k.figures.treated, base?.treated, count)}</td>` +
            `<td class="num">${percent(k.figures.roi)}</td><td class="num">${gapText(k.figures.gap)}</td>` +
            `<td><button type="button" data-restore="${j}">Restore</button></td></tr>`,
        )
        .join('')}</tbody></table></div>`
    : '<p class="meta">Keep a scenario to compare it with the next ones.</p>';
  for (const b of $('kept').querySelectorAll<HTMLButtonElement>('button[data-restore]'))
    b.addEventListener('click', () => void handle.set(kept[Number(b.dataset.restore)]!.scenario));
}

async function download(name: string): Promise<void> {
  const id = nextId++;
  const text = await new Promise<string | null>((resolve) => {
    fileWaiters.set(id, resolve);
    send({ type: 'file', id, name });
  });
  if (text === null) return;
  const type = name.endsWith('.csv') ? 'text/csv' : 'application/json';
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
