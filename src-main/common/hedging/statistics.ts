/**
 * The few statistics the hedging calculations need, written out so every figure can be traced: sample moments
 * (n − 1 denominators, as Hull and spreadsheets use), ordinary least squares, the standard normal quantile and
 * empirical percentiles. Plain floating point: these are estimates about prices, never amounts of money.
 */

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Sample covariance with the n − 1 denominator. */
export function sampleCovariance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x);
  const my = mean(y);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i]! - mx) * (y[i]! - my);
  return sum / (x.length - 1);
}

export function sampleVariance(x: ArrayLike<number>): number {
  return sampleCovariance(x, x);
}

export function sampleStdDev(x: ArrayLike<number>): number {
  return Math.sqrt(sampleVariance(x));
}

/**
 * Ordinary least squares of y on x (y = intercept + slope·x): slope = Cov(x,y)/Var(x), r² = ρ², and the
 * correlation ρ. With x = futures price changes and y = spot price changes the slope is the minimum-variance
 * hedge ratio (Hull, "Options, Futures, and Other Derivatives", §3.4).
 */
export type Regression = { slope: number; intercept: number; r2: number; correlation: number; n: number };

export function linearRegression(x: ArrayLike<number>, y: ArrayLike<number>): Regression {
  const n = x.length;
  const varX = sampleVariance(x);
  const varY = sampleVariance(y);
  const cov = sampleCovariance(x, y);
  const slope = cov / varX;
  const intercept = mean(y) - slope * mean(x);
  // A constant y is fully "explained" by any x (nothing varies); report ρ = 0 rather than NaN.
  const correlation = varY === 0 ? 0 : cov / Math.sqrt(varX * varY);
  return { slope, intercept, r2: correlation * correlation, correlation, n };
}

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1, by Wichura's algorithm AS 241 (PPND16, Applied Statistics
 * 37 (1988) 477–484), accurate to about 1e-16: Φ⁻¹(0.95) = 1.6448536269514722.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = poly(C, r) / poly(D, r);
  } else {
    r -= 5;
    value = poly(E, r) / poly(F, r);
  }
  return q < 0 ? -value : value;
}

function poly(coefficients: readonly number[], x: number): number {
  let result = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) result = result * x + coefficients[i]!;
  return result;
}

const A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
  67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061,
  28729.085735721942674, 5226.495278852854561,
];
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

/**
 * The `p`-quantile (0 ≤ p ≤ 1) of values sorted ascending, interpolating linearly between order statistics
 * (Hyndman & Fan type 7, the default of R and spreadsheets).
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('percentile of an empty sample');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Consecutive differences: [x1 − x0, x2 − x1, …]. */
export function differences(values: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) out.push(values[i]! - values[i - 1]!);
  return out;
}
