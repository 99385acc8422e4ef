import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INSTRUMENT_TEMPLATES } from '../../src-main/common/hedging/instrument.ts';
import { MIGRATIONS } from '../../src-main/node/workbook/migrations/index.ts';
import { saveInstrument } from '../../src-main/node/workbook/instruments-repo.ts';
import { forwardCurve, monthlyIndexAverages, upsertIndexFixings } from '../../src-main/node/workbook/market-data-repo.ts';
import { openWorkbook, schemaVersion } from '../../src-main/node/workbook/open-workbook.ts';
import { readSettings, writeSettings } from '../../src-main/node/workbook/settings-repo.ts';
import { testClock } from '../support/clock.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const meta = { atMs: 0, actor: 'tester' };

describe('the hedging tables (migration 0004)', () => {
  it('migrate a first-version workbook with its data intact', () => {
    const path = join(tempDir(), 'v1.sqlite');
    const v1 = openWorkbook(path, { clock: testClock, migrations: MIGRATIONS.slice(0, 1) });
    writeSettings(v1, { organisationName: 'Before hedging' });
    v1.close();
    const db = openWorkbook(path, { clock: testClock });
    expect(schemaVersion(db)).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
    expect(readSettings(db).organisationName).toBe('Before hedging');
    expect(saveInstrument(db, INSTRUMENT_TEMPLATES[0]!, meta).instrument.version).toBe(1);
    db.close();
  });

  it('refuse a fractional micros price and a price of an unknown instrument', () => {
    const db = openWorkbook(':memory:', { clock: testClock });
    saveInstrument(db, INSTRUMENT_TEMPLATES[0]!, meta);
    const insert = db.prepare('INSERT INTO settlement_prices (code, contract_month, price_date, price_micros, source, entered_at_ms) VALUES (?, ?, ?, ?, ?, 0)');
    expect(() => insert.run(INSTRUMENT_TEMPLATES[0]!.code, '2027-01', '2026-11-20', 2.5, 'x')).toThrow(/cannot store REAL value in INTEGER column/);
    expect(() => insert.run('UNKNOWN', '2027-01', '2026-11-20', 2_500_000, 'x')).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('find a forward curve through the primary key, not a table scan', () => {
    const db = openWorkbook(':memory:', { clock: testClock });
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT contract_month, price_micros FROM settlement_prices WHERE code = ? AND price_date = ? ORDER BY contract_month')
      .all('X', '2026-11-20') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' | ')).toMatch(/SEARCH settlement_prices USING (INDEX sqlite_autoindex_settlement_prices_1|PRIMARY KEY) \(code=\? AND price_date=\?\)/);
    expect(forwardCurve(db, 'X')).toEqual({ priceDate: null, points: [] });
    db.close();
  });

  it('average the fixings of each month exactly, rounding once half-even', () => {
    const db = openWorkbook(':memory:', { clock: testClock });
    upsertIndexFixings(
      db,
      'IDX',
      [
        { date: '2026-10-01', valueMicros: 1, currency: 'USD', source: 's' },
        { date: '2026-10-02', valueMicros: 2, currency: 'USD', source: 's' },
        { date: '2026-11-02', valueMicros: 2_600_000, currency: 'USD', source: 's' },
        { date: '2026-11-03', valueMicros: 2_600_001, currency: 'USD', source: 's' },
      ],
      0,
    );
    // (1 + 2) / 2 = 1.5 → 2; (2,600,000 + 2,600,001) / 2 = 2,600,000.5 → 2,600,000 (ties to even).
    expect([...monthlyIndexAverages(db, 'IDX')]).toEqual([
      ['2026-10', 2],
      ['2026-11', 2_600_000],
    ]);
    db.close();
  });
});
