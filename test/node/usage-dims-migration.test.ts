import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { insertPendingBatch } from '../../src-main/node/workbook/import-batches-repo.ts';
import { replaceCostCentreRules } from '../../src-main/node/workbook/import-settings-repo.ts';
import { MIGRATIONS } from '../../src-main/node/workbook/migrations/index.ts';
import { openWorkbook, schemaVersion } from '../../src-main/node/workbook/open-workbook.ts';
import { testClock } from '../support/clock.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const DAY = 86_400_000;

// Lines as a workbook of schema 8 stored them: the last column is cost_centre_source (NULL: no rule overrides).
const LINES: [provider: string, model: string, tokenKind: string, currency: string, costCentre: string, project: string, tokens: number, cost: number, base: number | null, ccSource: string | null][] = [
  ['openai', 'gpt-4o', 'input', 'USD', 'Support', 'help-desk', 1000, 2_500, 2_500, null],
  ['openai', 'gpt-4o', 'input', 'USD', 'Support', 'help-desk', 3000, 7_500, 7_500, null],
  ['openai', 'gpt-4o', 'output', 'USD', 'Support', 'help-desk', 500, 5_000, 5_000, null],
  ['deepseek', 'deepseek-chat', 'input', 'CNY', 'Research', 'lab', 9000, 18_000, null, null],
  // the same texts with a cost centre a rule set, and one where the rule chose '' (not the same as no rule)
  ['openai', 'gpt-4o', 'input', 'USD', 'Sales', 'help-desk', 10, 25, 25, 'Support'],
  ['openai', 'gpt-4o', 'input', 'USD', 'Sales', 'help-desk', 20, 50, 50, ''],
];

function v8Workbook() {
  const path = join(tempDir(), 'v8.sqlite');
  const v8 = openWorkbook(path, { clock: testClock, migrations: MIGRATIONS.filter((m) => m.version <= 8) });
  const batchId = insertPendingBatch(v8, { fileName: 'old.csv', sizeBytes: 1, format: 'focus', formatVersion: '1.2', importedAtMs: 0 });
  const insert = v8.prepare(
    `INSERT INTO usage_lines (batch_id, source_row, natural_key, period_start_ms, period_end_ms, usage_date, provider, model, model_raw,
       token_kind, charge_kind, tokens, cost_micros, currency, cost_base_micros, cost_centre, provider_account, project, measure,
       pricing_tier, invoice_id, cost_centre_source)
     VALUES (?, ?, randomblob(16), ?, ?, ?, ?, ?, ?, ?, 'usage', ?, ?, ?, ?, ?, 'acct', ?, 'cost', 'standard', ?, ?)`,
  );
  LINES.forEach(([provider, model, kind, currency, cc, project, tokens, cost, base, ccSource], i) =>
    insert.run(batchId, i + 1, Date.UTC(2026, 9, 1 + i), Date.UTC(2026, 9, 1 + i) + DAY, `2026-10-0${i + 1}`, provider, model, `${model}-raw`, kind, tokens, cost, currency, base, cc, project, i === 0 ? 'INV-7' : null, ccSource),
  );
  return { path, v8 };
}

describe('migration 0009: usage lines as facts and dimensions', () => {
  it('keeps every line exactly as it was (ids, figures, NULLs), each distinct combination of texts stored once', () => {
    const { path, v8 } = v8Workbook();
    const before = v8.prepare('SELECT * FROM usage_lines ORDER BY line_id').all();
    v8.close();

    const v9 = openWorkbook(path, { clock: testClock });
    expect(schemaVersion(v9)).toBe(9);
    expect(v9.prepare('SELECT * FROM usage_lines ORDER BY line_id').all()).toEqual(before);
    // Lines 1 and 2 share their texts; 5 and 6 differ only in whether a rule set the cost centre ('' vs none).
    expect(v9.prepare('SELECT count(*) FROM usage_dims').pluck().get()).toBe(5);
    expect(v9.prepare('SELECT count(*) FROM usage_line_facts').pluck().get()).toBe(LINES.length);
    expect(v9.prepare('SELECT cost_centre_source FROM usage_lines ORDER BY line_id').pluck().all()).toEqual([null, null, null, null, 'Support', '']);
    v9.close();
  });

  it('a line inserted into the view finds its dimension or adds one; the same natural key again is ignored', () => {
    const { path, v8 } = v8Workbook();
    v8.close();
    const db = openWorkbook(path, { clock: testClock });
    const insert = db.prepare(
      `INSERT OR IGNORE INTO usage_lines (batch_id, source_row, natural_key, period_start_ms, period_end_ms, usage_date, provider, model, model_raw,
         token_kind, charge_kind, tokens, cost_micros, currency, cost_centre, provider_account, project, pricing_tier)
       VALUES (1, 99, ?, 0, 1, '2026-11-01', 'openai', 'gpt-4o', 'gpt-4o-raw', ?, 'usage', 5, 9, 'USD', 'Support', 'acct', 'help-desk', 'standard')`,
    );
    insert.run(Buffer.from('k1'), 'input');
    insert.run(Buffer.from('k2'), 'cache_read');
    insert.run(Buffer.from('k2'), 'cache_read');
    expect(db.prepare('SELECT count(*) FROM usage_dims').pluck().get()).toBe(6);
    expect(db.prepare('SELECT token_kind, measure, cost_centre_source FROM usage_lines WHERE source_row = 99 ORDER BY line_id').all()).toEqual([
      { token_kind: 'input', measure: 'cost', cost_centre_source: null },
      { token_kind: 'cache_read', measure: 'cost', cost_centre_source: null },
    ]);
    db.close();
  });

  it('a rule that makes two dimensions alike merges them; removing it gives every line its own cost centre back', () => {
    const { path, v8 } = v8Workbook();
    v8.close();
    const db = openWorkbook(path, { clock: testClock });
    const costCentres = () => db.prepare('SELECT cost_centre FROM usage_lines ORDER BY line_id').pluck().all();
    // Lines 1–2 (Support, no rule) become Sales by a rule, like line 5 already is: their dimensions merge.
    const changed = db.transaction(() => replaceCostCentreRules(db, [{ priority: 1, field: 'project', pattern: 'help-desk', costCentre: 'Sales' }]))();
    expect(changed).toBe(3); // lines 1, 2 and 3 (line 3 is an output line of the same project)
    expect(costCentres()).toEqual(['Sales', 'Sales', 'Sales', 'Research', 'Sales', 'Sales']);
    const dimsOfLines = db.prepare('SELECT count(DISTINCT dim_id) FROM usage_line_facts WHERE line_id IN (1, 2, 5)').pluck().get();
    expect(dimsOfLines).toBe(1);
    // Without rules every line shows the cost centre read from its file (line 6's file had none: '').
    db.transaction(() => replaceCostCentreRules(db, []))();
    expect(costCentres()).toEqual(['Support', 'Support', 'Support', 'Research', 'Support', '']);
    expect(db.prepare('SELECT count(*) FROM usage_lines WHERE cost_centre_source IS NOT NULL').pluck().get()).toBe(0);
    db.close();
  });
});
