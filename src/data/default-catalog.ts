import type { ActionSpec } from './actions.js';

/**
 * The built-in catalog of 7 actions of a music-streaming service. Costs are
 * per customer treated; an uplift is the share of a customer's churn risk the
 * action removes (expected value kept = churn probability × uplift × value).
 * All figures are assumptions to calibrate with holdout results, not facts.
 *
 * | id | channel | cost | uplift | notes |
 * | --- | --- | --- | --- | --- |
 * | email | email | 2 | 0.05 | personalized email |
 * | discount | email | 20 | 0.12 | 20% off three months; 0.15 for Premium and Family; paying plans only |
 * | call | call | 15 | 0.18 | retention call by an agent |
 * | free-month | email | 10 | 0.10 | one month free; paying plans only |
 * | in-app | in-app | 1 | 0.03 | in-app offer |
 * | push | push | 0.1 | 0.015 | push notification |
 * | playlist | email | 0.5 | 0.025 | curated playlist email |
 *
 * @example
 * ```ts
 * const model = RetentionModel.create().actions(defaultCatalog());
 * ```
 */
export function defaultCatalog(): ActionSpec[] {
  const paying = { segment: { in: ['Premium', 'Family', 'Student'] } };
  return [
    { id: 'email', name: 'Personalized Email', channel: 'email', cost: 2, uplift: 0.05 },
    {
      id: 'discount',
      name: '20% Discount',
      channel: 'email',
      cost: 20,
      uplift: 0.12,
      upliftBySegment: { Premium: 0.15, Family: 0.15 },
      eligible: paying,
    },
    { id: 'call', name: 'Retention Call', channel: 'call', cost: 15, uplift: 0.18 },
    { id: 'free-month', name: 'Free Month', channel: 'email', cost: 10, uplift: 0.1, eligible: paying },
    { id: 'in-app', name: 'In-App Offer', channel: 'in-app', cost: 1, uplift: 0.03 },
    { id: 'push', name: 'Push Notification', channel: 'push', cost: 0.1, uplift: 0.015 },
    { id: 'playlist', name: 'Playlist Email', channel: 'email', cost: 0.5, uplift: 0.025 },
  ];
}
