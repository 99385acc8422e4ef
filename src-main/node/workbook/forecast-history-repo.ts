import type { Database } from 'better-sqlite3';
import type { SegmentDimension, UsageMonth } from '../../common/forecast/token-forecast.ts';
import { addMonths, daysOfMonth, monthRange, type IsoDate, type IsoMonth } from '../../common/time/iso-date.ts';

/**
 * Monthly usage histories for forecasting: usage charges priced in tokens (charge_kind 'usage', token kinds other
 * than 'other'), tokens and base-currency cost per month, for the total and per value of one dimension. Months
 * without usage inside the range are zeros.
 */
const COLUMN: Record<SegmentDimension, string> = {
  provider: 'provider',
  model: 'model',
  token_kind: 'token_kind',
  cost_centre: 'cost_centre',
};

const USAGE_FILTER = "charge_kind = 'usage' AND token_kind <> 'other'";

type Row = { month: string; key: string; tokens: bigint; cost: bigint; priced: bigint };

/**
 * The months of history that forecasting may use: from the first month with usage to the last complete one. The
 * last month with usage counts as complete when usage reaches its last day (an export cut mid-month, or the
 * current month, would otherwise look like a drop) and it is before `today`'s month.
 */
export function historyRange(db: Database, today: IsoDate): { from: IsoMonth; to: IsoMonth; droppedPartial: IsoMonth | undefined } | undefined {
  const row = db.prepare(`SELECT MIN(usage_date) AS first, MAX(usage_date) AS last FROM usage_lines WHERE ${USAGE_FILTER}`).get() as {
    first: string | null;
    last: string | null;
  };
  if (!row.first || !row.last) return undefined;
  const from = row.first.slice(0, 7) as IsoMonth;
  let to = row.last.slice(0, 7) as IsoMonth;
  let droppedPartial: IsoMonth | undefined;
  const lastDay = Number(row.last.slice(8, 10));
  const currentMonth = today.slice(0, 7) as IsoMonth;
  if (lastDay < daysOfMonth(to) || to >= currentMonth) {
    droppedPartial = to;
    to = addMonths(to, -1);
  }
  if (to < from) return undefined;
  return { from, to, droppedPartial };
}

function toUsageMonths(rows: { month: string; tokens: bigint; cost: bigint; priced: bigint }[], months: IsoMonth[]): UsageMonth[] {
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return months.map((month) => {
    const r = byMonth.get(month);
    return {
      month,
      tokens: r ? Number(r.tokens) : 0,
      costBaseMicros: r ? Number(r.cost) : 0,
      pricedTokens: r ? Number(r.priced) : 0,
    };
  });
}

/** The total's monthly history and each value's, for `dimension`, over [from, to]. */
export function segmentHistories(
  db: Database,
  dimension: SegmentDimension,
  range: { from: IsoMonth; to: IsoMonth },
): { total: UsageMonth[]; values: { value: string; history: UsageMonth[] }[] } {
  const column = COLUMN[dimension];
  const rows = db
    .prepare(
      `SELECT usage_month AS month, ${column} AS key, SUM(tokens) AS tokens, SUM(COALESCE(cost_base_micros, 0)) AS cost,
              SUM(CASE WHEN cost_base_micros IS NULL THEN 0 ELSE tokens END) AS priced
         FROM usage_lines
        WHERE ${USAGE_FILTER} AND usage_date >= ? AND usage_date < ?
        GROUP BY usage_month, ${column}
        ORDER BY usage_month, ${column}`,
    )
    .safeIntegers(true)
    .all(`${range.from}-01`, `${addMonths(range.to, 1)}-01`) as Row[];
  const months = monthRange(range.from, range.to);
  const totals = new Map<string, { month: string; tokens: bigint; cost: bigint; priced: bigint }>();
  const byKey = new Map<string, Row[]>();
  for (const r of rows) {
    const t = totals.get(r.month) ?? { month: r.month, tokens: 0n, cost: 0n, priced: 0n };
    t.tokens += r.tokens;
    t.cost += r.cost;
    t.priced += r.priced;
    totals.set(r.month, t);
    if (!byKey.has(r.key)) byKey.set(r.key, []);
    byKey.get(r.key)!.push(r);
  }
  return {
    total: toUsageMonths([...totals.values()], months),
    values: [...byKey.keys()].sort().map((value) => ({ value, history: toUsageMonths(byKey.get(value)!, months) })),
  };
}

/** The values of every dimension that have usage, for choosing a segment. */
export function segmentValues(db: Database): Record<SegmentDimension, string[]> {
  const result = {} as Record<SegmentDimension, string[]>;
  for (const [dimension, column] of Object.entries(COLUMN) as [SegmentDimension, string][]) {
    result[dimension] = db.prepare(`SELECT DISTINCT ${column} FROM usage_lines WHERE ${USAGE_FILTER} ORDER BY ${column}`).pluck().all() as string[];
  }
  return result;
}
