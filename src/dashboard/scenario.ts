// What the dashboard's sidebar can move, and how a setting of it becomes a model: both are read from
// the model file, so the page, its worker and a Node script (the dashboard's test) turn the same
// settings into the same model.
import type { ConstraintJSON } from '../constraints/plugin.js';
import type { ModelJSON } from '../model/serialize.js';

/** One control of the sidebar. */
export interface Control {
  /** Key of the setting (`budget`, `capacity:email`, `coverage:high-risk`, `saturation`, `fairness`, `holdout`). */
  key: string;
  /** Label shown. */
  label: string;
  /** How the value reads: money, a count of contacts, or a share. */
  unit: 'money' | 'count' | 'share';
  /** Slider range and step. */
  min: number;
  max: number;
  step: number;
  /** The model's own setting. */
  value: number;
  /** The value meaning "no limit" (the control is off there), when there is one. */
  off?: number;
  /** What the control reads when off (`no limit`, `none`, `off`). */
  offLabel?: string;
}

/** A setting of every control, by key. */
export type Scenario = Record<string, number>;

const budgetOf = (c: ConstraintJSON[]) => c.find((x) => x.type === 'budget' && typeof x.max === 'number');

/**
 * The controls a model file offers: its budget, a capacity for each channel
 * of the catalog (the model's, or off), the floor of each coverage rule with
 * a `min` share, saturation, fairness by segment, and the holdout share.
 */
export function controlsOf(doc: ModelJSON): Control[] {
  const n = doc.customers.id.length;
  const rules = doc.constraints ?? [];
  const controls: Control[] = [];
  const budget = budgetOf(rules);
  const costs = doc.actions.map((a) => (typeof a.cost === 'number' ? a.cost : 0)).sort((a, b) => a - b);
  const typical = costs[Math.floor(costs.length / 2)] ?? 1;
  const budgetValue = budget ? (budget.max as number) : Math.round(n * typical);
  const budgetMax = niceCeil(Math.max(budgetValue * 3, 1));
  // Steps of one unit (a dollar, a contact, a tenth of a percent): a slider must show the model's own
  // figure exactly, not the nearest multiple of a coarser step.
  controls.push({
    key: 'budget',
    label: 'Budget',
    unit: 'money',
    min: 0,
    max: budgetMax,
    step: 1,
    value: budget ? budgetValue : budgetMax,
    ...(budget ? {} : { off: budgetMax, offLabel: 'no limit' }),
  });
  const channels = [...new Set(doc.actions.map((a) => a.channel))];
  for (const channel of channels) {
    const cap = rules.find((x) => x.type === 'capacity' && x.channel === channel && typeof x.max === 'number');
    controls.push({
      key: `capacity:${channel}`,
      label: `${channel} capacity`,
      unit: 'count',
      min: 0,
      max: n,
      step: 1,
      value: cap ? Math.min(n, cap.max as number) : n,
      off: n,
      offLabel: 'no limit',
    });
  }
  for (const rule of rules) {
    if (rule.type !== 'coverage' || typeof rule.min !== 'number') continue;
    const name = typeof rule.name === 'string' ? rule.name : 'coverage';
    controls.push({
      key: `coverage:${name}`,
      label: `${name} floor`,
      unit: 'share',
      min: 0,
      max: 1,
      step: 0.001,
      value: rule.min,
    });
  }
  const saturation = rules.find((x) => x.type === 'saturation' && typeof x.max === 'number' && x.channel === undefined);
  controls.push({
    key: 'saturation',
    label: 'Saturation (most customers per action)',
    unit: 'share',
    min: 0.05,
    max: 1,
    step: 0.001,
    value: saturation ? (saturation.max as number) : 1,
    off: 1,
    offLabel: 'off',
  });
  if (doc.customers.segment) {
    const fairness = rules.find((x) => x.type === 'fairness' && x.by === 'segment' && typeof x.min === 'number');
    controls.push({
      key: 'fairness',
      label: 'Fairness (least share treated per segment)',
      unit: 'share',
      min: 0,
      max: 1,
      step: 0.001,
      value: fairness ? (fairness.min as number) : 0,
      off: 0,
      offLabel: 'off',
    });
  }
  controls.push({
    key: 'holdout',
    label: 'Holdout share',
    unit: 'share',
    min: 0,
    max: 0.5,
    step: 0.001,
    value: doc.holdout?.fraction ?? 0,
    off: 0,
    offLabel: 'none',
  });
  return controls;
}

/** The model's own settings. */
export function defaultScenario(controls: readonly Control[]): Scenario {
  return Object.fromEntries(controls.map((c) => [c.key, c.value]));
}

/**
 * The model file with a scenario's settings: each control's rule set to the
 * value, added when the model had none, removed when the control is off; the
 * holdout share set on the model (with the model's seed, else 1).
 */
export function applyScenario(doc: ModelJSON, controls: readonly Control[], scenario: Scenario): ModelJSON {
  let rules: ConstraintJSON[] = (doc.constraints ?? []).map((r) => ({ ...r }));
  let holdout = doc.holdout;
  for (const c of controls) {
    const v = scenario[c.key];
    if (v === undefined) continue;
    if (c.key === 'holdout') {
      holdout = v > 0 ? { fraction: v, seed: doc.holdout?.seed ?? 1 } : undefined;
      continue;
    }
    const off = c.off !== undefined && v === c.off;
    const [kind, name] = splitKey(c.key);
    if (kind === 'budget') rules = setRule(rules, (r) => r.type === 'budget', off ? null : { type: 'budget', max: v });
    else if (kind === 'capacity')
      rules = setRule(
        rules,
        (r) => r.type === 'capacity' && r.channel === name,
        off ? null : { type: 'capacity', channel: name, max: Math.round(v) },
      );
    else if (kind === 'coverage')
      rules = rules.map((r) => (r.type === 'coverage' && (r.name ?? 'coverage') === name ? { ...r, min: v } : r));
    else if (kind === 'saturation')
      rules = setRule(
        rules,
        (r) => r.type === 'saturation' && r.channel === undefined,
        off ? null : { type: 'saturation', max: v },
      );
    else if (kind === 'fairness')
      rules = setRule(
        rules,
        (r) => r.type === 'fairness' && r.by === 'segment',
        off ? null : { type: 'fairness', by: 'segment', min: v },
      );
  }
  const { holdout: _, ...rest } = doc;
  return { ...rest, constraints: rules, ...(holdout ? { holdout } : {}) };
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf(':');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}

// Replaces the rule `is` finds with `rule` (keeping its other fields and name), adds it when there was
// none, or removes it when `rule` is null.
function setRule(
  rules: ConstraintJSON[],
  is: (r: ConstraintJSON) => boolean,
  rule: ConstraintJSON | null,
): ConstraintJSON[] {
  const at = rules.findIndex(is);
  if (rule === null) return at < 0 ? rules : rules.filter((_, j) => j !== at);
  if (at < 0) return [...rules, rule];
  return rules.map((r, j) => (j === at ? { ...r, ...rule } : r));
}

// Slider ranges in round figures: 1, 2 or 5 times a power of ten.
function niceCeil(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}
