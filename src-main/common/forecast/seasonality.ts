import { acf } from './stats.ts';

/**
 * The M4 competition's seasonality test: a series of period m > 1 with at least 3·m observations is seasonal
 * when its lag-m autocorrelation exceeds the 90 % one-sided limit
 * 1.645 · sqrt((1 + 2·Σ_{k<m} r_k²) / n)  (Bartlett's formula). Shorter series are treated as non-seasonal.
 */
export function isSeasonal(values: ArrayLike<number>, period: number): boolean {
  const n = values.length;
  if (period <= 1 || n < 3 * period) return false;
  const r = acf(values, period);
  let sumSquares = 0;
  for (let k = 0; k < period - 1; k++) sumSquares += r[k]! ** 2;
  const limit = (1.645 / Math.sqrt(n)) * Math.sqrt(1 + 2 * sumSquares);
  return Math.abs(r[period - 1]!) > limit;
}

/**
 * Classical decomposition as R's `decompose`: a centred moving average of order m (2×m for even m) as trend,
 * the seasonal figure the mean of the detrended values at each position of the cycle, normalised to average 1
 * (multiplicative) or 0 (additive). Returns the m seasonal indices by position in the series: index i applies to
 * observations i, i + m, i + 2m, …
 */
export function seasonalIndices(values: ArrayLike<number>, period: number, kind: 'multiplicative' | 'additive'): number[] {
  const n = values.length;
  const m = period;
  const trend = centredMovingAverage(values, m);
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  for (let i = 0; i < n; i++) {
    const t = trend[i]!;
    if (Number.isNaN(t)) continue;
    const detrended = kind === 'multiplicative' ? values[i]! / t : values[i]! - t;
    if (!Number.isFinite(detrended)) continue;
    sums[i % m]! += detrended;
    counts[i % m]! += 1;
  }
  const figure = sums.map((s, i) => (counts[i]! > 0 ? s / counts[i]! : kind === 'multiplicative' ? 1 : 0));
  const average = figure.reduce((a, b) => a + b, 0) / m;
  return kind === 'multiplicative' ? figure.map((f) => f / average) : figure.map((f) => f - average);
}

/** Centred moving average of order m (2×m for even m); NaN where the window does not fit. */
export function centredMovingAverage(values: ArrayLike<number>, period: number): Float64Array {
  const n = values.length;
  const result = new Float64Array(n).fill(Number.NaN);
  const half = Math.floor(period / 2);
  for (let i = half; i < n - half; i++) {
    let sum = 0;
    if (period % 2 === 0) {
      sum += 0.5 * values[i - half]! + 0.5 * values[i + half]!;
      for (let j = i - half + 1; j < i + half; j++) sum += values[j]!;
    } else {
      for (let j = i - half; j <= i + half; j++) sum += values[j]!;
    }
    result[i] = sum / period;
  }
  return result;
}

/**
 * The seasonal adjustment of the M4 benchmarks (Naive2, Theta, SES/Holt/Damped): when the series is seasonal by
 * `isSeasonal`, divide by the multiplicative indices of `seasonalIndices`. M4 series are all positive; for a
 * seasonal series with zeros or negative values (e.g. daily usage with idle days) `additiveWhenNotPositive`
 * subtracts additive indices instead (the M4 definition, used by Naive2, leaves such a series unadjusted).
 */
export type SeasonalAdjustment = {
  kind: 'none' | 'multiplicative' | 'additive';
  /** Multiplicative factors or additive offsets, by position i mod m. */
  indices: number[];
  adjusted: Float64Array;
  /** Puts the season back on a value of the adjusted series at observation i (0-based; i ≥ n for forecasts). */
  reseasonalise(value: number, i: number): number;
};

export function seasonalAdjustment(
  values: ArrayLike<number>,
  period: number,
  options: { additiveWhenNotPositive?: boolean } = {},
): SeasonalAdjustment {
  const n = values.length;
  let positive = true;
  for (let i = 0; i < n; i++) if (!(values[i]! > 0)) positive = false;
  const seasonal = period > 1 && n >= 2 * period && isSeasonal(values, period);
  const kind = !seasonal ? 'none' : positive ? 'multiplicative' : options.additiveWhenNotPositive ? 'additive' : 'none';
  const m = kind === 'none' ? 1 : period;
  const indices = kind === 'none' ? [1] : seasonalIndices(values, period, kind);
  const adjusted = new Float64Array(n);
  for (let i = 0; i < n; i++) adjusted[i] = kind === 'additive' ? values[i]! - indices[i % m]! : values[i]! / indices[i % m]!;
  return {
    kind,
    indices,
    adjusted,
    reseasonalise: (value, i) => (kind === 'additive' ? value + indices[i % m]! : value * indices[i % m]!),
  };
}
