import { normalCdf, normalQuantile, quantileSorted } from './stats.ts';

/**
 * The probabilities at which every forecast carries quantiles: the P10…P90 deciles the hedge is sized on, the
 * quartiles (50 % interval) and the tails of the 80/90/95 % intervals.
 */
export const QUANTILE_PROBABILITIES = [0.025, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95, 0.975] as const;
export type QuantileProbability = (typeof QUANTILE_PROBABILITIES)[number];

/** Central prediction-interval levels (percent) and the quantiles that bound them. */
export const INTERVAL_LEVELS = [50, 80, 90, 95] as const;
export type IntervalLevel = (typeof INTERVAL_LEVELS)[number];

export function intervalBounds(level: IntervalLevel): { lower: QuantileProbability; upper: QuantileProbability } {
  switch (level) {
    case 50:
      return { lower: 0.25, upper: 0.75 };
    case 80:
      return { lower: 0.1, upper: 0.9 };
    case 90:
      return { lower: 0.05, upper: 0.95 };
    case 95:
      return { lower: 0.025, upper: 0.975 };
  }
}

/**
 * A forecast distribution for h = 1..H: the mean (point forecast) and, for every probability of
 * QUANTILE_PROBABILITIES, the quantile at each horizon (`quantiles[k][h − 1]`, k indexing the probabilities).
 */
export type ForecastDistribution = {
  mean: number[];
  quantiles: number[][];
};

/** Quantiles of a Gaussian forecast with the given means and variances. */
export function normalDistribution(mean: number[], variance: number[]): ForecastDistribution {
  return {
    mean: mean.slice(),
    quantiles: QUANTILE_PROBABILITIES.map((p) => {
      const z = normalQuantile(p);
      return mean.map((mu, h) => mu + z * Math.sqrt(Math.max(variance[h]!, 0)));
    }),
  };
}

/** Empirical quantiles (R type 7) of simulated paths (`paths` × H, row-major), with the given point forecast. */
export function simulatedDistribution(mean: number[], simulated: Float64Array, paths: number): ForecastDistribution {
  const horizon = mean.length;
  const column = new Float64Array(paths);
  const quantiles = QUANTILE_PROBABILITIES.map(() => new Array<number>(horizon));
  for (let h = 0; h < horizon; h++) {
    for (let i = 0; i < paths; i++) column[i] = simulated[i * horizon + h]!;
    column.sort();
    QUANTILE_PROBABILITIES.forEach((p, k) => {
      quantiles[k]![h] = quantileSorted(column, p);
    });
  }
  return { mean: mean.slice(), quantiles };
}

/** Maps a distribution through a monotone increasing function (quantiles map exactly; the mean is mapped too). */
export function mapDistribution(d: ForecastDistribution, f: (value: number, h: number) => number): ForecastDistribution {
  return { mean: d.mean.map(f), quantiles: d.quantiles.map((q) => q.map(f)) };
}

/**
 * Combination of forecasts: the weighted average of the means and of the quantiles at each probability
 * ("Vincentization", the quantile average; Lichtendahl, Grushka-Cockayne & Winkler 2013). Weights sum to 1;
 * equal by default.
 */
export function averageDistributions(parts: ForecastDistribution[], weights: number[] = parts.map(() => 1 / parts.length)): ForecastDistribution {
  const horizon = parts[0]!.mean.length;
  const mean = new Array<number>(horizon).fill(0);
  const quantiles = QUANTILE_PROBABILITIES.map(() => new Array<number>(horizon).fill(0));
  parts.forEach((part, k) => {
    const w = weights[k]!;
    for (let h = 0; h < horizon; h++) mean[h]! += w * part.mean[h]!;
    part.quantiles.forEach((q, j) => {
      for (let h = 0; h < horizon; h++) quantiles[j]![h]! += w * q[h]!;
    });
  });
  return { mean, quantiles };
}

/** The quantile values at probability p for every horizon. */
export function quantileAt(d: ForecastDistribution, p: QuantileProbability): number[] {
  return d.quantiles[QUANTILE_PROBABILITIES.indexOf(p)]!;
}

/**
 * A forecast's distribution at one horizon as a continuous curve: linear between its quantiles, Gaussian-shaped
 * beyond P2.5 and P97.5 (scale from the two outermost quantiles on each side). `distributionCdf` and
 * `distributionQuantile` are the two directions of the same curve.
 */
function curveAt(d: ForecastDistribution, h: number) {
  const ps = QUANTILE_PROBABILITIES;
  const qs = d.quantiles.map((q) => q[h]!);
  const last = ps.length - 1;
  const zLow = normalQuantile(ps[0]!);
  const zHigh = normalQuantile(ps[last]!);
  const lowScale = (qs[1]! - qs[0]!) / (normalQuantile(ps[1]!) - zLow);
  const highScale = (qs[last]! - qs[last - 1]!) / (zHigh - normalQuantile(ps[last - 1]!));
  return { ps, qs, last, zLow, zHigh, lowScale, highScale };
}

/** The cumulative distribution function of a forecast at one horizon (see `curveAt`). */
export function distributionCdf(d: ForecastDistribution, h: number): (x: number) => number {
  const { ps, qs, last, zLow, zHigh, lowScale, highScale } = curveAt(d, h);
  return (x) => {
    if (x < qs[0]!) return lowScale > 0 ? normalCdf(zLow + (x - qs[0]!) / lowScale) : 0;
    if (x >= qs[last]!) return highScale > 0 ? normalCdf(zHigh + (x - qs[last]!) / highScale) : 1;
    let k = 1;
    while (qs[k]! <= x) k++;
    const width = qs[k]! - qs[k - 1]!;
    return width > 0 ? ps[k - 1]! + ((x - qs[k - 1]!) / width) * (ps[k]! - ps[k - 1]!) : ps[k]!;
  };
}

/** The quantile function of a forecast at one horizon (see `curveAt`): the inverse of `distributionCdf`. */
export function distributionQuantile(d: ForecastDistribution, h: number): (u: number) => number {
  const { ps, qs, last, zLow, zHigh, lowScale, highScale } = curveAt(d, h);
  return (u) => {
    if (u <= ps[0]!) return qs[0]! + lowScale * (normalQuantile(u) - zLow);
    if (u >= ps[last]!) return qs[last]! + highScale * (normalQuantile(u) - zHigh);
    let k = 1;
    while (ps[k]! < u) k++;
    const t = (u - ps[k - 1]!) / (ps[k]! - ps[k - 1]!);
    return qs[k - 1]! + t * (qs[k]! - qs[k - 1]!);
  };
}

/**
 * Combination of forecasts as a mixture ("linear pool", Stone 1961): the combined distribution's CDF is the
 * weighted average of the members' CDFs (each from its quantiles as in `distributionCdf`), so disagreement between
 * members widens it (the quantile average does not). The mean is the weighted average of the means.
 */
export function mixDistributions(parts: ForecastDistribution[], weights: number[] = parts.map(() => 1 / parts.length)): ForecastDistribution {
  const horizon = parts[0]!.mean.length;
  const ps = QUANTILE_PROBABILITIES;
  const K = ps.length;
  const last = K - 1;
  const zLow0 = normalQuantile(ps[0]!);
  const zLow1 = normalQuantile(ps[1]!);
  const zHigh0 = normalQuantile(ps[last - 1]!);
  const zHigh1 = normalQuantile(ps[last]!);
  const M = parts.length;
  const qs = new Float64Array(M * K);
  const lowScale = new Float64Array(M);
  const highScale = new Float64Array(M);
  const mean = new Array<number>(horizon).fill(0);
  const quantiles = ps.map(() => new Array<number>(horizon).fill(0));
  const cdf = (x: number): number => {
    let sum = 0;
    for (let m = 0; m < M; m++) {
      const o = m * K;
      let F: number;
      if (x < qs[o]!) F = lowScale[m]! > 0 ? normalCdf(zLow0 + (x - qs[o]!) / lowScale[m]!) : 0;
      else if (x >= qs[o + last]!) F = highScale[m]! > 0 ? normalCdf(zHigh1 + (x - qs[o + last]!) / highScale[m]!) : 1;
      else {
        let k = 1;
        while (qs[o + k]! <= x) k++;
        const width = qs[o + k]! - qs[o + k - 1]!;
        F = width > 0 ? ps[k - 1]! + ((x - qs[o + k - 1]!) / width) * (ps[k]! - ps[k - 1]!) : ps[k]!;
      }
      sum += weights[m]! * F;
    }
    return sum;
  };
  for (let h = 0; h < horizon; h++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let m = 0; m < M; m++) {
      const part = parts[m]!;
      for (let k = 0; k < K; k++) qs[m * K + k] = part.quantiles[k]![h]!;
      lowScale[m] = (qs[m * K + 1]! - qs[m * K]!) / (zLow1 - zLow0);
      highScale[m] = (qs[m * K + last]! - qs[m * K + last - 1]!) / (zHigh1 - zHigh0);
      mean[h]! += weights[m]! * part.mean[h]!;
      lo = Math.min(lo, qs[m * K]!);
      hi = Math.max(hi, qs[m * K + last]!);
    }
    // The mixture's p-quantile lies between the members' smallest P2.5 and largest P97.5: bisection.
    for (let j = 0; j < K; j++) {
      const p = ps[j]!;
      let a = lo;
      let b = hi;
      for (let i = 0; i < 60 && b - a > 1e-8 * (Math.abs(a) + Math.abs(b)); i++) {
        const c = 0.5 * (a + b);
        if (cdf(c) < p) a = c;
        else b = c;
      }
      quantiles[j]![h] = 0.5 * (a + b);
    }
  }
  return { mean, quantiles };
}
