// Browser build's decomposition-backend.ts (see src/util/files.ts for the convention): the same solver
// without an exact LP (HiGHS runs on a Node worker thread), so its tie-settling LP and feasibility phase
// are skipped; on the models measured (docs/benchmarks.md, "browser") the plans are the same.
import type * as Node from './decomposition-backend.js';
import type { LinearSolver } from './decomposition/core/linear.js';
import { createDecomposition } from './decomposition/index.js';

export const highsLinearSolver: LinearSolver | undefined = undefined;
export const decompositionBackend: typeof Node.decompositionBackend = (options = {}) => createDecomposition(options);
