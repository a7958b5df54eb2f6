import loadHighs, { type Highs } from 'highs';

let runtime: Promise<Highs> | undefined;

/** One compiled HiGHS WebAssembly runtime per process, loaded on first use. */
export function getHighs(): Promise<Highs> {
  runtime ??= loadHighs();
  return runtime;
}
