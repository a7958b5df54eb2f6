// Typed arrays on shared memory (SharedArrayBuffer): what threads read and write without copies.

/** The typed arrays the library shares between threads. */
export type Typed = Float64Array | Int32Array | Uint8Array | Uint16Array;

// Shared copies of arrays that were not on shared memory, kept while their source lives: a model solved
// again (another budget, say) posts the same copies.
const copies = new WeakMap<Typed, Typed>();

/** `a` itself when it is on shared memory, else a shared copy (made once per array). */
export function shared<T extends Typed>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const known = copies.get(a);
  if (known) return known as T;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  copies.set(a, out);
  return out;
}

/** A typed array of `length` on shared memory (zeros). */
export function sharedArray<T extends Typed>(Ctor: new (b: SharedArrayBuffer) => T, length: number): T {
  const bytes = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  return new Ctor(new SharedArrayBuffer(length * bytes));
}

/** A copy of `a` on shared memory (always fresh: for arrays that change, unlike {@link shared}). */
export function sharedCopy<T extends Typed>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

// Where threads exist (Node; a cross-origin-isolated page), per-customer arrays are made on shared memory
// from the start: posting them to a solver thread then copies nothing (at 10,000,000 customers the copies
// were 350 MB and a third of a second).
const canShare = typeof SharedArrayBuffer === 'function';

/**
 * A zeroed typed array of `length` for per-customer data: on shared memory where the platform has
 * it (so solver threads read it in place), an ordinary array otherwise. Either is a plain typed array
 * to every reader.
 */
export function customerArray<T extends Typed>(
  Ctor: (new (b: SharedArrayBuffer) => T) & (new (length: number) => T),
  length: number,
): T {
  return canShare ? sharedArray(Ctor, length) : new Ctor(length);
}
