import { hash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyDayOf, naturalKeyOf } from '../../src-main/node/importers/natural-key.ts';
import { insertPendingBatch } from '../../src-main/node/workbook/import-batches-repo.ts';
import { MIGRATIONS } from '../../src-main/node/workbook/migrations/index.ts';
import { openWorkbook, schemaVersion } from '../../src-main/node/workbook/open-workbook.ts';
import { testClock } from '../support/clock.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
/** The key as workbooks before migration 0008 stored it: the first 16 bytes of the SHA-1 of the material. */
const keyBefore0008 = (material: string) => Buffer.from(hash('sha1', material, 'buffer').subarray(0, 16));
const DAY = 86_400_000;

describe('natural keys with the day first', () => {
  it('puts the UTC day of the period start in front of the hash, within 0–65535', () => {
    const start = Date.UTC(2026, 10, 24, 23, 59);
    const key = naturalKeyOf('focus|OpenAI|acct|2026-11-24', start);
    expect(keyDayOf(start)).toBe(20_781); // 2026-11-24 is day 20,416 after 1970-01-01
    expect([key[0], key[1]]).toEqual([20_781 >> 8, 20_781 & 255]);
    expect(Buffer.from(key.subarray(2))).toEqual(keyBefore0008('focus|OpenAI|acct|2026-11-24').subarray(0, 14));
    expect(keyDayOf(-DAY)).toBe(0);
    expect(keyDayOf(70_000 * DAY)).toBe(65_535);
    // Identical lines of one file still get distinct keys, on the same day.
    const second = naturalKeyOf('focus|OpenAI|acct|2026-11-24', start, 2);
    expect(Buffer.from(second)).not.toEqual(Buffer.from(key));
    expect([second[0], second[1]]).toEqual([key[0], key[1]]);
  });

  it('migration 0008 turns every stored key into the key an import computes now, for current and replaced lines', () => {
    const path = join(tempDir(), 'v7.sqlite');
    const before = MIGRATIONS.filter((m) => m.version < 8);
    const v7 = openWorkbook(path, { clock: testClock, migrations: before });
    const batchId = insertPendingBatch(v7, { fileName: 'old.csv', sizeBytes: 1, format: 'focus', formatVersion: '1.2', importedAtMs: 0 });
    const lines = [
      { material: 'focus|OpenAI|acct-1|gpt-4o|input', start: Date.UTC(2025, 0, 1) },
      { material: 'focus|OpenAI|acct-1|gpt-4o|output', start: Date.UTC(2026, 10, 24, 12) },
      { material: 'anthropic|acct-2|day:1', start: -5 * DAY }, // before 1970: day 0
    ];
    const insert = (table: string, extra: string, values: unknown[]) =>
      v7
        .prepare(
          `INSERT INTO ${table} (${extra}batch_id, source_row, natural_key, period_start_ms, period_end_ms, usage_date, provider, model,
             model_raw, token_kind, charge_kind, tokens, cost_micros, currency, cost_centre, provider_account, project, measure, pricing_tier)
           VALUES (${values.map(() => '?').join(', ')}, '2025-01-01', 'OpenAI', 'gpt-4o', 'gpt-4o', 'input', 'usage', 1, 1, 'USD', 'x', 'a', 'p', 'cost', '')`,
        )
        .run(...values);
    lines.forEach((l, i) => insert('usage_lines', '', [batchId, i + 1, keyBefore0008(l.material), l.start, l.start + DAY]));
    insert('usage_lines_superseded', 'superseded_by, ', [batchId, batchId, 9, keyBefore0008('replaced line'), Date.UTC(2025, 5, 30), Date.UTC(2025, 6, 1)]);
    v7.close();

    const v8 = openWorkbook(path, { clock: testClock, migrations: MIGRATIONS.filter((m) => m.version <= 8) });
    expect(schemaVersion(v8)).toBe(8);
    const stored = v8.prepare('SELECT natural_key FROM usage_lines ORDER BY source_row').pluck().all() as Buffer[];
    expect(stored).toEqual(lines.map((l) => Buffer.from(naturalKeyOf(l.material, l.start))));
    const replaced = v8.prepare('SELECT natural_key FROM usage_lines_superseded').pluck().get() as Buffer;
    expect(replaced).toEqual(Buffer.from(naturalKeyOf('replaced line', Date.UTC(2025, 5, 30))));
    // The unique index is back.
    expect(v8.prepare("SELECT sql FROM sqlite_schema WHERE name = 'usage_lines_natural_key'").pluck().get()).toMatch(/UNIQUE INDEX/);
    v8.close();
  });
});
