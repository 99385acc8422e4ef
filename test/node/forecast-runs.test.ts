import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openAppContext, type AppContext } from '../../src-main/node/app-context.ts';
import { listAudit } from '../../src-main/node/workbook/audit-log-repo.ts';
import { historyRange } from '../../src-main/node/workbook/forecast-history-repo.ts';
import { listForecastRuns, loadForecastRun } from '../../src-main/node/workbook/forecast-runs-repo.ts';
import type { IsoDate } from '../../src-main/common/time/iso-date.ts';
import { testClock } from '../support/clock.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

function context(): AppContext {
  return openAppContext({
    workbookPath: join(tempDir(), 'forecast.sqlite'),
    mode: 'direct',
    version: '0.0.0-test',
    clock: testClock,
    jobs: { mode: 'in-process' },
    log: () => {},
  });
}

async function ok<T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/**
 * Two providers from 2024-11 to 2026-10 (the test clock is 2026-11-24): openai input tokens growing 2 % a month at
 * $2.50 per million, anthropic output tokens flat at $15 per million. One line per provider on the 1st and one on
 * the last day of each month.
 */
function seed(db: Database, options: { lastDate?: string } = {}): void {
  db.prepare(
    `INSERT INTO import_batches (batch_id, file_name, file_sha256, file_size_bytes, format, format_version, imported_at_ms,
       rows_read, rows_imported, rows_duplicate, rows_skipped, rows_rejected, report_json)
     VALUES (1, 'test.csv', 'sha', 0, 'focus', '1.2', 0, 0, 0, 0, 0, 0, '{}')`,
  ).run();
  const insert = db.prepare(
    `INSERT INTO usage_lines (batch_id, source_row, natural_key, period_start_ms, period_end_ms, usage_date, provider, model, model_raw,
       token_kind, charge_kind, tokens, cost_micros, currency, cost_base_micros, cost_centre, provider_account, project)
     VALUES (1, ?, ?, 0, 0, ?, ?, ?, ?, ?, 'usage', ?, ?, 'USD', ?, 'Engineering', 'acct', 'p')`,
  );
  let row = 0;
  for (let i = 0; i < 24; i++) {
    const year = 2024 + Math.floor((10 + i) / 12);
    const month = ((10 + i) % 12) + 1;
    const mm = String(month).padStart(2, '0');
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    for (const day of [1, last]) {
      const date = `${year}-${mm}-${String(day).padStart(2, '0')}`;
      const openaiTokens = Math.round(1e9 * 1.02 ** i * (1 + 0.03 * Math.sin(i * 1.7)));
      const anthropicTokens = Math.round(2e8 * (1 + 0.05 * Math.cos(i * 2.3)));
      for (const [provider, model, kind, tokens, price] of [
        ['openai', 'gpt-4o', 'input', openaiTokens, 2.5],
        ['anthropic', 'claude-sonnet-4', 'output', anthropicTokens, 15],
      ] as const) {
        const cost = Math.round(tokens * price);
        row++;
        insert.run(row, Buffer.from(`k${row}`), date, provider, model, model, kind, tokens, cost, cost);
      }
    }
  }
  if (options.lastDate) {
    row++;
    insert.run(row, Buffer.from(`k${row}`), options.lastDate, 'openai', 'gpt-4o', 'gpt-4o', 'input', 5e8, 1.25e9, 1.25e9);
  }
}

describe('forecast history', () => {
  it('runs from the first month with usage to the last complete month', () => {
    const ctx = context();
    seed(ctx.db);
    expect(historyRange(ctx.db, '2026-11-24' as IsoDate)).toEqual({ from: '2024-11', to: '2026-10', droppedPartial: undefined });
    ctx.close();
  });

  it('leaves out a last month whose usage stops before its last day', () => {
    const ctx = context();
    seed(ctx.db, { lastDate: '2026-11-20' });
    expect(historyRange(ctx.db, '2026-12-05' as IsoDate)).toEqual({ from: '2024-11', to: '2026-10', droppedPartial: '2026-11' });
    ctx.close();
  });
});

describe('forecast services', () => {
  it('forecast a provider segment for 12 months with its backtest', async () => {
    const ctx = context();
    seed(ctx.db);
    const view = await ok(ctx.call('forecast:run', { segment: { dimension: 'provider', value: 'openai' }, horizon: 12 }));
    expect(view.months).toHaveLength(12);
    expect(view.months[0]!.month).toBe('2026-11');
    expect(view.history).toHaveLength(24);
    expect(view.months[0]!.pricePerMTokMicros.p50).toBe(2_500_000);
    expect(view.backtest.tokens.available).toBe(true);
    expect(view.baseCurrency).toBe('USD');
    ctx.close();
  });

  it('refuse a segment without usage with a not-found error naming the value', async () => {
    const ctx = context();
    seed(ctx.db);
    const result = await ctx.call('forecast:run', { segment: { dimension: 'provider', value: 'mistral' } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('not-found');
      expect(result.error.message).toContain('provider: mistral');
    }
    ctx.close();
  });

  it('refuse a request with a bad overlay, naming the field', async () => {
    const ctx = context();
    seed(ctx.db);
    const result = await ctx.call('forecast:run', { overlays: [{ kind: 'launch', fromMonth: '2026-13', tokensPerMonth: 5 }] as never });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('overlays.0.fromMonth');
    ctx.close();
  });

  it('say there is nothing to forecast in an empty workbook', async () => {
    const ctx = context();
    const result = await ctx.call('forecast:run', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('not-found');
    ctx.close();
  });
});

describe('saved forecast runs', () => {
  it('save the forecast shown, load it back by id with its quantiles, and record it in the audit log', async () => {
    const ctx = context();
    seed(ctx.db);
    const request = { segment: { dimension: 'provider' as const, value: 'anthropic' }, horizon: 6, method: 'ets' as const };
    const shown = await ok(ctx.call('forecast:run', request));
    const saved = await ok(ctx.call('forecast:save', { ...request, label: 'Budget 2027' }));
    const run = loadForecastRun(ctx.db, saved.runId);
    expect(run.label).toBe('Budget 2027');
    expect(run.segment).toEqual({ dimension: 'provider', value: 'anthropic' });
    expect(run.method).toBe('ets');
    expect(run.createdAtMs).toBe(testClock.now());
    expect(run.history.fromMonth).toBe('2024-11');
    expect(run.history.toMonth).toBe('2026-10');
    expect(run.months).toEqual(shown.months);
    expect(run.months[0]!.tokens.p10).toBeLessThanOrEqual(run.months[0]!.tokens.p50);
    expect(listForecastRuns(ctx.db).map((r) => r.runId)).toEqual([saved.runId]);
    expect(await ok(ctx.call('forecast:get-run', { runId: saved.runId }))).toEqual(run);
    expect(listAudit(ctx.db)[0]).toMatchObject({ action: 'forecast.save', entity: 'forecast_run', entityId: String(saved.runId) });
    ctx.close();
  });

  it('refuse to change or delete a saved run', async () => {
    const ctx = context();
    seed(ctx.db);
    const { runId } = await ok(ctx.call('forecast:save', { horizon: 3 }));
    expect(() => ctx.db.prepare('UPDATE forecast_runs SET label = ? WHERE run_id = ?').run('x', runId)).toThrow(/immutable/);
    expect(() => ctx.db.prepare('DELETE FROM forecast_run_months WHERE run_id = ?').run(runId)).toThrow(/immutable/);
    expect(loadForecastRun(ctx.db, runId).months).toHaveLength(3);
    ctx.close();
  });

  it('answer not-found for a run that does not exist', async () => {
    const ctx = context();
    const result = await ctx.call('forecast:get-run', { runId: 999 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('not-found');
    ctx.close();
  });
});
