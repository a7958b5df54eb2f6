import { InvalidInputError } from '../errors.js';
import { checkKeys } from '../util/keys.js';
import { checkAmount } from './limits.js';
import type { ConstraintPlugin } from './plugin.js';

/** Options of {@link capacity}. */
export interface CapacityOptions {
  /** A channel used by at least one action. */
  channel: string;
  /** Most customers that channel can reach. */
  max: number;
  name?: string;
}

/**
 * Caps the number of customers treated through one channel. Usually set
 * through `model.capacity('email', 120)`.
 *
 * @example
 * ```ts
 * model.use(capacity({ channel: 'call', max: 50 }));
 * ```
 */
export function capacity(options: CapacityOptions): ConstraintPlugin {
  if (options != null && typeof options === 'object') checkKeys(options, ['name', 'channel', 'max'], 'capacity');
  const channel = options?.channel;
  if (typeof channel !== 'string' || channel === '') throw new InvalidInputError('capacity.channel', 'must be a channel name', channel);
  const max = checkAmount(options.max, `capacity(${channel}).max`);
  if (max === undefined) throw new InvalidInputError(`capacity(${channel}).max`, 'is required');
  const name = options.name ?? `capacity:${channel}`;
  return {
    type: 'capacity',
    name,
    compile(ctx) {
      if (!ctx.channels.includes(channel)) {
        throw new InvalidInputError(`constraints.${name}.channel`, `unknown channel "${channel}" (catalog channels: ${ctx.channels.join(', ')})`, channel);
      }
      return { rows: [{ name, sense: '<=', rhs: max, actionCoef: ctx.actions.map((a) => (a.channel === channel ? 1 : 0)) }] };
    },
    toJSON: () => ({ type: 'capacity', ...(options.name ? { name } : {}), channel, max }),
  };
}
