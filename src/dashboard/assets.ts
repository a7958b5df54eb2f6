// The dashboard's two scripts (worker and page), as text to inline. The package ships them built
// (dist/dashboard/, made by tsup.config.ts); run from the sources (tsx, vitest), they are built here
// once per process with esbuild, a development dependency, by the same script the package build uses.
import { fileExists, pathOfURL, readPackageFile, readText } from '../util/files.js';
import { RetentionError } from '../errors.js';

/** The worker's and the page's scripts, and HiGHS's WebAssembly (base64) for the worker. */
export interface DashboardAssets {
  worker: string;
  page: string;
  highsWasm: string;
}

let cached: Promise<DashboardAssets> | undefined;

/** Loads (or, from the sources, builds) the dashboard's scripts. */
export function dashboardAssets(): Promise<DashboardAssets> {
  return (cached ??= load());
}

async function load(): Promise<DashboardAssets> {
  const [scripts, wasm] = await Promise.all([loadScripts(), readPackageFile('highs/runtime')]);
  return { ...scripts, highsWasm: base64(wasm) };
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function loadScripts(): Promise<Omit<DashboardAssets, 'highsWasm'>> {
  const built = (name: string) => pathOfURL(new URL(`./dashboard/${name}.js`, import.meta.url));
  if (import.meta.url.startsWith('file:') && fileExists(built('worker'))) {
    const [worker, page] = await Promise.all([readText(built('worker')), readText(built('page'))]);
    return { worker, page };
  }
  const script = new URL('../../scripts/browser-build.mjs', import.meta.url);
  if (!import.meta.url.endsWith('.ts') || !fileExists(pathOfURL(script)))
    throw new RetentionError(
      'MISSING_ASSETS',
      `the dashboard's scripts are missing next to ${import.meta.url} (dashboard/worker.js): reinstall the package, or run npm run build`,
    );
  const { buildDashboardAssets } = (await import(/* @vite-ignore */ script.href)) as {
    buildDashboardAssets(o: { minify: boolean }): Promise<Omit<DashboardAssets, 'highsWasm'>>;
  };
  return buildDashboardAssets({ minify: true });
}
