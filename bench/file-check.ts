// A retention-model/v1 file of 3,000 customers × 7 actions with every constraint type, written to
// disk, read back and solved by each backend; every plan checked by the independent contract
// checker of the tests (test/helpers/independent-check.ts), which shares no code with src/.
//   npx tsx bench/file-check.ts [customers]
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RetentionModel } from '../src/index.js';
import { assignmentOf, objectiveOf, violations } from '../test/helpers/independent-check.js';
import { referenceModel } from './reference-model.js';

const n = Number(process.argv[2] ?? 3000);
const path = join(mkdtempSync(join(tmpdir(), 'ro-file-')), 'model.json');
writeFileSync(path, JSON.stringify(referenceModel(n, 5).toJSON()));
const doc = JSON.parse(readFileSync(path, 'utf8'));
console.log(
  `${path}: ${n} customers, ${doc.actions.length} actions, constraint types ${[...new Set(doc.constraints.map((c: { type: string }) => c.type))].join(', ')}`,
);
let exact: number | undefined;
for (const solver of ['highs', 'decomposition', 'auto'] as const) {
  const plan = await RetentionModel.fromJSON(doc).solve({ solver, gapTolerance: 1e-6 });
  const assign = assignmentOf(doc, plan.toJSON());
  const bad = violations(doc, assign);
  exact ??= plan.objective;
  console.log(
    `${solver.padEnd(13)} ${plan.solver.name.padEnd(13)} ${plan.status.padEnd(8)} ${plan.solver.seconds.toFixed(2)} s  objective ${plan.objective.toFixed(4)}  ` +
      `bound ${plan.bound.toFixed(4)}  gap ${plan.gap.toExponential(1)}  checker: ${bad.length ? bad.join('; ') : 'feasible'}, ` +
      `recomputed ${objectiveOf(doc, assign).toFixed(4)}, below the highs optimum by ${(exact - plan.objective).toExponential(1)}`,
  );
}

// The same file with floors the budget cannot pay for.
const tight = {
  ...doc,
  constraints: doc.constraints.map((c: { type: string }) => (c.type === 'budget' ? { ...c, max: 20 } : c)),
};
for (const solver of ['highs', 'decomposition'] as const) {
  const plan = await RetentionModel.fromJSON(tight).solve({ solver });
  console.log(
    `tight budget, ${solver}: ${plan.status} in ${plan.solver.seconds.toFixed(2)} s; ${plan.conflicts.map((c) => c.message).join(' | ')}`,
  );
}
