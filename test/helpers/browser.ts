import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * Opens a file in headless Chromium (a window `width` px wide, default 1280) and hands the page to `use`,
 * with the problems seen so far: console errors, page errors, and any request that leaves the page
 * (anything but file:, data: and blob: URLs). Without Chromium: throws in CI (which installs it), else
 * warns and returns false.
 */
export async function withPage(
  path: string,
  use: (page: Page, problems: string[]) => Promise<void>,
  options: { width?: number } = {},
): Promise<boolean> {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!chromium) {
    // CI installs Debian's chromium (.ci/run) and sets CI=true, so this cannot pass unseen there.
    if (process.env.CI) throw new Error('chromium is required in CI for the report tests');
    console.warn('chromium not installed: the browser half of the report test did not run (apt-get install chromium)');
    return false;
  }
  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({
    executablePath: chromium,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: 900 } });
    const problems: string[] = [];
    page.on('request', (r) => {
      if (!/^(file|data|blob):/.test(r.url())) problems.push(`request: ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`file://${path}`);
    await use(page, problems);
    return true;
  } finally {
    await browser.close();
  }
}
