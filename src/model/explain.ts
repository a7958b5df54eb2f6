import { InvalidInputError } from '../errors.js';
import { dayLabel } from '../data/contact-history.js';
import { evaluateFilter } from '../data/filter.js';
import type { ConstraintContext, ConstraintPlugin } from '../constraints/plugin.js';

/**
 * What `model.explain(id)` returns: the customer, each action and whether it
 * is open to them, and the rules that keep it closed.
 *
 * @example
 * ```ts
 * const why = model.explain('1042');
 * why.actions.filter((a) => !a.allowed).forEach((a) => console.log(a.action, a.blockedBy[0]?.reason));
 * ```
 */
export interface Explanation {
  /** The customer id, as it went in. */
  customerId: string | number;
  /** One entry per catalog action, in catalog order. */
  actions: {
    /** Action id. */
    action: string;
    /** True when no rule keeps the action from the customer (budgets and capacities aside). */
    allowed: boolean;
    /** Every rule that keeps it closed. */
    blockedBy: {
      /** The rule: `eligibility` for the action's own filter, else the constraint's name. */
      rule: string;
      /** Its type (`eligibility`, `exclude`, `contact-limit`, `suppress`, …). */
      type: string;
      /** The rule and the facts, in words. */
      reason: string;
      /** The past contact that decided it, when one did. */
      contact?: {
        /** Its row in the contact history. */
        row: number;
        /** Its action id. */
        action: string;
        /** Its date (`2026-11-23`) or week (`week 47`). */
        when: string;
        /** Its outcome, when recorded. */
        outcome?: string;
      };
    }[];
  }[];
}

/**
 * The explanation of one customer, from the same rule code the compile runs. `rulingOut` names the
 * rules that returned exclusions or blocked pairs when the model compiled (its `heldBack`).
 */
export function explainCustomer(
  ctx: ConstraintContext,
  constraints: readonly ConstraintPlugin[],
  customerId: string | number,
  rulingOut: ReadonlySet<string>,
): Explanation {
  const { customers, actions } = ctx;
  const i = customers.id.findIndex((id) => id === customerId || String(id) === String(customerId));
  if (i < 0)
    throw new InvalidInputError('explain.customerId', `no customer with id ${JSON.stringify(customerId)}`, customerId);
  const entries = actions.map((a) => ({
    action: a.id,
    allowed: true,
    blockedBy: [] as Explanation['actions'][number]['blockedBy'],
  }));
  const block = (k: number, item: Explanation['actions'][number]['blockedBy'][number]) => {
    entries[k]!.allowed = false;
    entries[k]!.blockedBy.push(item);
  };
  actions.forEach((a, k) => {
    if (a.eligible === undefined) return;
    // One customer's cell of the mask; filters evaluate column-wise, which is milliseconds even at a million.
    if (!evaluateFilter(a.eligible, customers, `actions[${k}].eligible`)[i])
      block(k, {
        rule: 'eligibility',
        type: 'eligibility',
        reason: `not eligible for "${a.id}" (the action's eligible filter)`,
      });
  });
  const h = ctx.history;
  for (const c of constraints) {
    // A report-only rule keeps nobody from anything (it is counted in plan.heldBack instead).
    if (c.reportOnly) continue;
    if (c.explain) {
      for (const r of c.explain(ctx, i)) {
        const contact =
          r.contact !== undefined && h
            ? {
                row: r.contact,
                action: h.history.action[r.contact]!,
                when: dayLabel(h.history.day[r.contact]!, h.history.unit),
                ...(h.history.outcome[r.contact] !== undefined ? { outcome: h.history.outcome[r.contact]! } : {}),
              }
            : undefined;
        for (const k of r.actions)
          block(k, { rule: c.name, type: c.type, reason: r.reason, ...(contact ? { contact } : {}) });
      }
    } else if (rulingOut.has(c.name)) {
      // A rule with no explain of its own that ruled pairs out when the model compiled: what its masks
      // say of this customer (rules that only add rows are not compiled again).
      const out = c.compile(ctx);
      const K = actions.length;
      actions.forEach((_, k) => {
        if (out.exclude?.[i]) block(k, { rule: c.name, type: c.type, reason: 'excluded from every action' });
        else if (out.blockPairs?.[i * K + k])
          block(k, { rule: c.name, type: c.type, reason: 'ruled out for this customer' });
      });
    }
  }
  return { customerId: customers.id[i]!, actions: entries };
}
