// The library's layers, checked in CI (`npm run deps`): no import cycle between modules, and each
// folder imports only from the layers before it. The order, left to right (README, "Layers"):
//   util, errors → data (filters included) → problem (the contract: AssignmentProblem, SolverBackend)
//   → constraints → solvers (decomposition, highs, lp-solver, workers) → plan → model
//   → analytics, learning → charts → report → dashboard; testing sits on model and plan. entries/ holds the
//   subpath facades (retention-optimizer/solvers, /charts), which gather from several layers as the
//   root index does; nothing imports them.
const upstream = (name, from, to, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
});

module.exports = {
  forbidden: [
    upstream(
      'nothing-imports-a-facade',
      '^src/(?!entries/)',
      '^src/(entries/|index\\.ts$)',
      'The facades (src/index.ts, src/entries/) are entry points only.',
    ),
    {
      name: 'no-circular',
      comment: 'An import cycle: the layers are not layers.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    upstream(
      'problem-is-a-contract',
      '^src/problem/',
      '^src/(?!problem/|errors\\.ts$)',
      'problem/ is the contract backends see: it imports nothing of the library.',
    ),
    upstream(
      'data-comes-first',
      '^src/data/',
      '^src/(constraints|problem|solvers|plan|model|analytics|learning|charts|report|testing)/',
      'data/ (customers, catalogs, filters, files) is the first layer.',
    ),
    upstream(
      'constraints-before-solvers',
      '^src/constraints/',
      '^src/(solvers|plan|model|analytics|learning|charts|report|testing)/',
      'Constraint plugins compile to rows; they know nothing of solvers or plans.',
    ),
    upstream(
      'solvers-see-only-the-contract',
      '^src/solvers/',
      '^src/(data|constraints|plan|model|analytics|learning|charts|report|testing)/',
      'Backends see the AssignmentProblem and nothing of customers, plugins or plans.',
    ),
    upstream(
      'decomposition-is-one-backend',
      '^src/solvers/decomposition/',
      '^src/solvers/[^/]+\\.ts$',
      'The decomposition does not import other backends or the registry (what it needs is passed in or lives in solvers/worker/).',
    ),
    upstream(
      'decomposition-core-first',
      '^src/solvers/decomposition/core/',
      '^src/solvers/decomposition/(dual|primal|run|index)',
      'core/ (structure, values, prices) is what the dual and the primal phases share; it imports neither.',
    ),
    upstream(
      'decomposition-phases-below-the-run',
      '^src/solvers/decomposition/(core|dual|primal)/',
      '^src/solvers/decomposition/(run|index)\\.ts$',
      'run.ts calls the phases; they do not call back.',
    ),
    upstream(
      'decomposition-primal-not-dual',
      '^src/solvers/decomposition/primal/',
      '^src/solvers/decomposition/dual/',
      'The primal phases read prices from core/, not the dual method.',
    ),
    upstream(
      'decomposition-dual-not-primal',
      '^src/solvers/decomposition/dual/',
      '^src/solvers/decomposition/primal/',
      'The dual method knows nothing of the plans built from it.',
    ),
    {
      name: 'decomposition-is-given-its-lp',
      severity: 'error',
      comment:
        "The exact LP solver the decomposition needs is passed in (createDecomposition({ lp })); it may name the worker's types only.",
      from: { path: '^src/solvers/decomposition/' },
      to: { path: '^src/solvers/worker/', dependencyTypesNot: ['type-only'] },
    },
    upstream(
      'plan-before-model',
      '^src/plan/',
      '^src/(constraints|solvers|model|analytics|learning|charts|report|testing)/',
      'A plan is checked against the problem, not the model or a solver.',
    ),
    upstream(
      'model-before-analytics',
      '^src/model/',
      '^src/(analytics|learning|charts|report|testing)/',
      'The model solves; views of its plans come after it.',
    ),
    upstream(
      'analytics-before-charts',
      '^src/(analytics|learning)/',
      '^src/(charts|report|testing)/',
      'Tables first, then the charts and the report built from them.',
    ),
    upstream(
      'charts-before-report',
      '^src/charts/',
      '^src/(report|testing|learning)/',
      'Charts are specs from tables.',
    ),
    upstream(
      'dashboard-on-top',
      '^src/(?!dashboard/|index\\.ts$|entries/)',
      '^src/dashboard/',
      'The dashboard (its page, its worker and writeDashboard) sits on everything else; nothing but the root facade imports it.',
    ),
    upstream(
      'util-is-a-leaf',
      '^src/util/',
      '^src/(?!util/|errors\\.ts$)',
      'util/ holds helpers with no knowledge of the domain.',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
