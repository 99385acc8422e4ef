/**
 * Forecast accuracy measures with the M4 competition's definitions (Makridakis, Spiliotis & Assimakopoulos 2020;
 * the organisers' "Benchmarks and Evaluation.R"):
 * - sMAPE = mean over h of 200·|y − ŷ| / (|y| + |ŷ|)  (percent, 0…200)
 * - MASE  = mean |y − ŷ| / mean over the training series of |y_t − y_{t−m}|  (m the seasonal period; m = 1 when
 *   the training series is not longer than m)
 * - MSIS  = mean over h of (U − L) + (2/a)(L − y)·[y < L] + (2/a)(y − U)·[y > U], scaled like MASE (a = 0.05 for
 *   the 95 % interval)
 * - OWA   = ½ · (mean sMAPE / mean sMAPE of Naive2 + mean MASE / mean MASE of Naive2), on the means over series.
 */

/** sMAPE of one series' forecasts, in percent. Example: y = [100], ŷ = [110] → 200·10/210 = 9.5238… */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const denominator = Math.abs(actual[i]!) + Math.abs(forecast[i]!);
    sum += denominator === 0 ? 0 : (200 * Math.abs(actual[i]! - forecast[i]!)) / denominator;
  }
  return sum / actual.length;
}

/**
 * The MASE scale of a training series: mean absolute seasonal difference at lag m (lag 1 when the series is not
 * longer than m). Returns 0 for a constant series; callers decide how to report that.
 */
export function maseScale(train: ArrayLike<number>, period: number): number {
  const m = train.length > period ? period : 1;
  let sum = 0;
  for (let i = m; i < train.length; i++) sum += Math.abs(train[i]! - train[i - m]!);
  return sum / (train.length - m);
}

/** MASE of one series' forecasts. */
export function mase(actual: ArrayLike<number>, forecast: ArrayLike<number>, scale: number): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i]! - forecast[i]!);
  return sum / actual.length / scale;
}

/** MSIS of one series' (1 − a) interval [lower, upper]; a = 0.05 for 95 %. */
export function msis(actual: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>, scale: number, a = 0.05): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i]!;
    const lo = lower[i]!;
    const hi = upper[i]!;
    sum += hi - lo;
    if (y < lo) sum += (2 / a) * (lo - y);
    if (y > hi) sum += (2 / a) * (y - hi);
  }
  return sum / actual.length / scale;
}

/** Share of actuals inside [lower, upper] (bounds included). */
export function coverage(actual: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): number {
  let inside = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i]! >= lower[i]! && actual[i]! <= upper[i]!) inside++;
  return inside / actual.length;
}

/** OWA of a method from its mean sMAPE and mean MASE and those of Naive2 over the same series. */
export function owa(method: { smape: number; mase: number }, naive2: { smape: number; mase: number }): number {
  return 0.5 * (method.smape / naive2.smape + method.mase / naive2.mase);
}
