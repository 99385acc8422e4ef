import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openAppContext, type AppContext } from '../../src-main/node/app-context.ts';
import { startServer, type RunningServer } from '../../src-main/node/serve/serve.ts';
import { systemClock } from '../../src-main/node/system-clock.ts';
import { browserAvailable, launchChromium } from '../support/browser.ts';
import { FOCUS_SAMPLE, RENDERER_DIR, ROOT } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const SCREENSHOTS = join(ROOT, 'test-results');
const tempDir = useTempDir();

describe.skipIf(!browserAvailable('serve-browser'))('the app in a real browser (serve mode)', () => {
  let browser: Browser;
  let running: { server: RunningServer; ctx: AppContext } | undefined;
  let problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`The page is not built: run "npm run build" (${RENDERER_DIR})`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await running?.server.close();
    running?.ctx.close();
    running = undefined;
  });

  /** Serve mode on a new workbook, with jobs in real worker threads, and a page opened on its URL. */
  async function openApp(): Promise<{ page: Page; ctx: AppContext }> {
    const ctx = openAppContext({
      workbookPath: join(tempDir(), 'e2e.sqlite'),
      mode: 'serve',
      version: 'e2e',
      clock: systemClock,
      jobs: { mode: 'worker' },
    });
    const server = await startServer(ctx, { staticDir: RENDERER_DIR });
    running = { server, ctx };
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
    problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(server.url);
    return { page, ctx };
  }

  it('imports the FOCUS sample through the Import page and shows its totals on the dashboard', async () => {
    const { page } = await openApp();
    await expect.poll(() => page.getByTestId('welcome').isVisible()).toBe(true);

    await page.keyboard.press('Alt+2');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Import');
    await page.getByTestId('file-input').setInputFiles(FOCUS_SAMPLE);
    await page.getByTestId('start-import').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 30_000 });
    expect(await report.locator('.pill').textContent()).toBe('Imported');
    expect(await report.getByTestId('count-imported').textContent()).toBe('9');
    expect(await report.textContent()).toContain('991 skipped as not AI usage');
    await expect.poll(() => page.getByTestId('batches').locator('tbody tr').count()).toBe(1);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    const total = page.getByTestId('kpi-total-spend');
    await total.waitFor();
    // The nine AI lines of the sample bill −$0.151898 in all (see test/node/focus-import.test.ts).
    expect(await total.locator('.kpi-value').textContent()).toBe('-$0.15');
    expect(await page.getByTestId('chart-spend-by-provider').locator('.recharts-wrapper').count()).toBe(1);
    expect(await page.getByTestId('organisation').textContent()).toBe('My organisation');
    await page.screenshot({ path: join(SCREENSHOTS, 'e2e-dashboard-focus-sample.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('loads the demo organisation from the welcome screen and charts thirty months', async () => {
    const { page, ctx } = await openApp();
    await page.getByRole('button', { name: 'Load the demo organisation' }).click();
    await page.getByTestId('kpi-total-spend').waitFor({ timeout: 60_000 });
    const api = await ctx.call('dashboard:get', {});
    if (!api.ok) throw new Error(api.error.message);
    const expected = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(api.value.totals.costBaseMicros / 1e6);
    expect(await page.getByTestId('kpi-total-spend').locator('.kpi-value').textContent()).toBe(expected);
    const legend = await page.getByTestId('chart-spend-by-provider').locator('.recharts-legend-item-text').allTextContents();
    expect(legend).toEqual(['Alibaba Cloud', 'Anthropic', 'Microsoft Azure', 'DeepSeek', 'OpenAI']);
    expect(await page.getByTestId('chart-spend-by-provider').locator('.recharts-bar-rectangle').count()).toBeGreaterThan(100);
    expect(await page.getByTestId('chart-tokens-by-kind').locator('.recharts-wrapper').count()).toBe(1);
    expect(await page.getByTestId('chart-effective-price').locator('.recharts-line').count()).toBe(1);
    expect(await page.getByTestId('spend-by-currency').textContent()).toContain('CN¥');
    await page.screenshot({ path: join(SCREENSHOTS, 'e2e-dashboard-demo.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('forecasts the demo organisation on the Forecast page as a fan chart and saves the run', async () => {
    const { page, ctx } = await openApp();
    await page.getByRole('button', { name: 'Load the demo organisation' }).click();
    await page.getByTestId('kpi-total-spend').waitFor({ timeout: 60_000 });
    // The dashboard gains the next 12 months.
    await page.getByTestId('dashboard-fan-chart').locator('.recharts-wrapper').waitFor({ timeout: 60_000 });

    await page.getByRole('link', { name: 'Forecast' }).click();
    const chart = page.getByTestId('forecast-fan-chart');
    await chart.locator('.recharts-wrapper').waitFor({ timeout: 60_000 });
    expect(await chart.locator('.fan-p10-p90').count()).toBeGreaterThan(0);
    expect(await chart.locator('.fan-p50').count()).toBeGreaterThan(0);
    expect(await chart.locator('.fan-actual').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('backtest-tokens').textContent()).toMatch(/sMAPE [\d.]+ %, MASE [\d.]+; 80 % interval held \d+ %/);
    // How the intervals were calibrated on that backtest, and what the price uncertainty holds.
    expect(await page.getByTestId('calibration-tokens').textContent()).toMatch(/^Calibrated on your backtest \(\d+ forecasts from \d+ origins\), 80 % interval upper ×[\d.]+ \/ lower ×[\d.]+ at 1 month/);
    expect(await page.getByTestId('calibration-price').textContent()).toMatch(/price-level shifts of your history/);
    expect(await page.getByTestId('forecast-table').locator('tbody tr').count()).toBe(12);

    // Another segment and method, then save.
    await page.getByTestId('segment-dimension').selectOption('provider');
    await page.getByTestId('segment-value').selectOption('openai');
    await page.getByTestId('method').selectOption('ets');
    await expect.poll(() => page.getByTestId('forecast-model').textContent(), { timeout: 60_000 }).toMatch(/^ETS\(/);
    await page.getByLabel('Label of the saved run').fill('OpenAI FY27');
    await page.getByTestId('save-run').click();
    await expect.poll(() => page.getByTestId('saved-run').textContent(), { timeout: 60_000 }).toBe('Saved as run 1');
    expect(await page.getByTestId('saved-runs').locator('tbody tr').count()).toBe(1);
    const run = await ctx.call('forecast:get-run', { runId: 1 });
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value).toMatchObject({ label: 'OpenAI FY27', segment: { dimension: 'provider', value: 'openai' }, method: 'ets', horizon: 12 });
    expect(run.value.calibration?.summary).toContain('Volume intervals calibrated on your backtest');
    await page.screenshot({ path: join(SCREENSHOTS, 'e2e-forecast-demo.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000); // demo load, then forecasts as jobs in worker threads (each one a new worker)

  it('rejects a file with a bad row, names it, and imports the good rows when the user chooses to', async () => {
    const { page } = await openApp();
    const lines = readFileSync(FOCUS_SAMPLE, 'utf8').split('\n');
    const aiRow = lines.findIndex((l) => l.includes('"AI and Machine Learning"'));
    lines[aiRow] = lines[aiRow]!.replace(/"USD"/, '"US Dollars"');
    const bad = join(tempDir(), 'bad-currency.csv');
    writeFileSync(bad, lines.join('\n'));

    await page.goto(page.url().replace(/#.*$/, '') + '#/import');
    await page.getByTestId('file-input').setInputFiles(bad);
    await page.getByTestId('start-import').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 30_000 });
    expect(await report.locator('.pill').textContent()).toBe('Rejected');
    expect(await report.locator('table').textContent()).toContain('BillingCurrency "US Dollars" is not an ISO currency code');
    await report.getByRole('button', { name: /Import the good rows/ }).click();
    await expect.poll(() => report.locator('.pill').textContent(), { timeout: 30_000 }).toBe('Imported');
    expect(await report.getByTestId('count-imported').textContent()).toBe('8');
    expect(problems).toEqual([]);
  });
});
