import { describe, expect, it } from 'vitest';
import { roundContracts } from '../../src-main/common/hedging/contracts.ts';
import {
  contractsForRatio,
  hedgedVariance,
  minimumVarianceFromMoments,
  minimumVarianceFromSeries,
} from '../../src-main/common/hedging/hedge-ratio.ts';
import { linearRegression, normalQuantile, percentileOfSorted } from '../../src-main/common/hedging/statistics.ts';

/**
 * Hull, "Options, Futures, and Other Derivatives", Example 3.3 / Table 3.3: an airline hedges 2,000,000 gallons of
 * jet fuel with heating-oil futures of 42,000 gallons, from 15 monthly changes per gallon. Hull reports
 * σF = 0.0313, σS = 0.0263, ρ = 0.928, h* = 0.78 and N* = 37.14 → 37 contracts. Recomputed independently (numpy):
 * h* = 0.77765, R² = 0.86188, N* = 37.031 (hedging.md §2.2: month 9's ΔF is +0.048).
 */
const HULL_FUTURES = [0.021, 0.035, -0.046, 0.001, 0.044, -0.029, -0.026, -0.029, 0.048, -0.006, -0.036, -0.011, 0.019, -0.027, 0.029];
const HULL_SPOT = [0.029, 0.02, -0.044, 0.008, 0.026, -0.019, -0.01, -0.007, 0.043, 0.011, -0.036, -0.018, 0.009, -0.032, 0.023];

describe('the minimum-variance hedge ratio', () => {
  it('reproduces Hull’s jet-fuel example from σS, σF and ρ: h* = 0.78 and 37 contracts', () => {
    const ratio = minimumVarianceFromMoments(0.0263, 0.0313, 0.928);
    // 0.928 × 0.0263 / 0.0313 = 0.779757…
    expect(ratio.hStar).toBeCloseTo(0.779757, 6);
    expect(ratio.hStar.toFixed(2)).toBe('0.78');
    expect(ratio.r2).toBeCloseTo(0.861184, 6);
    const n = contractsForRatio(ratio.hStar, 2_000_000, 42_000);
    expect(n.contractsUnrounded).toBeCloseTo(37.1313, 4);
    expect(n.contracts).toBe(37);
  });

  it('gives Hull’s N* = 37.14 → 37 contracts with his rounded h* of 0.78', () => {
    const n = contractsForRatio(0.78, 2_000_000, 42_000);
    expect(n.contractsUnrounded).toBeCloseTo(37.142857, 6);
    expect(n.contracts).toBe(37);
  });

  it('estimates h*, σS, σF, ρ and R² from Hull’s fifteen monthly price changes', () => {
    const ratio = minimumVarianceFromSeries(HULL_SPOT, HULL_FUTURES);
    expect(ratio.sigmaFutures.toFixed(4)).toBe('0.0313');
    expect(ratio.sigmaSpot.toFixed(4)).toBe('0.0263');
    expect(ratio.rho.toFixed(3)).toBe('0.928');
    expect(ratio.hStar).toBeCloseTo(0.777651, 6);
    expect(ratio.r2).toBeCloseTo(0.861875, 6);
    expect(ratio.observations).toBe(15);
    expect(ratio.effective).toBe(true);
    expect(contractsForRatio(ratio.hStar, 2_000_000, 42_000)).toEqual({ contractsUnrounded: expect.closeTo(37.031, 3), contracts: 37 });
  });

  it('flags a hedge as not effective when R² is below 0.8', () => {
    // Spot moves half with the futures and half on its own: ρ = 1/√2, R² = 0.5.
    const futures = [1, -1, 1, -1];
    const spot = [1, 1, -1, -1].map((own, i) => futures[i]! + own);
    const ratio = minimumVarianceFromSeries(spot, futures);
    expect(ratio.r2).toBeCloseTo(0.5, 12);
    expect(ratio.hStar).toBeCloseTo(1, 12);
    expect(ratio.effective).toBe(false);
  });

  it('leaves σS²(1 − ρ²) of the variance at h*, the basis risk', () => {
    const ratio = minimumVarianceFromMoments(0.0263, 0.0313, 0.928);
    expect(hedgedVariance(ratio.hStar, ratio)).toBeCloseTo(0.0263 ** 2 * (1 - 0.928 ** 2), 15);
    expect(hedgedVariance(ratio.hStar + 0.05, ratio)).toBeGreaterThan(hedgedVariance(ratio.hStar, ratio));
  });

  it('refuses series of different lengths or with too few pairs', () => {
    expect(() => minimumVarianceFromSeries([1, 2, 3], [1, 2])).toThrow(/3 values but futuresChanges has 2/);
    expect(() => minimumVarianceFromSeries([1, 2], [1, 2])).toThrow(/at least 3/);
    expect(() => minimumVarianceFromSeries([1, 2, 3], [1, 1, 1])).toThrow(/do not vary/);
  });
});

describe('contract rounding', () => {
  it('rounds down, up or to the nearest whole contract', () => {
    expect([roundContracts(37.5, 'floor'), roundContracts(37.5, 'nearest'), roundContracts(37.5, 'ceil')]).toEqual([37, 38, 38]);
    expect([roundContracts(37.14, 'floor'), roundContracts(37.14, 'nearest'), roundContracts(37.14, 'ceil')]).toEqual([37, 37, 38]);
  });

  it('treats a binary-float near miss of a whole number as that number', () => {
    const unrounded = (0.29 * 100) / 1; // 28.999999999999996 in binary floating point
    expect(unrounded).not.toBe(29);
    expect(roundContracts(unrounded, 'floor')).toBe(29);
    expect(roundContracts(3.0000000000000004, 'ceil')).toBe(3);
  });

  it('keeps the sign of a short position for a negative h*', () => {
    expect(contractsForRatio(-0.5, 1000, 300)).toEqual({ contractsUnrounded: expect.closeTo(-1.6667, 4), contracts: -1 });
  });
});

describe('statistics', () => {
  it('computes the standard normal quantile to double precision (AS 241)', () => {
    // Reference values from scipy.stats.norm.ppf.
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 14);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080409, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0.999999)).toBeCloseTo(4.753424308817087, 12);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('regresses y on x by least squares', () => {
    const fit = linearRegression([1, 2, 3, 4], [3, 5, 7, 9]);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('interpolates percentiles between order statistics like R’s type 7', () => {
    // R: quantile(c(1, 2, 3, 4, 10), 0.9) = 7.6
    expect(percentileOfSorted([1, 2, 3, 4, 10], 0.9)).toBeCloseTo(7.6, 12);
    expect(percentileOfSorted([1, 2, 3, 4, 10], 0.5)).toBe(3);
  });
});
