import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser.ts';
import { SCREENSHOTS, useServedApp } from '../support/serve-app.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

describe.skipIf(!browserAvailable('settings-browser'))('import rules on the Settings page in a real browser (serve mode)', () => {
  const serve = useServedApp(tempDir);

  it('adds a cost-centre rule ahead of the others, refuses an empty model name first, and re-derives the stored lines', async () => {
    const app = await serve({ demo: { seed: 5, endMonth: '2026-10' } });
    const { page, base, ctx } = app;
    const demoRules = ctx.db.prepare('SELECT count(*) FROM cost_centre_rules').pluck().get() as number;
    const azureLines = ctx.db.prepare("SELECT count(*) FROM usage_lines WHERE provider = 'azure'").pluck().get() as number;

    await page.goto(`${base}#/settings`);
    const panel = page.getByTestId('import-rules');
    const rows = panel.getByTestId('cost-centre-rules').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(demoRules);

    await panel.getByTestId('add-rule').click();
    const n = demoRules + 1;
    await panel.getByLabel(`Rule ${n} priority`).fill('0');
    await panel.getByLabel(`Rule ${n} field`).selectOption('provider');
    await panel.getByLabel(`Rule ${n} pattern`).fill('azure');
    await panel.getByLabel(`Rule ${n} cost centre`).fill('Platform');
    // A model name row left empty: the page says what is wrong and saves nothing.
    await panel.getByTestId('add-alias').click();
    await panel.getByTestId('save-import-rules').click();
    await expect.poll(() => panel.getByTestId('import-rules-problems').textContent()).toContain('Model name 1: the model text is empty');
    expect(ctx.db.prepare('SELECT count(*) FROM cost_centre_rules').pluck().get()).toBe(demoRules);

    await panel.getByRole('button', { name: 'Remove model name 1' }).click();
    await panel.getByTestId('save-import-rules').click();
    await expect
      .poll(() => panel.getByRole('status').textContent(), { timeout: 20_000 })
      .toBe(`Saved. ${azureLines.toLocaleString('en-US')} stored lines have a new cost centre or model.`);
    // Reloaded in priority order: the new rule comes first.
    expect(await panel.getByLabel('Rule 1 pattern').inputValue()).toBe('azure');
    expect(await panel.getByLabel('Rule 1 cost centre').inputValue()).toBe('Platform');
    const platform = ctx.db.prepare("SELECT count(*) FROM usage_lines WHERE cost_centre = 'Platform'").pluck().get();
    expect(platform).toBe(azureLines);
    await page.screenshot({ path: join(SCREENSHOTS, 'e2e-settings-import-rules.png'), fullPage: true });
    expect(app.problems).toEqual([]);
  });
});
