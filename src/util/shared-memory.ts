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
