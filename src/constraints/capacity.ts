import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { checkAmount } from './limits.js';
import type { ConstraintContext, ConstraintPlugin } from './plugin.js';

/**
 * Options of {@link capacity}: one channel, several channels sharing one
 * capacity, or a list of actions. Exactly one of `channel`, `channels`,
 * `actions`.
 *
 * @example
 * ```ts
 * const team: CapacityOptions = { name: 'team', channels: ['call', 'in_app'], max: 100 };
 * ```
 */
export type CapacityOptions = (
  | {
      /** A channel used by at least one action. */
      channel: string;
      /** Not with `channel`. */
      channels?: never;
      /** Not with `channel`. */
      actions?: never;
    }
  | {
      /** Channels sharing one capacity (say call, in-app and push handled by one team). */
      channels: readonly string[];
      /** Not with `channels`. */
      channel?: never;
      /** Not with `channels`. */
      actions?: never;
    }
  | {
      /** Action ids sharing one capacity. */
      actions: readonly string[];
      /** Not with `actions`. */
      channel?: never;
      /** Not with `actions`. */
      channels?: never;
    }
) & {
  /** Most customers those channels or actions can reach, together. */
  max: number;
  /** Row name (default `capacity:<channel>`, `capacity:<a>+<b>`, `capacity:actions:<a>+<b>`). */
  name?: string;
};

/**
 * Caps the number of customers treated through one channel, through several
 * channels together, or with a list of actions together. Usually set through
 * `model.capacity('email', 120)`.
 *
 * @example
 * ```ts
 * model.use(capacity({ channel: 'call', max: 50 }));
 * model.use(capacity({ name: 'team', channels: ['call', 'in_app', 'push'], max: 100 }));
 * model.use(capacity({ actions: ['vip', 'call'], max: 40 }));
 * ```
 */
export function capacity(options: CapacityOptions): ConstraintPlugin {
  if (options != null && typeof options === 'object')
    checkKeys(options, ['name', 'channel', 'channels', 'actions', 'max'], 'capacity');
  const scope = scopeOf(options);
  const max = checkAmount(options.max, `capacity(${scope.label}).max`);
  if (max === undefined) throw new InvalidInputError(`capacity(${scope.label}).max`, 'is required');
  const name = options.name ?? `capacity:${scope.label}`;
  return {
    type: 'capacity',
    name,
    compile: (ctx) => ({
      rows: [
        {
          name,
          sense: '<=',
          rhs: max,
          actionCoef: scope.actionCoef(ctx, `constraints.${name}`),
          ...(scope.channels ? { channels: scope.channels } : {}),
        },
      ],
    }),
    toJSON: () => ({ type: 'capacity', ...(options.name ? { name } : {}), ...scope.json, max }),
  };
}

interface Scope {
  /** How the default name and messages call it: `email`, `call+in_app+push`, `actions:vip+call`. */
  label: string;
  json: Record<string, unknown>;
  /** The channels counted whole (none for a list of actions). */
  channels?: readonly string[];
  actionCoef(ctx: ConstraintContext, path: string): number[];
}

function scopeOf(options: CapacityOptions): Scope {
  const given = (['channel', 'channels', 'actions'] as const).filter((key) => options?.[key] !== undefined);
  if (given.length !== 1) {
    throw new InvalidInputError(
      'capacity',
      `give exactly one of channel, channels, actions (got ${given.length ? given.join(', ') : 'none'})`,
      options,
    );
  }
  const key = given[0]!;
  if (key === 'channel') {
    const channel = options.channel;
    if (typeof channel !== 'string' || channel === '')
      throw new InvalidInputError('capacity.channel', 'must be a channel name', channel);
    return {
      label: channel,
      json: { channel },
      channels: [channel],
      actionCoef: (ctx, path) => channelsCoef(ctx, [channel], `${path}.channel`),
    };
  }
  const list = names(options[key], `capacity.${key}`);
  if (key === 'channels') {
    return {
      label: list.join('+'),
      json: { channels: list },
      channels: list,
      actionCoef: (ctx, path) => channelsCoef(ctx, list, `${path}.channels`),
    };
  }
  return {
    label: `actions:${list.join('+')}`,
    json: { actions: list },
    actionCoef(ctx, path) {
      const listed = new Set(list.map((id, j) => ctx.actionIndex(id, `${path}.actions[${j}]`)));
      // A bundle counts once per listed action it gives.
      return ctx.actions.map((_, k) => ctx.members(k).filter((b) => listed.has(b)).length);
    },
  };
}

function channelsCoef(ctx: ConstraintContext, channels: readonly string[], path: string): number[] {
  channels.forEach((channel, j) => {
    if (!ctx.channels.includes(channel)) {
      const at = channels.length === 1 && path.endsWith('.channel') ? path : `${path}[${j}]`;
      throw new InvalidInputError(
        at,
        `unknown channel "${channel}" (catalog channels: ${ctx.channels.join(', ')})`,
        channel,
      );
    }
  });
  // A contact per action through those channels: a bundle of an email and a call counts once for email.
  return ctx.actions.map((_, k) => ctx.members(k).filter((b) => channels.includes(ctx.catalog[b]!.channel)).length);
}

// A non-empty list of distinct non-empty names, copied.
function names(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new InvalidInputError(path, 'must be a non-empty array of names', value);
  const seen = new Set<string>();
  return value.map((v, j) => {
    if (typeof v !== 'string' || v === '')
      throw new InvalidInputError(`${path}[${j}]`, 'must be a non-empty string', v);
    if (seen.has(v)) throw new InvalidInputError(`${path}[${j}]`, `"${v}" is listed twice`, v);
    seen.add(v);
    return v;
  });
}
