import { describe, expect, it } from 'vitest';
import {
  applyCalibration,
  calibrateFromBacktest,
  calibrateQuantiles,
  describeFactors,
  estimateCalibration,
  factorsAtStep,
  neededFactor,
  shrinkageWeight,
  type CalibrationSample,
} from '../../src-main/common/forecast/calibration.ts';
import { normalDistribution, QUANTILE_PROBABILITIES } from '../../src-main/common/forecast/distribution.ts';

/**
 * Quantiles at QUANTILE_PROBABILITIES (P2.5 … P97.5) of a forecast with median 0, P10/P90 at ∓1 and P2.5/P97.5 at
 * ∓2: needed factors are then plain ratios (an actual of 1.5 needs the upper 80 % side ×1.5, the 95 % side ×0.75).
 */
const Q = [-2, -1.8, -1, -0.8, -0.6, -0.5, -0.2, 0, 0.2, 0.5, 0.6, 0.8, 1, 1.8, 2];

/** One forecast a month (step 1, months 21, 22, …) whose actuals are `actuals`. */
function backtest(actuals: number[]): CalibrationSample[] {
  return actuals.map((actual, i) => ({ origin: 20 + i, h: 1, actual, quantiles: Q }));
}

describe('needed factor', () => {
  it('is the distance beyond the median over that side’s half-width when the actual is outside the median', () => {
    // Median 100, P10 80, P90 130: an actual of 70 needs the lower side (100 − 70)/(100 − 80) = 1.5 ×, 160 the upper 60/30 = 2 ×.
    const q = [60, 70, 80, 90, 92, 94, 97, 100, 103, 106, 110, 115, 130, 140, 150];
    expect(neededFactor(70, q, 'lower', 80)).toBeCloseTo(1.5, 12);
    expect(neededFactor(160, q, 'upper', 80)).toBeCloseTo(2, 12);
    expect(neededFactor(160, q, 'upper', 95)).toBeCloseTo(60 / 50, 12);
  });

  it('is 0 for the side opposite to the actual', () => {
    const q = [60, 70, 80, 90, 92, 94, 97, 100, 103, 106, 110, 115, 130, 140, 150];
    expect(neededFactor(110, q, 'lower', 80)).toBe(0);
    expect(neededFactor(90, q, 'upper', 95)).toBe(0);
  });
});

describe('shrinkage weight', () => {
  it('is τ² / (τ² + se²) with the large-sample variance of a tail quantile’s log when 12 months back it', () => {
    // 80 %: α = 0.1, z = 1.28155, φ(z) = 0.175498; se² = 0.1·0.9 / (12 · (0.175498·1.28155)²) = 0.09 / (12·0.050585) = 0.148265;
    // τ = 0.25: w = 0.0625 / (0.0625 + 0.148265) = 0.29654.
    expect(shrinkageWeight(12, 80)).toBeCloseTo(0.29654, 4);
    // 95 %: α = 0.025, z = 1.95996, φ(z) = 0.058445; se² = 0.024375 / (12 · 0.013122) = 0.154793; w = 0.28762.
    expect(shrinkageWeight(12, 95)).toBeCloseTo(0.28762, 4);
  });

  it('is smaller on a shorter history and 0 without any', () => {
    // 4 months: se² = 0.09 / (4·0.050585) = 0.444796; w = 0.0625 / 0.507296 = 0.12320.
    expect(shrinkageWeight(4, 80)).toBeCloseTo(0.1232, 4);
    expect(shrinkageWeight(0, 80)).toBe(0);
  });
});

describe('interval factors from a backtest', () => {
  // Twelve months whose actuals all fell above the median, at 0.2, 0.4, … 2.4 times the upper 80 % half-width.
  const twelve = backtest([0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4]);

  it('widens the upper side by the conformal tail quantile of the needed factors, shrunk twice towards 1', () => {
    // Upper 80 %: rank ⌈0.9·13⌉ = 12 of 12 → raw 2.4. Pooled: log = w·ln 2.4 = 0.29654·0.875469 = 0.259613.
    // The step (same forecasts): w·ln 2.4 + (1 − w)·0.259613 = 0.259613 · 1.70346 = 0.442240 → × e^0.442240 = 1.55618.
    const [step] = estimateCalibration(twelve);
    expect(step!.step).toBe(1);
    expect(step!.upper80).toBeCloseTo(1.55618, 4);
  });

  it('narrows a side the actuals never reached, to no less than the bound and only as far as the shrinkage lets it', () => {
    // Lower 80 %: every needed factor is 0, rank 12 ≤ 12 months → raw 0, bounded at 0.5: log = ln 0.5 · 0.29654 · 1.70346
    // = −0.693147 · 0.505141 = −0.350137 → × 0.70459.
    const [step] = estimateCalibration(twelve);
    expect(step!.lower80).toBeCloseTo(0.70459, 4);
  });

  it('never narrows a 95 % side on fewer months than its conformal rank needs, but widens it on its largest miss', () => {
    // 95 %: rank ⌈0.975·13⌉ = 13 > 12 months. Lower: no miss → 1. Upper: largest needed factor 2.4/2 = 1.2 →
    // w = 0.28762: log = 0.28762·ln 1.2 · (2 − 0.28762) = 0.052440 · 1.71238 = 0.089798 → × 1.09395.
    const [step] = estimateCalibration(twelve);
    expect(step!.lower95).toBe(1);
    expect(step!.upper95).toBeCloseTo(1.09395, 4);
  });

  it('moves less on a short history with the same misses', () => {
    // Four months, largest miss again 2.4: rank ⌈0.9·5⌉ = 5 > 4, so the lower side stays; the upper side widens by
    // e^(0.12320·ln 2.4·1.87680) = e^0.202426 = 1.22436 instead of 1.55618.
    const [step] = estimateCalibration(backtest([0.6, 1.2, 1.8, 2.4]));
    expect(step!.upper80).toBeCloseTo(1.22436, 4);
    expect(step!.lower80).toBe(1);
  });

  it('gives no factors without a backtest, and then leaves a forecast unchanged', () => {
    const d = normalDistribution([10, 11], [4, 9]);
    expect(estimateCalibration([])).toEqual([]);
    expect(applyCalibration(d, [])).toBe(d);
    expect(factorsAtStep([], 3)).toEqual({ lower80: 1, upper80: 1, lower95: 1, upper95: 1 });
  });

  it('gives each step the factors of its own and its neighbours’ forecasts, and months beyond the backtest the last step’s', () => {
    // Step 1 forecasts were all inside; steps 2 and 3 missed upwards: step 1 borrows step 2's misses, less than step 3 has.
    const samples: CalibrationSample[] = [];
    for (let origin = 10; origin < 22; origin++) {
      samples.push({ origin, h: 1, actual: 0.5, quantiles: Q }, { origin, h: 2, actual: 1.5, quantiles: Q }, { origin, h: 3, actual: 2, quantiles: Q });
    }
    const steps = estimateCalibration(samples);
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(steps[0]!.upper80).toBeGreaterThan(1);
    expect(steps[0]!.upper80).toBeLessThan(steps[2]!.upper80);
    expect(factorsAtStep(steps, 9)).toBe(steps[2]);
  });
});

describe('calibrated quantiles', () => {
  const normal = QUANTILE_PROBABILITIES.map((p) => normalDistribution([0], [1]).quantiles[QUANTILE_PROBABILITIES.indexOf(p)]![0]!);

  it('stretch each side around the median by its factor and keep the median', () => {
    // Upper ×2, lower ×0.5, 95 % unchanged: P90 1.28155 → 2.56310, P10 −1.28155 → −0.64078, P50 stays 0.
    const q = calibrateQuantiles(normal, { lower80: 0.5, upper80: 2, lower95: 1, upper95: 1 });
    expect(q[QUANTILE_PROBABILITIES.indexOf(0.9)]).toBeCloseTo(2.5631, 4);
    expect(q[QUANTILE_PROBABILITIES.indexOf(0.1)]).toBeCloseTo(-0.64078, 4);
    expect(q[QUANTILE_PROBABILITIES.indexOf(0.5)]).toBe(0);
  });

  it('keep a tail beyond a stretched P90 at least as long as a Gaussian one, so the quantiles stay in order', () => {
    // P97.5 would stay at 1.95996, below the new P90 2.56310: it becomes 2.56310 · 1.95996 / 1.28155 = 3.91993.
    const q = calibrateQuantiles(normal, { lower80: 0.5, upper80: 2, lower95: 1, upper95: 1 });
    expect(q[QUANTILE_PROBABILITIES.indexOf(0.975)]).toBeCloseTo(3.91993, 4);
    expect(q[QUANTILE_PROBABILITIES.indexOf(0.025)]).toBeCloseTo(-1.95996, 4);
    expect(q.every((v, k) => k === 0 || v >= q[k - 1]!)).toBe(true);
  });
});

describe('calibration of a backtest', () => {
  it('reports the coverage before and after, each origin calibrated only on months known before it', () => {
    // Twelve months at 2 (the upper 80 % side needed ×2), then one at 1.1. Without hindsight origin 20 has no
    // evidence and origin 21 one month (×1.05); the last origin knows all twelve: ×1.419 (see above with raw 2),
    // enough for 1.1 but not for 2, which needed ×2. So after calibration only the last actual is inside.
    const c = calibrateFromBacktest(backtest([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1.1]));
    expect(c.origins).toBe(13);
    expect(c.before).toEqual({ forecasts: 13, coverage80: 0, coverage95: 1, belowP10: 0, aboveP90: 1 });
    expect(c.after.forecasts).toBe(13);
    expect(c.after.coverage80).toBeCloseTo(1 / 13, 12);
    expect(c.steps).toHaveLength(1);
  });

  it('describes the factors in words, and says when they are unchanged', () => {
    const c = calibrateFromBacktest(backtest([0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4]));
    expect(describeFactors(c.steps)).toBe('80 % interval stretched around the median at 1 month and beyond: upper side ×1.56, lower side ×0.70 (95 %: ×1.09 / ×1.00)');
    expect(describeFactors([{ step: 1, forecasts: 3, lower80: 1, upper80: 1, lower95: 1, upper95: 1 }])).toContain('unchanged');
  });
});
