// Browser build's highs.ts (see src/util/files.ts for the convention): HiGHS runs on a Node worker thread.
import type * as Node from './highs.js';
import { nodeOnlyBackend } from './node-only.js';

export type { HighsBackendOptions } from './highs.js';
export const highsBackend: typeof Node.highsBackend = () => nodeOnlyBackend('highs');
