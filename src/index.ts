/**
 * retention-optimizer: which retention action each customer should get this
 * week, within budget, capacities and policy rules, with a proven gap.
 *
 * The root is what a planning workflow uses: data in, the model and its
 * constraints, plans and their views, learning, the report. Solver authors
 * find backends and the problem contract in `retention-optimizer/solvers`,
 * chart specs are in `retention-optimizer/charts`, and property-test helpers
 * in `retention-optimizer/testing`.
 *
 * @example
 * ```ts
 * import { RetentionModel, defaultCatalog, sampleCustomers, coverage } from 'retention-optimizer';
 * const plan = await RetentionModel.create().actions(defaultCatalog())
 *   .customers(sampleCustomers({ customers: 2_000 }), { segment: 'subscription_type' })
 *   .budget(4_000).use(coverage({ where: { churnProbability: { gt: 0.5 } }, min: 0.6 })).solve();
 * ```
 *
 * @module
 */

// Errors: every failure is one of these, catchable by type.
export { RetentionError, InvalidInputError, SerializationError, SolverLimitError, SolverError } from './errors.js';

// Data in: files, sample data, customers, catalogs, customer value, filters.
export { loadCustomers, type LoadCustomersOptions, type LoadedCustomers } from './data/load-customers.js';
export { loadActions, withUpliftColumns, type LoadActionsOptions, type LoadedActions } from './data/load-actions.js';
export {
  computeValue,
  type ComputedValue,
  type CustomerValue,
  type ValueByCategory,
  type ValueFormula,
  type ValueRule,
} from './data/value-rule.js';
export { readTable, type ReadTableOptions, type TableSource } from './data/read-table.js';
export {
  KAGGLE_FEATURES,
  sampleCustomers,
  sampleData,
  writeSampleData,
  type SampleDataOptions,
  type SampleFiles,
  type SampleOptions,
  type SampleTables,
} from './data/sample-data.js';
export { defaultCatalog } from './data/default-catalog.js';
export {
  customersFromColumns,
  DictionaryColumn,
  type AttributeColumn,
  type CellValue,
  type Codes,
  type Encoded,
  type CustomerColumns,
  type CustomerData,
} from './data/customers.js';
export { readCustomers, type ColumnMapping, type CustomerSource } from './data/customer-source.js';
export { validateActions, upliftFor, type Action, type ActionSpec } from './data/actions.js';
export { pairTerms, type PairTerms } from './data/pair-terms.js';
export {
  contactHistory,
  loadContactHistory,
  type LoadContactHistoryOptions,
  type ContactColumns,
  type ContactHistory,
} from './data/contact-history.js';
export type { HistoryOptions, HistoryView } from './data/history-view.js';
export type { MultiAction, MultiActionOptions, RequiresRule } from './data/bundles.js';
export {
  evaluateFilter,
  type ColumnCondition,
  type CustomerPredicate,
  type CustomerView,
  type Filter,
  type FilterOp,
  type FilterSpec,
} from './data/filter.js';

// The model and its constraints (the built-ins are plugins like yours).
export { RetentionModel } from './model/retention-model.js';
export type { SolveOptions } from './model/solve.js';
export type { HistoryJSON, ModelJSON } from './model/serialize.js';
export type { Explanation } from './model/explain.js';
export { budget, type BudgetOptions } from './constraints/budget.js';
export { capacity, type CapacityOptions } from './constraints/capacity.js';
export { coverage, type CoverageOptions } from './constraints/coverage.js';
export { saturation, type SaturationOptions } from './constraints/saturation.js';
export { fairness, type FairnessOptions } from './constraints/fairness.js';
export { exclude, type ExcludeOptions } from './constraints/exclude.js';
export { contactLimit, minDaysBetween, noRepeat, type ContactLimitOptions } from './constraints/contact-limit.js';
export { suppress, type SuppressOptions } from './constraints/suppress.js';
export { ratio, type RatioOptions, type RatioPart } from './constraints/ratio.js';
export { reportOnly } from './constraints/report-only.js';
export { constraintFromJSON } from './constraints/from-json.js';
export type {
  BlockReason,
  CompiledConstraint,
  ConstraintContext,
  ConstraintJSON,
  ConstraintPlugin,
  RowSpec,
} from './constraints/plugin.js';

// Plans: what a solve returns (from model.solve() or model.readPlan(); not constructible from outside).
export type {
  AssignmentRow,
  HeldBack,
  InfeasiblePlan,
  MeasuredRow,
  Plan,
  PlanJSON,
  PlanRecord,
  RowReport,
  RowReportJSON,
  SolvedPlan,
  SolverInfo,
  StoppedPlan,
  TreatedEntry,
} from './plan/plan.js';
export type { PlanStatus } from './problem/backend.js';
export { NO_ACTION } from './problem/assignment-problem.js';
export type { Conflict } from './plan/diagnose.js';
export { drawHoldout, type HoldoutOptions } from './plan/holdout.js';

// Views of a plan: typed arquero tables.
export type { ColumnsOf, TableOf } from './util/columns.js';
export { headline, type Headline } from './analytics/headline.js';
export { byAction, type ByActionRow } from './analytics/by-action.js';
export { bySegment, riskTier, type BySegmentRow, type TierOptions } from './analytics/by-segment.js';
export { byChannel, type ByChannelRow } from './analytics/by-channel.js';
export { topCustomers, type TopCustomerRow } from './analytics/top-customers.js';
export { constraintReport, type ConstraintReportRow } from './analytics/constraint-report.js';
export {
  compare,
  type ActionMixRow,
  type CompareOptions,
  type CompareRowRow,
  type Comparison,
  type MoveRow,
  type ScenarioRow,
} from './analytics/compare.js';
export {
  sensitivity,
  type SensitivityOptions,
  type SensitivityResult,
  type SensitivityRow,
} from './analytics/sensitivity.js';
export type { TreatedCustomer } from './analytics/plan-rows.js';
export {
  treatmentPlan,
  emailList,
  callQueue,
  writeExports,
  exportTexts,
  type CallQueueRow,
  type ExportFile,
  type EmailListRow,
  type ExportOptions,
  type TreatmentPlanRow,
} from './analytics/exports.js';

// Learning from outcomes: holdout measurement, calibration.
export {
  calibrate,
  type CalibrateOptions,
  type CalibrationResult,
  type CalibrationRow,
  type Outcomes,
} from './learning/calibrate.js';
export { withCalibration } from './learning/with-calibration.js';
export { simulateOutcomes, type OutcomeRow } from './learning/simulate.js';

// What a manager opens: the report, and the dashboard that re-plans in the browser.
export { reportHTML, writeReport, type ReportOptions } from './report/write-report.js';
export { dashboardHTML, writeDashboard, type DashboardOptions } from './dashboard/write-dashboard.js';

// Backend options name a backend by string (`solve({ solver: 'highs' })`); the factories are in /solvers.
export type { SolverName } from './solvers/registry.js';
