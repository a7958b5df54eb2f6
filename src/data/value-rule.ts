import type { ColumnTable } from 'arquero';
import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';

/**
 * Customer value (CLV) as `monthlyFee × months`, with a floor per month for
 * customers who pay nothing (ad-supported plans still earn something).
 *
 * @example
 * ```ts
 * const rule: ValueRule = { monthlyFee: 'monthly_fee', months: 12, minimumMonthly: 1.5 };
 * ```
 */
export interface ValueRule {
  /** Column with the monthly fee (default `monthly_fee`). */
  monthlyFee?: string;
  /** Months of revenue a retained customer is worth (default 12). */
  months?: number;
  /** Monthly value of a customer whose fee is 0 (default 0). */
  minimumMonthly?: number;
}

/**
 * A number per value of a text column (`subscription_type` → base value),
 * with `otherwise` for values not listed (without it, an unlisted value is an
 * error naming the row: the reference project silently used 150).
 *
 * @example
 * ```ts
 * const plan: ValueByCategory = { column: 'payment_plan', values: { Monthly: 1, Yearly: 1.3 } };
 * ```
 */
export interface ValueByCategory {
  /** The text column read. */
  column: string;
  /** Number for each value of the column. */
  values: Record<string, number>;
  /** Number for a value not in `values`; without it such a value is an error. */
  otherwise?: number;
}

/**
 * A declarative, JSON-able value rule, the common case of the reference
 * workflow: `base[category] × Π multiplier[category] × (1 + Σ weight ·
 * column / max(column)) × scale`.
 *
 * @example
 * ```ts
 * // The reference project's CLV: plan base × 1.3 if yearly × engagement × 2 years
 * const formula: ValueFormula = {
 *   base: { column: 'subscription_type', values: { Free: 100, Student: 120, Premium: 240, Family: 360 } },
 *   multipliers: [{ column: 'payment_plan', values: { Monthly: 1, Yearly: 1.3 } }],
 *   engagement: [{ column: 'weekly_hours', weight: 0.5 }, { column: 'weekly_songs_played', weight: 0.5 }],
 *   scale: 2,
 * };
 * ```
 */
export interface ValueFormula {
  /** The base value, by category. */
  base: ValueByCategory;
  /** Factors by other categories (payment plan, region …). */
  multipliers?: ValueByCategory[];
  /** Engagement terms: the value is scaled by 1 + Σ weight · column / (column's largest value). */
  engagement?: {
    /** A numeric column ≥ 0 (hours, songs played, …). */
    column: string;
    /** Its weight: the value grows by weight × column / max(column). */
    weight: number;
  }[];
  /** A final factor, e.g. 2 for a two-year horizon (default 1). */
  scale?: number;
}

/**
 * How customer value is computed when the files carry none: a
 * {@link ValueRule} (fee × months), a {@link ValueFormula}, an arquero
 * expression over the joined table (`{ expression: 'd => …' }`, as in
 * `table.derive`; `op.max(d.x)` and other aggregates work), or a function of
 * the joined row. The result must be a finite number ≥ 0 for every customer:
 * anything else is an error naming the rows.
 *
 * @example
 * ```ts
 * const byFee: CustomerValue = { monthlyFee: 'monthly_fee', months: 12 };
 * const byExpression: CustomerValue = { expression: 'd => d.base_value * (1 + d.weekly_hours / op.max(d.weekly_hours))' };
 * const byFunction: CustomerValue = (row) => Number(row.monthly_fee) * 24;
 * ```
 */
export type CustomerValue =
  | ValueRule
  | ValueFormula
  | {
      /** An arquero expression over the joined table, e.g. `d => d.fee * 12` (aggregates such as `op.max` work). */
      expression: string;
    }
  | ((row: Record<string, unknown>, index: number) => number);

/**
 * What {@link computeValue} gives: the values, the rule in words, and what it noticed.
 *
 * @example
 * ```ts
 * const { values, description, warnings }: ComputedValue = computeValue(table, rule, 'customer_id');
 * ```
 */
export interface ComputedValue {
  /** Customer value per row of the table. */
  values: Float64Array;
  /** The rule in words, for `warnings`. */
  description: string;
  /** E.g. every customer got the same value. */
  warnings: string[];
}

/**
 * Evaluates a {@link CustomerValue} rule over a table of customers. Errors
 * (an {@link InvalidInputError}) name the column, the first rows (number and
 * id) and their values: a missing column, an unlisted category, a result that
 * is negative, NaN or not finite. A rule that gives every customer the same
 * value is a warning: the plan then ranks customers by risk alone.
 *
 * @example
 * ```ts
 * const { values, description } = computeValue(table, { base: { column: 'plan', values: { Free: 100, Premium: 240 } } }, 'customer_id');
 * ```
 */
export function computeValue(t: ColumnTable, rule: CustomerValue, idColumn: string): ComputedValue {
  const ids = t.array(idColumn) as ArrayLike<unknown>;
  const where = (r: number) => `row ${r + 1}, ${idColumn} ${String(ids[r])}`;
  let values: Float64Array;
  let description: string;
  if (typeof rule === 'function') {
    const rows = t.objects() as Record<string, unknown>[];
    values = Float64Array.from(rows, (row, r) => {
      const v = rule(row, r);
      if (typeof v !== 'number')
        throw new InvalidInputError(
          `value[${where(r)}]`,
          `the value function returned ${v === null ? 'null' : typeof v}, not a number`,
          v,
        );
      return v;
    });
    description = 'customer value computed by the value function given';
  } else if (rule === null || typeof rule !== 'object') {
    throw new InvalidInputError(
      'value',
      'expected a value rule, a formula, { expression }, or a function of the row',
      rule,
    );
  } else if ('expression' in rule) {
    checkKeys(rule, ['expression'], 'value');
    if (typeof rule.expression !== 'string')
      throw new InvalidInputError(
        'value.expression',
        'must be an arquero expression as text, e.g. "d => d.fee * 12"',
        rule.expression,
      );
    let derived: ColumnTable;
    try {
      derived = t.derive({ __value: rule.expression });
    } catch (e) {
      throw new InvalidInputError(
        'value.expression',
        `arquero could not evaluate it: ${(e as Error).message}`,
        rule.expression,
      );
    }
    values = Float64Array.from(derived.array('__value') as ArrayLike<unknown>, (v) =>
      typeof v === 'number' ? v : NaN,
    );
    description = `customer value computed as ${rule.expression}`;
  } else if ('base' in rule) {
    ({ values, description } = byFormula(t, rule, where));
  } else {
    ({ values, description } = byFee(t, rule, where));
  }
  const bad: string[] = [];
  let first: number | undefined;
  for (let r = 0; r < values.length && bad.length < 5; r++) {
    const v = values[r]!;
    if (!(Number.isFinite(v) && v >= 0)) {
      first ??= v;
      bad.push(`${where(r)}: ${v}`);
    }
  }
  if (bad.length) {
    throw new InvalidInputError(
      'value',
      `customer value must be a finite number ≥ 0; ${description} gives ${bad.join('; ')}${bad.length === 5 ? '; …' : ''}`,
      first,
    );
  }
  const warnings: string[] = [];
  if (values.length > 1 && values.every((v) => v === values[0])) {
    warnings.push(
      `${description} gives every customer the same value (${values[0]}): plans rank customers by churn risk alone`,
    );
  }
  return { values, description, warnings };
}

function byFee(
  t: ColumnTable,
  given: ValueRule,
  where: (r: number) => string,
): { values: Float64Array; description: string } {
  checkKeys(given, ['monthlyFee', 'months', 'minimumMonthly'], 'value');
  const rule = { monthlyFee: 'monthly_fee', months: 12, minimumMonthly: 0, ...given };
  checkNumber(rule.months, 'value.months');
  checkNumber(rule.minimumMonthly, 'value.minimumMonthly');
  const fee = column(
    t,
    rule.monthlyFee,
    'value.monthlyFee',
    'add a value column, name it with columns.value, or give value: { monthlyFee, months }, a formula, an expression or a function',
  );
  const values = new Float64Array(fee.length);
  for (let r = 0; r < fee.length; r++) {
    const f = fee[r];
    if (typeof f !== 'number' || !Number.isFinite(f) || f < 0) {
      throw new InvalidInputError(
        `${rule.monthlyFee}[${where(r)}]`,
        `monthly fee must be a number ≥ 0 (got ${JSON.stringify(f)})`,
        f,
      );
    }
    values[r] = Math.max(f, rule.minimumMonthly) * rule.months;
  }
  return {
    values,
    description: `customer value computed as max(${rule.monthlyFee}, ${rule.minimumMonthly}) × ${rule.months} months`,
  };
}

function byFormula(
  t: ColumnTable,
  f: ValueFormula,
  where: (r: number) => string,
): { values: Float64Array; description: string } {
  checkKeys(f, ['base', 'multipliers', 'engagement', 'scale'], 'value');
  const n = t.numRows();
  const values = new Float64Array(n);
  const words: string[] = [];
  const base = category(t, f.base, 'value.base', where);
  values.set(base.numbers);
  words.push(base.words);
  if (f.multipliers !== undefined && !Array.isArray(f.multipliers))
    throw new InvalidInputError('value.multipliers', 'must be an array', f.multipliers);
  (f.multipliers ?? []).forEach((m, j) => {
    const factor = category(t, m, `value.multipliers[${j}]`, where);
    for (let r = 0; r < n; r++) values[r]! *= factor.numbers[r]!;
    words.push(factor.words);
  });
  if (f.engagement !== undefined && !Array.isArray(f.engagement))
    throw new InvalidInputError('value.engagement', 'must be an array', f.engagement);
  if (f.engagement?.length) {
    const boost = new Float64Array(n).fill(1);
    const terms = f.engagement.map((e, j) => {
      const at = `value.engagement[${j}]`;
      if (e === null || typeof e !== 'object') throw new InvalidInputError(at, 'must be { column, weight }', e);
      checkKeys(e, ['column', 'weight'], at);
      checkNumber(e.weight, `${at}.weight`);
      const col = column(t, e.column, `${at}.column`);
      let max = 0;
      for (let r = 0; r < n; r++) {
        const x = col[r];
        if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
          throw new InvalidInputError(
            `${e.column}[${where(r)}]`,
            `engagement column must hold numbers ≥ 0 (got ${JSON.stringify(x)})`,
            x,
          );
        }
        max = Math.max(max, x);
      }
      // An all-zero column adds nothing (rather than 0/0).
      if (max > 0) for (let r = 0; r < n; r++) boost[r]! += (e.weight * (col[r] as number)) / max;
      return `${e.weight}·${e.column}/max`;
    });
    for (let r = 0; r < n; r++) values[r]! *= boost[r]!;
    words.push(`(1 + ${terms.join(' + ')})`);
  }
  if (f.scale !== undefined) {
    checkNumber(f.scale, 'value.scale');
    for (let r = 0; r < n; r++) values[r]! *= f.scale;
    words.push(String(f.scale));
  }
  return { values, description: `customer value computed as ${words.join(' × ')}` };
}

function category(
  t: ColumnTable,
  c: ValueByCategory,
  at: string,
  where: (r: number) => string,
): { numbers: Float64Array; words: string } {
  if (c === null || typeof c !== 'object') throw new InvalidInputError(at, 'must be { column, values, otherwise? }', c);
  checkKeys(c, ['column', 'values', 'otherwise'], at);
  const col = column(t, c.column, `${at}.column`);
  if (c.values === null || typeof c.values !== 'object')
    throw new InvalidInputError(`${at}.values`, 'must be an object of column value → number', c.values);
  for (const [k, v] of Object.entries(c.values)) checkNumber(v, `${at}.values.${k}`);
  if (c.otherwise !== undefined) checkNumber(c.otherwise, `${at}.otherwise`);
  const numbers = new Float64Array(col.length);
  for (let r = 0; r < col.length; r++) {
    const key = col[r] == null ? undefined : String(col[r]);
    const v = key !== undefined && Object.hasOwn(c.values, key) ? c.values[key] : c.otherwise;
    if (v === undefined) {
      throw new InvalidInputError(
        `${c.column}[${where(r)}]`,
        `${JSON.stringify(col[r])} is not listed in ${at}.values (listed: ${Object.keys(c.values).join(', ')}); list it or give ${at}.otherwise`,
        col[r],
      );
    }
    numbers[r] = v;
  }
  const listed = Object.entries(c.values)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return { numbers, words: `${c.column} (${listed}${c.otherwise !== undefined ? `, otherwise ${c.otherwise}` : ''})` };
}

function column(t: ColumnTable, name: unknown, at: string, hint = ''): ArrayLike<unknown> {
  if (typeof name !== 'string' || !t.columnNames().includes(name)) {
    throw new InvalidInputError(
      at,
      `column ${JSON.stringify(name)} not found (have: ${t.columnNames().join(', ')})${hint ? `; ${hint}` : ''}`,
      name,
    );
  }
  return t.array(name) as ArrayLike<unknown>;
}

function checkNumber(v: unknown, at: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new InvalidInputError(at, `must be a finite number ≥ 0 (got ${String(v)})`, v);
}
