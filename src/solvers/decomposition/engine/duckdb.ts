// DuckDB as the decomposition's SQL engine, through @duckdb/node-api (an optional peer dependency:
// loaded on first use, so the package does not need it unless a solve runs in DuckDB).
import { RetentionError } from '../../../errors.js';
import type { SqlCell, SqlEngine } from './sql-engine.js';

/**
 * Options of {@link duckdbEngine}.
 *
 * @example
 * ```ts
 * const options: DuckDBEngineOptions = { threads: 2, memoryLimit: '5GB' };
 * ```
 */
export interface DuckDBEngineOptions {
  /** DuckDB's worker threads (default: DuckDB's own, every core). */
  threads?: number;
  /** DuckDB's memory limit, e.g. `'8GB'` (default DuckDB's: 80% of RAM); beyond it DuckDB spills to disk. */
  memoryLimit?: string;
}

// Rows of one DuckDB vector: the most a data chunk holds.
const CHUNK = 2048;

/**
 * A {@link SqlEngine} on DuckDB: an in-memory database, or a database file
 * (created if missing) whose tables the engine backend reads and writes.
 *
 * @example
 * ```ts
 * const engine = await duckdbEngine('customers.duckdb', { threads: 2 });
 * ```
 */
export async function duckdbEngine(path = ':memory:', options: DuckDBEngineOptions = {}): Promise<SqlEngine> {
  let api: typeof import('@duckdb/node-api');
  try {
    api = await import('@duckdb/node-api');
  } catch {
    throw new RetentionError(
      'MISSING_DEPENDENCY',
      'the DuckDB engine needs the package @duckdb/node-api: npm install @duckdb/node-api',
    );
  }
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  const db = await api.DuckDBInstance.create(path, config);
  const c = await db.connect();
  const cell = (v: unknown): SqlCell =>
    typeof v === 'bigint'
      ? Number(v)
      : v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean'
        ? v
        : String(v);
  return {
    name: 'duckdb',
    async run(sql) {
      await c.run(sql);
    },
    async query(sql) {
      const reader = await c.runAndReadAll(sql);
      return reader.getRowObjects().map((row) => {
        const out: Record<string, SqlCell> = {};
        for (const [k, v] of Object.entries(row)) out[k] = cell(v);
        return out;
      });
    },
    async load(name, columns) {
      const names = Object.keys(columns);
      const n = names.length ? columns[names[0]!]!.length : 0;
      const types = names.map((k) => (columns[k] instanceof Int32Array ? api.INTEGER : api.DOUBLE));
      const ddl = names.map((k, q) => `${k} ${types[q] === api.INTEGER ? 'INTEGER' : 'DOUBLE'}`).join(', ');
      await c.run(`CREATE OR REPLACE TABLE ${name} (${ddl})`);
      const appender = await c.createAppender(name);
      for (let from = 0; from < n; from += CHUNK) {
        const to = Math.min(n, from + CHUNK);
        const chunk = api.DuckDBDataChunk.create(types, to - from);
        chunk.setColumns(names.map((k) => Array.from(columns[k]!.subarray(from, to))));
        appender.appendDataChunk(chunk);
      }
      appender.closeSync();
    },
    async columns(sql, into) {
      const result = await c.stream(sql);
      const most = into[0]?.length ?? 0;
      let at = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const rows = Math.min(chunk.rowCount, most - at);
        into.forEach((out, q) => {
          const values = chunk.getColumnVector(q);
          for (let r = 0; r < rows; r++) out[at + r] = Number(values.getItem(r));
        });
        at += rows;
        if (at >= most) break;
      }
      return at;
    },
    interrupt() {
      c.interrupt();
    },
    async close() {
      c.closeSync();
      db.closeSync();
    },
  };
}
