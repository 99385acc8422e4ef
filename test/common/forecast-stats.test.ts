import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../src-main/common/forecast/nelder-mead.ts';
import { centredMovingAverage, isSeasonal, seasonalIndices } from '../../src-main/common/forecast/seasonality.ts';
import { seededRandom } from '../../src-main/common/math/random.ts';
import { acf, linearTrend, normalQuantile, quantileSorted } from '../../src-main/common/forecast/stats.ts';
import { boxCox, guerreroLambda, inverseBoxCox } from '../../src-main/common/forecast/transform.ts';

describe('numeric helpers', () => {
  it('gives the standard normal quantiles R prints for qnorm', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
  });

  it('computes autocorrelations with the denominator n, as R acf', () => {
    // 1,2,3,4: mean 2.5, deviations −1.5,−0.5,0.5,1.5, Σd² = 5; lag 1: (0.75 − 0.25 + 0.75)/5 = 0.25.
    expect(acf([1, 2, 3, 4], 1)[0]).toBeCloseTo(0.25, 12);
  });

  it('fits a least-squares line on t = 1..n', () => {
    expect(linearTrend([3, 5, 7, 9])).toEqual({ intercept: 1, slope: 2 });
  });

  it('interpolates quantiles as R type 7', () => {
    // quantile(c(1, 2, 3, 4), 0.1) = 1.3
    expect(quantileSorted([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12);
  });

  it('draws the same normal stream for the same seed and another one for another seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = Array.from({ length: 5 }, () => a.normal());
    expect(Array.from({ length: 5 }, () => b.normal())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.normal())).not.toEqual(first);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const r = seededRandom(1);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sum += z;
      squares += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.01);
  });

  it('minimises the Rosenbrock function with Nelder–Mead', () => {
    const rosenbrock = (x: Float64Array) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
    const result = nelderMead(rosenbrock, [-1.2, 1], { steps: [0.1, 0.1], relativeTolerance: 1e-14, maxEvaluations: 5000 });
    expect(result.x[0]).toBeCloseTo(1, 3);
    expect(result.x[1]).toBeCloseTo(1, 3);
  });

  it('never accepts a point where the objective is infinite', () => {
    // Minimum of (x − 2)² restricted to x ≤ 1 is at the boundary x = 1.
    const result = nelderMead((x) => (x[0]! > 1 ? Infinity : (x[0]! - 2) ** 2), [0], { steps: [0.5] });
    expect(result.x[0]).toBeLessThanOrEqual(1);
    expect(result.x[0]).toBeCloseTo(1, 4);
  });
});

describe('seasonality', () => {
  it('centres a moving average of even order with half weights at the ends (2×4 MA)', () => {
    // At position 2 of 1..8: (0.5·1 + 2 + 3 + 4 + 0.5·5) / 4 = 3.
    const ma = centredMovingAverage([1, 2, 3, 4, 5, 6, 7, 8], 4);
    expect(Number.isNaN(ma[1]!)).toBe(true);
    expect(ma[2]).toBe(3);
    expect(ma[5]).toBe(6);
    expect(Number.isNaN(ma[6]!)).toBe(true);
  });

  it('recovers an exact multiplicative pattern as the seasonal indices', () => {
    const pattern = [0.8, 1.2, 1.1, 0.9];
    const y = Array.from({ length: 24 }, (_, i) => (100 + 2 * i) * pattern[i % 4]!);
    seasonalIndices(y, 4, 'multiplicative').forEach((s, i) => expect(s).toBeCloseTo(pattern[i]!, 2));
  });

  it('finds seasonality in a monthly pattern and none in a straight line or a short series', () => {
    const seasonal = Array.from({ length: 48 }, (_, i) => 100 + 20 * Math.sin((2 * Math.PI * i) / 12));
    expect(isSeasonal(seasonal, 12)).toBe(true);
    expect(isSeasonal(Array.from({ length: 48 }, (_, i) => 100 + i), 12)).toBe(false);
    expect(isSeasonal(seasonal.slice(0, 35), 12)).toBe(false);
  });
});

describe('Box-Cox', () => {
  it('is the logarithm at λ = 0 and inverts exactly', () => {
    expect(boxCox(Math.E, 0)).toBeCloseTo(1, 14);
    expect(inverseBoxCox(boxCox(123.4, 0.3), 0.3)).toBeCloseTo(123.4, 10);
  });

  it('chooses λ near 0 for a series whose variation grows in proportion to its level', () => {
    const pattern = [0.9, 1.1, 0.95, 1.05];
    const y = Array.from({ length: 40 }, (_, i) => 100 * 1.08 ** i * pattern[i % 4]!);
    expect(Math.abs(guerreroLambda(y, 4))).toBeLessThan(0.1);
  });
});
