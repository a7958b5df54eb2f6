// Browser build's auto.ts (see src/util/files.ts for the convention): without HiGHS, auto is the decomposition.
import type * as Node from './auto.js';
import { decompositionBackend } from './decomposition-backend.js';

export const AUTO_EXACT_PAIRS = 0;
export const AUTO_POLISH_PAIRS = 0;
export const AUTO_POLISH_SECONDS = 0;
export const AUTO_FALLBACK_PAIRS = 0;
export const autoBackend: typeof Node.autoBackend = () => ({
  name: 'auto',
  async solve(problem, request) {
    return { ...(await decompositionBackend().solve(problem, request)), backend: 'decomposition' };
  },
});
