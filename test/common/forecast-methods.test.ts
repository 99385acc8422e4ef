import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QUANTILE_PROBABILITIES, quantileAt } from '../../src-main/common/forecast/distribution.ts';
import { FORECAST_METHODS, forecastSeries, inverseMseWeights } from '../../src-main/common/forecast/methods.ts';
import { seededRandom } from '../../src-main/common/math/random.ts';
import { thetaFit } from '../../src-main/common/forecast/theta.ts';
import { FIXTURES } from '../support/paths.ts';

/** The series of a fixture subset (long format series_id,t,value), in file order. */
function fixtureSeries(subset: string): Map<string, number[]> {
  const series = new Map<string, number[]>();
  for (const line of readFileSync(`${FIXTURES}forecast/${subset}/train.csv`, 'utf8').trim().split('\n').slice(1)) {
    const [id, , value] = line.split(',');
    if (!series.has(id!)) series.set(id!, []);
    series.get(id!)!.push(Number(value));
  }
  return series;
}

const monthly = [...fixtureSeries('monthly-sample').values()];

describe('Theta', () => {
  it('extrapolates an exact straight line with half its slope (SES with drift b/2)', () => {
    // For y_t = t (t = 1..10) the theta line 2y − L equals y, SES follows it to ≈ 10, and the average of that with
    // the regression line L(10 + h) = 10 + h grows by ½ per step: 10.5, 11, 11.5.
    const fit = thetaFit(Array.from({ length: 10 }, (_, i) => i + 1), 1, 3)!;
    fit.mean.forEach((f, h) => expect(f).toBeCloseTo(10 + (h + 1) / 2, 2));
    expect(fit.seasonal).toBe(false);
  });
});

describe('forecastSeries', () => {
  it('returns horizon-long means and ordered quantiles for every method', () => {
    for (const method of FORECAST_METHODS) {
      const f = forecastSeries({ values: monthly[0]!, period: 12, horizon: 18, method });
      expect(f.mean, method).toHaveLength(18);
      expect(f.quantiles, method).toHaveLength(QUANTILE_PROBABILITIES.length);
      for (let h = 0; h < 18; h++) {
        for (let k = 1; k < QUANTILE_PROBABILITIES.length; k++) {
          expect(f.quantiles[k]![h]!, `${method} h=${h + 1} p=${QUANTILE_PROBABILITIES[k]}`).toBeGreaterThanOrEqual(f.quantiles[k - 1]![h]!);
        }
        expect(Number.isFinite(f.mean[h]!), method).toBe(true);
      }
    }
  });

  it('gives the same result for the same seed, including simulated intervals (ETS(M,A,M))', () => {
    const request = { values: monthly[1]!, period: 12, horizon: 18, method: 'hw-multiplicative' as const, seed: 5 };
    expect(forecastSeries(request)).toEqual(forecastSeries(request));
    expect(quantileAt(forecastSeries(request), 0.1)).not.toEqual(quantileAt(forecastSeries({ ...request, seed: 6 }), 0.1));
  });

  it('widens the intervals of a wandering series with the horizon', () => {
    // A random walk around 1000: the level is uncertain, so the spread must grow with the horizon.
    const random = seededRandom(11);
    const values: number[] = [1000];
    for (let i = 1; i < 60; i++) values.push(values[i - 1]! + 20 * random.normal());
    const f = forecastSeries({ values, period: 12, horizon: 18, method: 'auto' });
    const width = (h: number) => quantileAt(f, 0.975)[h]! - quantileAt(f, 0.025)[h]!;
    expect(width(12)).toBeGreaterThan(width(0));
    expect(width(13)).toBeGreaterThan(width(1));
  });

  it('keeps log-transformed forecasts positive and says which transform it used', () => {
    const f = forecastSeries({ values: monthly[3]!, period: 12, horizon: 18, method: 'ets', transform: 'log' });
    expect(Math.min(...quantileAt(f, 0.025))).toBeGreaterThan(0);
    expect(f.transform).toEqual({ kind: 'log', lambda: 0 });
    expect(f.model).toMatch(/on log$/);
  });

  it('skips a transform and the log members of auto when the series has a zero', () => {
    const values = monthly[4]!.slice();
    values[5] = 0;
    const f = forecastSeries({ values, period: 12, horizon: 6, method: 'auto', transform: 'log' });
    expect(f.transform.kind).toBe('none');
    expect(f.notes.join(' ')).toContain('log transform skipped');
    expect(f.model).not.toContain('log');
  });

  it('falls back to the naive forecast with a note when the history is too short', () => {
    const f = forecastSeries({ values: [100, 120, 130], period: 12, horizon: 3, method: 'auto' });
    expect(f.mean).toEqual([130, 130, 130]);
    expect(f.notes.some((n) => n.includes('history too short'))).toBe(true);
  });

  it('repeats a single observation without an interval', () => {
    const f = forecastSeries({ values: [42], period: 12, horizon: 2, method: 'ets' });
    expect(f.mean).toEqual([42, 42]);
    expect(quantileAt(f, 0.025)).toEqual([42, 42]);
  });

  it('refuses an empty series, values that are not numbers and a horizon below 1', () => {
    expect(() => forecastSeries({ values: [], period: 12, horizon: 3, method: 'auto' })).toThrow(/empty/);
    expect(() => forecastSeries({ values: [1, Number.NaN, 3], period: 1, horizon: 3, method: 'naive' })).toThrow(/value 2/);
    expect(() => forecastSeries({ values: [1, 2, 3], period: 1, horizon: 0, method: 'naive' })).toThrow(/horizon/);
  });
});

describe('auto combination weights', () => {
  it('weighs members inversely to their in-sample mean squared error (Bates & Granger)', () => {
    // Member a misses by 1 everywhere (MSE 1), member b by 2 (MSE 4): weights 1/1 : 1/4 → 0.8 and 0.2.
    const values = [10, 10, 10, 10];
    const weights = inverseMseWeights(values, [{ fitted: [11, 11, 11, 11] }, { fitted: [12, 8, 12, 8] }], 0);
    expect(weights[0]).toBeCloseTo(0.8, 12);
    expect(weights[1]).toBeCloseTo(0.2, 12);
  });

  it('falls back to equal weights when a member has no fitted values', () => {
    expect(inverseMseWeights([1, 2], [{ fitted: [Number.NaN, Number.NaN] }, { fitted: [1, 2.5] }], 0)).toEqual([0.5, 0.5]);
  });
});

describe('forecastSeries with models that cannot be fitted', () => {
  it('says why multiplicative Holt-Winters falls back to naive on a series with a zero', () => {
    const values = monthly[0]!.slice();
    values[3] = 0;
    const f = forecastSeries({ values, period: 12, horizon: 3, method: 'hw-multiplicative' });
    expect(f.model).toBe('naive');
    expect(f.notes).toEqual(['ETS(M,A,M) cannot be fitted to this series (it needs positive values); naive used instead']);
  });
});

describe('auto on a compounding series', () => {
  it('uses no undamped trend on the log scale, so its upper quantiles stay within reach', () => {
    // 5 % a month with noise: the log is a straight line. Undamped, its 95 % bound 18 months out would be far
    // above the path; damped (or flat) log-scale members keep P97.5 within a few times the mean.
    const random = seededRandom(4);
    const values = Array.from({ length: 40 }, (_, i) => 1000 * 1.05 ** i * Math.exp(0.08 * random.normal()));
    const f = forecastSeries({ values, period: 12, horizon: 18, method: 'auto' });
    expect(f.model).toMatch(/ETS\(A,(N|Ad),[NA]\) on log/);
    expect(quantileAt(f, 0.975)[17]! / f.mean[17]!).toBeLessThan(3);
  });
});
