import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatMicros } from '../../src-main/common/money/micros.ts';
import { browserAvailable } from '../support/browser.ts';
import { FIXTURES, FOCUS_SAMPLE } from '../support/paths.ts';
import { SCREENSHOTS, useServedApp, type ServedApp } from '../support/serve-app.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

describe.skipIf(!browserAvailable('serve-browser'))('the app in a real browser (serve mode)', () => {
  const serve = useServedApp(tempDir);

  let problems: string[] = [];
  /** Serve mode on a new workbook, with jobs in real worker threads, and a page opened on its URL. */
  async function openApp(): Promise<ServedApp> {
    const app = await serve();
    problems = app.problems;
    return app;
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

    // Each provider wrote its own export format; the usage and cost exports of a provider are reconciled.
    await page.keyboard.press('Alt+2');
    const reconciliation = page.getByTestId('reconciliation');
    await reconciliation.locator('.reconcile-provider').first().waitFor({ timeout: 30_000 });
    const summaries = await reconciliation.locator('.reconcile-provider summary').allTextContents();
    expect(summaries.map((t) => t.replace(/:.*—/, ' —'))).toEqual([
      'Anthropic — usage tokens priced by the cost export',
      'DeepSeek — every month matches',
      'OpenAI — every month matches',
    ]);
    // The month's cost is a sum of lines too: six decimal places in every row (Aug 2024's Anthropic cost ends in a 0).
    const costs = await reconciliation.locator('.reconcile-provider tbody tr td:nth-child(5)').allTextContents();
    expect(costs.length).toBeGreaterThan(80);
    expect(costs.filter((text) => text !== '—' && !/^[\d,]+\.\d{6} [A-Z]{3}$/.test(text))).toEqual([]);
    // The controller enters two Azure invoice totals as printed: one in whole cents (rounding), one that is off.
    const invoices = await ctx.call('reconciliation:get', {});
    if (!invoices.ok) throw new Error(invoices.error.message);
    const [first, second] = invoices.value.invoices;
    const cents = (micros: number) => Math.round(micros / 10_000) * 10_000;
    const enterTotal = async (invoiceRef: string, totalMicros: number) => {
      await page.getByRole('button', { name: `Enter the total of invoice ${invoiceRef}` }).click();
      const total = page.getByTestId('invoice-form').getByLabel('Total as printed');
      expect(await total.evaluate((el) => el === document.activeElement)).toBe(true);
      await total.fill(formatMicros(totalMicros).replace(/\B(?=(\d{3})+\.)/g, ','));
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator(`tr[data-invoice="${invoiceRef}"] td`).nth(6).textContent(), { timeout: 30_000 }).not.toBe('total not entered');
    };
    await enterTotal(first!.invoiceRef, cents(first!.linesMicros));
    await enterTotal(second!.invoiceRef, cents(second!.linesMicros) + 12_340_000);
    const row = (ref: string) => page.locator(`tr[data-invoice="${ref}"] td`).allTextContents();
    // Sums and differences show all six decimal places (exact to the micro), so their columns line up: the demo
    // has sums ending in a zero (47,297.142950), which a trimmed format would show with five.
    expect((await row(first!.invoiceRef))[3]).toBe(`${formatMicros(first!.linesMicros, 6).replace(/\B(?=(\d{3})+\.)/g, ',')} USD`);
    const sums = await page.locator('[data-testid="invoice-reconciliation"] tbody tr td:nth-child(4)').allTextContents();
    expect(sums.length).toBeGreaterThan(20);
    expect(sums.filter((text) => !/^[\d,]+\.\d{6} USD$/.test(text))).toEqual([]);
    expect((await row(first!.invoiceRef)).slice(5, 7)).toEqual([`${first!.linesMicros - cents(first!.linesMicros) > 0 ? '+' : ''}${formatMicros(first!.linesMicros - cents(first!.linesMicros), 6)} USD`, 'rounding only']);
    expect((await row(second!.invoiceRef)).slice(6, 7)).toEqual(['differs']);
    expect(await page.locator(`tr[data-invoice="${second!.invoiceRef}"]`).getAttribute('class')).toBe('tone-bad');
    await reconciliation.screenshot({ path: join(SCREENSHOTS, 'e2e-import-reconciliation-demo.png') });
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
    // The list of saved runs reloads after the confirmation appears.
    await expect.poll(() => page.getByTestId('saved-runs').locator('tbody tr').count(), { timeout: 30_000 }).toBe(1);
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

  /** The page's Import section, reached with the keyboard shortcut (Alt+2). */
  async function openImport(page: Page): Promise<void> {
    await page.keyboard.press('Alt+2');
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('Import');
  }

  const preview = (page: Page, fileName: string) => page.locator(`[data-testid="file-preview"][data-file="${fileName}"]`);

  it('previews several dropped exports with their detected format and confidence, and imports a non-FOCUS format', async () => {
    const { page } = await openApp();
    await page.getByTestId('welcome').waitFor();
    await openImport(page);
    await page.getByTestId('file-input').setInputFiles([join(FIXTURES, 'formats', 'azure-openai-ea.csv'), join(FIXTURES, 'formats', 'anthropic-cost-report.json')]);

    const azure = preview(page, 'azure-openai-ea.csv');
    await azure.getByTestId('trial-lines').waitFor({ timeout: 30_000 });
    expect(await azure.getByTestId('format-label').textContent()).toBe('Azure cost details (EA / MCA / legacy)');
    expect(await azure.getByTestId('format-version').textContent()).toBe('EA');
    expect(await azure.locator('.pill').first().textContent()).toBe('100 % confident');
    // The first rows as they will be stored: Azure's 1K meters read as tokens, the VM line skipped.
    const firstLine = await azure.getByTestId('trial-lines').locator('tbody tr').first().locator('td').allTextContents();
    expect(firstLine).toEqual(['1', '2026-10-01', 'Microsoft Azure', 'gpt-4o', 'Input', '2,000,000', '5.00 USD', 'Marketing', 'usage']);
    expect(await azure.getByTestId('trial-skipped').textContent()).toBe('Skipped among the first 5 rows: 1 × not an AI line (MeterCategory Virtual Machines).');

    const anthropic = preview(page, 'anthropic-cost-report.json');
    await anthropic.getByTestId('trial-lines').waitFor({ timeout: 30_000 });
    expect(await anthropic.getByTestId('format-label').textContent()).toBe('Anthropic cost report (JSON, amounts in cents)');
    // The cost report's amount is in cents: "123.45" is $1.2345.
    expect(await anthropic.getByTestId('trial-lines').locator('tbody tr').first().locator('td').nth(6).textContent()).toBe('1.2345 USD');
    await page.screenshot({ path: join(SCREENSHOTS, 'e2e-import-preview.png'), fullPage: true });

    await page.getByTestId('start-import').click();
    const reports = page.getByTestId('import-report');
    await expect.poll(() => reports.count(), { timeout: 30_000 }).toBe(2);
    expect(await reports.locator('.pill').allTextContents()).toEqual(['Imported', 'Imported']);
    expect(await reports.first().getByTestId('report-format').textContent()).toBe('Azure cost details (EA / MCA / legacy) · EA · 100 % confident');
    expect(await reports.first().getByTestId('count-imported').textContent()).toBe('4');
    await expect.poll(() => page.getByTestId('batches').locator('tbody tr').count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => page.locator('[data-testid="file-preview"]').count(), { timeout: 10_000 }).toBe(0);
    expect(problems).toEqual([]);
  });

  it('maps the columns of an unknown CSV once, and offers the saved mapping for the next file with the same columns', async () => {
    const { page } = await openApp();
    await page.getByTestId('welcome').waitFor();
    await openImport(page);
    const dir = tempDir();
    const october = join(dir, 'mistral-2026-10.csv');
    writeFileSync(october, 'Day,Model,Tokens,Amount (EUR)\n2026-10-01,mistral-large,1000000,2.00\n2026-10-02,mistral-large,2500000,5.00\n');
    await page.getByTestId('file-input').setInputFiles(october);

    const card = preview(page, 'mistral-2026-10.csv');
    const editor = card.getByTestId('mapping-editor');
    await editor.waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('detected-format').textContent()).toContain('No format recognises the columns of this file');
    // The editor starts from a guess read from the column names; every field is a labelled control.
    expect(await editor.getByLabel('Date', { exact: true }).inputValue()).toBe('Day');
    expect(await editor.getByLabel('Cost', { exact: true }).inputValue()).toBe('Amount (EUR)');
    expect(await editor.getByLabel('Currency for every row').inputValue()).toBe('EUR');
    await editor.getByLabel('Provider', { exact: true }).selectOption({ label: 'The same for every row…' });
    await editor.getByLabel('Provider for every row').fill('Mistral AI');
    await editor.getByLabel('Token kind', { exact: true }).selectOption({ label: 'The same for every row…' });
    await editor.getByLabel('Token kind for every row').selectOption('output');
    await editor.getByLabel('Mapping name').fill('Mistral invoices');
    await expect.poll(() => card.getByTestId('trial-lines').locator('tbody tr').count(), { timeout: 30_000 }).toBe(2);
    await expect
      .poll(() => card.getByTestId('trial-lines').locator('tbody tr').first().locator('td').allTextContents())
      .toEqual(['1', '2026-10-01', 'Mistral AI', 'mistral-large', 'Output', '1,000,000', '2.00 EUR', 'Unassigned', 'usage']);
    await page.screenshot({ path: join(SCREENSHOTS, 'e2e-import-mapping-wizard.png'), fullPage: true });
    await page.getByTestId('start-import').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 30_000 });
    expect(await report.locator('.pill').textContent()).toBe('Imported');
    expect(await report.getByTestId('report-format').textContent()).toBe('Column mapping "Mistral invoices" · 100 % confident');

    // Next month's file has the same columns: the saved mapping is found and used without asking.
    const november = join(dir, 'mistral-2026-11.csv');
    writeFileSync(november, 'Day,Model,Tokens,Amount (EUR)\n2026-11-01,mistral-large,4000000,8.00\n');
    await page.getByTestId('file-input').setInputFiles(november);
    const next = preview(page, 'mistral-2026-11.csv');
    await next.getByTestId('trial-lines').waitFor({ timeout: 30_000 });
    expect(await next.getByTestId('format-label').textContent()).toBe('Column mapping "Mistral invoices"');
    expect(await next.getByTestId('detected-format').textContent()).toContain('found your saved mapping for these columns');
    expect(await next.getByTestId('mapping-editor').count()).toBe(0);
    expect(await next.getByTestId('trial-lines').locator('tbody tr').first().locator('td').nth(6).textContent()).toBe('8.00 EUR');
    await page.screenshot({ path: join(SCREENSHOTS, 'e2e-import-saved-mapping.png'), fullPage: true });
    await page.getByTestId('start-import').click();
    await expect.poll(() => page.getByTestId('import-report').locator('h3').textContent(), { timeout: 30_000 }).toBe('mistral-2026-11.csv');
    expect(await page.getByTestId('import-report').locator('.pill').textContent()).toBe('Imported');
    await expect.poll(() => page.getByTestId('batches').locator('tbody tr').count(), { timeout: 10_000 }).toBe(2);
    expect(problems).toEqual([]);
  });

  it('undoes an import with the keyboard after confirming, says what it removed, and the dashboard totals go back', async () => {
    const { page } = await openApp();
    await page.getByTestId('welcome').waitFor();
    await openImport(page);
    await page.getByTestId('file-input').setInputFiles(FOCUS_SAMPLE);
    await preview(page, 'focus_1.0_sample_1000rows.csv').getByTestId('format-label').waitFor({ timeout: 30_000 });
    await page.getByTestId('start-import').click();
    await expect.poll(() => page.getByTestId('batches').locator('tbody tr').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('file-input').setInputFiles(join(FIXTURES, 'formats', 'azure-openai-ea.csv'));
    await preview(page, 'azure-openai-ea.csv').getByTestId('format-label').waitFor({ timeout: 30_000 });
    await page.getByTestId('start-import').click();
    await expect.poll(() => page.getByTestId('batches').locator('tbody tr').count(), { timeout: 30_000 }).toBe(2);

    const total = async () => {
      await page.keyboard.press('Alt+1');
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('Dashboard');
      const kpi = page.getByTestId('kpi-total-spend').locator('.kpi-value');
      await kpi.waitFor({ timeout: 30_000 });
      return kpi.textContent();
    };
    // The FOCUS sample bills −$0.151898; the Azure file adds $5 + $5 + $0.10 − $2.50.
    expect(await total()).toBe('$7.45');

    await openImport(page);
    const undoButton = page.getByRole('button', { name: 'Undo import 2 (azure-openai-ea.csv)' });
    await undoButton.focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByTestId('confirm-undo');
    await confirm.waitFor();
    expect(await page.locator('.confirm p').textContent()).toContain('Undo import #2 (azure-openai-ea.csv)? This removes the 4 lines it holds now.');
    // Escape keeps the import; the focus goes back to its Undo button.
    await page.keyboard.press('Escape');
    await expect.poll(() => confirm.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => undoButton.evaluate((el) => el === document.activeElement), { timeout: 10_000 }).toBe(true);
    await page.keyboard.press('Enter');
    await confirm.waitFor();
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement), { timeout: 10_000 }).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'e2e-import-undo-confirm.png'), fullPage: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('undo-message').textContent(), { timeout: 30_000 }).toBe('Undid batch #2 (azure-openai-ea.csv): 4 lines removed.');
    await expect.poll(() => page.getByTestId('batches').locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
    expect(await total()).toBe('-$0.15');
    expect(problems).toEqual([]);
  });
});
