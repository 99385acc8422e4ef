import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addMonths, monthOf } from '../../src-main/common/time/iso-date.ts';
import { systemClock } from '../../src-main/node/system-clock.ts';
import { browserAvailable } from '../support/browser.ts';
import { SCREENSHOTS, useServedApp } from '../support/serve-app.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

describe.skipIf(!browserAvailable('proposals-browser'))('hedge proposals in a real browser (serve mode)', () => {
  const serve = useServedApp(tempDir);

  it(
    'builds a proposal from the demo workbook, explains it, saves and compares two, and approves one with a second person',
    async () => {
      // The demo runs to last month, so the forecast and the contracts start this month (the page uses today's date).
      const thisMonth = monthOf(systemClock.today());
      const app = await serve({ demo: { seed: 5, endMonth: addMonths(thisMonth, -1) } });
      const { page, base } = app;
      await page.goto(`${base}#/hedges`);
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 20_000 }).toBe('Hedges');
      const builder = page.getByTestId('proposal-builder');
      await expect.poll(() => builder.getByLabel('Instrument').inputValue(), { timeout: 20_000 }).toBe('HYP-TOKEN-CN');
      expect(await builder.getByLabel('Policy').locator('option:checked').textContent()).toBe('Demo layered policy (v1)');

      // No forecast is saved yet: run one for the instrument's exposure segment from the builder.
      const runForecast = builder.getByTestId('run-forecast');
      await expect.poll(() => runForecast.textContent(), { timeout: 20_000 }).toBe('Run and save a 12-month forecast of provider: deepseek');
      await runForecast.click();
      await expect.poll(() => builder.getByLabel('Forecast run').locator('option:checked').textContent(), { timeout: 60_000 }).toMatch(/^#1 provider: deepseek — 12 months from .* — matches “DeepSeek \(chat and reasoner\)”$/);

      await builder.getByTestId('build-proposal').click();
      const table = builder.getByTestId('proposal-table');
      await expect.poll(() => table.locator('tbody > tr').count(), { timeout: 30_000 }).toBe(12);
      const totalContracts = Number((await table.getByTestId('total-contracts').textContent())!.replace(/,/g, ''));
      expect(totalContracts).toBeGreaterThan(100);
      expect(await builder.getByTestId('chart-coverage').locator('.recharts-bar-rectangle').count()).toBe(12);
      expect(await builder.getByTestId('chart-cost-histogram').locator('.recharts-bar-rectangle').count()).toBeGreaterThan(20);
      expect(await builder.getByTestId('proposal-warnings').textContent()).toContain('HYP-TOKEN-CN is HYPOTHETICAL');
      // Every number has its derivation: as a tooltip, and in full under "Explain" (opened here with the keyboard).
      expect(await table.locator('tbody > tr').first().locator('td').first().getAttribute('title')).toMatch(/^Forecast P50 for \d{4}-\d{2} \(run #1\): [\d,]+ tokens × 0.000001 MTok per token = /);
      await builder.getByTestId(`explain-${thisMonth}`).focus();
      await page.keyboard.press('Enter');
      const explained = builder.getByTestId(`explanations-${thisMonth}`);
      await explained.waitFor();
      expect(await explained.textContent()).toMatch(/Initial margin, base currency[\d,.]+ CNY ÷ [\d.]+ \(1 USD = [\d.]+ CNY on \d{4}-\d{2}-\d{2}\) = [\d,.]+ USD\./);
      await explained.screenshot({ path: join(SCREENSHOTS, 'e2e-proposal-explained.png') });
      const unhedged = await builder.getByTestId('car-unhedged').textContent();
      const hedged = await builder.getByTestId('car-hedged').textContent();
      expect(money(hedged!)).toBeLessThan(money(unhedged!));
      await page.screenshot({ path: join(SCREENSHOTS, 'e2e-proposal-built.png'), fullPage: true });

      // Save it as the preparer, then a minimum-variance variant of the same inputs.
      const save = builder.getByTestId('save-proposal-form');
      await save.getByLabel('Label').fill('Policy layers');
      await save.getByLabel('Prepared by (your name)').fill('Ada Lovelace');
      await save.getByTestId('save-proposal').click();
      await expect.poll(() => builder.getByTestId('saved-status').textContent(), { timeout: 30_000 }).toBe('Saved as proposal #1: it is open under Saved proposals.');
      await builder.getByLabel('Hedge ratio').selectOption('minimum-variance');
      await builder.getByTestId('build-proposal').click();
      await expect.poll(() => builder.getByTestId('ratio-method').textContent(), { timeout: 30_000 }).toMatch(/^the minimum-variance ratio h\*, kept inside each band/);
      await save.getByLabel('Label').fill('Minimum-variance layers');
      await save.getByLabel('Prepared by (your name)').fill('Ada Lovelace');
      await save.getByTestId('save-proposal').click();
      await expect.poll(() => builder.getByTestId('saved-status').textContent(), { timeout: 30_000 }).toBe('Saved as proposal #2: it is open under Saved proposals.');
      expect(await builder.getByTestId('proposal-view').count()).toBe(0);

      const saved = page.getByTestId('saved-proposals');
      await expect.poll(() => saved.getByTestId('proposal-list').locator('tbody tr').count(), { timeout: 20_000 }).toBe(2);
      await saved.getByLabel('Compare proposal 1').check();
      await saved.getByLabel('Compare proposal 2').check();
      await saved.getByTestId('compare-proposals').click();
      const comparison = saved.getByTestId('proposal-comparison');
      await comparison.waitFor({ timeout: 20_000 });
      expect(await comparison.locator('thead th').allTextContents()).toEqual(['', '#1 Policy layers', '#2 Minimum-variance layers']);
      expect(await comparison.getByRole('row', { name: /^Hedge ratio/ }).locator('td').allTextContents()).toEqual(['policy target', 'minimum-variance']);
      expect(await comparison.getByTestId('chart-compare-coverage').locator('.recharts-line').count()).toBe(2);
      await comparison.screenshot({ path: join(SCREENSHOTS, 'e2e-proposal-compare.png') });

      // Approve proposal 1: the preparer cannot, a second person can.
      await saved.getByTestId('open-proposal-1').click();
      const opened = saved.getByTestId('opened-proposal');
      await expect.poll(() => opened.locator('h3').first().textContent(), { timeout: 20_000 }).toBe('Proposal #1: Policy layers');
      const approval = opened.getByTestId('approval-form');
      expect(await approval.textContent()).toContain('control record, not authentication');
      await approval.getByLabel('Approved by (your name)').fill('ada lovelace');
      expect(await approval.getByTestId('approve-proposal').isDisabled()).toBe(true);
      expect(await approval.getByRole('status').textContent()).toBe('The preparer cannot approve their own proposal.');
      await approval.getByLabel('Approved by (your name)').fill('Grace Hopper');
      await approval.getByLabel('Note (optional)').fill('Within the demo policy.');
      await approval.getByTestId('approve-proposal').click();
      const record = opened.getByTestId('approval-record');
      await record.waitFor({ timeout: 20_000 });
      expect(await record.textContent()).toMatch(/^Approved by Grace Hopper \(OS account .+\) on .+; prepared by Ada Lovelace/);
      const relationships = opened.getByTestId('relationships');
      await expect.poll(() => relationships.locator('tbody > tr').count(), { timeout: 20_000 }).toBe(12);
      expect(await relationships.getByTestId('trade').first().textContent()).toMatch(/^#1 Buy \+\d+ — pending$/);
      const book = page.getByTestId('hedge-book');
      await expect.poll(() => book.getByTestId('relationships').locator('tbody > tr').count(), { timeout: 20_000 }).toBe(12);
      expect(await saved.getByTestId('proposal-list').locator('tbody tr').nth(1).textContent()).toContain('Approved by Grace Hopper');
      await opened.getByTestId('approval').screenshot({ path: join(SCREENSHOTS, 'e2e-proposal-approved.png') });
      await page.screenshot({ path: join(SCREENSHOTS, 'e2e-hedges-page.png'), fullPage: true });
      expect(app.problems).toEqual([]);
    },
    240_000,
  );
});

/** "$123,456.78" → 123456.78 */
function money(text: string): number {
  return Number(text.replace(/[^0-9.-]/g, ''));
}
