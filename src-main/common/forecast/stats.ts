/**
 * Small numeric helpers for the forecasting engine: means, autocorrelation, least squares, the normal quantile
 * function and a seeded random number generator. Plain numbers (IEEE doubles): forecasts are statistical
 * estimates, never money at rest.
 */

export function mean(values: ArrayLike<number>, from = 0, to = values.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i]!;
  return sum / (to - from);
}

/** Sample autocorrelation at lags 1..maxLag, as R's `acf` (denominator n, mean removed once). */
export function acf(values: ArrayLike<number>, maxLag: number): number[] {
  const n = values.length;
  const mu = mean(values);
  let denominator = 0;
  for (let i = 0; i < n; i++) denominator += (values[i]! - mu) ** 2;
  const result: number[] = [];
  for (let lag = 1; lag <= maxLag; lag++) {
    let numerator = 0;
    for (let i = lag; i < n; i++) numerator += (values[i]! - mu) * (values[i - lag]! - mu);
    result.push(denominator === 0 ? 0 : numerator / denominator);
  }
  return result;
}

/** Ordinary least squares of `values[i]` on `x = i + 1` (i = 0..n−1): intercept and slope. */
export function linearTrend(values: ArrayLike<number>, from = 0, to = values.length): { intercept: number; slope: number } {
  const n = to - from;
  if (n === 1) return { intercept: values[from]!, slope: 0 };
  const xMean = (n + 1) / 2;
  let yMean = 0;
  for (let i = from; i < to; i++) yMean += values[i]!;
  yMean /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = from; i < to; i++) {
    const dx = i - from + 1 - xMean;
    sxy += dx * (values[i]! - yMean);
    sxx += dx * dx;
  }
  const slope = sxy / sxx;
  return { intercept: yMean - slope * xMean, slope };
}

/**
 * The standard normal quantile function Φ⁻¹(p), Wichura's algorithm AS 241 (PPND16, relative accuracy about
 * 1e-16), the one R's `qnorm` uses. Example: normalQuantile(0.975) = 1.959963984540054.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return Number.NaN;
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r +
          13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r +
        5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r +
        3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r +
        0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    value =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r +
        0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
        0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -value : value;
}

/**
 * A seeded pseudo-random generator (SplitMix32 seeding a xoshiro128** state): the same seed gives the same
 * stream on every platform, so simulated prediction intervals are reproducible.
 */
/**
 * The standard normal distribution function Φ(x), through the complementary error function of Numerical Recipes
 * (erfcc, Chebyshev fit, relative error below 1.2e-7). Example: normalCdf(1.959963984540054) ≈ 0.975.
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

/** The p-quantile of sorted values, R's default type 7 (linear interpolation between order statistics). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 1) return sorted[0]!;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
