import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAppContext } from '../../src-main/node/app-context.ts';
import { testClock } from '../support/clock.ts';
import { FIXTURES } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const ok = async <T,>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('import engine API', () => {
  it('previews a file with its detected format and confidence, imports it, lists it and undoes it with an audit entry', async () => {
    const ctx = openAppContext({ workbookPath: join(tempDir(), 'wb.sqlite'), mode: 'direct', version: 't', clock: testClock, jobs: { mode: 'in-process' } });
    const file = ctx.files.register(join(FIXTURES, 'formats', 'aws-cur2-bedrock.csv'));
    const preview = await ok(ctx.call('imports:preview', { fileId: file.fileId }));
    expect(preview.tables[0]!.detected[0]).toMatchObject({ format: 'aws-cur', version: '2.0' });
    expect(preview.tables[0]!.rows).toHaveLength(6);
    const { jobId } = await ok(ctx.call('imports:start', { fileIds: [file.fileId] }));
    await ctx.jobs.wait(jobId);
    const batches = await ok(ctx.call('imports:batches', {}));
    expect(batches).toMatchObject([{ fileName: 'aws-cur2-bedrock.csv', lines: 5, state: 'active' }]);
    const undone = await ok(ctx.call('imports:undo', { batchId: batches[0]!.batchId }));
    expect(undone).toMatchObject({ linesRemoved: 5, linesRestored: 0 });
    expect(await ok(ctx.call('imports:batches', {}))).toEqual([]);
    expect(ctx.db.prepare("SELECT action FROM audit_log ORDER BY entry_id DESC LIMIT 1").pluck().get()).toBe('undo-import');
    ctx.close();
  });

  it('shows an entered invoice total beside the sum of its lines, and the difference', async () => {
    const ctx = openAppContext({ workbookPath: join(tempDir(), 'wb.sqlite'), mode: 'direct', version: 't', clock: testClock, jobs: { mode: 'in-process' } });
    const file = ctx.files.register(join(FIXTURES, 'formats', 'azure-openai-ea.csv'));
    await ctx.jobs.wait((await ok(ctx.call('imports:start', { fileIds: [file.fileId] }))).jobId);
    ctx.db.prepare("UPDATE usage_line_facts SET invoice_id = 'INV-1'").run();
    await ok(ctx.call('invoices:enter', { provider: 'azure', invoiceRef: 'INV-1', month: '2026-10', currency: 'USD', totalMicros: 8_000_000 }));
    const rec = await ok(ctx.call('reconciliation:get', {}));
    expect(rec.invoices).toEqual([{ provider: 'azure', invoiceRef: 'INV-1', month: '2026-10', currency: 'USD', linesMicros: 7_600_000, totalMicros: 8_000_000, differenceMicros: -400_000 }]);
    ctx.close();
  });

  it('previews an unknown CSV: no format detected, then its first rows read through a mapping, naming file, row and column of a bad cell', async () => {
    const dir = tempDir();
    const ctx = openAppContext({ workbookPath: join(dir, 'wb.sqlite'), mode: 'direct', version: 't', clock: testClock, jobs: { mode: 'in-process' } });
    const path = join(dir, 'mistral-2026-10.csv');
    writeFileSync(path, 'Day;Model;Tokens;Amount\n01.10.2026;mistral-large;1000;4,25\n02.10.2026;mistral-large;2000;zero\n');
    const file = ctx.files.register(path);
    const plain = await ok(ctx.call('imports:preview', { fileId: file.fileId }));
    expect(plain.tables[0]).toMatchObject({ header: ['Day', 'Model', 'Tokens', 'Amount'], detected: [], chosen: null, savedMapping: null, numberStyle: 'decimal comma, dates day/month/year' });
    expect(plain.tables[0]!.trial.error).toBe('mistral-2026-10.csv: no format recognises this header; map its columns below.');

    const mapping = { date: 'Day', model: 'Model', tokens: 'Tokens', cost: 'Amount', currency: { fixed: 'EUR' }, provider: { fixed: 'Mistral' } };
    const mapped = await ok(ctx.call('imports:preview', { fileId: file.fileId, mapping }));
    const t = mapped.tables[0]!;
    expect(t.chosen).toMatchObject({ format: 'custom-mapping', confidence: 1 });
    expect(t.trial.lines).toEqual([
      { row: 1, ref: null, usageDate: '2026-10-01', provider: 'mistral', model: 'mistral-large', modelRaw: 'mistral-large', tokenKind: 'other', chargeKind: 'usage', tokens: 1000, costMicros: 4_250_000, currency: 'EUR', costCentre: 'Unassigned', project: '', measure: 'cost' },
    ]);
    expect(t.trial.rejections).toEqual([{ row: 2, ref: null, column: 'Amount', reason: 'mistral-2026-10.csv row 2: Amount "zero" is not a number' }]);

    const wrong = await ok(ctx.call('imports:preview', { fileId: file.fileId, mapping: { ...mapping, cost: 'Price' } }));
    expect(wrong.tables[0]!.trial.error).toBe('mistral-2026-10.csv: the column mapping does not fit this file: cost: the column "Price" is not in this file\'s header');
    ctx.close();
  });

  it('imports each file with its own choice, and offers a mapping saved for a header when the next file with that header arrives', async () => {
    const dir = tempDir();
    const ctx = openAppContext({ workbookPath: join(dir, 'wb.sqlite'), mode: 'direct', version: 't', clock: testClock, jobs: { mode: 'in-process' } });
    const october = join(dir, 'mistral-2026-10.csv');
    writeFileSync(october, 'Day,Model,Tokens,Amount\n2026-10-01,mistral-large,1000,0.004\n');
    const costs = ctx.files.register(join(FIXTURES, 'openai-cookbook-usage-api', 'costs_group_by_line_item_head.csv'));
    const unknown = ctx.files.register(october);
    const mapping = { date: 'Day', model: 'Model', tokens: 'Tokens', cost: 'Amount', currency: { fixed: 'EUR' }, provider: { fixed: 'Mistral' } };
    const { jobId } = await ok(
      ctx.call('imports:start', {
        fileIds: [costs.fileId, unknown.fileId],
        choices: [{ fileId: costs.fileId, format: 'openai-costs' }, { fileId: unknown.fileId, mapping, saveMappingAs: 'Mistral invoices' }],
      }),
    );
    const done = await ctx.jobs.wait(jobId);
    expect(done.result!.reports.map((r) => [r.status, r.format, r.formatLabel, r.confidence])).toEqual([
      ['imported', 'openai-costs', 'OpenAI costs (Costs API JSON / Cost CSV)', 1],
      ['imported', 'custom-mapping', 'Column mapping "Mistral invoices"', 1],
    ]);

    const november = join(dir, 'mistral-2026-11.csv');
    writeFileSync(november, 'Day,Model,Tokens,Amount\n2026-11-01,mistral-large,2000,0.008\n');
    const next = await ok(ctx.call('imports:preview', { fileId: ctx.files.register(november).fileId }));
    expect(next.tables[0]).toMatchObject({ detected: [], savedMapping: 'Mistral invoices', savedColumnMapping: mapping, chosen: { format: 'custom-mapping', label: 'Column mapping "Mistral invoices"' } });
    expect(next.tables[0]!.trial.lines.map((l) => [l.usageDate, l.tokens, l.costMicros, l.currency])).toEqual([['2026-11-01', 2000, 8000, 'EUR']]);
    ctx.close();
  });

  it('lists the formats a file can be read as, for the override', async () => {
    const ctx = openAppContext({ workbookPath: join(tempDir(), 'wb.sqlite'), mode: 'direct', version: 't', clock: testClock, jobs: { mode: 'in-process' } });
    const formats = await ok(ctx.call('imports:formats', {}));
    expect(formats.map((f) => f.id)).toEqual([
      'focus', 'fx-rates', 'openai-usage', 'openai-costs', 'anthropic-usage', 'anthropic-cost', 'anthropic-console-usage', 'anthropic-console-cost',
      'azure-cost-details', 'aws-cur', 'gcp-billing', 'deepseek-amount', 'deepseek-cost', 'alibaba-bill',
    ]);
    ctx.close();
  });
});
