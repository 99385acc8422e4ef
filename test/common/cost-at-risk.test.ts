import { describe, expect, it } from 'vitest';
import { analyticCostAtRisk, histogram, simulateCost, type SimulationPeriod } from '../../src-main/common/hedging/cost-at-risk.ts';
import { seededRandom } from '../../src-main/common/math/random.ts';
import { percentileOfSorted } from '../../src-main/common/hedging/statistics.ts';

const within = (actual: number, expected: number, relative: number) => Math.abs(actual / expected - 1) <= relative;

/** One year, 1,000 units at a forward of 2.50, σ = 40 %: computed independently with scipy (see the numbers). */
const base = { quantity: 1000, forward: 2.5, sigma: 0.4, years: 1, confidence: 0.95, hedgedFraction: 0.5 };

function singlePeriod(extra: Partial<SimulationPeriod> = {}, hedgedFraction = base.hedgedFraction): SimulationPeriod[] {
  return [{ years: base.years, forward: base.forward, volume: { p50: base.quantity }, hedgedQuantity: hedgedFraction * base.quantity, hedgePrice: base.forward, ...extra }];
}

describe('the analytic lognormal cost-at-risk', () => {
  it('gives the 95th percentile cost Q·F·exp(σ√T·z − σ²T/2) and CaR = P95 − mean', () => {
    // scipy: 1000 × 2.5 × exp(0.4 × 1.6448536 − 0.08) = 4455.9139; mean 2500; CaR 1955.9139.
    const { unhedged, hedged } = analyticCostAtRisk(base);
    expect(unhedged.expectedCost).toBe(2500);
    expect(unhedged.percentileCost).toBeCloseTo(4455.913911, 5);
    expect(unhedged.costAtRisk).toBeCloseTo(1955.913911, 5);
    expect(unhedged.p50Cost).toBeCloseTo(2307.790866, 5);
    // Half bought forward at 2.50: the cost-at-risk halves.
    expect(hedged.costAtRisk).toBeCloseTo(977.956956, 5);
  });

  it('narrows the distribution under mean reversion: Var = σ²(1 − e^(−2κT))/(2κ)', () => {
    // scipy with κ = 1.5: CaR 1029.787063.
    expect(analyticCostAtRisk({ ...base, meanReversion: 1.5 }).unhedged.costAtRisk).toBeCloseTo(1029.787063, 5);
  });
});

describe('the Monte Carlo cost-at-risk', () => {
  it('matches the analytic percentile and mean within 1 % for a single period', () => {
    const analytic = analyticCostAtRisk(base);
    const simulated = simulateCost({ periods: singlePeriod(), sigma: base.sigma, paths: 200_000, seed: 42, confidence: 0.95 });
    expect(within(simulated.unhedged.percentileCost, analytic.unhedged.percentileCost, 0.01)).toBe(true);
    expect(within(simulated.unhedged.expectedCost, analytic.unhedged.expectedCost, 0.01)).toBe(true);
    expect(within(simulated.unhedged.p50Cost, analytic.unhedged.p50Cost, 0.01)).toBe(true);
    expect(within(simulated.hedged.percentileCost, analytic.hedged.percentileCost, 0.01)).toBe(true);
  });

  it('matches the analytic percentile within 1 % with mean reversion, over monthly steps', () => {
    const analytic = analyticCostAtRisk({ ...base, meanReversion: 1.5 });
    // Twelve monthly steps with no volume until the last: the OU transitions must compose to the one-year law.
    const periods: SimulationPeriod[] = Array.from({ length: 12 }, (_, i) => ({
      years: (i + 1) / 12,
      forward: base.forward,
      volume: { p50: i === 11 ? base.quantity : 0 },
      hedgedQuantity: 0,
      hedgePrice: base.forward,
    }));
    const simulated = simulateCost({ periods, sigma: base.sigma, meanReversion: 1.5, paths: 200_000, seed: 7, confidence: 0.95 });
    expect(within(simulated.unhedged.percentileCost, analytic.unhedged.percentileCost, 0.01)).toBe(true);
  });

  it('is deterministic for a seed and differs for another seed', () => {
    const run = (seed: number) => simulateCost({ periods: singlePeriod(), sigma: 0.4, paths: 5000, seed, confidence: 0.95 });
    expect(run(3).unhedged).toEqual(run(3).unhedged);
    expect(run(3).unhedged.percentileCost).not.toBe(run(4).unhedged.percentileCost);
  });

  it('removes all price risk when the whole volume is hedged at the forward', () => {
    const periods: SimulationPeriod[] = [1, 2, 3].map((m) => ({ years: m / 12, forward: 2 + m / 10, volume: { p50: 100 }, hedgedQuantity: 100, hedgePrice: 2 + m / 10 }));
    const result = simulateCost({ periods, sigma: 0.5, paths: 2000, seed: 1, confidence: 0.95 });
    // 100 × (2.1 + 2.2 + 2.3) = 660 on every path.
    expect(result.hedged.percentileCost).toBeCloseTo(660, 9);
    expect(result.hedged.costAtRisk).toBeCloseTo(0, 9);
    expect(result.unhedged.costAtRisk).toBeGreaterThan(50);
  });

  it('draws volume through the forecast’s P10, P50 and P90', () => {
    const periods: SimulationPeriod[] = [{ years: 0.5, forward: 2, volume: { p10: 800, p50: 1000, p90: 1500 }, hedgedQuantity: 0, hedgePrice: 2 }];
    const result = simulateCost({ periods, sigma: 0, paths: 100_000, seed: 9, confidence: 0.9 });
    // With a fixed price the cost quantiles are 2 × the volume quantiles.
    expect(within(percentileOfSorted(result.unhedgedCosts, 0.1), 1600, 0.01)).toBe(true);
    expect(within(result.unhedged.p50Cost, 2000, 0.01)).toBe(true);
    expect(within(result.unhedged.percentileCost, 3000, 0.01)).toBe(true);
  });

  it('shows more cost-at-risk when volume rises with price', () => {
    const periods: SimulationPeriod[] = [{ years: 1, forward: 2, volume: { p10: 800, p50: 1000, p90: 1200 }, hedgedQuantity: 0, hedgePrice: 2 }];
    const run = (volumePriceCorrelation: number) =>
      simulateCost({ periods, sigma: 0.3, volumePriceCorrelation, paths: 50_000, seed: 5, confidence: 0.95 }).unhedged.costAtRisk;
    expect(run(0.8)).toBeGreaterThan(run(0) * 1.05);
    expect(run(-0.8)).toBeLessThan(run(0) * 0.95);
  });

  it('stresses margin calls: long futures pay variation margin when prices fall, nothing without a hedge', () => {
    const periods: SimulationPeriod[] = Array.from({ length: 12 }, (_, i) => ({ years: (i + 1) / 12, forward: 2.5, volume: { p50: 1000 }, hedgedQuantity: 700, hedgePrice: 2.5 }));
    const hedged = simulateCost({ periods, sigma: 0.4, paths: 20_000, seed: 11, confidence: 0.95 });
    // The peak outflow of a path is at least its loss at the first monthly mark, when the whole book of 12 × 700
    // units bought at 2.50 is marked to 2.50·e^(X − σ²t/2); at the 95th percentile that loss is
    // 21,000 × (1 − e^(−1.6449 × 0.4 × √(1/12) − 0.08/12)) ≈ 3,751.
    const firstMarkLoss = 21_000 * (1 - Math.exp(-1.6448536 * 0.4 * Math.sqrt(1 / 12) - 0.08 / 12));
    expect(hedged.marginCall.percentilePeak).toBeGreaterThan(firstMarkLoss);
    expect(hedged.marginCall.expectedPeak).toBeGreaterThan(0);
    const unhedged = simulateCost({ periods: periods.map((p) => ({ ...p, hedgedQuantity: 0 })), sigma: 0.4, paths: 2000, seed: 11, confidence: 0.95 });
    expect(unhedged.marginCall).toEqual({ expectedPeak: 0, percentilePeak: 0 });
  });

  it('marks open contracts the same way with and without mean reversion when κ is tiny', () => {
    const periods: SimulationPeriod[] = Array.from({ length: 6 }, (_, i) => ({ years: (i + 1) / 12, forward: 3 - i * 0.1, volume: { p50: 500 }, hedgedQuantity: 300, hedgePrice: 3 - i * 0.1 }));
    const a = simulateCost({ periods, sigma: 0.3, paths: 3000, seed: 2, confidence: 0.95 });
    const b = simulateCost({ periods, sigma: 0.3, meanReversion: 1e-9, paths: 3000, seed: 2, confidence: 0.95 });
    expect(b.marginCall.percentilePeak).toBeCloseTo(a.marginCall.percentilePeak, 4);
  });
});

describe('the seeded random source', () => {
  it('draws standard normals: mean 0 and variance 1', () => {
    const random = seededRandom(123);
    let sum = 0;
    let squares = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const z = random.normal();
      sum += z;
      squares += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.01);
  });
});

describe('histograms', () => {
  it('counts sorted values into equal-width bins', () => {
    expect(histogram([0, 1, 2, 3, 4, 10], 2)).toEqual([
      { from: 0, to: 5, count: 5 },
      { from: 5, to: 10, count: 1 },
    ]);
  });
});
