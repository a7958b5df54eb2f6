import {
  factoredRow,
  factoredValue,
  type AssignmentProblem,
  type ValueFactors,
} from '../../../problem/assignment-problem.js';

/**
 * The net values of (customer, action) pairs as the decomposition reads them,
 * −Infinity where a pair is not eligible: from the problem's factors when it
 * has them (no n × K array is built), else from its `values`.
 */
export interface PairValues {
  readonly K: number;
  /** Writes customer i's K values into `out` and returns it. */
  row(i: number, out: Float64Array): Float64Array;
  /** The value of (i, k). */
  at(i: number, k: number): number;
}

/** The pair values of a problem: factored where it can be, dense otherwise. */
export function pairValuesOf(problem: AssignmentProblem): PairValues {
  const f = problem.valueFactors;
  return f ? new FactoredValues(f, problem.eligible, problem.K) : new DenseValues(problem.values, problem.K);
}

/** Values held in a row-major n × K array. */
export class DenseValues implements PairValues {
  constructor(
    readonly w: Float64Array,
    readonly K: number,
  ) {}

  row(i: number, out: Float64Array): Float64Array {
    const base = i * this.K;
    for (let k = 0; k < this.K; k++) out[k] = this.w[base + k]!;
    return out;
  }

  at(i: number, k: number): number {
    return this.w[i * this.K + k]!;
  }
}

// Read through the problem's own helpers, which the compiled `values` use too: both agree to the bit.
/** Values from a problem's {@link ValueFactors} and eligibility (no n × K array). */
export class FactoredValues implements PairValues {
  constructor(
    readonly f: ValueFactors,
    readonly eligible: Uint8Array,
    readonly K: number,
  ) {}

  row(i: number, out: Float64Array): Float64Array {
    factoredRow(this.f, this.eligible, this.K, i, out, 0);
    return out;
  }

  at(i: number, k: number): number {
    return factoredValue(this.f, this.eligible, this.K, i, k);
  }
}
