// Browser build's lp-solver.ts (see src/util/files.ts for the convention): it runs on a Node worker thread.
import type * as Node from './lp-solver.js';
import { nodeOnlyBackend } from './node-only.js';

export type { LpSolverBackendOptions } from './lp-solver.js';
export const lpSolverBackend: typeof Node.lpSolverBackend = () => nodeOnlyBackend('lp-solver');
