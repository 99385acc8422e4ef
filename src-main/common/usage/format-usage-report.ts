import type { ResponseOf } from '../api/contract.ts';
import type { UsageDimension } from '../api/schemas.ts';
import { formatMicros } from '../money/micros.ts';
import { divRound } from '../money/rounding.ts';

type UsageReport = ResponseOf<'usage:report'>;

/** The CSV column of each dimension: a stable interface for spreadsheets and scripts. */
export const DIMENSION_COLUMN: Record<UsageDimension, string> = {
  month: 'month',
  provider: 'provider',
  model: 'model',
  'token-kind': 'token_kind',
  'cost-centre': 'cost_centre',
};

/**
 * `report usage --format csv`: one column per dimension in the order asked, then tokens (integer), currency
 * (original, ISO), cost (exact decimal in that currency) and cost_base (exact, base currency; empty while an FX
 * rate is missing). One row per group and currency, sorted by the dimensions then the currency.
 */
export function usageReportCsv(report: UsageReport): string {
  const header = [...report.by.map((d) => DIMENSION_COLUMN[d]), 'tokens', 'currency', 'cost', 'cost_base'];
  const lines = [header.join(',')];
  for (const row of report.rows) {
    lines.push(
      [
        ...row.keys.map(csvField),
        String(row.tokens),
        row.currency,
        formatMicros(row.costMicros),
        row.costBaseMicros === null ? '' : formatMicros(row.costBaseMicros),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** `--format json`: the same fields as the CSV, amounts as exact decimal strings (never binary floats). */
export function usageReportJson(report: UsageReport): string {
  return (
    JSON.stringify(
      {
        baseCurrency: report.baseCurrency,
        by: report.by,
        rows: report.rows.map((row) => ({
          ...Object.fromEntries(report.by.map((d, i) => [DIMENSION_COLUMN[d], row.keys[i]])),
          tokens: row.tokens,
          currency: row.currency,
          cost: formatMicros(row.costMicros),
          cost_base: row.costBaseMicros === null ? null : formatMicros(row.costBaseMicros),
        })),
        missingRates: report.missingRates,
      },
      null,
      2,
    ) + '\n'
  );
}

/** `--format table`: aligned columns for people; amounts to the cent, with totals per currency. */
export function usageReportTable(report: UsageReport): string {
  const header = [...report.by.map((d) => DIMENSION_COLUMN[d]), 'tokens', 'currency', 'cost', `cost (${report.baseCurrency})`];
  const rows = report.rows.map((row) => [
    ...row.keys,
    groupDigits(String(row.tokens)),
    row.currency,
    cents(row.costMicros),
    row.costBaseMicros === null ? 'no FX rate' : cents(row.costBaseMicros),
  ]);
  const totals = new Map<string, { tokens: number; cost: bigint }>();
  let baseTotal = 0n;
  let baseComplete = true;
  for (const row of report.rows) {
    const t = totals.get(row.currency) ?? { tokens: 0, cost: 0n };
    t.tokens += row.tokens;
    t.cost += BigInt(row.costMicros);
    totals.set(row.currency, t);
    if (row.costBaseMicros === null) baseComplete = false;
    else baseTotal += BigInt(row.costBaseMicros);
  }
  const totalRows = [...totals].map(([currency, t], i, all) => [
    ...report.by.map((_, j) => (j === 0 ? 'TOTAL' : '')),
    groupDigits(String(t.tokens)),
    currency,
    cents(Number(t.cost)),
    i === all.length - 1 ? (baseComplete ? cents(Number(baseTotal)) : 'incomplete') : '',
  ]);
  const numeric = new Set([header.length - 4, header.length - 2, header.length - 1]);
  const all = [header, ...rows, ...(totalRows.length ? [header.map(() => ''), ...totalRows] : [])];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const render = (r: string[]) =>
    r.map((cell, i) => (numeric.has(i) ? (cell ?? '').padStart(widths[i]!) : (cell ?? '').padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(render)];
  if (totalRows.length) out.push(widths.map((w) => '-'.repeat(w)).join('  '), ...totalRows.map(render));
  for (const m of report.missingRates) {
    out.push(`Missing FX rate ${m.currency}→${report.baseCurrency} for ${m.lines} lines from ${m.fromDate} to ${m.toDate}.`);
  }
  return out.join('\n') + '\n';
}

function cents(micros: number): string {
  const rounded = divRound(BigInt(micros), 10_000n, 'half-even');
  const text = formatMicros(Number(rounded) * 10_000, 2);
  const [whole = '', fraction = ''] = text.split('.');
  return `${groupDigits(whole)}.${fraction}`;
}

function groupDigits(digits: string): string {
  const negative = digits.startsWith('-');
  const body = negative ? digits.slice(1) : digits;
  return (negative ? '-' : '') + body.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
