// A Structure as a worker thread receives it: the per-customer arrays on shared memory (posted without
// a copy), the small per-(group, action) ones copied with the message.
import type { ValueFactors } from '../../../problem/assignment-problem.js';
import { DenseValues, FactoredValues } from '../core/pair-values.js';
import type { Structure } from '../core/structure.js';
import { shared } from '../../../util/shared-memory.js';

/** The values part of a {@link SharedStructure}: one n × K array, or the factors they are computed from. */
export type SharedValues =
  | { readonly dense: Float64Array }
  | { readonly factors: ValueFactors; readonly eligible: Uint8Array; readonly K: number };

/** A {@link Structure} with its values as plain data (a worker rebuilds the reader with {@link structureFrom}). */
export type SharedStructure = Omit<Structure, 'values'> & { values: SharedValues };

/** The structure with every per-customer array on shared memory, ready to post to workers. */
export function shareStructure(s: Structure): SharedStructure {
  const { values, ...rest } = s;
  let v: SharedValues;
  if (values instanceof DenseValues) v = { dense: shared(values.w) };
  else if (values instanceof FactoredValues) {
    const f = values.f;
    const factors = { ...f, probability: shared(f.probability), value: shared(f.value), segment: shared(f.segment) };
    v = { factors, eligible: shared(values.eligible), K: values.K };
  } else throw new Error('shareStructure: values of an unknown kind');
  return {
    ...rest,
    group: shared(s.group),
    weightedCoef: s.weightedCoef.map(shared),
    values: v,
  };
}

/** The structure a worker works on, from what it received. */
export function structureFrom(d: SharedStructure): Structure {
  const v = d.values;
  const values = 'dense' in v ? new DenseValues(v.dense, d.K) : new FactoredValues(v.factors, v.eligible, v.K);
  return { ...d, values };
}
