// File access, in one place. The browser build (tsup.config.ts, scripts/browser-build.mjs) swaps this
// module for files.browser.ts, which has the same exports and says "needs Node" on any file access:
// every other module stays importable in a browser or an edge worker.
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** A file read in byte ranges (`slice(start, end)`), for formats that read only what they need (Parquet). */
export interface FileRanges {
  byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer>;
}

/**
 * The file as {@link FileRanges}: each `slice` reads that range from disk, so
 * a reader that wants a few columns of a large file never holds all of it.
 */
export async function fileRanges(path: string): Promise<FileRanges> {
  const { size } = await stat(path);
  return {
    byteLength: size,
    async slice(start, end = size) {
      const out = new Uint8Array(Math.max(0, end - start));
      const handle = await open(path, 'r');
      try {
        let done = 0;
        while (done < out.length) {
          const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
      } finally {
        await handle.close();
      }
      return out.buffer;
    },
  };
}

/** The path of a `file:` URL (`new URL('./x.js', import.meta.url)`), spaces and all. */
export function pathOfURL(url: URL): string {
  return fileURLToPath(url);
}

/** Path helpers (node:path here; plain string work in the browser build). */
export const paths = { join, dirname, extname, relative };
