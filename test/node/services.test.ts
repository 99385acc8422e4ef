import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAppContext, type AppContext } from '../../src-main/node/app-context.ts';
import { dashboardSchema, usageReportSchema } from '../../src-main/common/api/schemas.ts';
import { divRound } from '../../src-main/common/money/rounding.ts';
import { listAudit } from '../../src-main/node/workbook/audit-log-repo.ts';
import { LATEST_SCHEMA_VERSION } from '../../src-main/node/workbook/migrations/index.ts';
import { testClock } from '../support/clock.ts';
import { FOCUS_SAMPLE } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

function context(jobs: 'in-process' | 'worker' = 'in-process'): AppContext {
  return openAppContext({
    workbookPath: join(tempDir(), 'workbook.sqlite'),
    mode: 'direct',
    version: '0.0.0-test',
    clock: testClock,
    jobs: { mode: jobs },
    log: () => {},
  });
}

async function ok<T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function loadDemo(ctx: AppContext): Promise<void> {
  const { jobId } = await ok(ctx.call('demo:create', { seed: 3, endMonth: '2026-10' }));
  const status = await ctx.jobs.wait(jobId);
  expect(status.state).toBe('succeeded');
}

describe('services on a new workbook', () => {
  it('report an empty workbook, so the app offers the demo', async () => {
    const ctx = context();
    const info = await ok(ctx.call('app:info', {}));
    expect(info).toMatchObject({ isEmpty: true, usageLineCount: 0, baseCurrency: 'USD', schemaVersion: LATEST_SCHEMA_VERSION, mode: 'direct' });
    ctx.close();
  });

  it('load the demo organisation once, and refuse it on a workbook with data', async () => {
    const ctx = context();
    await loadDemo(ctx);
    const info = await ok(ctx.call('app:info', {}));
    expect(info.isEmpty).toBe(false);
    expect(info.organisationName).toBe('Northwind Robotics (demo)');
    const again = await ctx.call('demo:create', {});
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe('conflict');
    ctx.close();
  });
});

describe('services on the demo workbook', () => {
  it('give the same base-currency totals on the dashboard and in every report grouping', async () => {
    const ctx = context();
    await loadDemo(ctx);
    const dashboard = dashboardSchema.parse(await ok(ctx.call('dashboard:get', {})));
    const total = (rows: { costBaseMicros: number | null }[]) => rows.reduce((s, r) => s + r.costBaseMicros!, 0);
    for (const by of [['month'], ['provider', 'model'], ['token-kind', 'cost-centre'], []] as const) {
      const report = usageReportSchema.parse(await ok(ctx.call('usage:report', { by: [...by] })));
      expect(total(report.rows)).toBe(dashboard.totals.costBaseMicros);
    }
    expect(dashboard.months).toHaveLength(30);
    expect(dashboard.providers).toEqual(['alibaba', 'anthropic', 'azure', 'deepseek', 'openai']);
    const last = dashboard.effectivePrice.at(-1)!.pricePerMTokMicros!;
    expect(last).toBeGreaterThan(100_000);
    expect(last).toBeLessThan(5_000_000);
    ctx.close();
  });

  it('price every token in the effective price, also when a cost export names no token direction (DeepSeek)', async () => {
    const ctx = context();
    await loadDemo(ctx);
    const dashboard = await ok(ctx.call('dashboard:get', {}));
    // Every usage charge of the demo buys tokens: the effective price is all usage cost over all tokens.
    const month = dashboard.months.at(-1)!;
    const { cost, tokens } = ctx.db
      .prepare("SELECT SUM(cost_base_micros) AS cost, SUM(tokens) AS tokens FROM usage_lines WHERE charge_kind = 'usage' AND usage_month = ?")
      .get(month) as { cost: number; tokens: number };
    expect(dashboard.effectivePrice.at(-1)!.pricePerMTokMicros).toBe(Number(divRound(BigInt(cost) * 1_000_000n, BigInt(tokens), 'half-even')));
    ctx.close();
  });

  it('filter the report by month range', async () => {
    const ctx = context();
    await loadDemo(ctx);
    const report = await ok(ctx.call('usage:report', { by: ['month'], fromMonth: '2026-01', toMonth: '2026-03' }));
    expect([...new Set(report.rows.map((r) => r.keys[0]))]).toEqual(['2026-01', '2026-02', '2026-03']);
    ctx.close();
  });

  it('re-derive every base amount when the base currency changes, and record it in the audit log', async () => {
    const ctx = context();
    await loadDemo(ctx);
    await ok(ctx.call('settings:update', { baseCurrency: 'CNY', organisationName: 'Northwind (CNY books)' }));
    const report = await ok(ctx.call('usage:report', { by: [] }));
    const cny = report.rows.find((r) => r.currency === 'CNY')!;
    const usd = report.rows.find((r) => r.currency === 'USD')!;
    expect(report.baseCurrency).toBe('CNY');
    expect(cny.costBaseMicros).toBe(cny.costMicros);
    // Roughly 7.0–7.4 CNY per USD in the demo rates.
    expect(usd.costBaseMicros! / usd.costMicros).toBeGreaterThan(6.9);
    expect(usd.costBaseMicros! / usd.costMicros).toBeLessThan(7.5);
    const audit = listAudit(ctx.db, 1)[0]!;
    expect(audit).toMatchObject({ action: 'update', entity: 'settings', before: { baseCurrency: 'USD' }, after: { baseCurrency: 'CNY' } });
    ctx.close();
  });

  it('report lines without an FX rate instead of assuming one', async () => {
    const ctx = context();
    await loadDemo(ctx);
    await ok(ctx.call('settings:update', { baseCurrency: 'EUR' }));
    const dashboard = await ok(ctx.call('dashboard:get', {}));
    expect(dashboard.totals.costBaseMicros).toBe(0);
    expect(dashboard.missingRates.map((m) => m.currency)).toEqual(['CNY', 'USD']);
    const report = await ok(ctx.call('usage:report', { by: ['provider'] }));
    expect(report.rows.every((r) => r.costBaseMicros === null)).toBe(true);
    ctx.close();
  });
});

describe('services with bad requests', () => {
  it('answer invalid-input naming the field, and never crash', async () => {
    const ctx = context();
    const result = await ctx.call('settings:update', { baseCurrency: 'dollars' } as never);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.issues).toEqual([{ path: 'baseCurrency', message: 'must be an ISO 4217 code such as USD' }]);
    }
    const unknownFile = await ctx.call('imports:start', { fileIds: ['no-such-file'] });
    expect(unknownFile.ok).toBe(false);
    if (!unknownFile.ok) expect(unknownFile.error.code).toBe('not-found');
    const noDialog = await ctx.call('files:pick', { purpose: 'import' });
    expect(noDialog.ok).toBe(false);
    if (!noDialog.ok) expect(noDialog.error.code).toBe('unsupported');
    ctx.close();
  });
});

describe('jobs in a worker thread', () => {
  it('import a file on the worker’s own connection while the main connection keeps answering', async () => {
    const ctx = context('worker');
    const { fileId } = ctx.files.register(FOCUS_SAMPLE, 'sample.csv');
    const { jobId } = await ok(ctx.call('imports:start', { fileIds: [fileId] }));
    const running = await ok(ctx.call('jobs:get', { jobId }));
    expect(running.kind).toBe('import');
    const done = await ctx.jobs.wait(jobId);
    expect(done.state).toBe('succeeded');
    expect(done.result!.reports[0]!.counts.imported).toBe(9);
    expect((await ok(ctx.call('app:info', {}))).usageLineCount).toBe(9);
    ctx.close();
  });

  it('cancel a demo job: the files finished before the cancel stay, the one in progress adds nothing', async () => {
    const ctx = context('worker');
    const { jobId } = await ok(ctx.call('demo:create', { seed: 3, endMonth: '2026-10' }));
    // Wait until the worker is importing the second file, then cancel.
    for (let i = 0; i < 400; i++) {
      const s = await ok(ctx.call('jobs:get', { jobId }));
      if (s.state !== 'running' || s.progress.fraction > 0.2) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await ok(ctx.call('jobs:cancel', { jobId }));
    const done = await ctx.jobs.wait(jobId);
    expect(done.state).toBe('cancelled');
    const batches = await ok(ctx.call('imports:list', {}));
    const imported = done.result!.reports.filter((r) => r.status === 'imported').length;
    expect(batches).toHaveLength(imported);
    expect(imported).toBeLessThan(8);
    const lines = ctx.db.prepare('SELECT count(*) FROM usage_lines').pluck().get();
    const expected = done.result!.reports.filter((r) => r.status === 'imported' && r.format !== 'fx-rates').reduce((s, r) => s + r.counts.imported, 0);
    expect(lines).toBe(expected);
    ctx.close();
  });
});
