// How one job runs on a loaded HiGHS runtime, as plain JavaScript text: the Node worker below evaluates
// it in its thread, and the dashboard's Web Worker (highs-local.ts) in its own, so both run HiGHS the same
// way. `shouldStop()` is polled at each interrupt callback; `post` receives progress and incumbents.
export const HIGHS_RUN_SOURCE = String.raw`
function highsModelData(highs, m) {
  const inf = (v) => (v === Infinity ? highs.infinity : v === -Infinity ? -highs.infinity : v);
  return {
    numCols: m.numCols, numRows: m.numRows,
    sense: m.maximize ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost: m.colCost, colLower: m.colLower.map(inf), colUpper: m.colUpper.map(inf),
    rowLower: m.rowLower.map(inf), rowUpper: m.rowUpper.map(inf),
    matrix: { format: 'csc', numRows: m.numRows, numCols: m.numCols, starts: m.starts, indices: m.indices, values: m.values },
    ...(m.integerColumns > 0 ? { integrality: new Int32Array(m.numCols).fill(highs.constants.variableType.integer, 0, m.integerColumns) } : {}),
  };
}
function runHighsJob(highs, job, shouldStop, post) {
  const st = highs.constants.modelStatus;
  const cb = highs.constants.callbackType;
  const started = Date.now();
  const interrupt = (event) => { if (shouldStop()) event.interrupt(); };
  let iterations = 0;
  let lastProgress = 0;
  const model = highs.createModel(highsModelData(highs, job.model));
  let out;
  try {
    model.options.set(job.options);
    const result = model.run({
      [cb.simplexInterrupt]: interrupt,
      [cb.ipmInterrupt]: interrupt,
      [cb.mipInterrupt]: (event) => {
        iterations++;
        const now = Date.now();
        if (now - lastProgress >= 100) {
          lastProgress = now;
          const d = event.data;
          post({ type: 'progress', iterations, bound: d.mip_dual_bound, objective: d.mip_primal_bound, gap: d.mip_gap, seconds: (now - started) / 1000 });
        }
        interrupt(event);
      },
      [cb.mipImprovingSolution]: (event) => {
        if (event.data.mip_solution) post({ type: 'incumbent', colValue: event.data.mip_solution });
      },
    });
    const code = result.modelStatus;
    const status = code === st.optimal ? 'optimal' : code === st.infeasible ? 'infeasible' : code === st.unbounded ? 'unbounded'
      : (code === st.timeLimit || code === st.interrupted || code === st.iterationLimit || code === st.solutionLimit) ? 'stopped' : 'other';
    const hasPrimal = Number(model.info.get('primal_solution_status')) === 2;
    const colValue = hasPrimal ? Float64Array.from(model.getSolution().colValue) : null;
    let dualBound = job.model.integerColumns > 0 ? Number(model.info.get('mip_dual_bound')) : (status === 'optimal' ? model.getObjectiveValue() : NaN);
    if (Math.abs(dualBound) >= highs.infinity) dualBound = Math.sign(dualBound) * Infinity;
    out = { status, modelStatus: code, colValue, dualBound, rowDual: null, iterations };
  } finally {
    model.dispose();
  }
  if (job.duals && out.status === 'optimal' && !shouldStop()) {
    const lp = highs.createModel(highsModelData(highs, job.duals.model));
    try {
      lp.options.set({ output_flag: false });
      const r = lp.run({ [cb.simplexInterrupt]: interrupt, [cb.ipmInterrupt]: interrupt });
      if (r.modelStatus === st.optimal) out.rowDual = Float64Array.from(lp.getSolution().rowDual.subarray(0, job.duals.rows));
    } finally {
      lp.dispose();
    }
  }
  return out;
}
`;
