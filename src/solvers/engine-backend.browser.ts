// Browser build's engine-backend.ts (see src/util/files.ts for the convention): DuckDB's bindings are native.
import { RetentionError } from '../errors.js';
import type * as Node from './engine-backend.js';
import { nodeOnlyBackend } from './node-only.js';

export type { EngineBackendOptions } from './engine-backend.js';
export const engineBackend: typeof Node.engineBackend = () =>
  nodeOnlyBackend('duckdb', "uses DuckDB's native Node bindings");
export const solveInEngine: typeof Node.solveInEngine = () =>
  Promise.reject(new RetentionError('NODE_ONLY', 'solveInEngine needs a Node SQL engine (DuckDB)'));
