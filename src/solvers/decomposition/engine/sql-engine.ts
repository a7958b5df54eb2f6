// What the decomposition needs of a SQL engine (docs/scale.md): run a statement, read a small result,
// and bulk-load numeric columns. DuckDB is the built-in adapter (duckdb.ts); another engine (Spark SQL,
// Trino, BigQuery, Snowflake) is an object with these three methods over its own client.

/**
 * A cell of a query result as the solver reads it: numbers (64-bit integers converted), text, or null.
 *
 * @example
 * ```ts
 * const cell: SqlCell = (await engine.query('SELECT count(*) AS n FROM customers'))[0]!.n; // a number
 * ```
 */
export type SqlCell = number | string | boolean | null;

/**
 * A connection to a SQL engine, as the engine backend uses it. Statements are
 * in the portable subset described in docs/scale.md ("Dialect").
 *
 * @example
 * ```ts
 * const engine = await duckdbEngine();          // in memory; duckdbEngine('plans.duckdb') for a file
 * await engine.run('CREATE TABLE t AS SELECT 1 AS x');
 * (await engine.query('SELECT x FROM t'))[0]!.x; // 1
 * await engine.close();
 * ```
 */
export interface SqlEngine {
  /** The engine's name, as plans report it (`duckdb`). */
  readonly name: string;
  /** Runs statements that return nothing (CREATE, INSERT, UPDATE, DROP). */
  run(sql: string): Promise<void>;
  /** Runs a query and returns its rows as plain objects (column name → cell); meant for small results. */
  query(sql: string): Promise<Record<string, SqlCell>[]>;
  /**
   * Creates table `name` from equal-length numeric columns (32-bit integer columns as INTEGER,
   * 64-bit float columns as DOUBLE), replacing any table of that name.
   */
  load(name: string, columns: Record<string, Int32Array | Float64Array>): Promise<void>;
  /**
   * Reads a query's numeric columns into typed arrays, column q into `into[q]` (a plan's choices, the
   * customers nearest a tie), at most `into[0].length` rows; returns how many rows were read.
   */
  columns(sql: string, into: readonly (Int32Array | Float64Array)[]): Promise<number>;
  /** Asks the running statement to stop (it then fails); optional: without it a stop waits for the statement. */
  interrupt?(): void;
  /** Closes the connection (and the database, when the adapter opened it). */
  close(): Promise<void>;
}
