import type { Database } from 'better-sqlite3';
import type { UsageDimension } from '../../common/api/schemas.ts';
import type { FxConverter } from '../../common/money/fx.ts';
import { bigintToMicros, type Micros } from '../../common/money/micros.ts';
import type { IsoDate, IsoMonth } from '../../common/time/iso-date.ts';

export function countUsageLines(db: Database): number {
  // The facts alone: counting through the view would join every line to its dimension.
  return (db.prepare('SELECT count(*) AS n FROM usage_line_facts').get() as { n: number }).n;
}

/**
 * Re-derives `cost_base_micros` for lines in `currencies` (all non-base currencies when omitted), after FX rates
 * or the base currency changed. Runs in the caller's transaction.
 */
export function recomputeBaseCosts(db: Database, fx: FxConverter, currencies?: readonly string[]): number {
  const list =
    currencies ??
    (db.prepare('SELECT DISTINCT currency FROM usage_dims').pluck().all() as string[]);
  const select = db.prepare(
    'SELECT usage_date, SUM(1) AS n FROM usage_lines WHERE currency = ? GROUP BY usage_date',
  );
  const update = db.prepare('UPDATE usage_line_facts SET cost_base_micros = ? WHERE line_id = ?');
  const linesOfDay = db.prepare('SELECT line_id, cost_micros FROM usage_lines WHERE currency = ? AND usage_date = ?');
  const ofCurrency = 'dim_id IN (SELECT dim_id FROM usage_dims WHERE currency = ?)';
  const clearDay = db.prepare(`UPDATE usage_line_facts SET cost_base_micros = NULL WHERE ${ofCurrency} AND usage_date = ?`);
  const copyDay = db.prepare(`UPDATE usage_line_facts SET cost_base_micros = cost_micros WHERE ${ofCurrency} AND usage_date = ?`);
  let updated = 0;
  for (const currency of list) {
    const days = select.all(currency) as { usage_date: IsoDate; n: number }[];
    for (const { usage_date: date, n } of days) {
      updated += n;
      if (currency === fx.baseCurrency) {
        copyDay.run(currency, date);
        continue;
      }
      if (fx.convert(0, currency, date) === undefined) {
        clearDay.run(currency, date);
        continue;
      }
      for (const row of linesOfDay.all(currency, date) as { line_id: number; cost_micros: number }[]) {
        update.run(fx.convert(row.cost_micros, currency, date), row.line_id);
      }
    }
  }
  return updated;
}

/** The column behind each report dimension: a fixed list, so no request text ever reaches SQL. */
const DIMENSION_COLUMNS: Record<UsageDimension, string> = {
  month: 'usage_month',
  provider: 'provider',
  model: 'model',
  'token-kind': 'token_kind',
  'cost-centre': 'cost_centre',
};

export type MonthRange = { fromMonth?: IsoMonth | undefined; toMonth?: IsoMonth | undefined };

function rangeClause(range: MonthRange): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (range.fromMonth) {
    parts.push('usage_date >= ?');
    params.push(`${range.fromMonth}-01`);
  }
  if (range.toMonth) {
    parts.push('usage_date <= ?');
    params.push(`${range.toMonth}-31`);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export type UsageGroupRow = {
  keys: string[];
  tokens: number;
  currency: string;
  costMicros: Micros;
  costBaseMicros: Micros | null;
};

/** Sums tokens and cost per group of `by` and currency, sorted by the dimensions then currency. */
export function sumUsageBy(db: Database, by: readonly UsageDimension[], range: MonthRange): UsageGroupRow[] {
  const columns = by.map((d) => DIMENSION_COLUMNS[d]);
  const keySelect = columns.map((c, i) => `${c} AS k${i}`).join(', ');
  const where = rangeClause(range);
  const groupBy = [...columns, 'currency'].join(', ');
  const sql = `SELECT ${keySelect}${keySelect ? ', ' : ''} currency, SUM(tokens) AS tokens, SUM(cost_micros) AS cost,
      SUM(cost_base_micros) AS cost_base, COUNT(*) - COUNT(cost_base_micros) AS missing
    FROM usage_lines ${where.sql} GROUP BY ${groupBy} ORDER BY ${groupBy}`;
  const rows = db.prepare(sql).safeIntegers(true).all(...where.params) as Record<string, unknown>[];
  return rows.map((r) => ({
    keys: columns.map((_, i) => String(r[`k${i}`])),
    tokens: Number(checkedInt(r.tokens, 'tokens')),
    currency: String(r.currency),
    costMicros: bigintToMicros(checkedInt(r.cost, 'cost')),
    costBaseMicros: r.missing === 0n ? bigintToMicros(checkedInt(r.cost_base ?? 0n, 'base cost')) : null,
  }));
}

function checkedInt(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new Error(`expected an integer ${what}, got ${String(value)}`);
}

export type MissingRate = { currency: string; fromDate: string; toDate: string; lines: number };

/** Lines whose base-currency amount is unknown because no FX rate covers their date, per currency. */
export function missingRates(db: Database, range: MonthRange): MissingRate[] {
  const where = rangeClause(range);
  const sql = `SELECT currency, MIN(usage_date) AS from_date, MAX(usage_date) AS to_date, COUNT(*) AS lines
    FROM usage_lines ${where.sql ? `${where.sql} AND` : 'WHERE'} cost_base_micros IS NULL GROUP BY currency ORDER BY currency`;
  const rows = db.prepare(sql).all(...where.params) as { currency: string; from_date: string; to_date: string; lines: number }[];
  return rows.map((r) => ({ currency: r.currency, fromDate: r.from_date, toDate: r.to_date, lines: r.lines }));
}

export type MonthlyRow = { month: IsoMonth; key: string; costBaseMicros: Micros; tokens: number };

/** Base-currency cost and tokens per month and `key` column (provider or token kind). */
export function monthlyTotals(db: Database, key: 'provider' | 'token_kind', range: MonthRange): MonthlyRow[] {
  const where = rangeClause(range);
  const sql = `SELECT usage_month AS month, ${key} AS key, SUM(COALESCE(cost_base_micros, 0)) AS cost, SUM(tokens) AS tokens
    FROM usage_lines ${where.sql} GROUP BY usage_month, ${key} ORDER BY usage_month, ${key}`;
  const rows = db.prepare(sql).safeIntegers(true).all(...where.params) as { month: string; key: string; cost: bigint; tokens: bigint }[];
  return rows.map((r) => ({
    month: r.month as IsoMonth,
    key: r.key,
    costBaseMicros: bigintToMicros(r.cost),
    tokens: Number(r.tokens),
  }));
}

/**
 * Per month: base cost and tokens of usage lines that count tokens — the basis of the effective price. A cost
 * source that names the model but not the token direction (DeepSeek's cost file: kind `other`, no tokens) prices
 * the tokens its provider's usage source reports for that model and day, so its money counts too.
 */
export function monthlyTokenCost(db: Database, range: MonthRange): { month: IsoMonth; costBaseMicros: Micros; tokens: number }[] {
  const where = rangeClause(range);
  const sql = `SELECT usage_month AS month, SUM(COALESCE(cost_base_micros, 0)) AS cost, SUM(tokens) AS tokens
    FROM usage_lines l ${where.sql ? `${where.sql} AND` : 'WHERE'} charge_kind = 'usage' AND (token_kind <> 'other' OR (measure = 'cost' AND tokens = 0
      AND EXISTS (SELECT 1 FROM usage_lines v WHERE v.provider = l.provider AND v.usage_date = l.usage_date AND v.model = l.model AND v.measure = 'volume')))
    GROUP BY usage_month ORDER BY usage_month`;
  const rows = db.prepare(sql).safeIntegers(true).all(...where.params) as { month: string; cost: bigint; tokens: bigint }[];
  return rows.map((r) => ({ month: r.month as IsoMonth, costBaseMicros: bigintToMicros(r.cost), tokens: Number(r.tokens) }));
}

