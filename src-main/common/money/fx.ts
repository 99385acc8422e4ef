import type { Decimal } from './decimal.ts';
import { mulDivMicros, type Micros } from './micros.ts';
import type { RoundingMode } from './rounding.ts';
import { daysBetween, type IsoDate } from '../time/iso-date.ts';

/** A dated exchange rate: 1 `base` = `rate` `quote` on `rateDate` (e.g. 1 USD = 7.1234 CNY). */
export type FxRate = { rateDate: IsoDate; base: string; quote: string; rate: Decimal };

/**
 * How far back a rate may be used: the latest rate on or before the line's date, at most this many days old.
 * Seven days covers weekends and holiday closures; an older rate counts as missing and is reported, never assumed.
 */
export const DEFAULT_FX_MAX_STALENESS_DAYS = 7;

/** Converts an amount in `currency` on `date` into the base currency, or `undefined` when no usable rate exists. */
export type FxConverter = {
  baseCurrency: string;
  convert(micros: number, currency: string, date: IsoDate): Micros | undefined;
};

type Factor = { date: IsoDate; numerator: bigint; denominator: bigint };

/**
 * Builds a converter into `baseCurrency` from dated rates in either direction: a USD-based workbook can use
 * USD→CNY rates (CNY amounts are divided by the rate) or CNY→USD rates (multiplied). Each conversion is exact
 * and rounded once, half-even, to micros.
 */
export function createFxConverter(
  rates: readonly FxRate[],
  baseCurrency: string,
  maxStalenessDays = DEFAULT_FX_MAX_STALENESS_DAYS,
  mode: RoundingMode = 'half-even',
): FxConverter {
  const byCurrency = new Map<string, Factor[]>();
  const add = (currency: string, factor: Factor): void => {
    let list = byCurrency.get(currency);
    if (!list) byCurrency.set(currency, (list = []));
    list.push(factor);
  };
  for (const r of rates) {
    if (r.rate.units <= 0n) continue;
    const power = 10n ** BigInt(r.rate.scale);
    if (r.base === baseCurrency && r.quote !== baseCurrency) {
      add(r.quote, { date: r.rateDate, numerator: power, denominator: r.rate.units });
    } else if (r.quote === baseCurrency && r.base !== baseCurrency) {
      add(r.base, { date: r.rateDate, numerator: r.rate.units, denominator: power });
    }
  }
  for (const list of byCurrency.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const cache = new Map<string, Factor | null>();
  const factorFor = (currency: string, date: IsoDate): Factor | null => {
    const key = `${currency}|${date}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const list = byCurrency.get(currency);
    let found: Factor | null = null;
    if (list) {
      let lo = 0;
      let hi = list.length - 1;
      let best = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]!.date <= date) {
          best = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (best >= 0 && daysBetween(list[best]!.date, date) <= maxStalenessDays) found = list[best]!;
    }
    cache.set(key, found);
    return found;
  };

  return {
    baseCurrency,
    convert(micros, currency, date) {
      if (currency === baseCurrency) return micros as Micros;
      const factor = factorFor(currency, date);
      if (!factor) return undefined;
      return mulDivMicros(micros, factor.numerator, factor.denominator, mode);
    },
  };
}
