import { defineConfig, type Options } from 'tsup';
// @ts-expect-error: a plain ES module script without types (shared with writeDashboard's source fallback).
import { browserSiblings, buildDashboardAssets } from './scripts/browser-build.mjs';

const entry = {
  index: 'src/index.ts',
  'solvers/index': 'src/entries/solvers.ts',
  'charts/index': 'src/entries/charts.ts',
  'testing/index': 'src/testing/index.ts',
};

// Dependencies stay external: highs locates its .wasm next to its own module.
const external = [
  'arquero',
  'highs',
  'javascript-lp-solver',
  'vega',
  'vega-lite',
  'fast-check',
  'ajv',
  'fastest-levenshtein',
];

const shared: Options = {
  entry,
  // ESM only: vega, used for charts, is an ES module with top-level await that require() cannot load.
  format: ['esm'],
  // Source maps without the sources embedded: src/ is not published, and embedding it (sourcesContent)
  // made 426 kB of a 680 kB unpacked package. The maps keep file names and lines, so stack traces
  // (node --enable-source-maps) name positions in src/.
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  external,
};

export default defineConfig([
  // Node: the package's default entries (dist/index.js, …) and the type declarations, and the
  // decomposition's worker thread (dist/decomposition-worker.js, next to the chunk that starts it).
  {
    ...shared,
    entry: { ...entry, 'decomposition-worker': 'src/solvers/decomposition/parallel/worker.ts' },
    dts: { entry },
    target: 'node20',
    platform: 'node',
  },
  // Browsers and edge workers (the `browser` export condition): the same modules with each `x.ts` that
  // needs Node replaced by its `x.browser.ts` sibling (scripts/browser-build.mjs). Then the dashboard's
  // two self-contained scripts, which writeDashboard inlines (dist/dashboard/).
  {
    ...shared,
    outDir: 'dist/browser',
    target: 'es2022',
    platform: 'browser',
    esbuildPlugins: [browserSiblings],
    async onSuccess() {
      await buildDashboardAssets({ write: true });
    },
  },
]);
