import { closest, distance } from 'fastest-levenshtein';
import { InvalidInputError } from '../errors.js';

/** ` (did you mean "x"?)` when an allowed name is a likely typo of `key`, else ''. */
export function didYouMean(key: string, allowed: readonly string[]): string {
  if (allowed.length === 0) return '';
  const near = closest(key, allowed as string[]);
  return distance(key, near) <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${near}"?)` : '';
}

/** Throws an InvalidInputError for the first own key of `obj` not in `allowed` (a typo must not be ignored). */
export function checkKeys(obj: object, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new InvalidInputError(
        path ? `${path}.${key}` : key,
        `unknown field "${key}"${didYouMean(key, allowed)}; allowed here: ${allowed.join(', ')}`,
        key,
      );
    }
  }
}
