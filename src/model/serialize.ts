import { InvalidInputError, SerializationError } from '../errors.js';
import type { Action, ActionSpec } from '../data/actions.js';
import type { CellValue, CustomerColumns, CustomerData } from '../data/customers.js';
import { filterToJSON, type FilterSpec } from '../data/filter.js';
import { constraintFromJSON } from '../constraints/from-json.js';
import { checkAgainstSchema } from './schema.js';
import { dayLabel, type ContactColumns, type ContactHistory } from '../data/contact-history.js';
import type { HistoryOptions } from '../data/history-view.js';
import type { ConstraintJSON, ConstraintPlugin } from '../constraints/plugin.js';

/**
 * A `retention-model/v1` document (see docs/model-format.md).
 *
 * @example
 * ```ts
 * const doc: ModelJSON = {
 *   format: 'retention-model/v1', name: 'week-48',
 *   actions: [{ id: 'email', channel: 'email', cost: 2, uplift: 0.08 }],
 *   customers: { id: ['c1'], churnProbability: [0.7], value: [240] },
 *   constraints: [{ type: 'budget', max: 150 }],
 * };
 * ```
 */
export interface ModelJSON {
  /** Always `retention-model/v1`. */
  format: 'retention-model/v1';
  /** The model's name (plans carry it). */
  name?: string;
  /** The catalog: actions as written in code, with eligibility in the declarative filter form. */
  actions: (Omit<ActionSpec, 'eligible'> & {
    /** Which customers may receive the action (a declarative filter; predicates have no file form). */
    eligible?: FilterSpec;
  })[];
  /** The customers, column by column (equal-length arrays). */
  customers: {
    /** Unique ids, strings or numbers, as they went in. */
    id: (string | number)[];
    /** Churn probability of each customer, in [0, 1]. */
    churnProbability: number[];
    /** Customer value (CLV), finite and ≥ 0. */
    value: number[];
    /** Segment of each customer, when there is one. */
    segment?: string[];
    /** Further columns (filters, fairness groups, per-customer uplift and cost columns). */
    attributes?: Record<string, CellValue[]>;
  };
  /** The constraints in their JSON form (`type` plus that type's fields). */
  constraints?: ConstraintJSON[];
  /** Past contacts (column by column) and the plan date, read by contact policies. */
  history?: HistoryJSON;
  /** Several actions per customer (see `model.maxActionsPerCustomer`); absent means one. */
  maxActionsPerCustomer?: {
    /** Most actions per customer. */
    max: number;
    /** Pairs never given together. */
    neverTogether?: [string, string][];
    /** `action` only together with `with`, or after it. */
    requires?: {
      /** The action given only with or after `with`. */
      action: string;
      /** The action it needs. */
      with: string;
    }[];
    /** How uplifts combine: `independent` (default), `max`, or a figure per bundle id. */
    combine?: 'independent' | 'max' | Record<string, number>;
  };
  /** The holdout every solve draws. */
  holdout?: {
    /** Share of the treated held out, in [0, 1). */
    fraction: number;
    /** Seed of the draw (default 0). */
    seed?: number;
  };
}

/**
 * The `history` section of a model file: the contact history's columns and
 * the plan date.
 *
 * @example
 * ```ts
 * const h: HistoryJSON = { asOf: '2026-11-30', customerId: ['c1'], action: ['email'], date: ['2026-11-23'] };
 * ```
 */
export interface HistoryJSON {
  /** This week's date: an ISO date, or a week number for a history in weeks. */
  asOf?: string | number;
  /** Customer id of each contact. */
  customerId: (string | number)[];
  /** Action id of each contact. */
  action: string[];
  /** Channel of each contact (null: the catalog's). */
  channel?: (string | null)[];
  /** ISO date of each contact (or `week`). */
  date?: string[];
  /** Week number of each contact (or `date`). */
  week?: number[];
  /** Outcome of each contact, null where not known. */
  outcome?: (string | null)[];
}

/** The history section of a file. */
export function historyToJSON(h: ContactHistory, asOf: HistoryOptions['asOf']): HistoryJSON {
  const when =
    h.unit === 'week'
      ? { week: Array.from(h.day, (d) => d / 7) }
      : { date: Array.from(h.day, (d) => dayLabel(d, 'date')) };
  const at = asOf instanceof Date ? dayLabel(Math.floor(asOf.getTime() / 86_400_000), 'date') : asOf;
  return {
    ...(at !== undefined ? { asOf: at } : {}),
    customerId: [...h.customerId],
    action: [...h.action],
    ...(h.channel.some((c) => c !== undefined) ? { channel: h.channel.map((c) => c ?? null) } : {}),
    ...when,
    ...(h.outcome.some((o) => o !== undefined) ? { outcome: h.outcome.map((o) => o ?? null) } : {}),
  };
}

/** Writes the document; throws {@link SerializationError} for code-only parts. */
export function modelToJSON(
  name: string,
  actions: readonly Action[],
  customers: CustomerData,
  constraints: readonly ConstraintPlugin[],
): ModelJSON {
  return {
    format: 'retention-model/v1',
    name,
    actions: actions.map((a) => ({
      id: a.id,
      name: a.name,
      channel: a.channel,
      cost: a.cost,
      uplift: a.uplift,
      ...(a.upliftBySegment ? { upliftBySegment: { ...a.upliftBySegment } } : {}),
      ...(a.eligible !== undefined ? { eligible: filterToJSON(a.eligible, `action "${a.id}" eligibility`) } : {}),
      ...(a.upliftColumn !== undefined ? { upliftColumn: a.upliftColumn } : {}),
      ...(a.upliftScale !== undefined ? { upliftScale: a.upliftScale } : {}),
      ...(a.upliftScaleBySegment ? { upliftScaleBySegment: { ...a.upliftScaleBySegment } } : {}),
      ...(a.costPerCustomer ? { costPerCustomer: { ...a.costPerCustomer } } : {}),
    })),
    customers: {
      id: [...customers.id],
      churnProbability: Array.from(customers.churnProbability),
      value: Array.from(customers.value),
      ...(customers.segment ? { segment: [...customers.segment] } : {}),
      ...(Object.keys(customers.attributes).length
        ? { attributes: Object.fromEntries(Object.entries(customers.attributes).map(([k, v]) => [k, [...v]])) }
        : {}),
    },
    constraints: constraints.map((c) => {
      if (typeof c.toJSON !== 'function') {
        throw new SerializationError(
          c.name,
          `constraint "${c.name}" (type ${c.type}) is a code-only plugin with no JSON form`,
        );
      }
      return c.toJSON();
    }),
  };
}

/** The parts of a document, validated. */
export interface ParsedModel {
  name: string;
  actions: ActionSpec[];
  customers: CustomerColumns;
  constraints: ConstraintPlugin[];
  holdout?: { fraction: number; seed?: number };
  history?: { columns: ContactColumns; asOf?: string | number };
  maxActionsPerCustomer?: ModelJSON['maxActionsPerCustomer'];
}

/** Reads and checks a document's envelope; the parts are validated by the model's own setters. */
export function modelFromJSON(doc: ModelJSON): ParsedModel {
  if (doc == null || typeof doc !== 'object')
    throw new InvalidInputError('model', 'expected a retention-model/v1 object', doc);
  if (doc.format !== 'retention-model/v1') {
    throw new InvalidInputError(
      'format',
      `expected "retention-model/v1" (got ${JSON.stringify(doc.format)})`,
      doc.format,
    );
  }
  // The file format's JSON Schema first: unknown keys (typos) and wrong types, with the path.
  checkAgainstSchema('model', doc, '');
  const known = new Set([
    'format',
    'name',
    'actions',
    'customers',
    'constraints',
    'holdout',
    'history',
    'maxActionsPerCustomer',
  ]);
  for (const key of Object.keys(doc))
    if (!known.has(key)) throw new InvalidInputError(key, 'unknown top-level field', key);
  if (doc.name !== undefined && (typeof doc.name !== 'string' || doc.name === ''))
    throw new InvalidInputError('name', 'must be a non-empty string', doc.name);
  if (!Array.isArray(doc.actions)) throw new InvalidInputError('actions', 'must be an array', doc.actions);
  if (doc.customers == null || typeof doc.customers !== 'object')
    throw new InvalidInputError('customers', 'must be an object of columns', doc.customers);
  const constraints = doc.constraints ?? [];
  if (!Array.isArray(constraints)) throw new InvalidInputError('constraints', 'must be an array', constraints);
  return {
    name: doc.name ?? 'retention-model',
    actions: structuredClone(doc.actions) as ActionSpec[],
    customers: doc.customers as CustomerColumns,
    constraints: constraints.map((c, j) => constraintFromJSON(structuredClone(c), `constraints[${j}]`)),
    ...(doc.holdout !== undefined ? { holdout: { ...doc.holdout } } : {}),
    ...(doc.history !== undefined ? { history: historyFromJSON(doc.history) } : {}),
    ...(doc.maxActionsPerCustomer !== undefined
      ? { maxActionsPerCustomer: structuredClone(doc.maxActionsPerCustomer) }
      : {}),
  };
}

function historyFromJSON(doc: HistoryJSON): { columns: ContactColumns; asOf?: string | number } {
  const { asOf, ...columns } = doc;
  // Nulls in the file are "not given" (the catalog's channel, an unknown outcome).
  const cols = { ...columns } as Record<string, unknown>;
  return { columns: cols as unknown as ContactColumns, ...(asOf !== undefined ? { asOf } : {}) };
}
