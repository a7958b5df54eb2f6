// Dual passes per class of customers on sorted scores, in a SQL engine (docs/scale.md, "A pass on
// sorted scores"). With factored values every customer of a class differs only by its score s, and
// action k is worth s·slope(c, k) − cost(k): at prices μ each option is a line in s, so a class's
// best responses are runs of its sorted scores between the crossings of the upper envelope of its
// K + 1 lines. A pass then needs, at each crossing x, how many scores lie below x and their sum.
//
// Once per solve the engine sorts each class's scores and numbers them in blocks of BLOCK; Node keeps
// each block's range, count and sum (n / BLOCK rows). At a crossing, whole blocks below it add up
// from Node's prefix sums, and only the block that holds it is read (its BLOCK scores, then kept:
// crossings move little between passes, so later passes read next to nothing). The pass is exact.
import type { Structure } from '../core/structure.js';
import { closePass, penalties } from '../core/margins.js';
import type { Oracle } from '../dual/oracle.js';
import { nextCrossing } from '../dual/threshold-oracle.js';
import type { EngineProblem, EngineScores } from './problem.js';
import type { SqlEngine } from './sql-engine.js';

/** Scores per block (the block that holds a crossing is read whole). */
const BLOCK = 2048;
/** Blocks kept in Node (about 16 KB each) before the least recently used are dropped. */
const KEEP_BLOCKS = 8192;
/** What `blockOf` answers when no block is needed: no score below x, or every score. */
const NONE = -1;
const ALL = -2;

/**
 * Checks that the `w` columns are the factored values (to 1e-9 of their size) and sorts the scores
 * into blocks; throws a RangeError naming the first action that disagrees.
 */
export async function prepareScores(
  engine: SqlEngine,
  problem: EngineProblem,
  scores: EngineScores,
  table: string,
): Promise<ScoreBlocks> {
  const { K } = problem;
  const { C } = scores;
  const classTable = `${table}_classes`;
  const cols: Record<string, Int32Array | Float64Array> = { c: Int32Array.from({ length: C }, (_, c) => c) };
  for (let k = 0; k < K; k++) cols[`u${k}`] = Float64Array.from({ length: C }, (_, c) => scores.slope[c * K + k]!);
  await engine.load(classTable, cols);
  const diffs = Array.from(
    { length: K },
    (_, k) =>
      `max(CASE WHEN isnan(q.u${k}) THEN (CASE WHEN t.w${k} > -'inf'::DOUBLE THEN 1e300 ELSE 0 END) ELSE abs(t.w${k} - (t.${scores.score} * q.u${k} - ${scores.cost[k]!.toPrecision(17)})) / greatest(1, abs(t.w${k})) END) AS d${k}`,
  );
  const [worst] = await engine.query(
    `SELECT ${diffs.join(', ')} FROM ${problem.table} t JOIN ${classTable} q ON q.c = t.${scores.cls}`,
  );
  await engine.run(`DROP TABLE ${classTable}`);
  for (let k = 0; k < K; k++)
    if (!(Number(worst![`d${k}`] ?? 0) <= 1e-9))
      throw new RangeError(
        `column w${k} is not ${scores.score} × slope − cost for every class (off by ${String(worst![`d${k}`])})`,
      );
  await engine.run(
    `CREATE OR REPLACE TABLE ${table} AS SELECT ${scores.cls} AS c, ${scores.score} AS s, (row_number() OVER (PARTITION BY ${scores.cls} ORDER BY ${scores.score}) - 1) // ${BLOCK} AS b FROM ${problem.table} ORDER BY c, s`,
  );
  const rows = await engine.query(
    `SELECT c, b, min(s) AS lo, count(*) AS cnt, sum(s) AS sm FROM ${table} GROUP BY c, b ORDER BY c, b`,
  );
  return new ScoreBlocks(engine, table, scores, rows);
}

/** Each class's sorted scores in blocks: ranges, counts and sums in Node, the scores themselves read when needed. */
export class ScoreBlocks {
  /** Per class, its blocks [start[c], start[c+1]) in this order. */
  private readonly start: Int32Array;
  private readonly lo: Float64Array;
  /** Count and sum of the scores before each block, within its class. */
  private readonly before: Float64Array;
  private readonly sumBefore: Float64Array;
  private readonly cnt: Float64Array;
  private readonly sum: Float64Array;
  private readonly kept = new Map<number, Float64Array>();
  /** Blocks read from the engine so far. */
  reads = 0;

  constructor(
    private readonly engine: SqlEngine,
    private readonly table: string,
    readonly scores: EngineScores,
    rows: Record<string, unknown>[],
  ) {
    const B = rows.length;
    this.start = new Int32Array(scores.C + 1);
    this.lo = new Float64Array(B);
    this.cnt = new Float64Array(B);
    this.sum = new Float64Array(B);
    this.before = new Float64Array(B);
    this.sumBefore = new Float64Array(B);
    let c = -1;
    let n = 0;
    let sum = 0;
    rows.forEach((r, b) => {
      const cls = Number(r.c);
      if (cls !== c) {
        for (let q = c + 1; q <= cls; q++) this.start[q] = b;
        c = cls;
        n = 0;
        sum = 0;
      }
      this.lo[b] = Number(r.lo);
      this.cnt[b] = Number(r.cnt);
      this.sum[b] = Number(r.sm);
      this.before[b] = n;
      this.sumBefore[b] = sum;
      n += this.cnt[b]!;
      sum += this.sum[b]!;
    });
    for (let q = c + 1; q <= scores.C; q++) this.start[q] = B;
  }

  /**
   * At each (class, x) of `at`: how many of the class's scores are below x, and their sum. Reads the
   * blocks that hold an x and are not kept yet, in one query.
   */
  async below(at: { c: number; x: number }[]): Promise<{ count: Float64Array; sum: Float64Array }> {
    const where = at.map(({ c, x }) => this.blockOf(c, x));
    const missing = [...new Set(where.filter((b) => b >= 0 && !this.kept.has(b)))];
    if (missing.length) await this.read(missing);
    const count = new Float64Array(at.length);
    const sum = new Float64Array(at.length);
    at.forEach(({ c, x }, q) => {
      const b = where[q]!;
      if (b === NONE) return;
      if (b === ALL) {
        const last = this.start[c + 1]! - 1;
        count[q] = this.before[last]! + this.cnt[last]!;
        sum[q] = this.sumBefore[last]! + this.sum[last]!;
        return;
      }
      const scores = this.kept.get(b)!;
      // Kept most recently used last.
      this.kept.delete(b);
      this.kept.set(b, scores);
      let n = 0;
      let s = 0;
      while (n < scores.length && scores[n]! < x) s += scores[n++]!;
      count[q] = this.before[b]! + n;
      sum[q] = this.sumBefore[b]! + s;
    });
    return { count, sum };
  }

  // The block of class c that holds x (the last one starting below x); NONE when no score of the
  // class is below x, ALL when x is past every block (+Infinity, or an empty class answers NONE).
  private blockOf(c: number, x: number): number {
    let a = this.start[c]!;
    let z = this.start[c + 1]! - 1;
    if (z < a || !(x > this.lo[a]!)) return NONE;
    if (x === Infinity) return ALL;
    while (a < z) {
      const mid = (a + z + 1) >> 1;
      if (this.lo[mid]! < x) a = mid;
      else z = mid - 1;
    }
    return a;
  }

  private async read(blocks: number[]): Promise<void> {
    // Block id → (class, block within class).
    const keys = blocks.map((b) => {
      let c = 0;
      while (this.start[c + 1]! <= b) c++;
      return { b, c, within: b - this.start[c]! };
    });
    const list = keys.map((k) => `(${k.c}, ${k.within})`).join(', ');
    const rows = await this.engine.query(
      `SELECT t.c, t.b, t.s FROM ${this.table} t JOIN (VALUES ${list}) q(c, b) ON t.c = q.c AND t.b = q.b ORDER BY t.c, t.b, t.s`,
    );
    const byKey = new Map<string, number[]>();
    for (const r of rows) {
      const key = `${String(r.c)}:${String(r.b)}`;
      const list2 = byKey.get(key);
      if (list2) list2.push(Number(r.s));
      else byKey.set(key, [Number(r.s)]);
    }
    for (const k of keys) this.kept.set(k.b, Float64Array.from(byKey.get(`${k.c}:${k.within}`) ?? []));
    this.reads += keys.length;
    while (this.kept.size > KEEP_BLOCKS) this.kept.delete(this.kept.keys().next().value!);
  }
}

/**
 * A dual pass per class on sorted scores: L(μ) and the counts per (group, action) from each class's
 * envelope and the counts and sums below its crossings. Exact, as the pass over every customer.
 */
export class ScoreOracle implements Oracle {
  passes = 0;

  constructor(
    private readonly blocks: ScoreBlocks,
    readonly s: Structure,
  ) {}

  async evaluate(mu: Float64Array, grad: Float64Array): Promise<number> {
    const { K, G } = this.s;
    const { scores } = this.blocks;
    const P = penalties(this.s, mu);
    // Each run of a class's envelope: its action (−1: none), its line, and where its ends are in `at`.
    const pieces: { c: number; k: number; u: number; v: number; from: number; to: number }[] = [];
    const at: { c: number; x: number }[] = [];
    const slope = new Float64Array(K + 1);
    const icpt = new Float64Array(K + 1);
    const action = new Int32Array(K + 1);
    for (let c = 0; c < scores.C; c++) {
      const g = scores.group[c]!;
      let lines = 1;
      action[0] = -1;
      for (let k = 0; k < K; k++) {
        const u = scores.slope[c * K + k]!;
        if (Number.isNaN(u)) continue;
        slope[lines] = u;
        icpt[lines] = -scores.cost[k]! - P[g * K + k]!;
        action[lines++] = k;
      }
      for (const run of envelope(slope, icpt, lines)) {
        if (action[run.line]! < 0) continue;
        const from = at.push({ c, x: run.from }) - 1;
        const to = at.push({ c, x: run.to }) - 1;
        pieces.push({ c, k: action[run.line]!, u: slope[run.line]!, v: icpt[run.line]!, from, to });
      }
    }
    const { count, sum } = await this.blocks.below(at);
    this.passes++;
    const counts = new Float64Array(G * K);
    let L = 0;
    for (const p of pieces) {
      const n = count[p.to]! - count[p.from]!;
      if (n === 0) continue;
      L += p.u * (sum[p.to]! - sum[p.from]!) + p.v * n;
      counts[scores.group[p.c]! * K + p.k]! += n;
    }
    return closePass(this.s, mu, L, counts, grad);
  }
}

/**
 * The upper envelope of lines (slope, intercept) over all x, as runs [from, to) with the line best on
 * each (−Infinity and Infinity at the ends); on a tie the steeper line takes the crossing point
 * (it stays best to the right), as the in-memory passes decide.
 */
export function envelope(
  slope: Float64Array,
  icpt: Float64Array,
  lines: number,
): { line: number; from: number; to: number }[] {
  // Far left the least slope is best (then the larger intercept; then the lower index).
  let cur = 0;
  for (let l = 1; l < lines; l++)
    if (slope[l]! < slope[cur]! || (slope[l] === slope[cur] && icpt[l]! > icpt[cur]!)) cur = l;
  const runs: { line: number; from: number; to: number }[] = [];
  let from = -Infinity;
  for (;;) {
    const { next, cross } = nextCrossing(slope, icpt, lines, cur);
    if (next < 0) {
      runs.push({ line: cur, from, to: Infinity });
      return runs;
    }
    const to = Math.max(from, cross);
    if (to > from) runs.push({ line: cur, from, to });
    from = to;
    cur = next;
  }
}
