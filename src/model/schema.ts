// The model and plan files' JSON Schemas (shipped in the package under schemas/, so editors validate
// and complete files) and their validation with ajv: one definition of the file format, checked by a
// well-kept validator instead of more hand-written checks. Errors become InvalidInputErrors with the
// path of the offending node, and an unknown key gets a "did you mean" hint.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InvalidInputError } from '../errors.js';
import { CONSTRAINT_TYPES } from '../constraints/from-json.js';
import { didYouMean } from '../util/keys.js';
import modelSchema from '../../schemas/retention-model-v1.schema.json' with { type: 'json' };
import planSchema from '../../schemas/retention-plan-v1.schema.json' with { type: 'json' };

let compiled: { model: ValidateFunction; plan: ValidateFunction } | undefined;

function validators() {
  if (!compiled) {
    // verbose: errors carry the schema they broke (to list the allowed keys) and the value found.
    // allErrors: a typo in a required key breaks "required" and "additionalProperties" at once, and
    // the unknown key is the one worth reporting.
    const ajv = new Ajv({ discriminator: true, verbose: true, strict: false, allErrors: true });
    compiled = { model: ajv.compile(modelSchema), plan: ajv.compile(planSchema) };
  }
  return compiled;
}

/**
 * Checks a parsed `retention-model/v1` or `retention-plan/v1` document against
 * its JSON Schema; throws an {@link InvalidInputError} naming the path of the
 * first offending node (`actions[1].eligable`, with "did you mean eligible?").
 */
export function checkAgainstSchema(kind: 'model' | 'plan', doc: unknown, root: string): void {
  const validate = validators()[kind];
  let ok: boolean;
  try {
    ok = validate(doc) as boolean;
  } catch (e) {
    // A filter nested thousands deep overflows any recursive validator: say so rather than crash.
    if (e instanceof RangeError)
      throw new InvalidInputError(root || 'model', 'the document nests too deep (filters nest at most 64 deep)');
    throw e;
  }
  if (ok) return;
  const errors = validate.errors!;
  const rank = (e: ErrorObject) => (e.keyword === 'additionalProperties' ? 0 : e.keyword === 'discriminator' ? 1 : 2);
  throw toError([...errors].sort((a, b) => rank(a) - rank(b))[0]!, root);
}

function toError(e: ErrorObject, root: string): InvalidInputError {
  const at = pathOf(root, e.instancePath);
  if (e.keyword === 'additionalProperties') {
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    return new InvalidInputError(
      join(at, key),
      `unknown field "${key}"${didYouMean(key, allowed)}; allowed here: ${allowed.join(', ')}`,
      key,
    );
  }
  if (e.keyword === 'discriminator') {
    const value = (e.params as { tagValue?: unknown }).tagValue;
    const known = CONSTRAINT_TYPES;
    const hint = typeof value === 'string' ? didYouMean(value, known) : '';
    return new InvalidInputError(
      join(at, 'type'),
      `unknown constraint type ${JSON.stringify(value)}${hint} (known: ${known.join(', ')})`,
      value,
    );
  }
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return new InvalidInputError(join(at, missing), 'is required', undefined);
  }
  return new InvalidInputError(at || 'document', `${e.message ?? 'is not valid'} (got ${short(e.data)})`, e.data);
}

// "/actions/1/eligible" → "actions[1].eligible", under the document's root name.
function pathOf(root: string, pointer: string): string {
  let out = root;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out = /^\d+$/.test(part) ? `${out}[${part}]` : join(out, part);
  }
  return out;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function short(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
