import { seasonalAdjustment } from './seasonality.ts';

/** Naive: every future value equals the last observation. */
export function naiveForecast(values: ArrayLike<number>, horizon: number): number[] {
  return new Array<number>(horizon).fill(values[values.length - 1]!);
}

/** Seasonal naive: each future value equals the observation one season (m steps) earlier. */
export function seasonalNaiveForecast(values: ArrayLike<number>, period: number, horizon: number): number[] {
  const n = values.length;
  const m = period > 1 && n >= period ? period : 1;
  const result: number[] = [];
  for (let h = 1; h <= horizon; h++) result.push(values[n - m + ((h - 1) % m)]!);
  return result;
}

/**
 * Naive2, the M4 benchmark: the naive forecast of the seasonally adjusted series (classical multiplicative
 * decomposition, applied only when the 90 % autocorrelation test finds seasonality), re-seasonalised.
 */
export function naive2Forecast(values: ArrayLike<number>, period: number, horizon: number): number[] {
  const adjustment = seasonalAdjustment(values, period);
  const last = adjustment.adjusted[values.length - 1]!;
  const result: number[] = [];
  for (let h = 1; h <= horizon; h++) result.push(adjustment.reseasonalise(last, values.length + h - 1));
  return result;
}
