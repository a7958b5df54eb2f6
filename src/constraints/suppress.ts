import { InvalidInputError } from '../errors.js';
import { dayLabel } from '../data/contact-history.js';
import { checkKeys } from '../util/keys.js';
import { needHistory } from './contact-limit.js';
import type { ConstraintPlugin } from './plugin.js';
import { customerArray } from '../util/shared-memory.js';

/**
 * Options of {@link suppress}.
 *
 * @example
 * ```ts
 * const opts: SuppressOptions = { outcomes: ['churned', 'opted_out', 'complained'] };
 * ```
 */
export interface SuppressOptions {
  /** Outcomes in the contact history that end all contact (default `churned`, `opted_out`). */
  outcomes?: readonly string[];
  /** Constraint name, unique in the model (default `suppress`). */
  name?: string;
}

/**
 * A customer whose contact history has a churned or opted-out outcome (or
 * the outcomes named) is never contacted again, whenever that was. Needs
 * `model.history(...)`; `model.explain(id)` names the contact.
 *
 * @example
 * ```ts
 * model.history(history, { asOf: 49 }).use(suppress());
 * ```
 */
export function suppress(options: SuppressOptions = {}): ConstraintPlugin {
  if (options == null || typeof options !== 'object')
    throw new InvalidInputError('suppress', 'expected options { outcomes?, name? }', options);
  checkKeys(options, ['outcomes', 'name'], 'suppress');
  const outcomes = options.outcomes ?? ['churned', 'opted_out'];
  if (!Array.isArray(outcomes) || outcomes.length === 0 || !outcomes.every((o) => typeof o === 'string' && o !== ''))
    throw new InvalidInputError('suppress.outcomes', 'must be a non-empty list of outcome names', outcomes);
  const set = new Set(outcomes);
  const name = options.name ?? 'suppress';
  // The first (newest) contact with a suppressing outcome, or −1: the one place the rule is written.
  const decidingContact = (h: NonNullable<ReturnType<typeof needHistory>>, i: number) => {
    for (let j = h.start[i]!; j < h.start[i + 1]!; j++) {
      const o = h.history.outcome[h.row[j]!];
      if (o !== undefined && set.has(o)) return j;
    }
    return -1;
  };
  return {
    type: 'suppress',
    name,
    compile(ctx) {
      const h = needHistory(ctx, name);
      const exclude = customerArray(Uint8Array, ctx.customers.size);
      for (let i = 0; i < exclude.length; i++) if (decidingContact(h, i) >= 0) exclude[i] = 1;
      return { exclude };
    },
    explain(ctx, i) {
      const h = needHistory(ctx, name);
      const j = decidingContact(h, i);
      if (j < 0) return [];
      const r = h.row[j]!;
      return [
        {
          actions: ctx.actions.map((_, k) => k),
          reason: `outcome "${h.history.outcome[r]}" after "${h.history.action[r]}" on ${dayLabel(h.day[j]!, h.history.unit)}: never contacted again`,
          contact: r,
        },
      ];
    },
    toJSON: () => ({
      type: 'suppress',
      ...(options.name ? { name } : {}),
      ...(options.outcomes ? { outcomes: [...outcomes] } : {}),
    }),
  };
}
