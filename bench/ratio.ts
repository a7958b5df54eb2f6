// Ratio rows on the reference model: none, calls at most 1% of the treated (a row of whole
// coefficients), at least 50% of spend on Premium customers (per-customer coefficients).
//   npx tsx bench/ratio.ts [customers=1000000]
import { referenceModel } from './reference-model.js';
import { ratio } from '../src/index.js';
const n = Number(process.argv[2] ?? 1_000_000);
for (const variant of ['none', 'calls', 'spend']) {
  let m = referenceModel(n, 1);
  if (variant === 'calls') m = m.use(ratio({ part: { channels: ['call'] }, max: 0.01 }));
  if (variant === 'spend')
    m = m.use(ratio({ measure: 'spend', part: { where: { segment: { eq: 'Premium' } } }, min: 0.5 }));
  const t = performance.now();
  const p = await m.solve({ solver: 'decomposition', gapTolerance: 1e-6 });
  console.log(
    variant,
    p.status,
    ((performance.now() - t) / 1000).toFixed(2),
    's gap',
    p.gap.toExponential(1),
    'obj',
    p.objective.toFixed(2),
    p.rows
      .filter((r) => r.type === 'ratio')
      .map((r) => `${r.name} lhs ${r.lhs.toFixed(1)} price ${r.shadowPrice?.toFixed(4)}`)
      .join('; '),
    'rss',
    Math.round(process.memoryUsage().rss / 2 ** 20),
  );
}
