import { InvalidInputError } from '../errors.js';
import { validateActions, type ActionSpec } from './actions.js';
import { readTable, type TableSource } from './read-table.js';

/**
 * Reads an action catalog: a CSV (or table) with columns `action_id`,
 * `action_name`, `channel`, `cost`, `uplift` and optionally
 * `eligible_segment` (`all`, one segment, or several separated by `|`).
 * Validated like any catalog; errors name the row.
 *
 * @example
 * ```ts
 * const catalog = await loadActions('retention_actions.csv');
 * // action_id,action_name,channel,cost,uplift,eligible_segment
 * // 1,Custom Email,email,3,0.10,all
 * // 2,Special Offer,email,25,0.18,Premium|Family
 * ```
 */
export async function loadActions(source: TableSource): Promise<ActionSpec[]> {
  const t = await readTable(source, 'actions', { text: ['action_id', 'action_name', 'channel', 'eligible_segment'] });
  const names = t.columnNames();
  for (const c of ['action_id', 'channel', 'cost', 'uplift']) {
    if (!names.includes(c)) throw new InvalidInputError(`actions.${c}`, `required column "${c}" not found (have: ${names.join(', ')})`, c);
  }
  const rows = t.objects() as Record<string, unknown>[];
  const specs = rows.map((r, i): ActionSpec => {
    const at = `actions[row ${i + 1}]`;
    const id = r.action_id;
    if (id === null || id === undefined || id === '') throw new InvalidInputError(`${at}.action_id`, 'missing action id', id);
    const eligible = parseEligible(r.eligible_segment, `${at}.eligible_segment`);
    return {
      id: String(id),
      name: r.action_name == null || r.action_name === '' ? String(id) : String(r.action_name),
      channel: String(r.channel ?? ''),
      cost: r.cost as number,
      uplift: r.uplift as number,
      ...(eligible ? { eligible } : {}),
    };
  });
  validateActions(specs, 'actions');
  return specs;
}

function parseEligible(v: unknown, path: string): ActionSpec['eligible'] {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new InvalidInputError(path, `expected "all", a segment, or segments separated by "|" (got ${JSON.stringify(v)})`, v);
  const parts = v.split('|').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0 || parts.some((p) => p.toLowerCase() === 'all')) return undefined;
  return { segment: { in: parts } };
}
