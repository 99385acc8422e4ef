import { describe, expect, it } from 'vitest';
import { coverage, mase, maseScale, msis, owa, smape } from '../../src-main/common/forecast/metrics.ts';
import { naive2Forecast, naiveForecast, seasonalNaiveForecast } from '../../src-main/common/forecast/naive.ts';

// A hand-computed case. Training series 10, 12, 14, 13, 15, 17; two steps ahead the actuals are 16 and 18.
const train = [10, 12, 14, 13, 15, 17];
const actual = [16, 18];
const forecast = [15, 20];

describe('M4 accuracy measures', () => {
  it('computes sMAPE as the mean of 200·|y − ŷ| / (|y| + |ŷ|)', () => {
    // 200·1/31 = 6.4516129…, 200·2/38 = 10.5263157…; mean 8.4889643…
    expect(smape(actual, forecast)).toBeCloseTo((200 / 31 + 400 / 38) / 2, 12);
    expect(smape(actual, forecast)).toBeCloseTo(8.488964346349745, 12);
  });

  it('scales MASE by the in-sample mean absolute difference at lag m', () => {
    // Lag 1: |2|,|2|,|−1|,|2|,|2| → 9/5 = 1.8. Lag 2: |4|,|1|,|1|,|4| → 10/4 = 2.5.
    expect(maseScale(train, 1)).toBeCloseTo(1.8, 12);
    expect(maseScale(train, 2)).toBeCloseTo(2.5, 12);
    // mean |error| = (1 + 2)/2 = 1.5; 1.5 / 1.8 = 0.8333…
    expect(mase(actual, forecast, maseScale(train, 1))).toBeCloseTo(1.5 / 1.8, 12);
  });

  it('falls back to lag 1 for the MASE scale when the series is not longer than m', () => {
    expect(maseScale(train, 12)).toBeCloseTo(1.8, 12);
  });

  it('adds 2/a times the miss to the interval width in MSIS', () => {
    // h=1: [14, 17] holds 16 → width 3. h=2: [19, 22] misses 18 by 1 → 3 + (2/0.05)·1 = 43.
    // Mean (3 + 43)/2 = 23, scaled by 1.8 → 12.777…
    expect(msis(actual, [14, 19], [17, 22], 1.8)).toBeCloseTo(23 / 1.8, 12);
  });

  it('counts the share of actuals inside the interval, bounds included', () => {
    expect(coverage(actual, [14, 19], [17, 22])).toBe(0.5);
    expect(coverage(actual, [16, 18], [16, 18])).toBe(1);
  });

  it('computes OWA from mean sMAPE and mean MASE relative to Naive2', () => {
    // ½·(10/12.5 + 0.8/1.0) = 0.8; the M4 winner (Smyl) Monthly: ½·(12.126/14.427 + 0.884/1.063) = 0.836.
    expect(owa({ smape: 10, mase: 0.8 }, { smape: 12.5, mase: 1 })).toBeCloseTo(0.8, 12);
    expect(owa({ smape: 12.126, mase: 0.884 }, { smape: 14.427, mase: 1.063 })).toBeCloseTo(0.836, 3);
  });
});

describe('benchmark forecasts', () => {
  it('repeats the last value (naive) or the last season (seasonal naive)', () => {
    expect(naiveForecast(train, 3)).toEqual([17, 17, 17]);
    expect(seasonalNaiveForecast(train, 4, 5)).toEqual([14, 13, 15, 17, 14]);
  });

  it('makes Naive2 the naive forecast when the series is not seasonal', () => {
    expect(naive2Forecast(train, 12, 2)).toEqual([17, 17]);
  });

  it('re-seasonalises the last adjusted value in Naive2 when the seasonality test passes', () => {
    // Four years of an exact quarterly pattern ×(0.8, 1.2, 1.0, 1.0) on a level of 100: the adjusted series is
    // flat at 100, so Naive2 forecasts the pattern itself.
    const pattern = [0.8, 1.2, 1, 1];
    const y = Array.from({ length: 16 }, (_, i) => 100 * pattern[i % 4]!);
    const f = naive2Forecast(y, 4, 4);
    f.forEach((v, i) => expect(v).toBeCloseTo(100 * pattern[i]!, 9));
  });
});
