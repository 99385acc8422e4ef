import { etsForecastVariance, etsPointForecast, fitEts, type EtsModel } from './ets.ts';
import { seasonalAdjustment } from './seasonality.ts';
import { linearTrend } from './stats.ts';

/**
 * The standard Theta method as the M4 organisers ran it ("Theta.classic" of "Benchmarks and Evaluation.R";
 * Assimakopoulos & Nikolopoulos 2000): after the seasonal adjustment of the M4 benchmarks, the theta line
 * 2·y − L (L the least-squares line) is extrapolated with simple exponential smoothing, L with itself, and the
 * two are averaged with weights ½ and re-seasonalised.
 *
 * The forecast variance is that of the SES model of the adjusted series with the theta drift (Hyndman & Billah
 * 2003 show the method is SES with drift b/2), scaled by the seasonal index.
 */
export type ThetaFit = {
  mean: number[];
  variance: number[];
  /** One-step in-sample fitted values (re-seasonalised). */
  fitted: Float64Array;
  seasonal: boolean;
  ses: EtsModel;
  slope: number;
};

export function thetaFit(values: ArrayLike<number>, period: number, horizon: number): ThetaFit | undefined {
  const n = values.length;
  const adjustment = seasonalAdjustment(values, period, { additiveWhenNotPositive: true });
  const y = adjustment.adjusted;
  const { intercept, slope } = linearTrend(y);
  const thetaLine = new Float64Array(n);
  for (let i = 0; i < n; i++) thetaLine[i] = 2 * y[i]! - (intercept + slope * (i + 1));
  const sesTheta = fitEts(thetaLine, 1, { error: 'A', trend: 'N', season: 'N' });
  const sesAdjusted = fitEts(y, 1, { error: 'A', trend: 'N', season: 'N' });
  if (!sesTheta || !sesAdjusted) return undefined;
  const sesForecast = etsPointForecast(sesTheta, horizon);
  const sesVariance = etsForecastVariance(sesAdjusted, horizon);
  const mean: number[] = [];
  const variance: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    const line = intercept + slope * (n + h);
    const index = adjustment.kind === 'multiplicative' ? adjustment.reseasonalise(1, n + h - 1) : 1;
    mean.push(adjustment.reseasonalise(0.5 * sesForecast[h - 1]! + 0.5 * line, n + h - 1));
    variance.push(sesVariance[h - 1]! * index * index);
  }
  const fitted = new Float64Array(n);
  for (let i = 0; i < n; i++) fitted[i] = adjustment.reseasonalise(0.5 * sesTheta.fitted[i]! + 0.5 * (intercept + slope * (i + 1)), i);
  return { mean, variance, fitted, seasonal: adjustment.kind !== 'none', ses: sesAdjusted, slope };
}
