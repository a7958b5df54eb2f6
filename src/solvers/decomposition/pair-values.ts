import type { AssignmentProblem, ValueFactors } from '../../problem/assignment-problem.js';

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
  return f ? new FactoredValues(f.probability, f.value, f.segment, f.uplift, f.cost, problem.eligible, problem.K) : new DenseValues(problem.values, problem.K);
}

/** Values held in a row-major n × K array. */
export class DenseValues implements PairValues {
  constructor(readonly w: Float64Array, readonly K: number) {}

  row(i: number, out: Float64Array): Float64Array {
    const base = i * this.K;
    for (let k = 0; k < this.K; k++) out[k] = this.w[base + k]!;
    return out;
  }

  at(i: number, k: number): number {
    return this.w[i * this.K + k]!;
  }
}

// probability·value·uplift − cost, in the same order of operations as the compiled `values`, so both agree to the bit.
class FactoredValues implements PairValues {
  constructor(
    private readonly probability: Float64Array,
    private readonly value: Float64Array,
    private readonly segment: ValueFactors['segment'],
    private readonly uplift: Float64Array,
    private readonly cost: Float64Array,
    private readonly eligible: Uint8Array,
    readonly K: number,
  ) {}

  row(i: number, out: Float64Array): Float64Array {
    const K = this.K;
    const pv = this.probability[i]! * this.value[i]!;
    const u0 = this.segment[i]! * K;
    const e0 = i * K;
    for (let k = 0; k < K; k++) out[k] = this.eligible[e0 + k] ? pv * this.uplift[u0 + k]! - this.cost[k]! : -Infinity;
    return out;
  }

  at(i: number, k: number): number {
    const K = this.K;
    return this.eligible[i * K + k] ? this.probability[i]! * this.value[i]! * this.uplift[this.segment[i]! * K + k]! - this.cost[k]! : -Infinity;
  }
}
