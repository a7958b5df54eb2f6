// File access, in one place. The browser build (tsup.config.ts, scripts/browser-build.mjs) swaps this
// module for files.browser.ts, which has the same exports and says "needs Node" on any file access:
// every other module stays importable in a browser or an edge worker.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative } from 'node:path';

/** True when `path` exists. */
export function fileExists(path: string): boolean {
  return existsSync(path);
}

/** The file's text (UTF-8). */
export function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** Writes `data` to `path`, creating its folder first. */
export async function writeText(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
}

/** Creates a folder and its parents. */
export async function makeDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
}

/** The bytes of a file of an installed package, by its export (`highs/runtime`). */
export function readPackageFile(specifier: string): Promise<Uint8Array> {
  return readFile(createRequire(import.meta.url).resolve(specifier));
}

/** Path helpers (node:path here; plain string work in the browser build). */
export const paths = { join, dirname, extname, relative };
