import { describe, expect, it } from 'vitest';
import { distributionCdf, distributionQuantile, normalDistribution } from '../../src-main/common/forecast/distribution.ts';
import { normalCdf } from '../../src-main/common/forecast/stats.ts';

describe('a forecast distribution as a curve', () => {
  const d = normalDistribution([100], [25]); // N(100, 5²)

  it('gives the Gaussian CDF at its quantiles and, in the tails, a Gaussian with the outer quantiles’ scale', () => {
    const cdf = distributionCdf(d, 0);
    expect(cdf(100)).toBeCloseTo(0.5, 12);
    expect(cdf(100 - 1.959963984540054 * 5)).toBeCloseTo(0.025, 9);
    // Beyond P2.5 the tail follows N(100, 5²) itself, since the outer quantiles are Gaussian.
    expect(cdf(100 - 3 * 5)).toBeCloseTo(normalCdf(-3), 6);
    expect(cdf(100 + 3 * 5)).toBeCloseTo(normalCdf(3), 6);
  });

  it('has a quantile function that inverts the CDF, in the middle and in the tails', () => {
    const cdf = distributionCdf(d, 0);
    const quantile = distributionQuantile(d, 0);
    for (const x of [80, 88, 93.6, 100, 104.2, 111, 125]) expect(quantile(cdf(x))).toBeCloseTo(x, 6);
    expect(quantile(0.5)).toBeCloseTo(100, 12);
  });
});
