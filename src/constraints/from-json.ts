import { InvalidInputError } from '../errors.js';
import { budget } from './budget.js';
import { capacity } from './capacity.js';
import { coverage } from './coverage.js';
import { exclude } from './exclude.js';
import { fairness } from './fairness.js';
import type { ConstraintJSON, ConstraintPlugin } from './plugin.js';
import { saturation } from './saturation.js';
import { contactLimit } from './contact-limit.js';
import { suppress } from './suppress.js';
import { ratio } from './ratio.js';
import { reportOnly } from './report-only.js';

type Factory = (json: ConstraintJSON) => ConstraintPlugin;

// The built-ins are ordinary plugins; this table only maps a file's `type` to the factory.
const BUILT_INS: Record<string, Factory> = {
  budget: (j) => budget(j as never),
  capacity: (j) => capacity(j as never),
  coverage: (j) => coverage(j as never),
  saturation: (j) => saturation(j as never),
  fairness: (j) => fairness(j as never),
  exclude: (j) => exclude(j as never),
  'contact-limit': (j) => contactLimit(j as never),
  suppress: (j) => suppress(j as never),
  ratio: (j) => ratio(j as never),
};

const FIELDS: Record<string, string[]> = {
  budget: ['max'],
  capacity: ['channel', 'channels', 'actions', 'max'],
  coverage: ['where', 'min', 'minCount', 'max', 'maxCount'],
  saturation: ['action', 'max', 'maxCount'],
  fairness: ['by', 'min', 'minCount'],
  exclude: ['where'],
  'contact-limit': ['max', 'days', 'per', 'channel', 'action'],
  suppress: ['outcomes'],
  ratio: ['part', 'of', 'measure', 'min', 'max'],
};

/** The constraint types a model file may use (the built-ins'). */
export const CONSTRAINT_TYPES: readonly string[] = Object.freeze(Object.keys(BUILT_INS));

/**
 * Builds a built-in constraint from its model-file form. Unknown types and
 * unknown fields are errors (a typo must not silently drop a rule).
 *
 * @example
 * ```ts
 * const c = constraintFromJSON({ type: 'budget', max: 150 }, 'constraints[0]');
 * ```
 */
export function constraintFromJSON(json: ConstraintJSON, path: string): ConstraintPlugin {
  if (json == null || typeof json !== 'object') throw new InvalidInputError(path, 'must be an object', json);
  const make = typeof json.type === 'string' && Object.hasOwn(BUILT_INS, json.type) ? BUILT_INS[json.type] : undefined;
  if (!make) {
    throw new InvalidInputError(
      `${path}.type`,
      `unknown constraint type "${String(json.type)}" (known: ${Object.keys(BUILT_INS).join(', ')})`,
      json.type,
    );
  }
  const allowed = new Set(['type', 'name', 'reportOnly', ...FIELDS[json.type]!]);
  for (const key of Object.keys(json)) {
    if (!allowed.has(key))
      throw new InvalidInputError(`${path}.${key}`, `unknown field for a ${json.type} constraint`, key);
  }
  if (json.name !== undefined && (typeof json.name !== 'string' || json.name === '')) {
    throw new InvalidInputError(`${path}.name`, 'must be a non-empty string', json.name);
  }
  if (json.reportOnly !== undefined && typeof json.reportOnly !== 'boolean')
    throw new InvalidInputError(`${path}.reportOnly`, 'must be true or false', json.reportOnly);
  // The factories take the options without the file's `type` tag (and `reportOnly`, which wraps any type).
  const { type: _type, reportOnly: measured, ...options } = json;
  const plugin = make(options as ConstraintJSON);
  return measured ? reportOnly(plugin) : plugin;
}
