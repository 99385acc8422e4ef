import type { Database } from 'better-sqlite3';
import { averageMicros } from '../../common/hedging/exposure.ts';

/** A settlement price: what contract month `contractMonth` settled at on `priceDate`, in micros per price unit. */
export type SettlementPrice = { contractMonth: string; priceDate: string; priceMicros: number; source: string; revision: number };

/** A fixing of a reference index on `date`, in micros of `currency` per price unit. */
export type IndexFixing = { date: string; valueMicros: number; currency: string; source: string; revision: number };

export type UpsertCounts = { inserted: number; replaced: number; unchanged: number };

/** What a replaced value was, for the audit log. */
export type Replacement = { key: string; before: number; after: number };

type PriceRow = { contract_month: string; price_date: string; price_micros: number; source: string; revision: number };
type FixingRow = { fixing_date: string; value_micros: number; currency: string; source: string; revision: number };

/**
 * Writes settlement prices of instrument `code`. A new (date, month) is inserted; the same price again is
 * unchanged; a different price replaces the old one with revision + 1 and is returned in `replacements`.
 * Call inside a transaction.
 */
export function upsertSettlementPrices(
  db: Database,
  code: string,
  prices: readonly { contractMonth: string; priceDate: string; priceMicros: number; source: string }[],
  atMs: number,
): UpsertCounts & { replacements: Replacement[] } {
  const find = db.prepare('SELECT price_micros, revision FROM settlement_prices WHERE code = ? AND price_date = ? AND contract_month = ?');
  const insert = db.prepare(
    'INSERT INTO settlement_prices (code, contract_month, price_date, price_micros, source, revision, entered_at_ms) VALUES (?, ?, ?, ?, ?, 1, ?)',
  );
  const update = db.prepare(
    'UPDATE settlement_prices SET price_micros = ?, source = ?, revision = ?, entered_at_ms = ? WHERE code = ? AND price_date = ? AND contract_month = ?',
  );
  const counts = { inserted: 0, replaced: 0, unchanged: 0, replacements: [] as Replacement[] };
  for (const p of prices) {
    const existing = find.get(code, p.priceDate, p.contractMonth) as { price_micros: number; revision: number } | undefined;
    if (!existing) {
      insert.run(code, p.contractMonth, p.priceDate, p.priceMicros, p.source, atMs);
      counts.inserted++;
    } else if (existing.price_micros === p.priceMicros) {
      counts.unchanged++;
    } else {
      update.run(p.priceMicros, p.source, existing.revision + 1, atMs, code, p.priceDate, p.contractMonth);
      counts.replaced++;
      counts.replacements.push({ key: `${p.priceDate} ${p.contractMonth}`, before: existing.price_micros, after: p.priceMicros });
    }
  }
  return counts;
}

/** Removes one settlement price (a mistyped cell); returns the price it had, or undefined when there was none. */
export function deleteSettlementPrice(db: Database, code: string, contractMonth: string, priceDate: string): number | undefined {
  const row = db.prepare('SELECT price_micros FROM settlement_prices WHERE code = ? AND price_date = ? AND contract_month = ?').get(code, priceDate, contractMonth) as
    | { price_micros: number }
    | undefined;
  if (!row) return undefined;
  db.prepare('DELETE FROM settlement_prices WHERE code = ? AND price_date = ? AND contract_month = ?').run(code, priceDate, contractMonth);
  return row.price_micros;
}

/** Settlement prices of `code`, by date then contract month, optionally within [fromDate, toDate]. */
export function listSettlementPrices(db: Database, code: string, range: { fromDate?: string; toDate?: string } = {}): SettlementPrice[] {
  const rows = db
    .prepare(
      `SELECT contract_month, price_date, price_micros, source, revision FROM settlement_prices
       WHERE code = ? AND price_date >= ? AND price_date <= ? ORDER BY price_date, contract_month`,
    )
    .all(code, range.fromDate ?? '0000-00-00', range.toDate ?? '9999-99-99') as PriceRow[];
  return rows.map(toPrice);
}

/** The dates that have settlement prices for `code`, latest first. */
export function settlementDates(db: Database, code: string): string[] {
  return db.prepare('SELECT DISTINCT price_date FROM settlement_prices WHERE code = ? ORDER BY price_date DESC').pluck().all(code) as string[];
}

/**
 * The forward curve of `code` as of `asOf` (default: the latest date with prices): the settlement price of every
 * contract month on the latest price date on or before `asOf`.
 */
export function forwardCurve(db: Database, code: string, asOf?: string): { priceDate: string | null; points: SettlementPrice[] } {
  const priceDate = db
    .prepare('SELECT MAX(price_date) FROM settlement_prices WHERE code = ? AND price_date <= ?')
    .pluck()
    .get(code, asOf ?? '9999-99-99') as string | null;
  if (!priceDate) return { priceDate: null, points: [] };
  const rows = db
    .prepare('SELECT contract_month, price_date, price_micros, source, revision FROM settlement_prices WHERE code = ? AND price_date = ? ORDER BY contract_month')
    .all(code, priceDate) as PriceRow[];
  return { priceDate, points: rows.map(toPrice) };
}

export function countSettlementPrices(db: Database, code: string): { count: number; lastDate: string | null } {
  const row = db.prepare('SELECT count(*) AS n, MAX(price_date) AS last FROM settlement_prices WHERE code = ?').get(code) as { n: number; last: string | null };
  return { count: row.n, lastDate: row.last };
}

/** Writes index fixings, as `upsertSettlementPrices` does prices. Call inside a transaction. */
export function upsertIndexFixings(
  db: Database,
  indexCode: string,
  fixings: readonly { date: string; valueMicros: number; currency: string; source: string }[],
  atMs: number,
): UpsertCounts & { replacements: Replacement[] } {
  const find = db.prepare('SELECT value_micros, currency, revision FROM index_fixings WHERE index_code = ? AND fixing_date = ?');
  const insert = db.prepare(
    'INSERT INTO index_fixings (index_code, fixing_date, value_micros, currency, source, revision, entered_at_ms) VALUES (?, ?, ?, ?, ?, 1, ?)',
  );
  const update = db.prepare(
    'UPDATE index_fixings SET value_micros = ?, currency = ?, source = ?, revision = ?, entered_at_ms = ? WHERE index_code = ? AND fixing_date = ?',
  );
  const counts = { inserted: 0, replaced: 0, unchanged: 0, replacements: [] as Replacement[] };
  for (const f of fixings) {
    const existing = find.get(indexCode, f.date) as { value_micros: number; currency: string; revision: number } | undefined;
    if (!existing) {
      insert.run(indexCode, f.date, f.valueMicros, f.currency, f.source, atMs);
      counts.inserted++;
    } else if (existing.value_micros === f.valueMicros && existing.currency === f.currency) {
      counts.unchanged++;
    } else {
      update.run(f.valueMicros, f.currency, f.source, existing.revision + 1, atMs, indexCode, f.date);
      counts.replaced++;
      counts.replacements.push({ key: f.date, before: existing.value_micros, after: f.valueMicros });
    }
  }
  return counts;
}

export function listIndexFixings(db: Database, indexCode: string, range: { fromDate?: string; toDate?: string } = {}): IndexFixing[] {
  const rows = db
    .prepare(
      `SELECT fixing_date, value_micros, currency, source, revision FROM index_fixings
       WHERE index_code = ? AND fixing_date >= ? AND fixing_date <= ? ORDER BY fixing_date`,
    )
    .all(indexCode, range.fromDate ?? '0000-00-00', range.toDate ?? '9999-99-99') as FixingRow[];
  return rows.map((r) => ({ date: r.fixing_date, valueMicros: r.value_micros, currency: r.currency, source: r.source, revision: r.revision }));
}

export function countIndexFixings(db: Database, indexCode: string): number {
  return db.prepare('SELECT count(*) FROM index_fixings WHERE index_code = ?').pluck().get(indexCode) as number;
}

/**
 * The arithmetic average of the index's fixings in each month (exact, rounded once half-even to micros): the
 * floating price of an average-of-month contract, and the index side of the basis series.
 */
export function monthlyIndexAverages(db: Database, indexCode: string): Map<string, number> {
  const byMonth = new Map<string, number[]>();
  for (const f of listIndexFixings(db, indexCode)) {
    const month = f.date.slice(0, 7);
    let list = byMonth.get(month);
    if (!list) byMonth.set(month, (list = []));
    list.push(f.valueMicros);
  }
  return new Map([...byMonth].map(([month, values]) => [month, averageMicros(values)]));
}

function toPrice(r: PriceRow): SettlementPrice {
  return { contractMonth: r.contract_month, priceDate: r.price_date, priceMicros: r.price_micros, source: r.source, revision: r.revision };
}
