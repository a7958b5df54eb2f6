import type { MultiAction } from '../data/bundles.js';
import type { ConstraintPlugin } from './plugin.js';

/**
 * The `requires` rules of `maxActionsPerCustomer`: action B only together with action A, or after A (a
 * past contact with A in the history). Options that give B without A are out for customers with no
 * contact with A; with no history, for everyone. Added by the model (it is part of the multi-action
 * setting, written with it in files, not a constraint of its own).
 */
export function bundleRules(multi: MultiAction): ConstraintPlugin {
  // For each rule, the options giving B without A, and whether customer i had A.
  const rules = (ctx: Parameters<ConstraintPlugin['compile']>[0]) =>
    multi.requires.map((r) => {
      const b = ctx.catalog.findIndex((a) => a.id === r.action);
      const a = ctx.catalog.findIndex((x) => x.id === r.with);
      const options = ctx.actions.flatMap((_, k) =>
        ctx.members(k).includes(b) && !ctx.members(k).includes(a) ? [k] : [],
      );
      const had = (i: number) => {
        const h = ctx.history;
        if (!h) return -1;
        for (let j = h.start[i]!; j < h.start[i + 1]!; j++) if (h.action[j] === a) return h.row[j]!;
        return -1;
      };
      return { r, options, had };
    });
  return {
    type: 'bundle-rules',
    name: 'maxActionsPerCustomer.requires',
    compile(ctx) {
      const n = ctx.customers.size;
      const K = ctx.actions.length;
      const blockPairs = new Uint8Array(n * K);
      for (const { options, had } of rules(ctx))
        for (let i = 0; i < n; i++) if (had(i) < 0) for (const k of options) blockPairs[i * K + k] = 1;
      return { blockPairs };
    },
    explain(ctx, i) {
      return rules(ctx)
        .filter(({ had }) => had(i) < 0)
        .map(({ r, options }) => ({
          actions: options,
          reason: `"${r.action}" only together with "${r.with}" or after it, and this customer has had no "${r.with}"${ctx.history ? '' : ' (the model has no contact history)'}`,
        }));
    },
  };
}
