import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAppContext, type AppContext } from '../../src-main/node/app-context.ts';
import { listAudit } from '../../src-main/node/workbook/audit-log-repo.ts';
import { historyRange } from '../../src-main/node/workbook/forecast-history-repo.ts';
import { listForecastRuns, loadForecastRun } from '../../src-main/node/workbook/forecast-runs-repo.ts';
import type { IsoDate } from '../../src-main/common/time/iso-date.ts';
import { testClock } from '../support/clock.ts';
import { seedForecastUsage as seed } from '../support/forecast-workbook.ts';
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
