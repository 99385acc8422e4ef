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
 * The cumulative distribution function of a forecast at one horizon, from its quantiles: linear between them,
 * Gaussian-shaped beyond P2.5 and P97.5 (scale from the two outermost quantiles on each side).
 */
export function distributionCdf(d: ForecastDistribution, h: number): (x: number) => number {
  const ps = QUANTILE_PROBABILITIES;
  const qs = d.quantiles.map((q) => q[h]!);
  const last = ps.length - 1;
  const zLow = [normalQuantile(ps[0]!), normalQuantile(ps[1]!)];
  const zHigh = [normalQuantile(ps[last - 1]!), normalQuantile(ps[last]!)];
  const lowScale = (qs[1]! - qs[0]!) / (zLow[1]! - zLow[0]!);
  const highScale = (qs[last]! - qs[last - 1]!) / (zHigh[1]! - zHigh[0]!);
  return (x) => {
    if (x < qs[0]!) return lowScale > 0 ? normalCdf(zLow[0]! + (x - qs[0]!) / lowScale) : 0;
    if (x >= qs[last]!) return highScale > 0 ? normalCdf(zHigh[1]! + (x - qs[last]!) / highScale) : 1;
    let k = 1;
    while (qs[k]! <= x) k++;
    const width = qs[k]! - qs[k - 1]!;
    return width > 0 ? ps[k - 1]! + ((x - qs[k - 1]!) / width) * (ps[k]! - ps[k - 1]!) : ps[k]!;
  };
}

/**
 * Combination of forecasts as a mixture ("linear pool", Stone 1961): the combined distribution's CDF is the
 * weighted average of the members' CDFs, so disagreement between members widens it (the quantile average
 * does not). The mean is the weighted average of the means.
 */
export function mixDistributions(parts: ForecastDistribution[], weights: number[] = parts.map(() => 1 / parts.length)): ForecastDistribution {
  const horizon = parts[0]!.mean.length;
  const mean = new Array<number>(horizon).fill(0);
  const quantiles = QUANTILE_PROBABILITIES.map(() => new Array<number>(horizon).fill(0));
  for (let h = 0; h < horizon; h++) {
    const cdfs = parts.map((part) => distributionCdf(part, h));
    let lo = Infinity;
    let hi = -Infinity;
    parts.forEach((part, k) => {
      mean[h]! += weights[k]! * part.mean[h]!;
      lo = Math.min(lo, part.quantiles[0]![h]!);
      hi = Math.max(hi, part.quantiles[QUANTILE_PROBABILITIES.length - 1]![h]!);
    });
    const cdf = (x: number) => {
      let sum = 0;
      for (let k = 0; k < cdfs.length; k++) sum += weights[k]! * cdfs[k]!(x);
      return sum;
    };
    QUANTILE_PROBABILITIES.forEach((p, j) => {
      // The mixture's p-quantile lies between the members' smallest P2.5 and largest P97.5: bisection.
      let a = lo;
      let b = hi;
      if (!(b > a)) {
        quantiles[j]![h] = a;
        return;
      }
      for (let i = 0; i < 50 && b - a > 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-300); i++) {
        const c = 0.5 * (a + b);
        if (cdf(c) < p) a = c;
        else b = c;
      }
      quantiles[j]![h] = 0.5 * (a + b);
    });
  }
  return { mean, quantiles };
}
