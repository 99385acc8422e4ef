import { quantileAt } from './distribution.ts';
import { coverage, mase, maseScale, smape } from './metrics.ts';

/**
 * Rolling-origin backtest on the user's own history (Tashman 2000): from each origin o among the last `origins`
 * months (keeping at least `minimumTraining` observations before it), the method sees y[0..o) and forecasts up to
 * `horizon` steps that are already known; the errors of all those forecasts are pooled. sMAPE and MASE follow the
 * M4 definitions (MASE scaled on each origin's training part); coverage is the share of actuals inside the 80 % and
 * 95 % intervals.
 */
export type Backtest =
  | {
      available: true;
      origins: number;
      forecasts: number;
      horizon: number;
      smape: number;
      mase: number;
      coverage80: number;
      coverage95: number;
      /** Share of actuals below the P10 forecast (the quantile a hedge is sized on): 0.10 when calibrated. */
      belowP10: number;
    }
  | { available: false; reason: string };

export type BacktestForecaster = (training: number[], horizon: number) => { mean: number[]; quantiles: number[][] };

/** One forecast of a rolling-origin backtest: origin (observations seen), step h (1-based), actual and forecast. */
export type BacktestSample = { origin: number; h: number; actual: number; mean: number; quantiles: number[] };

/** A backtest's summary and the forecasts behind it (the calibration of intervals reads the forecasts). */
export type BacktestRun = { backtest: Backtest; samples: BacktestSample[] };

export function rollingOriginBacktest(
  values: readonly number[],
  period: number,
  forecaster: BacktestForecaster,
  options: { origins?: number; horizon?: number; minimumTraining?: number } = {},
): Backtest {
  return rollingOriginRun(values, period, forecaster, options).backtest;
}

/** The origins of a rolling-origin backtest of `n` observations (see `rollingOriginBacktest`) and their steps. */
export function backtestOrigins(n: number, options: { origins?: number; horizon?: number; minimumTraining?: number } = {}): { origin: number; steps: number }[] {
  const first = Math.max(options.minimumTraining ?? 12, n - (options.origins ?? 12));
  const horizon = options.horizon ?? 6;
  const result: { origin: number; steps: number }[] = [];
  for (let origin = first; origin < n; origin++) result.push({ origin, steps: Math.min(horizon, n - origin) });
  return result;
}

/** The rolling-origin backtest with every forecast it made (see `rollingOriginBacktest`). */
export function rollingOriginRun(
  values: readonly number[],
  period: number,
  forecaster: BacktestForecaster,
  options: { origins?: number; horizon?: number; minimumTraining?: number } = {},
): BacktestRun {
  const n = values.length;
  const horizon = options.horizon ?? 6;
  const minimumTraining = options.minimumTraining ?? 12;
  const plan = backtestOrigins(n, options);
  if (plan.length === 0) {
    return { backtest: { available: false, reason: `a backtest needs more than ${minimumTraining} months of history (have ${n})` }, samples: [] };
  }
  const samples: BacktestSample[] = [];
  let smapeSum = 0;
  let maseSum = 0;
  let maseCount = 0;
  let inside80 = 0;
  let inside95 = 0;
  let below10 = 0;
  let forecasts = 0;
  let origins = 0;
  for (const { origin, steps } of plan) {
    const training = values.slice(0, origin);
    const actual = values.slice(origin, origin + steps);
    const f = forecaster(training, steps);
    origins++;
    forecasts += steps;
    smapeSum += smape(actual, f.mean) * steps;
    const scale = maseScale(training, period);
    if (scale > 0) {
      maseSum += mase(actual, f.mean, scale) * steps;
      maseCount += steps;
    }
    inside80 += coverage(actual, quantileAt(f, 0.1), quantileAt(f, 0.9)) * steps;
    inside95 += coverage(actual, quantileAt(f, 0.025), quantileAt(f, 0.975)) * steps;
    const p10 = quantileAt(f, 0.1);
    below10 += actual.filter((y, h) => y < p10[h]!).length;
    actual.forEach((y, h) => samples.push({ origin, h: h + 1, actual: y, mean: f.mean[h]!, quantiles: f.quantiles.map((q) => q[h]!) }));
  }
  return {
    backtest: {
      available: true,
      origins,
      forecasts,
      horizon,
      smape: smapeSum / forecasts,
      mase: maseCount > 0 ? maseSum / maseCount : Number.NaN,
      coverage80: inside80 / forecasts,
      coverage95: inside95 / forecasts,
      belowP10: below10 / forecasts,
    },
    samples,
  };
}
