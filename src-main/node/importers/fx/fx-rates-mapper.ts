import { parseCurrencyCode } from '../../../common/money/currency.ts';
import { decimalToString, parseDecimal } from '../../../common/money/decimal.ts';
import { isoDateOfMs } from '../../../common/time/iso-date.ts';
import { parseDateTimeToMs } from '../../../common/time/parse-date-time.ts';
import { headerIndex, normaliseColumnName, type RowMapper, type RowOutcome } from '../row-outcome.ts';

/**
 * FX rates as a CSV: `date,base,quote,rate[,source]` — "2026-10-30,USD,CNY,7.1234,ECB" means
 * 1 USD = 7.1234 CNY on 2026-10-30. Column order does not matter; names are matched ignoring case.
 */
export function detectFxRates(header: readonly string[]): { version: string; confidence: number } | undefined {
  const names = new Set(header.map(normaliseColumnName));
  const needed = ['date', 'base', 'quote', 'rate'];
  return needed.every((n) => names.has(n)) ? { version: '1', confidence: 0.9 } : undefined;
}

export function createFxRatesMapper(header: readonly string[], fileName: string): RowMapper {
  const col = headerIndex(header);
  const c = { date: col('date'), base: col('base'), quote: col('quote'), rate: col('rate'), source: col('source') };
  return {
    mapRow(fields): RowOutcome {
      const get = (i: number) => (i < 0 ? '' : (fields[i] ?? '').trim());
      const dateText = get(c.date);
      const ms = parseDateTimeToMs(dateText);
      if (ms === undefined) return { kind: 'reject', column: 'date', reason: `"${dateText}" is not a date` };
      const base = parseCurrencyCode(get(c.base));
      if (!base) return { kind: 'reject', column: 'base', reason: `"${get(c.base)}" is not an ISO currency code` };
      const quote = parseCurrencyCode(get(c.quote));
      if (!quote) return { kind: 'reject', column: 'quote', reason: `"${get(c.quote)}" is not an ISO currency code` };
      if (base === quote) return { kind: 'reject', column: 'quote', reason: `is the same currency as base (${base})` };
      const rate = parseDecimal(get(c.rate));
      if (!rate || rate.units <= 0n) {
        return { kind: 'reject', column: 'rate', reason: `"${get(c.rate)}" is not a positive decimal number` };
      }
      return {
        kind: 'fx',
        rate: { rateDate: isoDateOfMs(ms), base, quote, rate: decimalToString(rate), source: get(c.source) || fileName },
      };
    },
  };
}
