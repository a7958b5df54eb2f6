/** Rows of objects → columns for `arquero.table`, in the order of `keys`. */
export function columnsOf<T extends object>(rows: readonly T[], keys: readonly (keyof T)[]): Record<string, unknown[]> {
  return Object.fromEntries(keys.map((k) => [k, rows.map((r) => r[k])]));
}
