import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'solvers/index': 'src/entries/solvers.ts',
    'charts/index': 'src/entries/charts.ts',
    'testing/index': 'src/testing/index.ts',
  },
  // ESM only: vega, used for charts, is an ES module with top-level await that require() cannot load.
  format: ['esm'],
  dts: true,
  // Source maps without the sources embedded: src/ is not published, and embedding it (sourcesContent)
  // made 426 kB of a 680 kB unpacked package. The maps keep file names and lines, so stack traces
  // (node --enable-source-maps) name positions in src/.
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
  target: 'node20',
  // Dependencies stay external: highs locates its .wasm next to its own module.
  external: [
    'arquero',
    'highs',
    'javascript-lp-solver',
    'vega',
    'vega-lite',
    'fast-check',
    'ajv',
    'fastest-levenshtein',
  ],
});
