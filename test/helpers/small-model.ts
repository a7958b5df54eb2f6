import type { ActionSpec } from '../../src/index.js';

export const catalog: ActionSpec[] = [
  { id: 'email', name: 'Personalized Email', channel: 'email', cost: 2, uplift: 0.08 },
  {
    id: 'discount',
    name: '20% Discount',
    channel: 'email',
    cost: 20,
    uplift: 0.15,
    upliftBySegment: { Premium: 0.18 },
    eligible: { segment: { in: ['Premium', 'Family'] } },
  },
  { id: 'call', name: 'Retention Call', channel: 'call', cost: 15, uplift: 0.22 },
];

/** n deterministic customers with segments and a region / doNotContact attribute. */
export function columns(n: number) {
  const seg = ['Free', 'Premium', 'Family', 'Student'];
  return {
    id: Array.from({ length: n }, (_, i) => `c${i}`),
    churnProbability: Array.from({ length: n }, (_, i) => ((i * 37) % 100) / 100),
    value: Array.from({ length: n }, (_, i) => 50 + ((i * 53) % 400)),
    segment: Array.from({ length: n }, (_, i) => seg[i % 4]!),
    attributes: {
      region: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'EU' : 'US')),
      doNotContact: Array.from({ length: n }, (_, i) => i % 10 === 0),
    },
  };
}
