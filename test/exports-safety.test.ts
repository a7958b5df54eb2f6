// CSV exports neutralize cells a spreadsheet would run as formulas (issue 12, OWASP "CSV injection").
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromCSV } from 'arquero';
import { describe, expect, it } from 'vitest';
import { RetentionModel, writeExports } from '../src/index.js';

const HOSTILE = [
  '=HYPERLINK("http://evil.example","click")',
  "+cmd|' /C calc'!A0",
  '=1+1',
  '@SUM(A1)',
  '-2+3',
  'plain-id',
];

describe('CSV exports', () => {
  it('prefix formula-leading text cells with a quote; JSON and the opt-out keep them raw', async () => {
    const n = HOSTILE.length;
    const plan = await RetentionModel.create()
      .actions([
        { id: 'email', name: '=IMPORTXML("x")', channel: 'email', cost: 1, uplift: 0.2 },
        { id: 'call', channel: 'call', cost: 2, uplift: 0.3 },
      ])
      .customers({
        id: HOSTILE,
        churnProbability: Array(n).fill(0.9),
        value: Array(n).fill(100),
        segment: Array(n).fill('=A1'),
      })
      .budget(100)
      .solve({ solver: 'highs' });
    expect(plan.assignments.numRows()).toBe(n);
    const dir = mkdtempSync(join(tmpdir(), 'exports-'));
    await writeExports(plan, dir);
    const csv = fromCSV(readFileSync(join(dir, 'treatment-plan.csv'), 'utf8'), { parse: { customer: String } });
    const customers = csv.array('customer') as string[];
    for (const id of HOSTILE) expect(customers).toContain(/^[=+\-@]/.test(id) ? `'${id}` : id);
    for (const v of csv.array('segment') as string[]) expect(v).toBe("'=A1");
    for (const v of csv.array('actionName') as string[])
      if (v.includes('IMPORTXML')) expect(v.startsWith("'")).toBe(true);
    // Call queue and email list too.
    for (const name of ['call-queue.csv', 'email-list.csv']) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(text).not.toMatch(/(^|,)=1\+1/m);
    }
    // JSON is data, not a spreadsheet: raw.
    const json = JSON.parse(readFileSync(join(dir, 'treatment-plan.json'), 'utf8')) as { customer: string }[];
    expect(json.map((r) => r.customer).sort()).toEqual([...HOSTILE].sort());
    const raw = mkdtempSync(join(tmpdir(), 'exports-raw-'));
    await writeExports(plan, raw, { neutralizeFormulas: false });
    const rawIds = fromCSV(readFileSync(join(raw, 'treatment-plan.csv'), 'utf8'), {
      parse: { customer: String },
    }).array('customer') as string[];
    expect([...rawIds].sort()).toEqual([...HOSTILE].sort());
  });
});
