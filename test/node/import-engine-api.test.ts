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
    ctx.db.prepare("UPDATE usage_lines SET invoice_id = 'INV-1'").run();
    await ok(ctx.call('invoices:enter', { provider: 'azure', invoiceRef: 'INV-1', month: '2026-10', currency: 'USD', totalMicros: 8_000_000 }));
    const rec = await ok(ctx.call('reconciliation:get', {}));
    expect(rec.invoices).toEqual([{ provider: 'azure', invoiceRef: 'INV-1', currency: 'USD', linesMicros: 7_600_000, totalMicros: 8_000_000, differenceMicros: -400_000 }]);
    ctx.close();
  });
});
