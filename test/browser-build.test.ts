// The package's browser build: the root entry and every subpath bundle for a browser (esbuild
// --platform=browser) with no Node built-in left, and what needs Node there is a typed error.
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without types
import { browserSiblings } from '../scripts/browser-build.mjs';
import { RetentionError } from '../src/errors.js';
import { readText, writeText } from '../src/util/files.browser.js';
import { highsBackend } from '../src/solvers/highs.browser.js';
import { autoBackend } from '../src/solvers/auto.browser.js';
import { RetentionModel, defaultCatalog, sampleCustomers } from '../src/index.js';

describe('the browser build', () => {
  it('bundles every entry for a browser without a Node built-in, HiGHS or a worker thread', async () => {
    const result = await esbuild.build({
      entryPoints: ['src/index.ts', 'src/entries/solvers.ts', 'src/entries/charts.ts', 'src/testing/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      outdir: 'out/browser-check',
      write: false,
      metafile: true,
      plugins: [browserSiblings],
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((f) => /node_modules\/highs\/|solvers\/worker\/|javascript-lp-solver|^node:/.test(f))).toEqual(
      [],
    );
    expect(inputs).toContain('src/util/files.browser.ts');
    for (const f of result.outputFiles) expect(f.text).not.toMatch(/from ["']node:|require\(["']node:/);
  }, 60_000);

  it('makes what needs Node a typed error that says what to do instead', async () => {
    expect(() => readText('prediction.csv')).toThrow(RetentionError);
    expect(() => writeText('out/x.html', '')).toThrow(/needs Node's file system; in a browser pass the file's text/);
    const model = RetentionModel.create()
      .actions(defaultCatalog())
      .customers(sampleCustomers({ customers: 50 }), { segment: 'subscription_type' })
      .budget(50);
    await expect(model.solve({ solver: highsBackend() })).rejects.toMatchObject({ code: 'NODE_ONLY' });
    // auto is the decomposition there, and its plan is verified as any other.
    const plan = await model.solve({ solver: autoBackend() });
    expect(plan.hasAssignment).toBe(true);
    expect(plan.solver.name).toBe('decomposition');
  });
});
