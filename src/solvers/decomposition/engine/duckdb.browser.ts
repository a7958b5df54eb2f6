// Browser build's duckdb.ts (see src/util/files.ts for the convention): DuckDB's Node bindings are native.
import { RetentionError } from '../../../errors.js';
import type * as Node from './duckdb.js';

export type { DuckDBEngineOptions } from './duckdb.js';
export const duckdbEngine: typeof Node.duckdbEngine = () =>
  Promise.reject(
    new RetentionError(
      'NODE_ONLY',
      "the DuckDB engine uses native Node bindings; in a browser use solver: 'decomposition'",
    ),
  );
