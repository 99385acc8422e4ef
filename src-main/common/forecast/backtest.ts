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

export function rollingOriginBacktest(
  values: readonly number[],
  period: number,
  forecaster: BacktestForecaster,
  options: { origins?: number; horizon?: number; minimumTraining?: number } = {},
): Backtest {
  const n = values.length;
  const maxOrigins = options.origins ?? 12;
  const horizon = options.horizon ?? 6;
  const minimumTraining = options.minimumTraining ?? 12;
  const first = Math.max(minimumTraining, n - maxOrigins);
  if (first >= n) {
    return { available: false, reason: `a backtest needs more than ${minimumTraining} months of history (have ${n})` };
  }
  let smapeSum = 0;
  let maseSum = 0;
  let maseCount = 0;
  let inside80 = 0;
  let inside95 = 0;
  let below10 = 0;
  let forecasts = 0;
  let origins = 0;
  for (let origin = first; origin < n; origin++) {
    const training = values.slice(0, origin);
    const steps = Math.min(horizon, n - origin);
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
  }
  return {
    available: true,
    origins,
    forecasts,
    horizon,
    smape: smapeSum / forecasts,
    mase: maseCount > 0 ? maseSum / maseCount : Number.NaN,
    coverage80: inside80 / forecasts,
    coverage95: inside95 / forecasts,
    belowP10: below10 / forecasts,
  };
}
