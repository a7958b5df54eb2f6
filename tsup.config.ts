import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Dependencies stay external: highs locates its .wasm next to its own module.
  external: ['arquero', 'highs', 'javascript-lp-solver'],
});
