// npm run screenshots: writes the demo's report and dashboard (npm run demo), opens them in headless
// Chromium at 1400 and 800 px, and saves what a person sees to docs/screenshots/: the report's whole
// page, the dashboard's first screen, and the dashboard after the budget slider moved.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
if (!existsSync(resolve(root, 'out/dashboard.html')) || process.argv.includes('--demo'))
  execFileSync('npm', ['run', 'demo'], { cwd: root, stdio: 'inherit' });
const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!executablePath) throw new Error('no chromium found (apt-get install chromium)');
const dir = resolve(root, 'docs/screenshots');
mkdirSync(dir, { recursive: true });
const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox'] });
for (const width of [1400, 800]) {
  const page = await browser.newPage({ viewport: { width, height: 1000 } });
  await page.goto(`file://${resolve(root, 'out/report.html')}`);
  await page.screenshot({ path: `${dir}/report-${width}.png`, fullPage: true });
  await page.goto(`file://${resolve(root, 'out/dashboard.html')}`);
  await page.waitForFunction(() => (window as any).dashboard?.plans === 1, null, { timeout: 60_000 });
  await page.screenshot({ path: `${dir}/dashboard-${width}.png` });
  await page.$eval('input[data-key="budget"]', (el) => {
    (el as HTMLInputElement).value = '15000';
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForFunction(() => (window as any).dashboard.plans === 2, null, { timeout: 60_000 });
  await page.click('#keep');
  await page.screenshot({ path: `${dir}/dashboard-${width}-budget-15000.png`, fullPage: true });
  await page.close();
}
await browser.close();
console.log(`wrote ${dir}/report-{1400,800}.png, dashboard-{1400,800}.png, dashboard-{1400,800}-budget-15000.png`);
