import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAppContext, type AppContext } from '../../src-main/node/app-context.ts';
import { listAudit } from '../../src-main/node/workbook/audit-log-repo.ts';
import { testClock } from '../support/clock.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

async function demoContext(): Promise<AppContext> {
  const ctx = openAppContext({ workbookPath: join(tempDir(), 'rules.sqlite'), mode: 'direct', version: '0.0.0-test', clock: testClock, jobs: { mode: 'in-process' }, log: () => {} });
  const started = await ctx.call('demo:create', { seed: 3, endMonth: '2026-10' });
  if (!started.ok) throw new Error(started.error.message);
  expect((await ctx.jobs.wait(started.value.jobId)).state).toBe('succeeded');
  return ctx;
}

async function value<T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Tokens and base-currency cost per key of a one-dimension report. */
async function totalsBy(ctx: AppContext, by: 'provider' | 'cost-centre' | 'model'): Promise<Map<string, { tokens: number; cost: number }>> {
  const report = await value(ctx.call('usage:report', { by: [by] }));
  const out = new Map<string, { tokens: number; cost: number }>();
  for (const row of report.rows) {
    const t = out.get(row.keys[0]!) ?? { tokens: 0, cost: 0 };
    out.set(row.keys[0]!, { tokens: t.tokens + row.tokens, cost: t.cost + row.costBaseMicros! });
  }
  return out;
}

describe('import rules (cost centres and model names) through the services', () => {
  it('re-derives the stored lines when a rule is added and removed, records the change, and reports follow', async () => {
    const ctx = await demoContext();
    const before = await value(ctx.call('import-rules:get', {}));
    expect(before.costCentreRules.length).toBeGreaterThan(5);
    const centresBefore = await totalsBy(ctx, 'cost-centre');
    const azureLines = ctx.db.prepare("SELECT count(*) FROM usage_lines WHERE provider = 'azure'").pluck().get() as number;

    // A rule ahead of all others: every Azure line is now the Platform team's.
    const withPlatform = [{ priority: 0, field: 'provider' as const, pattern: 'AZURE', costCentre: 'Platform' }, ...before.costCentreRules];
    expect(await value(ctx.call('import-rules:set', { costCentreRules: withPlatform }))).toEqual({ linesChanged: azureLines });
    const azure = (await totalsBy(ctx, 'provider')).get('azure')!;
    expect((await totalsBy(ctx, 'cost-centre')).get('Platform')).toEqual(azure);
    expect((await value(ctx.call('import-rules:get', {}))).costCentreRules[0]).toEqual(withPlatform[0]);
    const audit = listAudit(ctx.db, 1)[0]!;
    expect([audit.action, audit.entity]).toEqual(['update', 'import_rules']);

    // Taking the rule out gives every line its earlier cost centre back.
    expect(await value(ctx.call('import-rules:set', { costCentreRules: before.costCentreRules }))).toEqual({ linesChanged: azureLines });
    expect(await totalsBy(ctx, 'cost-centre')).toEqual(centresBefore);
    ctx.close();
  });

  it('counts a model text as another model, and back', async () => {
    const ctx = await demoContext();
    const { model_raw: raw, model, lines } = ctx.db
      .prepare('SELECT model_raw, model, count(*) AS lines FROM usage_lines GROUP BY model_raw ORDER BY lines DESC LIMIT 1')
      .get() as { model_raw: string; model: string; lines: number };
    const modelsBefore = await totalsBy(ctx, 'model');
    expect(await value(ctx.call('import-rules:set', { modelAliases: [{ alias: raw.toUpperCase(), canonical: 'house-model' }] }))).toEqual({ linesChanged: lines });
    const after = await totalsBy(ctx, 'model');
    expect(after.get('house-model')!.tokens).toBeGreaterThan(0);
    expect(after.get('house-model')!.tokens + (after.get(model)?.tokens ?? 0)).toBe(modelsBefore.get(model)!.tokens);
    expect(await value(ctx.call('import-rules:set', { modelAliases: [] }))).toEqual({ linesChanged: lines });
    expect(await totalsBy(ctx, 'model')).toEqual(modelsBefore);
    ctx.close();
  });

  it('refuses an empty or blank pattern naming the field, and changes nothing', async () => {
    const ctx = await demoContext();
    const before = await value(ctx.call('import-rules:get', {}));
    const empty = await ctx.call('import-rules:set', { costCentreRules: [{ priority: 1, field: 'project', pattern: '', costCentre: 'X' }] });
    expect(empty.ok).toBe(false);
    if (!empty.ok) {
      expect(empty.error.code).toBe('invalid-input');
      expect(empty.error.issues?.[0]?.path).toBe('costCentreRules.0.pattern');
    }
    const blank = await ctx.call('import-rules:set', { costCentreRules: [{ priority: 1, field: 'project', pattern: '   ', costCentre: 'X' }] });
    expect(blank.ok ? 'saved' : blank.error.message).toMatch(/a rule needs a pattern and a cost centre/);
    expect(await value(ctx.call('import-rules:get', {}))).toEqual(before);
    ctx.close();
  });
});
