// Parquet in (readTable, loadCustomers, loadContactHistory: a path read in byte ranges, or bytes) and
// out (writeExports formats): column by column, ids as they went in, values with their types.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  RetentionModel,
  defaultCatalog,
  loadCustomers,
  readTable,
  sampleData,
  treatmentPlan,
  writeExports,
} from '../src/index.js';
import { parquetBytes } from '../src/data/parquet.js';
import { ColumnAssembler } from '../src/data/parquet-column.js';
import { DictionaryColumn } from '../src/data/categorical.js';
import fc from 'fast-check';

const dir = mkdtempSync(join(tmpdir(), 'ro-parquet-'));

describe('Parquet', () => {
  it('loads customers from Parquet files as from the same tables, and the plans agree', async () => {
    const { predictions, features } = sampleData({ customers: 4_000, seed: 9 });
    writeFileSync(join(dir, 'prediction.parquet'), parquetBytes(predictions));
    writeFileSync(join(dir, 'test.parquet'), parquetBytes(features));
    const value = { months: 24, minimumMonthly: 1.5 };
    const fromTables = await loadCustomers({ predictions, features, on: 'customer_id', value });
    const fromFiles = await loadCustomers({
      predictions: join(dir, 'prediction.parquet'),
      features: join(dir, 'test.parquet'),
      on: 'customer_id',
      value,
    });
    // Ids are read as text from files (as from CSV: `7` and `"7"` are one id), the rest as typed.
    expect(fromFiles.table.objects()).toEqual(
      (fromTables.table.objects() as Record<string, unknown>[]).map((r) => ({
        ...r,
        customer_id: String(r.customer_id),
      })),
    );
    const solve = (c: typeof fromTables) =>
      RetentionModel.create().actions(defaultCatalog()).customers(c).budget(2_000).solve({ solver: 'decomposition' });
    const [a, b] = await Promise.all([solve(fromTables), solve(fromFiles)]);
    expect(b.objective).toBe(a.objective);
    // The same file as bytes (what a browser has after fetch or a file input).
    const bytes = new Uint8Array(readFileSync(join(dir, 'test.parquet')));
    expect((await readTable(bytes, 'features')).objects()).toEqual(features.objects());
  });

  it('reads numbers into typed columns, keeps text ids byte for byte and 64-bit ids whole', async () => {
    const big = [9007199254740993n, -5n, 9223372036854775807n];
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'customer_id', data: BigInt64Array.from(big), type: 'INT64' },
        { name: 'code', data: ['007', '=1+2', null], type: 'STRING' },
        { name: 'score', data: Float64Array.from([0.5, 0.25, 1]), type: 'DOUBLE', nullable: false },
      ],
    });
    const t = await readTable(new Uint8Array(bytes), 'ids');
    // One id beyond 2^53 makes the column text: a label is never rounded, and one column has one type.
    expect(t.array('customer_id')).toEqual(['9007199254740993', '-5', '9223372036854775807']);
    expect(t.array('code')).toEqual(['007', '=1+2', null]);
    expect(t.column('score')).toBeInstanceOf(Float64Array);
    const small = parquetWriteBuffer({
      columnData: [{ name: 'id', data: BigInt64Array.from([1n, 2n]), type: 'INT64' }],
    });
    expect(Array.from((await readTable(new Uint8Array(small), 'ids')).array('id') as ArrayLike<number>)).toEqual([
      1, 2,
    ]);
    expect((await readTable(new Uint8Array(small), 'ids', { text: ['id'] })).array('id')).toEqual(['1', '2']);
  });

  it('writes the plan as Parquet that reads back as the treatment plan', async () => {
    const model = RetentionModel.create()
      .actions(defaultCatalog())
      .customers({
        id: ['007', '=HYPERLINK("x")', 'c3', 'c4'],
        churnProbability: [0.9, 0.8, 0.7, 0.2],
        value: [300, 200, 100, 50],
        segment: ['Premium', 'Free', 'Family', 'Student'],
      })
      .budget(60);
    const plan = await model.solve();
    const files = await writeExports(plan, join(dir, 'out'), { formats: ['parquet'] });
    expect(files.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual([
      'treatment-plan.parquet',
      'email-list.parquet',
      'call-queue.parquet',
    ]);
    const back = await readTable(files[0]!, 'plan');
    expect(back.objects()).toEqual(treatmentPlan(plan).objects());
    expect((back.objects() as { customer: unknown }[]).map((r) => r.customer)).toContain('=HYPERLINK("x")'); // raw: Parquet is data, not a sheet
    await expect(writeExports(plan, join(dir, 'x'), { formats: ['xlsx' as 'csv'] })).rejects.toThrow(
      'writeExports.formats[0]: unknown format "xlsx"',
    );
  });

  it('names the file when it is not Parquet', async () => {
    writeFileSync(join(dir, 'broken.parquet'), 'PAR1 this is not a parquet file PAR1');
    await expect(readTable(join(dir, 'broken.parquet'), 'customers')).rejects.toThrow(InvalidInputError);
    await expect(readTable(join(dir, 'broken.parquet'), 'customers')).rejects.toThrow(
      /broken\.parquet is not a readable Parquet file/,
    );
    await expect(readTable(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 'customers')).rejects.toThrow(
      /not a Parquet file/,
    );
  });
});

// A column read chunk by chunk (data/parquet-column.ts): whatever the chunks hold and in whatever order
// they come, the column gives back the cells the old read-everything-then-convert gave.
describe('a Parquet column assembled chunk by chunk', () => {
  const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
  const value = fc.oneof(
    fc.constantFrom<unknown>('a', 'b', '', true, false, null, 0, -0, 1.5, 7),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.bigInt({ min: -SAFE * 4n, max: SAFE * 4n }),
  );
  // One kind per column more often than not (numbers, text, flags), sometimes mixed.
  const columnOf = fc.oneof(
    fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 30 }),
    fc.array(fc.constantFrom('x', 'y', 'z'), { minLength: 1, maxLength: 30 }),
    fc.array(fc.oneof(fc.boolean(), fc.constant(null)), { minLength: 1, maxLength: 30 }),
    fc.array(fc.bigInt({ min: -SAFE * 2n, max: SAFE * 2n }), { minLength: 1, maxLength: 30 }),
    fc.array(value, { minLength: 1, maxLength: 30 }),
  );
  it('gives back the same cells, a Float64Array for numbers and text for 64-bit integers beyond 2^53', () => {
    fc.assert(
      fc.property(columnOf, fc.integer({ min: 1, max: 7 }), fc.boolean(), fc.integer(), (values, size, text, seed) => {
        const n = values.length;
        const chunks: { start: number; data: unknown[] }[] = [];
        for (let s = 0; s < n; s += size) chunks.push({ start: s, data: values.slice(s, s + size) });
        // Chunks in a shuffled order (hyparquet emits them as their reads finish).
        for (let i = chunks.length - 1; i > 0; i--) {
          const j = Math.abs(seed + i * 7919) % (i + 1);
          [chunks[i], chunks[j]] = [chunks[j]!, chunks[i]!];
        }
        const assembler = new ColumnAssembler(n, text);
        for (const c of chunks) assembler.add(c.start, c.data as never);
        const col = assembler.finish();
        const unsafe = values.some((v) => typeof v === 'bigint' && (v > SAFE || v < -SAFE));
        const asText = text || unsafe;
        const expected = values.map((v) => {
          if (v === null) return null;
          if (typeof v === 'bigint') return asText ? v.toString() : Number(v);
          return asText && typeof v !== 'string' ? String(v) : v;
        });
        expect(Array.from(col as ArrayLike<unknown>)).toEqual(expected);
        const numeric = !asText && values.every((v) => typeof v === 'number' || typeof v === 'bigint');
        expect(col instanceof Float64Array).toBe(numeric);
        if (col instanceof DictionaryColumn)
          expect(col.values.some((v) => typeof v === 'string' || typeof v === 'boolean')).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('leaves rows no chunk wrote empty (null)', () => {
    const a = new ColumnAssembler(4, false);
    a.add(0, new Float64Array([1, 2]));
    expect(Array.from(a.finish() as ArrayLike<unknown>)).toEqual([1, 2, null, null]);
    const b = new ColumnAssembler(3, false);
    b.add(1, ['x', 'y'] as never);
    expect(Array.from(b.finish() as ArrayLike<unknown>)).toEqual([null, 'x', 'y']);
  });
});
