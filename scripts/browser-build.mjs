// The browser build, shared by tsup.config.ts (the package's dist/browser/ and dist/dashboard/) and by
// writeDashboard when it runs from the sources (src/report/dashboard-assets.ts).
//
// Convention: a module `x.ts` that needs Node (file access, worker threads, HiGHS) has a sibling
// `x.browser.ts` with the same exports; `browserSiblings` resolves imports of `x.js` to it. Only four
// modules have one (src/util/files, src/solvers/{highs,lp-solver,decomposition-backend,auto}).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** esbuild plugin: a relative import of `x.js` resolves to `x.browser.ts` when that file exists. */
export const browserSiblings = {
  name: 'browser-siblings',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      if (!args.importer.endsWith('.ts')) return undefined;
      const sibling = resolve(args.resolveDir, args.path.replace(/\.js$/, '.browser.ts'));
      return existsSync(sibling) ? { path: sibling } : undefined;
    });
  },
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The dashboard's two scripts as text: the worker (the library's browser build, arquero and vega
 * included) and the page. Each is one self-contained IIFE, to be inlined in the HTML file.
 */
export async function buildDashboardAssets({ minify = true, write = false } = {}) {
  const esbuild = await import('esbuild');
  const out = {};
  for (const name of ['worker', 'page']) {
    const result = await esbuild.build({
      entryPoints: [resolve(root, `src/dashboard/${name}.ts`)],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify,
      legalComments: 'none',
      write: false,
      plugins: [browserSiblings],
      // HiGHS's CommonJS build: its Node branches (require of node:fs, node:crypto) never run in a
      // worker, so they stay unresolved calls; its ES build imports node:module at the top.
      alias: { highs: createRequire(import.meta.url).resolve('highs') },
      external: ['node:fs', 'node:crypto', 'node:module', 'node:path'],
      logLevel: 'silent',
    });
    out[name] = result.outputFiles[0].text;
  }
  if (write) {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(resolve(root, 'dist/dashboard'), { recursive: true });
    for (const [name, text] of Object.entries(out)) writeFileSync(resolve(root, `dist/dashboard/${name}.js`), text);
  }
  return out;
}
