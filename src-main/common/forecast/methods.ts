import {
  averageDistributions,
  mapDistribution,
  mixDistributions,
  normalDistribution,
  simulatedDistribution,
  type ForecastDistribution,
} from './distribution.ts';
import {
  autoEts,
  candidateSpecs,
  etsForecastVariance,
  etsName,
  etsPointForecast,
  etsSimulate,
  fitEts,
  hasAnalyticVariance,
  minimumLength,
  type EtsModel,
  type EtsSpec,
} from './ets.ts';
import { heavyTailFactor, scaleSpread } from './heavy-tails.ts';
import { seasonalAdjustment } from './seasonality.ts';
import { seededRandom } from '../math/random.ts';
import { thetaFit } from './theta.ts';
import { boxCox, guerreroLambda, inverseBoxCox } from './transform.ts';

/**
 * The forecasting methods, by the name the API, the CLI (`--method`) and saved runs use.
 * - naive, snaive (seasonal naive), naive2 (M4: naive on the seasonally adjusted series)
 * - ses, holt, damped: ETS(A,N,N), ETS(A,A,N), ETS(A,Ad,N) on the M4-seasonally-adjusted series
 * - hw-additive: ETS(A,A,A); hw-multiplicative: ETS(M,A,M)
 * - ets: automatic ETS by AICc; theta: the M4 standard Theta
 * - combination: the average of automatic ETS and Theta (means and quantiles)
 * - auto: the recommended method, see `autoMembers`
 */
export const FORECAST_METHODS = [
  'auto',
  'combination',
  'ets',
  'theta',
  'damped',
  'holt',
  'ses',
  'hw-additive',
  'hw-multiplicative',
  'naive2',
  'snaive',
  'naive',
] as const;
export type ForecastMethod = (typeof FORECAST_METHODS)[number];

export type TransformKind = 'none' | 'log' | 'box-cox';

export type SeriesForecastRequest = {
  /** Observations, oldest first; finite numbers. */
  values: ArrayLike<number>;
  /** Seasonal period: 12 monthly, 7 daily, 52 weekly (1 = none). */
  period: number;
  horizon: number;
  method: ForecastMethod;
  /** Optional variance-stabilising transform (positive series only); 'box-cox' picks λ by Guerrero's method. */
  transform?: TransformKind;
  /** Seed of the simulations behind models without closed-form intervals; the same seed gives the same result. */
  seed?: number;
  /** Number of simulated paths for such models (default 2000). */
  simulationPaths?: number;
};

/** A forecast distribution and how it was made ("ETS(M,A,M) + Theta", the transform, fallbacks). */
export type SeriesForecast = ForecastDistribution & {
  method: ForecastMethod;
  model: string;
  /** One-step in-sample fitted values on the original scale (NaN where a method has none). */
  fitted: number[];
  transform: { kind: TransformKind; lambda: number | undefined };
  notes: string[];
};

/** The shortest history a smoothing model is fitted to (R's rule for SES: more than 2 parameters + 4). */
const MINIMUM_MODEL_LENGTH = minimumLength({ error: 'A', trend: 'N', season: 'N' }, 1);

type Context = { period: number; horizon: number; seed: number; paths: number; notes: string[]; dampLogTrend?: boolean };
/** One model's forecast on the scale it was fitted on. */
type Member = { distribution: ForecastDistribution; model: string; fitted: Float64Array };

export function forecastSeries(request: SeriesForecastRequest): SeriesForecast {
  const n = request.values.length;
  if (n === 0) throw new Error('cannot forecast an empty series');
  if (!Number.isInteger(request.horizon) || request.horizon < 1) throw new Error('horizon must be a positive integer');
  const context: Context = {
    period: Math.max(1, Math.round(request.period)),
    horizon: request.horizon,
    seed: request.seed ?? 20240601,
    paths: request.simulationPaths ?? 2000,
    notes: [],
  };
  const values = Float64Array.from(request.values as ArrayLike<number>);
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i]!)) throw new Error(`value ${i + 1} is not a finite number`);
  const positive = values.every((v) => v > 0);
  let transform: TransformKind = request.transform ?? 'none';
  if (transform !== 'none' && !positive) {
    context.notes.push(`${transform} transform skipped: the series has values that are not positive`);
    transform = 'none';
  }
  const lambda = transform === 'none' ? undefined : transform === 'log' ? 0 : guerreroLambda(values, context.period);
  const member = lambda === undefined ? runMethod(request.method, values, context) : transformed(request.method, values, context, lambda);
  return {
    ...member.distribution,
    method: request.method,
    model: member.model,
    fitted: Array.from(member.fitted),
    transform: { kind: transform, lambda },
    notes: [...new Set(context.notes)],
  };
}

/** Runs a method on the Box-Cox scale and maps its forecast back (quantiles map exactly; the mean is the median). */
function transformed(method: ForecastMethod, values: Float64Array, context: Context, lambda: number): Member {
  const w = values.map((v) => boxCox(v, lambda));
  const member = runMethod(method, w, context, true);
  return {
    distribution: mapDistribution(member.distribution, (x) => inverseBoxCox(x, lambda)),
    fitted: member.fitted.map((x) => inverseBoxCox(x, lambda)),
    model: `${member.model} on ${lambda === 0 ? 'log' : `Box-Cox(λ=${lambda.toFixed(2)})`}`,
  };
}

function runMethod(method: ForecastMethod, values: Float64Array, context: Context, additiveOnly = false): Member {
  const n = values.length;
  if (n < 2) {
    context.notes.push('one observation: the forecast repeats it and has no interval');
    const flat = new Array<number>(context.horizon).fill(values[0]!);
    return { distribution: normalDistribution(flat, new Array<number>(context.horizon).fill(0)), model: 'naive', fitted: new Float64Array(n).fill(Number.NaN) };
  }
  switch (method) {
    case 'naive':
      return naive(values, context, 1);
    case 'snaive':
      return naive(values, context, context.period);
    case 'naive2':
      return naive2(values, context);
    case 'ses':
      return adjustedEts(values, context, { error: 'A', trend: 'N', season: 'N' });
    case 'holt':
      return adjustedEts(values, context, { error: 'A', trend: 'A', season: 'N' });
    case 'damped':
      return adjustedEts(values, context, { error: 'A', trend: 'Ad', season: 'N' });
    case 'hw-additive':
      return fixedEts(values, context, { error: 'A', trend: 'A', season: 'A' });
    case 'hw-multiplicative':
      return fixedEts(values, context, additiveOnly ? { error: 'A', trend: 'A', season: 'A' } : { error: 'M', trend: 'A', season: 'M' });
    case 'ets':
      return automaticEts(values, context, additiveOnly);
    case 'theta':
      return theta(values, context);
    case 'combination':
      if (values.length < MINIMUM_MODEL_LENGTH) return tooShort(values, context, 'ETS + Theta');
      return combine([automaticEts(values, context, additiveOnly), theta(values, context)]);
    case 'auto':
      return autoCombination(values, context, additiveOnly);
  }
}

/**
 * The recommended method. Members: automatic ETS and Theta, each also fitted to the logarithm of the series when
 * it is positive (growth that compounds is linear on the log scale, so the pair covers additive and
 * multiplicative growth; on the log scale ETS has no trend or a damped one, because an undamped trend there
 * extrapolates exponentially and its intervals can explode). The members are combined with Bates & Granger (1969) weights, inversely proportional to
 * each member's in-sample one-step mean squared error after a burn-in of two seasons; means and quantiles are
 * averaged with those weights.
 */
function autoCombination(values: Float64Array, context: Context, additiveOnly: boolean): Member {
  if (values.length < MINIMUM_MODEL_LENGTH) return tooShort(values, context, 'the automatic method');
  const parts = [automaticEts(values, context, additiveOnly), theta(values, context)];
  if (!additiveOnly && values.every((v) => v > 0)) {
    parts.push(transformed('ets', values, { ...context, dampLogTrend: true }, 0), transformed('theta', values, context, 0));
  }
  const mixed = combine(parts, inverseMseWeights(values, parts, 2 * context.period), 'mixture');
  // A long series with heavy-tailed errors: narrower central intervals (see heavy-tails.ts).
  const errors: number[] = [];
  for (let i = 2 * context.period; i < values.length; i++) errors.push(values[i]! - mixed.fitted[i]!);
  const factor = heavyTailFactor(errors);
  if (factor === 1) return mixed;
  context.notes.push(`intervals narrowed to ${Math.round(factor * 100)} % of their width: the one-step errors have heavy tails (robust scale below their root mean square)`);
  return { ...mixed, distribution: scaleSpread(mixed.distribution, factor) };
}

/** Weights ∝ 1 / in-sample one-step MSE over observations burnIn…n−1 (equal weights when that is undefined). */
export function inverseMseWeights(values: ArrayLike<number>, parts: { fitted: ArrayLike<number> }[], burnIn: number): number[] {
  const n = values.length;
  const start = Math.min(burnIn, Math.max(n - 3, 0));
  const inverse = parts.map((part) => {
    let sum = 0;
    let count = 0;
    for (let t = start; t < n; t++) {
      const e = values[t]! - part.fitted[t]!;
      if (Number.isFinite(e)) {
        sum += e * e;
        count++;
      }
    }
    const mse = sum / count;
    return count > 0 && mse > 0 ? 1 / mse : Number.NaN;
  });
  if (inverse.some((w) => !Number.isFinite(w))) return parts.map(() => 1 / parts.length);
  const total = inverse.reduce((a, b) => a + b, 0);
  return inverse.map((w) => w / total);
}

/**
 * Weighted combination (equal weights by default) of means and fitted values, and of the distributions either by
 * averaging quantiles (Vincentization; `combination`) or as a mixture (linear pool; `auto`).
 */
function combine(parts: Member[], weights: number[] = parts.map(() => 1 / parts.length), pool: 'quantiles' | 'mixture' = 'quantiles'): Member {
  const n = parts[0]!.fitted.length;
  const fitted = new Float64Array(n);
  parts.forEach((part, k) => {
    for (let i = 0; i < n; i++) fitted[i] = fitted[i]! + weights[k]! * part.fitted[i]!;
  });
  const equal = weights.every((w) => Math.abs(w - 1 / parts.length) < 0.005);
  return {
    distribution: (pool === 'mixture' ? mixDistributions : averageDistributions)(
      parts.map((p) => p.distribution),
      weights,
    ),
    model: equal ? parts.map((p) => p.model).join(' + ') : parts.map((p, k) => `${Math.round(weights[k]! * 100)}% ${p.model}`).join(' + '),
    fitted,
  };
}

function residualVariance(values: ArrayLike<number>, lag: number): number {
  let sum = 0;
  let count = 0;
  for (let i = lag; i < values.length; i++) {
    sum += (values[i]! - values[i - lag]!) ** 2;
    count++;
  }
  return count > 0 ? sum / count : 0;
}

function naive(values: Float64Array, context: Context, period: number): Member {
  const n = values.length;
  const m = period > 1 && n > period ? period : 1;
  const sigma2 = residualVariance(values, m);
  const mean: number[] = [];
  const variance: number[] = [];
  for (let h = 1; h <= context.horizon; h++) {
    mean.push(values[n - m + ((h - 1) % m)]!);
    variance.push(sigma2 * (Math.floor((h - 1) / m) + 1));
  }
  const fitted = new Float64Array(n).fill(Number.NaN);
  for (let i = m; i < n; i++) fitted[i] = values[i - m]!;
  return { distribution: normalDistribution(mean, variance), model: m > 1 ? `seasonal naive (m=${m})` : 'naive', fitted };
}

function naive2(values: Float64Array, context: Context): Member {
  const adjustment = seasonalAdjustment(values, context.period);
  const y = adjustment.adjusted;
  const n = y.length;
  const sigma2 = residualVariance(y, 1);
  const mean: number[] = [];
  const variance: number[] = [];
  for (let h = 1; h <= context.horizon; h++) {
    const index = adjustment.reseasonalise(1, n + h - 1);
    mean.push(y[n - 1]! * index);
    variance.push(sigma2 * h * index * index);
  }
  const fitted = new Float64Array(n).fill(Number.NaN);
  for (let i = 1; i < n; i++) fitted[i] = adjustment.reseasonalise(y[i - 1]!, i);
  return { distribution: normalDistribution(mean, variance), model: adjustment.kind === 'none' ? 'Naive2' : 'Naive2 (seasonally adjusted)', fitted };
}

function etsDistribution(model: EtsModel, context: Context): ForecastDistribution {
  const mean = etsPointForecast(model, context.horizon);
  if (hasAnalyticVariance(model.spec)) return normalDistribution(mean, etsForecastVariance(model, context.horizon));
  const simulated = etsSimulate(model, context.horizon, context.paths, seededRandom(context.seed));
  return simulatedDistribution(mean, simulated, context.paths);
}

function tooShort(values: Float64Array, context: Context, what: string): Member {
  context.notes.push(`${what}: history too short (${values.length} observations); naive used instead`);
  return naive(values, context, 1);
}

function adjustedEts(values: Float64Array, context: Context, spec: EtsSpec): Member {
  if (values.length < minimumLength(spec, 1)) return tooShort(values, context, etsName(spec));
  const adjustment = seasonalAdjustment(values, context.period, { additiveWhenNotPositive: true });
  const model = fitEts(adjustment.adjusted, 1, spec);
  if (!model) return tooShort(values, context, etsName(spec));
  const n = values.length;
  const distribution = mapDistribution(etsDistribution(model, context), (v, h) => adjustment.reseasonalise(v, n + h));
  const fitted = model.fitted.map((v, i) => adjustment.reseasonalise(v, i));
  return { distribution, model: etsName(spec) + (adjustment.kind === 'none' ? '' : ' on seasonally adjusted data'), fitted };
}

function fixedEts(values: Float64Array, context: Context, spec: EtsSpec): Member {
  if (context.period <= 1 || values.length < minimumLength(spec, context.period)) return tooShort(values, context, etsName(spec));
  const model = fitEts(values, context.period, spec);
  if (!model) {
    context.notes.push(`${etsName(spec)} cannot be fitted to this series${spec.error === 'M' ? ' (it needs positive values)' : ''}; naive used instead`);
    return naive(values, context, 1);
  }
  return { distribution: etsDistribution(model, context), model: etsName(spec), fitted: model.fitted };
}

function automaticEts(values: Float64Array, context: Context, additiveOnly: boolean): Member {
  let options: Parameters<typeof autoEts>[2] = additiveOnly ? { additiveOnly } : {};
  if (additiveOnly && context.dampLogTrend) {
    options = { specs: candidateSpecs(context.period, false, values.length).filter((s) => s.trend !== 'A') };
  }
  const model = autoEts(values, context.period, options);
  if (!model) return tooShort(values, context, 'ETS');
  return { distribution: etsDistribution(model, context), model: etsName(model.spec), fitted: model.fitted };
}

function theta(values: Float64Array, context: Context): Member {
  if (values.length < minimumLength({ error: 'A', trend: 'N', season: 'N' }, 1)) return tooShort(values, context, 'Theta');
  const fit = thetaFit(values, context.period, context.horizon);
  if (!fit) return tooShort(values, context, 'Theta');
  return { distribution: normalDistribution(fit.mean, fit.variance), model: fit.seasonal ? 'Theta (seasonally adjusted)' : 'Theta', fitted: fit.fitted };
}
