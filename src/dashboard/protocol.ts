// Messages between the dashboard page (page.ts) and its worker (worker.ts).
import type { PlanSections } from '../report/sections.js';
import type { Control, Scenario } from './scenario.js';

/** What the page asks of the worker. */
export type ToWorker =
  | { type: 'init'; model: string; highsWasm: string }
  | { type: 'solve'; id: number; scenario: Scenario }
  /** Solve the current scenario at budgets from a quarter to twice its own, and show the sweep. */
  | { type: 'sweep'; id: number }
  | { type: 'file'; id: number; name: string };

/** The figures of a plan the page keeps for its scenario list. */
export interface PlanFigures {
  status: string;
  objective: number;
  netValue: number;
  spend: number;
  treated: number;
  roi: number;
  gap: number;
  seconds: number;
}

/** What the worker answers. */
export type FromWorker =
  | { type: 'ready'; controls: Control[]; name: string; customers: number; seconds: number }
  | { type: 'progress'; id: number; iteration: number; bound: number; seconds: number }
  | {
      type: 'plan';
      id: number;
      sections: PlanSections;
      figures: PlanFigures;
      /** Customer id → action id of every treated customer (for the page's checks and its test). */
      assignments: [string | number, string][];
    }
  | { type: 'file'; id: number; name: string; text: string }
  | { type: 'error'; id: number; message: string };
