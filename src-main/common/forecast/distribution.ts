import { normalQuantile, quantileSorted } from './stats.ts';

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
