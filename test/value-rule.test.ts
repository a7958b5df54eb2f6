import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  KAGGLE_FEATURES,
  RetentionModel,
  computeValue,
  defaultCatalog,
  loadCustomers,
  writeSampleData,
  type ValueFormula,
} from '../src/index.js';

// The reference project's CLV rule.
const REFERENCE_RULE: ValueFormula = {
  base: { column: 'subscription_type', values: { Free: 100, Student: 120, Premium: 240, Family: 360 } },
  multipliers: [{ column: 'payment_plan', values: { Monthly: 1, Yearly: 1.3 } }],
  engagement: [
    { column: 'weekly_hours', weight: 0.5 },
    { column: 'weekly_songs_played', weight: 0.5 },
  ],
  scale: 2,
};

const t = table({
  customer_id: ['a', 'b', 'c'],
  subscription_type: ['Free', 'Premium', 'Family'],
  payment_plan: ['Monthly', 'Yearly', 'Monthly'],
  weekly_hours: [10, 20, 40],
  weekly_songs_played: [100, 400, 200],
  monthly_fee: [0, 10, 15],
});

describe('customer value by rule (issue 10, part 1)', () => {
  it('the declarative formula computes the reference rule, and says it in words', () => {
    const { values, description } = computeValue(t, REFERENCE_RULE, 'customer_id');
    expect(Array.from(values)).toEqual([
      100 * 1 * (1 + (0.5 * 10) / 40 + (0.5 * 100) / 400) * 2,
      240 * 1.3 * (1 + (0.5 * 20) / 40 + (0.5 * 400) / 400) * 2,
      360 * 1 * (1 + (0.5 * 40) / 40 + (0.5 * 200) / 400) * 2,
    ]);
    expect(description).toBe(
      'customer value computed as subscription_type (Free 100, Student 120, Premium 240, Family 360) × payment_plan (Monthly 1, Yearly 1.3) × (1 + 0.5·weekly_hours/max + 0.5·weekly_songs_played/max) × 2',
    );
  });
  it('an arquero expression and a function of the row give the same', () => {
    const expr = computeValue(
      t,
      { expression: 'd => d.monthly_fee * 12 + d.weekly_hours / op.max(d.weekly_hours)' },
      'customer_id',
    ).values;
    expect(Array.from(expr)).toEqual([0.25, 120.5, 181]);
    const fn = computeValue(
      t,
      (row) => (row.monthly_fee as number) * 12 + (row.weekly_hours as number) / 40,
      'customer_id',
    ).values;
    expect(Array.from(fn)).toEqual(Array.from(expr));
  });
  it('an unlisted category is an error naming the row and id, unless otherwise is given', () => {
    const rule = { base: { column: 'subscription_type', values: { Free: 100, Premium: 240 } } };
    expect(() => computeValue(t, rule, 'customer_id')).toThrow(
      /subscription_type\[row 3, customer_id c\].*"Family" is not listed/,
    );
    expect(Array.from(computeValue(t, { base: { ...rule.base, otherwise: 150 } }, 'customer_id').values)).toEqual([
      100, 240, 150,
    ]);
  });
  it('negative, NaN or non-number results are errors naming the rows; all-equal values are a warning', () => {
    const e = (() => {
      try {
        computeValue(t, { expression: 'd => d.monthly_fee - 5' }, 'customer_id');
      } catch (x) {
        return x as InvalidInputError;
      }
    })();
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e!.message).toMatch(/row 1, customer_id a: -5/);
    expect(() => computeValue(t, { expression: 'd => d.monthly_fee / d.monthly_fee' }, 'customer_id')).toThrow(
      /row 1, customer_id a: NaN/,
    );
    expect(() => computeValue(t, { expression: 'd => d.nothing * 2' }, 'customer_id')).toThrow(
      /value.expression: arquero could not evaluate it/,
    );
    expect(() => computeValue(t, () => 'x' as never, 'customer_id')).toThrow(/returned string/);
    expect(() => computeValue(t, { base: { column: 'plan', values: {} } }, 'customer_id')).toThrow(
      /column "plan" not found/,
    );
    expect(() => computeValue(t, { ...REFERENCE_RULE, scale: -2 }, 'customer_id')).toThrow(/value.scale/);
    expect(() => computeValue(t, { base: REFERENCE_RULE.base, multiplier: [] } as never, 'customer_id')).toThrow(
      /did you mean "multipliers"/,
    );
    const flat = computeValue(t, { base: { column: 'subscription_type', values: {}, otherwise: 50 } }, 'customer_id');
    expect(flat.warnings[0]).toMatch(/gives every customer the same value \(50\)/);
  });
  it('the sample writer produces the Kaggle layout (no fee, no value), and it loads with the reference rule in one call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-kaggle-'));
    const files = await writeSampleData(dir, { customers: 3000, seed: 5, layout: 'kaggle' });
    expect(readFileSync(files.features, 'utf8').split('\n')[0]).toBe(KAGGLE_FEATURES.join(','));
    const predictions = readFileSync(files.predictions, 'utf8');
    expect(predictions.split('\n')[0]).toBe('customer_id,churn_probability');
    expect(predictions).toMatch(/,\d(\.\d+)?e-4\n/);
    await expect(loadCustomers(files)).rejects.toThrow(/no customer value column/);
    const loaded = await loadCustomers({ ...files, value: REFERENCE_RULE });
    expect(loaded.table.numRows()).toBe(3000);
    expect(loaded.mapping.value).toBe('clv');
    expect(loaded.warnings).toEqual([
      expect.stringMatching(/^customer value computed as subscription_type .* × 2 \(column "clv"\)/),
    ]);
    const clv = loaded.table.array('clv') as Float64Array;
    expect(Math.min(...clv)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...clv)).toBeLessThanOrEqual(360 * 1.3 * 2 * 2);
    // The CSV reader parses signup_date as dates: they come through as ISO text, usable in filters.
    const model = RetentionModel.create().actions(defaultCatalog()).customers(loaded);
    const dates = model.customerData!.attributes.signup_date!;
    expect(String(dates.at(0))).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(readFileSync(files.features, 'utf8').split('\n')[1]).toContain(`,${String(dates.at(0))},`);
  });
  it('a rule replaces a value column the files carry, and says so', async () => {
    const loaded = await loadCustomers({
      predictions: table({ customer_id: ['a', 'b'], churn_probability: [0.5, 0.2] }),
      features: table({ customer_id: ['a', 'b'], clv: [1, 2], monthly_fee: [10, 0] }),
      value: { monthlyFee: 'monthly_fee', months: 24, minimumMonthly: 1 },
    });
    expect(loaded.mapping.value).toBe('value_by_rule');
    expect(Array.from(loaded.table.array('value_by_rule') as Float64Array)).toEqual([240, 24]);
    expect(loaded.warnings[0]).toMatch(/the files' "clv" column is not used/);
  });
});
