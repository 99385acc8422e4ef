import { describe, expect, it } from 'vitest';
import { QUANTILE_PROBABILITIES } from '../../src-main/common/forecast/distribution.ts';
import { heavyTailFactor, MIN_RESIDUALS, scaleSpread } from '../../src-main/common/forecast/heavy-tails.ts';
import { forecastSeries } from '../../src-main/common/forecast/methods.ts';
import { seededRandom } from '../../src-main/common/math/random.ts';

const draws = (n: number, draw: () => number) => Array.from({ length: n }, draw);

describe('heavyTailFactor', () => {
  it('leaves Gaussian errors alone: the robust scale equals σ', () => {
    const random = seededRandom(7);
    expect(heavyTailFactor(draws(20_000, () => 3 * random.normal()))).toBeGreaterThan(0.985);
  });

  it('gives √(1.4826 · ln 2 / √2) ≈ 0.8524 for Laplace errors (MAD = b ln 2, RMS = b √2)', () => {
    const random = seededRandom(11);
    const laplace = () => {
      const u = random.uniform() - 0.5;
      return -2 * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
    };
    const expected = Math.sqrt((1.4826 * Math.LN2) / Math.SQRT2);
    expect(expected).toBeCloseTo(0.8524, 4);
    expect(heavyTailFactor(draws(40_000, laplace))).toBeCloseTo(expected, 2);
  });

  it('does nothing with fewer errors than MIN_RESIDUALS, and never narrows below one half', () => {
    const spiky = (n: number) => Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 100 : 0.01 * ((i % 3) - 1)));
    expect(heavyTailFactor(spiky(MIN_RESIDUALS - 1))).toBe(1);
    expect(heavyTailFactor(spiky(MIN_RESIDUALS))).toBe(0.5);
    expect(heavyTailFactor(new Array(500).fill(0))).toBe(1);
  });
});

describe('scaleSpread', () => {
  it('moves every quantile towards the median by the factor and keeps the mean', () => {
    const median = QUANTILE_PROBABILITIES.indexOf(0.5);
    const quantiles = QUANTILE_PROBABILITIES.map((p) => [100 + 200 * (p - 0.5)]);
    const scaled = scaleSpread({ mean: [101], quantiles }, 0.8);
    expect(scaled.mean).toEqual([101]);
    expect(scaled.quantiles[median]).toEqual([100]);
    // P10 was 100 − 80 = 20: now 100 − 0.8 × 80 = 36; P97.5 was 195: now 176.
    expect(scaled.quantiles[QUANTILE_PROBABILITIES.indexOf(0.1)]![0]).toBeCloseTo(36, 10);
    expect(scaled.quantiles[QUANTILE_PROBABILITIES.indexOf(0.975)]![0]).toBeCloseTo(176, 10);
  });
});

describe('the automatic method on heavy-tailed series', () => {
  // Two years of daily usage with a weekly pattern and, every few weeks, an outage day at a fifth of normal.
  const random = seededRandom(3);
  const daily = Array.from({ length: 730 }, (_, t) => (1000 + 150 * Math.sin((2 * Math.PI * t) / 7) + 25 * random.normal()) * (t % 23 === 5 ? 0.2 : 1));

  it('narrows the intervals of a long series with outliers and says so', () => {
    const forecast = forecastSeries({ values: daily, period: 7, horizon: 14, method: 'auto' });
    expect(forecast.notes.some((n) => /intervals narrowed to \d+ % of their width: the one-step errors have heavy tails/.test(n))).toBe(true);
    const p10 = forecast.quantiles[QUANTILE_PROBABILITIES.indexOf(0.1)]!;
    const p90 = forecast.quantiles[QUANTILE_PROBABILITIES.indexOf(0.9)]!;
    expect(p10.every((q, h) => q < p90[h]!)).toBe(true);
  });

  it('leaves a short series as the members forecast it', () => {
    const forecast = forecastSeries({ values: daily.slice(0, 120), period: 7, horizon: 14, method: 'auto' });
    expect(forecast.notes.some((n) => n.startsWith('intervals narrowed'))).toBe(false);
  });
});
