import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  // ESM only: vega, used for charts, is an ES module with top-level await that require() cannot load.
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Dependencies stay external: highs locates its .wasm next to its own module.
  external: ['arquero', 'highs', 'javascript-lp-solver', 'vega', 'vega-lite', 'fast-check', 'ajv', 'fastest-levenshtein'],
});
