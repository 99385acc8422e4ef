import { describe, expect, it } from 'vitest';
import {
  autoEts,
  etsForecastVariance,
  etsName,
  etsPointForecast,
  etsSimulate,
  etsWithParameters,
  fitEts,
  isAdmissible,
} from '../../src-main/common/forecast/ets.ts';
import { seededRandom } from '../../src-main/common/math/random.ts';

// fpp2's `austourists` (quarterly international visitor nights in Australia, millions, 1999 Q1–2015 Q4) and the
// Saudi Arabian oil production of `oil` from 1996 (Hyndman & Athanasopoulos, "Forecasting: Principles and
// Practice", 2nd ed., sections 7.1 and 7.7). The R reference values below are R forecast::ets output: printed
// in the book, and in statsmodels' test results (statsmodels/tsa/tests/results/fit_ets_results_seasonal.json).
const austourists = [
  30.05251, 19.1485, 25.31769, 27.59144, 32.07646, 23.48796, 28.47594, 35.12375, 36.83848, 25.00702, 30.72223, 28.69376, 36.64099,
  23.82461, 29.31168, 31.77031, 35.17788, 19.77524, 29.60175, 34.53884, 41.2736, 26.65586, 28.27986, 35.19115, 42.20566, 24.64917,
  32.66734, 37.25735, 45.24246, 29.35048, 36.34421, 41.78208, 49.2766, 31.2754, 37.85063, 38.83704, 51.2369, 31.83855, 41.32342, 42.799,
  55.70836, 33.40714, 42.31664, 45.15712, 59.57608, 34.83733, 44.84168, 46.97125, 60.01903, 38.37118, 46.97586, 50.7338, 61.64687,
  39.29957, 52.67121, 54.33232, 66.83436, 40.87119, 51.82854, 57.49191, 65.25147, 43.06121, 54.76076, 59.83447, 73.25703, 47.69662,
  61.09777, 66.05576,
];
const oil = [
  445.3641, 453.195, 454.4096, 422.3789, 456.0371, 440.3866, 425.1944, 486.2052, 500.4291, 521.2759, 508.9476, 488.8889, 509.8706,
  456.7229, 473.8166, 525.9509, 549.8338, 542.3405,
];

describe('ETS recursions', () => {
  it('reproduce R ets fitted values, σ² and forecasts of ETS(A,Ad,A) on austourists given R estimates', () => {
    // R's initial seasonal states are printed newest first (s0, s−1, s−2, s−3); ours are by position (s−3 first).
    const model = etsWithParameters(
      austourists,
      4,
      { error: 'A', trend: 'Ad', season: 'A' },
      { alpha: 0.35445427, beta: 0.03200749, gamma: 0.39993387, phi: 0.97999997 },
      { level: 24.01278357, slope: 0.97770147, season: [5.34956637, -6.61171798, -0.50735902, 1.76951063] },
    );
    expect(model.fitted[0]).toBeCloseTo(30.32049735, 5);
    expect(model.fitted[1]).toBeCloseTo(19.19480328, 5);
    expect(model.fitted[67]).toBeCloseTo(64.16460104, 4);
    expect(model.sigma2).toBeCloseTo(6.0830734, 5);
    const expected = [76.07768073, 51.61741109, 63.96457729, 68.27886241];
    etsPointForecast(model, 4).forEach((f, h) => expect(f).toBeCloseTo(expected[h]!, 4));
  });

  it('reproduce R ets fitted values and σ² of ETS(M,Ad,M) on austourists given R estimates', () => {
    const model = etsWithParameters(
      austourists,
      4,
      { error: 'M', trend: 'Ad', season: 'M' },
      { alpha: 0.48397584, beta: 0.00351728, gamma: 0.0001131, phi: 0.98 },
      { level: 23.54623801, slope: 0.7983291, season: [1.2341092, 0.77007856, 0.96050633, 1.0353059] },
    );
    expect(model.fitted[0]).toBeCloseTo(30.02414979, 5);
    expect(model.fitted[2]).toBeCloseTo(24.7239777, 5);
    expect(model.fitted[67]).toBeCloseTo(64.45395529, 4);
    expect(model.residuals[0]).toBeCloseTo(0.00094468, 6);
    expect(model.sigma2).toBeCloseTo(0.00361294, 7);
  });

  it('give the AIC, AICc and BIC that FPP2 prints for ets(aust), ETS(M,A,M), from its rounded estimates', () => {
    // FPP2 §7.7: aust = window(austourists, start = 2005); α = 0.1908, β = 0.0392, γ = 2e−04, ℓ = 32.3679,
    // b = 0.9281, s = 1.0218 0.9628 0.7683 1.2471; AIC 224.8628, AICc 230.1569, BIC 240.9205, σ 0.0383.
    const aust = austourists.slice(24);
    const model = etsWithParameters(
      aust,
      4,
      { error: 'M', trend: 'A', season: 'M' },
      { alpha: 0.1908, beta: 0.0392, gamma: 2e-4 },
      { level: 32.3679, slope: 0.9281, season: [1.2471, 0.7683, 0.9628, 1.0218] },
    );
    // The printed estimates are rounded to 4 digits, so the likelihood differs in the third decimal.
    expect(model.aic).toBeCloseTo(224.8628, 2);
    expect(model.aicc).toBeCloseTo(230.1569, 2);
    expect(model.bic).toBeCloseTo(240.9205, 2);
    expect(Math.sqrt(model.sigma2)).toBeCloseTo(0.0383, 4);
    expect(model.parameterCount).toBe(9); // α, β, γ, ℓ0, b0, three free seasonal states, σ²
  });
});

describe('ETS estimation', () => {
  it('finds ETS(M,A,M) on aust with a likelihood at least as good as R (AIC ≤ 224.8628)', () => {
    const aust = austourists.slice(24);
    const model = fitEts(aust, 4, { error: 'M', trend: 'A', season: 'M' }, { optimizeSeasonalStates: true, maxSeasonalEvaluations: 5000 })!;
    expect(model.aic).toBeLessThanOrEqual(224.8628);
    expect(model.alpha).toBeGreaterThan(0);
    expect(model.beta).toBeLessThanOrEqual(model.alpha);
    expect(model.gamma).toBeLessThanOrEqual(1 - model.alpha);
  });

  it('reproduces FPP2 §7.1 simple exponential smoothing of the oil data: forecast 542.68, 80 % 504.45–580.91', () => {
    // ses(oildata, h = 5): α = 0.8339, ℓ0 = 446.59; 2014 forecast 542.6806, Lo 80 504.4541, Hi 80 580.9070,
    // Lo 95 484.2183, Hi 95 601.1429; 2018 Lo 95 428.9945.
    const model = fitEts(oil, 1, { error: 'A', trend: 'N', season: 'N' })!;
    expect(model.alpha).toBeCloseTo(0.8339, 3);
    expect(model.initial.level).toBeCloseTo(446.59, 1);
    const mean = etsPointForecast(model, 5);
    const variance = etsForecastVariance(model, 5);
    expect(mean[0]).toBeCloseTo(542.6806, 2);
    expect(mean[0]! - 1.2815515655446004 * Math.sqrt(variance[0]!)).toBeCloseTo(504.4541, 1);
    expect(mean[0]! + 1.959963984540054 * Math.sqrt(variance[0]!)).toBeCloseTo(601.1429, 1);
    expect(mean[4]! - 1.959963984540054 * Math.sqrt(variance[4]!)).toBeCloseTo(428.9945, 1);
  });

  it('selects a trended seasonal model for austourists by AICc', () => {
    const model = autoEts(austourists, 4)!;
    expect(model.spec.trend).not.toBe('N');
    expect(model.spec.season).not.toBe('N');
    expect(etsName(model.spec)).toMatch(/^ETS\([AM],Ad?,[AM]\)$/);
  });

  it('uses only additive-error models with an additive or no season when the series has a zero', () => {
    const y = austourists.slice();
    y[10] = 0;
    const model = autoEts(y, 4)!;
    expect(model.spec.error).toBe('A');
    expect(model.spec.season).not.toBe('M');
  });
});

describe('ETS forecast variance', () => {
  const model = etsWithParameters(oil, 1, { error: 'A', trend: 'N', season: 'N' }, { alpha: 0.5 }, { level: 450 });

  it('grows as σ²(1 + (h − 1)α²) for ETS(A,N,N)', () => {
    const v = etsForecastVariance(model, 4);
    [1, 1.25, 1.5, 1.75].forEach((factor, h) => expect(v[h]).toBeCloseTo(model.sigma2 * factor, 9));
  });

  it('follows the class 2 recursion for ETS(M,N,N): v2 = μ²[(1 + σ²)(1 + α²σ²) − 1]', () => {
    const m = etsWithParameters(oil, 1, { error: 'M', trend: 'N', season: 'N' }, { alpha: 0.5 }, { level: 450 });
    const mu = etsPointForecast(m, 2)[1]!;
    const s2 = m.sigma2;
    const v = etsForecastVariance(m, 2);
    expect(v[0]).toBeCloseTo(mu * mu * s2, 6);
    expect(v[1]).toBeCloseTo(mu * mu * ((1 + s2) * (1 + 0.25 * s2) - 1), 6);
  });

  it('matches the analytic variance when simulated (ETS(A,N,N), 20,000 paths)', () => {
    const paths = 20_000;
    const sims = etsSimulate(model, 3, paths, seededRandom(3));
    const v = etsForecastVariance(model, 3);
    for (let h = 0; h < 3; h++) {
      let sum = 0;
      let squares = 0;
      for (let p = 0; p < paths; p++) {
        const y = sims[p * 3 + h]!;
        sum += y;
        squares += y * y;
      }
      const mean = sum / paths;
      expect(mean).toBeCloseTo(model.level, -1);
      expect(squares / paths - mean * mean).toBeGreaterThan(v[h]! * 0.95);
      expect(squares / paths - mean * mean).toBeLessThan(v[h]! * 1.05);
    }
  });
});

describe('admissible parameter space', () => {
  it('accepts usual Holt-Winters values and refuses parameters whose forecasts would explode', () => {
    expect(isAdmissible(0.1, 0, 0.1, 1, 12, true, false)).toBe(true);
    expect(isAdmissible(0.3, 0.05, 0.2, 0.95, 12, true, true)).toBe(true);
    expect(isAdmissible(0.95, 0.9, 0.04, 1, 12, true, true)).toBe(false);
    expect(isAdmissible(1.9, 0, 0, 1, 1, false, false)).toBe(true); // ETS(A,N,N): 0 < α < 2
    expect(isAdmissible(2.1, 0, 0, 1, 1, false, false)).toBe(false);
  });
});
