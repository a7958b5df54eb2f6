// The browser build's stand-in for files.ts (same exports): a browser or an edge worker has no file
// system, so each file access is a typed error that says what to pass instead.
import { RetentionError } from '../errors.js';
import type * as NodeFiles from './files.js';

export type { FileRanges } from './files.js';

function nodeOnly(what: string): never {
  throw new RetentionError(
    'NODE_ONLY',
    `${what} needs Node's file system; in a browser pass the file's text, an arquero table or columns`,
  );
}

export const fileExists: typeof NodeFiles.fileExists = (path) => nodeOnly(`reading "${path}"`);
export const readText: typeof NodeFiles.readText = (path) => nodeOnly(`reading "${path}"`);
export const writeText: typeof NodeFiles.writeText = (path) => nodeOnly(`writing "${path}"`);
export const readPackageFile: typeof NodeFiles.readPackageFile = (specifier) => nodeOnly(`reading "${specifier}"`);
export const fileRanges: typeof NodeFiles.fileRanges = (path) => nodeOnly(`reading "${path}"`);
export const pathOfURL: typeof NodeFiles.pathOfURL = (url) => nodeOnly(`reading "${url.href}"`);
export const makeDir: typeof NodeFiles.makeDir = (path) => nodeOnly(`creating "${path}"`);

const join = (...parts: string[]) =>
  parts
    .filter((p) => p !== '')
    .join('/')
    .replace(/\/+/g, '/');
const dirname = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) || '/' : '.');
const extname = (p: string) => {
  const base = p.slice(p.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
};
const relative = (_from: string, to: string) => to;
export const paths = { join, dirname, extname, relative } as unknown as typeof NodeFiles.paths;
