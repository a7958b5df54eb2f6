/**
 * A bounded max-heap of (loss, who) pairs kept in a slice of two flat arrays:
 * it holds the `cap` smallest pairs pushed so far, and sorting it leaves them
 * ascending. Pairs are ordered by loss, then by customer: a total order, so
 * what a heap keeps and its sorted order do not depend on the order of the
 * pushes (threads that push their own customers and merge get the same list). The repair keeps one per move type in shared arrays
 * (`repair.ts`, MoveLists), so the functions take the slice's base and size.
 */

/**
 * Pushes (loss, who) into the heap at `base` holding `size` entries of at most
 * `cap`; returns the new size. When full, the pair replaces the largest loss
 * if it is smaller, and is dropped otherwise.
 */
export function heapPush(
  L: Float64Array,
  W: Int32Array,
  base: number,
  size: number,
  cap: number,
  loss: number,
  who: number,
): number {
  if (size < cap) {
    let c = size;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!above(loss, who, L[base + p]!, W[base + p]!)) break;
      L[base + c] = L[base + p]!;
      W[base + c] = W[base + p]!;
      c = p;
    }
    L[base + c] = loss;
    W[base + c] = who;
    return size + 1;
  }
  if (size > 0 && above(L[base]!, W[base]!, loss, who)) replaceTop(L, W, base, size, loss, who);
  return size;
}

/** True when pair (l1, w1) comes after (l2, w2): a larger loss, or the same loss and a larger customer. */
export function above(l1: number, w1: number, l2: number, w2: number): boolean {
  return l1 > l2 || (l1 === l2 && w1 > w2);
}

/** Heapsort in place: popping the max to the back leaves the slice sorted by ascending loss. */
export function heapSort(L: Float64Array, W: Int32Array, base: number, size: number): void {
  for (let end = size - 1; end > 0; end--) {
    const topL = L[base]!,
      topW = W[base]!;
    replaceTop(L, W, base, end, L[base + end]!, W[base + end]!);
    L[base + end] = topL;
    W[base + end] = topW;
  }
}

// Puts (loss, who) at the root of the max-heap base[0..n) and sifts it down.
function replaceTop(L: Float64Array, W: Int32Array, base: number, n: number, loss: number, who: number): void {
  let c = 0;
  while (true) {
    const l = 2 * c + 1;
    if (l >= n) break;
    const r = l + 1;
    const big = r < n && above(L[base + r]!, W[base + r]!, L[base + l]!, W[base + l]!) ? r : l;
    if (!above(L[base + big]!, W[base + big]!, loss, who)) break;
    L[base + c] = L[base + big]!;
    W[base + c] = W[base + big]!;
    c = big;
  }
  L[base + c] = loss;
  W[base + c] = who;
}
