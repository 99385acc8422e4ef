import { decimalToString, parseDecimal } from '../money/decimal.ts';
import { DEFAULT_FX_MAX_STALENESS_DAYS, type FxRate } from '../money/fx.ts';
import { mulDivMicros } from '../money/micros.ts';
import { daysBetween, type IsoDate } from '../time/iso-date.ts';
import { formatMoneyText } from './numbers.ts';

/**
 * The one dated FX rate a proposal converts with (margin and fees from the instrument's currency into the
 * workbook's base currency), kept as stored so the conversion can be shown and redone: 1 `pair.base` =
 * `pair.rate` `pair.quote` on `rateDate`. Example: from CNY to USD with the stored USD/CNY rate
 * { base: "USD", quote: "CNY", rate: "7.1429" }: 1,000.00 CNY ÷ 7.1429 = 140.00 USD.
 */
export type FxConversion = {
  from: string;
  to: string;
  rateDate: string;
  pair: { base: string; quote: string; rate: string };
};

/**
 * The latest stored rate between `from` and `to` (either direction) on or before `date`, at most
 * `maxStalenessDays` old — the same rule as the usage converter (`money/fx.ts`). Undefined when there is none:
 * a missing rate is reported, never assumed.
 */
export function findFxConversion(
  rates: readonly FxRate[],
  from: string,
  to: string,
  date: IsoDate,
  maxStalenessDays = DEFAULT_FX_MAX_STALENESS_DAYS,
): FxConversion | undefined {
  let best: FxRate | undefined;
  for (const r of rates) {
    const pairMatches = (r.base === to && r.quote === from) || (r.base === from && r.quote === to);
    if (!pairMatches || r.rate.units <= 0n || r.rateDate > date) continue;
    if (daysBetween(r.rateDate, date) > maxStalenessDays) continue;
    if (!best || r.rateDate > best.rateDate) best = r;
  }
  if (!best) return undefined;
  return { from, to, rateDate: best.rateDate, pair: { base: best.base, quote: best.quote, rate: decimalToString(best.rate) } };
}

/** `micros` of `fx.from` in `fx.to`, exact, rounded once half-even to micros. */
export function convertWithFx(micros: number, fx: FxConversion): number {
  const rate = parseDecimal(fx.pair.rate);
  if (!rate || rate.units <= 0n) throw new RangeError(`FX rate "${fx.pair.rate}" is not a positive decimal`);
  const power = 10n ** BigInt(rate.scale);
  // 1 base = rate quote: converting quote → base divides by the rate, base → quote multiplies.
  return fx.pair.base === fx.to ? mulDivMicros(micros, power, rate.units, 'half-even') : mulDivMicros(micros, rate.units, power, 'half-even');
}

/** Units of `fx.to` per unit of `fx.from`, as a float: for the simulation only, never for stored amounts. */
export function fxFactor(fx: FxConversion): number {
  const rate = Number(fx.pair.rate);
  return fx.pair.base === fx.to ? 1 / rate : rate;
}

/** "1 USD = 7.1429 CNY on 2026-10-30". */
export function describeFxRate(fx: FxConversion): string {
  return `1 ${fx.pair.base} = ${fx.pair.rate} ${fx.pair.quote} on ${fx.rateDate}`;
}

/** "4,567.89 CNY ÷ 7.1429 (1 USD = 7.1429 CNY on 2026-10-30) = 639.50 USD". */
export function describeConversion(micros: number, fx: FxConversion): string {
  const op = fx.pair.base === fx.to ? '÷' : '×';
  return `${formatMoneyText(micros, fx.from)} ${op} ${fx.pair.rate} (${describeFxRate(fx)}) = ${formatMoneyText(convertWithFx(micros, fx), fx.to)}`;
}
