import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { table } from 'arquero';
import {
  InvalidInputError,
  RetentionModel,
  defaultCatalog,
  loadActions,
  loadCustomers,
  sampleData,
  writeSampleData,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'retention-load-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

async function expectInvalid(p: Promise<unknown>, path: RegExp) {
  const e = await p.then(
    () => null,
    (err) => err,
  );
  expect(e).toBeInstanceOf(InvalidInputError);
  expect((e as InvalidInputError).path).toMatch(path);
  return e as InvalidInputError;
}

describe('loadCustomers', () => {
  it('joins numeric ids in one file with string ids in the other, and reports ids found in only one', async () => {
    const predictions = file('p.csv', 'customer_id,churn_probability\n1,0.8\n2,0.1\n3,0.55\n9,0.3\n');
    const features = file(
      'f.csv',
      'customer_id,subscription_type,monthly_fee\n"1",Premium,10.99\n"2",Free,0\n"3",Family,16.99\n"7",Student,5.99\n',
    );
    const loaded = await loadCustomers({ predictions, features });
    expect(loaded.table.numRows()).toBe(3);
    expect(loaded.mapping).toMatchObject({
      id: 'customer_id',
      churnProbability: 'churn_probability',
      value: 'clv',
      segment: 'subscription_type',
    });
    expect(loaded.warnings.join('\n')).toMatch(/1 id in predictions but not in features.*9/);
    expect(loaded.warnings.join('\n')).toMatch(/1 id in features but not in predictions.*7/);
    expect(loaded.warnings.join('\n')).toMatch(/customer value computed as/);
    expect(Array.from(loaded.table.array('clv') as Float64Array)).toEqual([10.99 * 12, 0, 16.99 * 12]);
    const model = RetentionModel.create().actions(defaultCatalog()).customers(loaded);
    expect([...model.customerData!.segment!]).toEqual(['Premium', 'Free', 'Family']);
  });
  it('names a duplicate id, a probability of 1.2, a non-numeric or missing probability, a missing column', async () => {
    const features = file('f2.csv', 'customer_id,subscription_type,monthly_fee\n1,Premium,10\n2,Free,0\n');
    const dup = await expectInvalid(
      loadCustomers({ predictions: file('d.csv', 'customer_id,churn_probability\n1,0.2\n2,0.3\n1,0.4\n'), features }),
      /^predictions\.customer_id$/,
    );
    expect(dup.message).toMatch(/duplicate id: 1 \(row 3\)/);
    const high = await expectInvalid(
      loadCustomers({ predictions: file('h.csv', 'customer_id,churn_probability\n1,0.2\n2,1.2\n'), features }),
      /churn_probability\[row 2, customer_id 2\]/,
    );
    expect(high.message).toMatch(/1\.2 is outside \[0, 1\]/);
    await expectInvalid(
      loadCustomers({ predictions: file('t.csv', 'customer_id,churn_probability\n1,0.2\n2,high\n'), features }),
      /churn_probability\[row 2/,
    );
    await expectInvalid(
      loadCustomers({ predictions: file('m.csv', 'customer_id,churn_probability\n1,0.2\n2,\n'), features }),
      /churn_probability\[row 2/,
    );
    await expectInvalid(
      loadCustomers({ predictions: file('n.csv', 'id,churn_probability\n1,0.2\n'), features }),
      /^predictions\.customer_id$/,
    );
    await expectInvalid(
      loadCustomers({ predictions: file('v.csv', 'customer_id,churn_probability\n1,0.2\n2,0.3\n') }),
      /^columns\.value$/,
    );
    await expectInvalid(loadCustomers({ predictions: join(dir, 'missing.csv') }), /^predictions$/);
  });
  it('round trip: sampleData → CSV files → loadCustomers gives the same model', async () => {
    const { predictions, features } = sampleData({ customers: 500, seed: 3 });
    const direct = await loadCustomers({ predictions, features, value: { months: 24, minimumMonthly: 1.5 } });
    const paths = await writeSampleData(join(dir, 'sample'), { customers: 500, seed: 3 });
    const fromFiles = await loadCustomers({ ...paths, value: { months: 24, minimumMonthly: 1.5 } });
    const a = RetentionModel.create().actions(defaultCatalog()).customers(direct).budget(300);
    const b = RetentionModel.create().actions(defaultCatalog()).customers(fromFiles).budget(300);
    // Ids read from a file are its text (the sample table's ids are numbers): otherwise the same model.
    const ja = a.toJSON();
    expect(b.toJSON()).toEqual({ ...ja, customers: { ...ja.customers, id: ja.customers.id.map(String) } });
    const [pa, pb] = [await a.solve({ solver: 'highs' }), await b.solve({ solver: 'highs' })];
    expect(pb.objective).toBe(pa.objective);
  });
  it('any table of valid probabilities and values loads, and the customers match the rows (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 40, maxLength: 40 }),
        async (ids, raw) => {
          const csv =
            'customer_id,churn_probability,clv\n' +
            ids.map((id, r) => `${id},${raw[r]! / 1000},${raw[(r + 7) % 40]}`).join('\n') +
            '\n';
          const loaded = await loadCustomers({ predictions: csv });
          const data = RetentionModel.create().customers(loaded).customerData!;
          expect(data.id).toEqual(ids.map(String));
          expect(Array.from(data.churnProbability)).toEqual(ids.map((_, r) => raw[r]! / 1000));
        },
      ),
      { numRuns: 40, seed: 1 },
    );
  });
});

describe('loadActions', () => {
  it('reads the catalog CSV with all / one / several eligible segments', async () => {
    const { actions, warnings } = await loadActions(
      file(
        'a.csv',
        'action_id,action_name,channel,cost,uplift,eligible_segment\n1,Custom Email,email,3,0.10,all\n2,Special Offer,email,25,0.18,Premium\n3,Family Call,call,15,0.2,Family|Premium\n',
      ),
    );
    expect(actions.map((a) => a.id)).toEqual(['1', '2', '3']);
    expect(actions[0]!.eligible).toBeUndefined();
    expect(actions[1]!.eligible).toEqual({ segment: { in: ['Premium'] } });
    expect(actions[2]!.eligible).toEqual({ segment: { in: ['Family', 'Premium'] } });
    expect(warnings).toEqual([]);
  });
  it('names the row of a bad cost or a missing column', async () => {
    await expectInvalid(
      loadActions(file('b.csv', 'action_id,channel,cost,uplift\n1,email,3,0.1\n2,email,-5,0.1\n')),
      /^actions\[1\]\.cost$/,
    );
    await expectInvalid(loadActions(file('c.csv', 'action_id,channel,uplift\n1,email,0.1\n')), /^actions\.cost$/);
  });
});

describe('files read as written (issue 12)', () => {
  const csv = (body: string) => `customer_id,churn_probability,clv\n${body}`;
  it('ids come out byte for byte: leading zeros, 17 and 19 digits, hex-, exponent- and space-looking ids', async () => {
    const ids = ['00123', '12345678901234567', '1234567890123456789', '1234567890123456788', '0x1A', '1e3', ' 7'];
    const loaded = await loadCustomers({
      predictions: csv(ids.map((id, r) => `${id},0.${r + 1},100`).join('\n') + '\n'),
    });
    const model = RetentionModel.create()
      .actions([{ id: 'email', channel: 'email', cost: 2, uplift: 0.1 }])
      .customers(loaded)
      .budget(100);
    expect(model.customerData!.id).toEqual(ids);
    const plan = await model.solve({ solver: 'highs' });
    const planned = (plan.assignments.objects() as { customer: string }[]).map((r) => r.customer);
    for (const id of planned) expect(ids).toContain(id);
    // A numeric-looking id in one file and the same text in the other still join.
    const joined = await loadCustomers({
      predictions: csv('00123,0.5,100\n7,0.2,50\n'),
      features: 'customer_id,subscription_type\n00123,Premium\n7,Free\n',
    });
    expect(joined.table.numRows()).toBe(2);
    expect(joined.table.array('customer_id')).toEqual(['00123', '7']);
  });
  it('malformed CSV is an InvalidInputError naming the file and row; a BOM and trailing blank lines are harmless', async () => {
    await expect(loadCustomers({ predictions: file('empty.csv', '') })).rejects.toThrow(/empty/);
    await expect(loadCustomers({ predictions: file('extra.csv', csv('1,0.5,100\n2,0.5,100,9\n')) })).rejects.toThrow(
      /row 2 has 4 cells, the header has 3/,
    );
    await expect(loadCustomers({ predictions: file('garbled.json', '{"customer_id": [1, 2') })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(loadCustomers({ predictions: file('garbled.arrow', 'ARROW1 not really') })).rejects.toThrow(
      InvalidInputError,
    );
    const bom = await loadCustomers({ predictions: '\uFEFF' + csv('1,0.5,100\n2,0.25,80\n\n\n\n') });
    expect(bom.table.numRows()).toBe(2);
    // The same as a file (mended text is parsed from memory; a clean file by arquero's streaming reader).
    const bomFile = await loadCustomers({
      predictions: file('bom.csv', '\uFEFF' + csv('007,0.5,100\n2,0.25,80\n\n\n')),
    });
    expect(bomFile.table.array('customer_id')).toEqual(['007', '2']);
    const clean = await loadCustomers({ predictions: file('clean.csv', csv('007,0.5,100\n2,0.25,80\n')) });
    expect(clean.table.array('customer_id')).toEqual(['007', '2']);
    // Quoted cells may hold the delimiter and line breaks.
    const quoted = await loadCustomers({
      predictions: 'customer_id,churn_probability,clv,note\n1,0.5,100,"a, b"\n2,0.2,80,"line\nbreak"\n',
    });
    expect(quoted.table.numRows()).toBe(2);
  });
});

describe('the join on ids', () => {
  it('matches ids as text through the id index: 7 and "7" meet, "007" does not; duplicates are named', async () => {
    const predictions = table({ customer_id: [1, 2, 3, 7], churn_probability: [0.1, 0.2, 0.3, 0.4] });
    const features = table({ customer_id: ['1', '2', '3', '007'], monthly_fee: [10, 10, 10, 10] });
    const loaded = await loadCustomers({ predictions, features, on: 'customer_id', value: { months: 12 } });
    expect(loaded.table.array('customer_id')).toEqual([1, 2, 3]);
    expect(loaded.warnings.join(' ')).toContain('1 id in predictions but not in features, left out (first: 7)');
    expect(loaded.warnings.join(' ')).toContain('1 id in features but not in predictions, left out (first: 007)');
    const twice = table({ customer_id: [5, 6, 5], churn_probability: [0.1, 0.2, 0.3] });
    await expect(loadCustomers({ predictions: twice, features, on: 'customer_id' })).rejects.toThrow(
      /predictions\.customer_id: 1 duplicate id: 5 \(row 3\)/,
    );
    const textTwice = table({ customer_id: ['5', 5], churn_probability: [0.1, 0.2] });
    await expect(loadCustomers({ predictions: textTwice, on: 'customer_id', value: { months: 1 } })).rejects.toThrow(
      /duplicate id: 5 \(row 2\)/,
    );
  });
});
