import type { Database } from 'better-sqlite3';
import { parseDecimal } from '../../common/money/decimal.ts';
import type { FxRate } from '../../common/money/fx.ts';
import type { IsoDate } from '../../common/time/iso-date.ts';

export type FxRateRecord = { rateDate: string; base: string; quote: string; rate: string; source: string };

type FxRateRow = { rate_date: string; base: string; quote: string; rate: string; source: string };

export type UpsertOutcome = 'inserted' | 'unchanged' | 'replaced';

/** Stores one rate; a different rate for the same pair and date replaces the old one (and says so). */
export function upsertFxRate(db: Database, rate: FxRateRecord, batchId: number | null): UpsertOutcome {
  const existing = db
    .prepare('SELECT rate FROM fx_rates WHERE base = ? AND quote = ? AND rate_date = ?')
    .get(rate.base, rate.quote, rate.rateDate) as { rate: string } | undefined;
  if (existing && existing.rate === rate.rate) return 'unchanged';
  db.prepare(
    `INSERT INTO fx_rates (base, quote, rate_date, rate, source, batch_id) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(base, quote, rate_date) DO UPDATE SET rate = excluded.rate, source = excluded.source, batch_id = excluded.batch_id`,
  ).run(rate.base, rate.quote, rate.rateDate, rate.rate, rate.source, batchId);
  return existing ? 'replaced' : 'inserted';
}

export function countFxRates(db: Database): number {
  return (db.prepare('SELECT count(*) AS n FROM fx_rates').get() as { n: number }).n;
}

export function listFxRates(db: Database, limit: number): FxRateRecord[] {
  const rows = db
    .prepare('SELECT rate_date, base, quote, rate, source FROM fx_rates ORDER BY rate_date DESC, base, quote LIMIT ?')
    .all(limit) as FxRateRow[];
  return rows.map((r) => ({ rateDate: r.rate_date, base: r.base, quote: r.quote, rate: r.rate, source: r.source }));
}

/** All rates touching `currency` (as base or quote), parsed for conversion. */
export function loadFxRates(db: Database, currency: string): FxRate[] {
  const rows = db
    .prepare('SELECT rate_date, base, quote, rate, source FROM fx_rates WHERE base = ? OR quote = ?')
    .all(currency, currency) as FxRateRow[];
  const rates: FxRate[] = [];
  for (const r of rows) {
    const rate = parseDecimal(r.rate);
    if (rate) rates.push({ rateDate: r.rate_date as IsoDate, base: r.base, quote: r.quote, rate });
  }
  return rates;
}
