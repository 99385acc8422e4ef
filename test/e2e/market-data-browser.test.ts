import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { SCREENSHOTS, useServedApp, type ServedApp } from '../support/serve-app.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

describe.skipIf(!browserAvailable('market-data-browser'))('market data and the hedge policy in a real browser (serve mode)', () => {
  const serve = useServedApp(tempDir);

  let problems: string[] = [];
  /** Serve mode on a new workbook (the demo organisation when asked) and a page opened on it. */
  async function openApp(options: { demo: boolean }): Promise<ServedApp> {
    const app = await serve(options.demo ? { demo: { seed: 5, endMonth: '2026-10' } } : {});
    problems = app.problems;
    return app;
  }

  it('opens Market data on the demo workbook and shows the hypothetical instruments’ forward curve, history and basis', async () => {
    const { page, base } = await openApp({ demo: true });
    await page.goto(`${base}#/market-data`);
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toBe('Market data');
    const rows = page.getByTestId('instruments').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
    expect(await page.getByTestId('instruments').getByTestId('instrument-status').allTextContents()).toEqual(['Hypothetical', 'Hypothetical']);

    const curve = page.getByTestId('chart-forward-curve');
    await curve.locator('.recharts-line').waitFor({ timeout: 20_000 });
    expect(await curve.locator('figcaption').textContent()).toBe('Forward curve on 2026-10-30 (USD per GPU-hour) — HYPOTHETICAL');
    // Thirteen listed contract months, one dot each.
    expect(await curve.locator('.recharts-line-dot').count()).toBe(13);
    expect(await page.getByTestId('hypothetical-banner').textContent()).toMatch(/^DEMO — HYPOTHETICAL/);
    expect(await page.getByTestId('chart-price-history').locator('.recharts-line').count()).toBe(4);
    await expect.poll(() => page.getByTestId('basis-ratio').textContent(), { timeout: 20_000 }).toMatch(/R² < 0.8: a conventional regression effectiveness test would fail/);

    await page.getByRole('button', { name: 'HYP-TOKEN-CN' }).click();
    await expect.poll(() => curve.locator('figcaption').textContent()).toBe('Forward curve on 2026-10-30 (CNY per 1M tokens) — HYPOTHETICAL');
    await expect.poll(() => page.getByTestId('basis-ratio').textContent(), { timeout: 20_000 }).toMatch(/R² ≥ 0.8/);
    await page.screenshot({ path: join(SCREENSHOTS, 'e2e-market-data-demo.png'), fullPage: true });

    await page.getByRole('link', { name: 'Hedges' }).click();
    const policy = page.getByTestId('policy-editor');
    await expect.poll(() => policy.getByLabel('Saved policies').inputValue(), { timeout: 20_000 }).toBe('Demo layered policy');
    expect(await page.getByTestId('chart-policy-bands').locator('.recharts-line').count()).toBe(3);
    expect(problems).toEqual([]);
  });

  it('creates an instrument from a template, enters settlement prices in the grid, imports fixings and refuses an overlapping policy', async () => {
    const { page, base } = await openApp({ demo: false });
    await page.goto(`${base}#/market-data`);
    await page.getByTestId('template-token').click();
    const editor = page.getByTestId('instrument-editor');
    await editor.waitFor();
    expect(await editor.textContent()).toContain('HYPOTHETICAL — no exchange lists this contract');
    await page.getByTestId('save-instrument').click();
    await page.getByTestId('instrument-view').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('chart-forward-curve').textContent()).toContain('No settlement prices yet');

    await page.getByLabel('New price date').fill('2026-11-20');
    await page.getByTestId('add-price-date').click();
    const grid = page.getByTestId('settlement-grid');
    const cells = grid.locator('tbody tr').first().locator('input');
    await cells.nth(0).fill('2.95');
    await cells.nth(1).fill('2.90');
    await cells.nth(2).fill('2.86');
    await page.getByTestId('save-prices').click();
    await expect.poll(() => grid.getByRole('status').textContent(), { timeout: 20_000 }).toBe('Saved: 3 added, 0 revised, 0 removed.');
    await expect.poll(() => page.getByTestId('chart-forward-curve').locator('.recharts-line-dot').count(), { timeout: 20_000 }).toBe(3);

    const fixings = join(tempDir(), 'fixings.csv');
    writeFileSync(fixings, 'date,value\n2026-11-19,3.01\n2026-11-20,2.99\n');
    await page.getByTestId('market-file-input').setInputFiles(fixings);
    const report = page.getByTestId('market-import-report');
    await report.waitFor({ timeout: 20_000 });
    expect(await report.textContent()).toContain('fixings.csv: 2 index fixings added from 2 rows.');
    const fixing = page.getByTestId('fixing-entry');
    await fixing.getByLabel('Date').fill('2026-11-23');
    await fixing.getByLabel(/^Value/).fill('3.02');
    await fixing.getByRole('button', { name: 'Save fixing' }).click();
    await expect.poll(() => fixing.getByRole('status').textContent(), { timeout: 20_000 }).toBe('Fixing added.');

    await page.getByRole('link', { name: 'Hedges' }).click();
    const policy = page.getByTestId('policy-editor');
    await policy.waitFor();
    await policy.getByLabel('Bucket 2 fromPeriod').fill('3');
    expect(await page.getByTestId('policy-issues').textContent()).toContain('buckets[1].fromPeriod: overlaps buckets[0] (periods 3–3)');
    expect(await page.getByTestId('save-policy').isDisabled()).toBe(true);
    await policy.getByLabel('Bucket 2 fromPeriod').fill('4');
    await page.getByTestId('save-policy').click();
    await expect.poll(() => policy.getByRole('status').textContent(), { timeout: 20_000 }).toBe('Saved as version 1.');
    await page.screenshot({ path: join(SCREENSHOTS, 'e2e-hedge-policy.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
