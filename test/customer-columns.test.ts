// How customers' columns are kept (issue 16, memory at 10,000,000 customers): numbers as Float64Arrays,
// text and flags as dictionaries, the rest as arrays; every form gives back the cells that went in, and
// filters read each form the same way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  customersFromColumns,
  DictionaryColumn,
  InvalidInputError,
  sampleCustomers,
  type CellValue,
} from '../src/index.js';
import { dictionaryOf } from '../src/data/categorical.js';
import { evaluateFilter } from '../src/data/filter.js';

const cell = fc.oneof(
  fc.constantFrom<CellValue>('a', 'b', 'toString', '__proto__', '', true, false, null),
  fc.integer({ min: -3, max: 3 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
// Columns of one kind more often than not: a numeric column, a text column, a mixed one.
const column = (n: number) =>
  fc.oneof(
    fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n }),
    fc.array(fc.constantFrom('North', 'South', 'East', 'toString'), { minLength: n, maxLength: n }),
    fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    fc.array(cell, { minLength: n, maxLength: n }),
  );

function data(n: number, attributes: Record<string, CellValue[]>) {
  return customersFromColumns({
    id: Array.from({ length: n }, (_, i) => i),
    churnProbability: new Array<number>(n).fill(0.5),
    value: new Array<number>(n).fill(10),
    attributes,
  });
}

// The filter's mask, or null when the filter is refused for comparing a column with a value of another type.
function maskOf(d: ReturnType<typeof data>, spec: object): number[] | null {
  try {
    return Array.from(evaluateFilter(spec as never, d, 'where'));
  } catch (e) {
    if (e instanceof InvalidInputError && /would match nobody/.test(e.message)) return null;
    throw e;
  }
}

describe('customer columns', () => {
  it('give back every cell in the most compact form that holds them, and filters agree with the cells', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), column(n), cell, cell)),
        ([n, cells, x, y]) => {
          const d = data(n, { c: cells });
          const col = d.attributes.c!;
          const numbers = cells.every((v) => typeof v === 'number');
          const categorical = cells.some((v) => typeof v === 'string' || typeof v === 'boolean');
          expect(col instanceof Float64Array).toBe(numbers);
          expect(col instanceof DictionaryColumn).toBe(categorical);
          expect([...col]).toEqual(cells);
          cells.forEach((v, i) => expect(col.at(i)).toBe(v));
          expect(col.at(-1)).toBe(cells[n - 1]);
          expect(col.at(n)).toBeUndefined();
          // Each op on each form: the mask is the cells' own comparison.
          const ops = [
            ['eq', x, (v: CellValue) => v === x],
            ['ne', x, (v: CellValue) => v !== x],
            ['in', [x, y], (v: CellValue) => v === x || v === y],
            ['nin', [x, y], (v: CellValue) => v !== x && v !== y],
          ] as const;
          const ordered = typeof x === 'number' ? (['gt', 'gte', 'lt', 'lte'] as const) : [];
          for (const [op, arg, test] of ops) {
            const mask = maskOf(d, { c: { [op]: arg } });
            if (mask === null) {
              // Refused as a value of another type than the column's: no cell may hold it.
              const args = (Array.isArray(arg) ? arg : [arg]) as CellValue[];
              expect(args.some((a) => a !== null && !cells.some((v) => typeof v === typeof a))).toBe(true);
              continue;
            }
            expect(mask).toEqual(cells.map((v) => (test(v) ? 1 : 0)));
          }
          for (const op of ordered) {
            const mask = maskOf(d, { c: { [op]: x } });
            const t = (v: CellValue) =>
              v !== null && (op === 'gt' ? v > x! : op === 'gte' ? v >= x! : op === 'lt' ? v < x! : v <= x!);
            expect(mask).toEqual(cells.map((v) => (t(v) ? 1 : 0)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('are copies: changing what was passed in changes nothing', () => {
    const region = ['N', 'S', 'N'];
    const hours = new Float64Array([1, 2, 3]);
    const segment = ['Free', 'Premium', 'Free'];
    const d = customersFromColumns({
      id: [1, 2, 3],
      churnProbability: [0.1, 0.2, 0.3],
      value: [1, 2, 3],
      segment,
      attributes: { region, hours },
    });
    region[0] = 'S';
    hours[0] = 99;
    segment[0] = 'Premium';
    expect([...d.attributes.region!]).toEqual(['N', 'S', 'N']);
    expect(d.attributes.hours!.at(0)).toBe(1);
    expect(d.segment!.at(0)).toBe('Free');
    // A dictionary passed in (another model's column) is copied too, and checked.
    const again = customersFromColumns({
      id: [1, 2, 3],
      churnProbability: [0.1, 0.2, 0.3],
      value: [1, 2, 3],
      segment: d.segment,
      attributes: { region: d.attributes.region as DictionaryColumn },
    });
    expect(again.segment!.codes).not.toBe(d.segment!.codes);
    expect([...again.segment!]).toEqual(['Free', 'Premium', 'Free']);
    expect([...again.attributes.region!]).toEqual(['N', 'S', 'N']);
  });

  it('a dictionary with a code that has no value, or a segment that is not text, is an InvalidInputError naming the row', () => {
    const base = { id: [1, 2], churnProbability: [0.1, 0.2], value: [1, 2] };
    const bad = new DictionaryColumn(new Uint8Array([0, 2]), ['x', 'y']);
    expect(() => customersFromColumns({ ...base, attributes: { r: bad } })).toThrow(InvalidInputError);
    expect(() => customersFromColumns({ ...base, attributes: { r: bad } })).toThrow(
      /attributes\.r\.codes\[1\].*code 2/,
    );
    const numeric = new DictionaryColumn(new Uint8Array([0, 0]), [7]);
    expect(() => customersFromColumns({ ...base, segment: numeric as never })).toThrow(/segment\.values\[0\]/);
    expect(() => customersFromColumns({ ...base, segment: ['a', 3] as never })).toThrow(/segment\[1\]/);
    expect(() => customersFromColumns({ ...base, attributes: { r: [1, Infinity] } })).toThrow(/attributes\.r\[1\]/);
    // Typed arrays are copied in one call and then checked: a NaN is still named by its row.
    expect(() => customersFromColumns({ ...base, attributes: { r: new Float64Array([1, NaN]) } })).toThrow(
      /attributes\.r\[1\]/,
    );
    expect(() => customersFromColumns({ ...base, attributes: { r: ['a', {}] as never } })).toThrow(
      /attributes\.r\[1\]/,
    );
    // A missing cell (undefined, or a hole in a sparse array) is null in every form, never undefined.
    const sparse = ['a', 'b', 'c'];
    delete sparse[1];
    const gaps = customersFromColumns({
      ...base,
      id: [1, 2, 3],
      churnProbability: [0.1, 0.2, 0.3],
      value: [1, 2, 3],
      attributes: { text: ['a', undefined, 'b'] as never, holes: sparse, nums: [1, undefined, 2] as never },
    });
    expect([...gaps.attributes.text!]).toEqual(['a', null, 'b']);
    expect(gaps.attributes.text!.at(1)).toBeNull();
    expect([...gaps.attributes.holes!]).toEqual(['a', null, 'c']);
    expect([...gaps.attributes.nums!]).toEqual([1, null, 2]);
    const dated = customersFromColumns({ ...base, attributes: { d: [new Date('2024-03-01'), null] as never } });
    expect([...dated.attributes.d!]).toEqual(['2024-03-01', null]);
    // Ids out of order still have their repeats found (the sort is skipped only for increasing ids).
    expect(() =>
      customersFromColumns({
        ...base,
        id: [5, 3, 3],
        churnProbability: [0.1, 0.2, 0.3],
        value: [1, 2, 3],
      }),
    ).toThrow(/id\[2\].*first at row 1/);
    expect(() => customersFromColumns({ id: [1, 2, 2], churnProbability: [0.1, 0.2, 0.3], value: [1, 2, 3] })).toThrow(
      /id\[2\].*first at row 1/,
    );
  });

  it("the sample's text and flags are dictionary columns numbered as a dictionary of their text would be", () => {
    const t = sampleCustomers({ customers: 2_000, seed: 3 });
    for (const name of ['subscription_type', 'region', 'do_not_contact']) {
      const col = t.column(name) as unknown as DictionaryColumn;
      expect(col).toBeInstanceOf(DictionaryColumn);
      const text = t.array(name) as CellValue[];
      const again = dictionaryOf(text)!;
      expect(Array.from(col.codes)).toEqual(Array.from(again.codes));
      expect(col.values).toEqual(again.values);
    }
    expect(t.objects({ limit: 1 })[0]).toMatchObject({ do_not_contact: expect.any(Boolean) });
  });

  it('widens codes past 256 values and keeps a text column of more than 4,096 values as an array', () => {
    const n = 5_000;
    const d = data(n, {
      few: Array.from({ length: n }, (_, i) => `v${i % 300}`),
      many: Array.from({ length: n }, (_, i) => `id-${i}`),
    });
    const few = d.attributes.few as DictionaryColumn;
    expect(few).toBeInstanceOf(DictionaryColumn);
    expect(few.codes).toBeInstanceOf(Uint16Array);
    expect(few.at(4_999)).toBe('v199');
    expect(Array.isArray(d.attributes.many)).toBe(true);
    expect(d.attributes.many!.at(4_999)).toBe('id-4999');
    // A dictionary with 2-byte codes passed in again is copied as it is.
    const again = customersFromColumns({
      id: [...d.id],
      churnProbability: d.churnProbability,
      value: d.value,
      attributes: { few },
    });
    expect(again.attributes.few!.at(301)).toBe('v1');
  });
});
