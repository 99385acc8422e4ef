import { nelderMead } from './nelder-mead.ts';
import { seasonalIndices } from './seasonality.ts';
import type { RandomSource } from '../math/random.ts';
import { linearTrend, mean } from './stats.ts';

/**
 * Exponential smoothing in innovations state-space form (Hyndman, Koehler, Ord & Snyder, "Forecasting with
 * exponential smoothing: the state space approach", Springer 2008; the `ets` function of R's forecast package):
 * error A|M, trend N|A|Ad (additive damped), season N|A|M. ETS(A,N,N) is simple exponential smoothing, ETS(A,A,N)
 * Holt's linear method, ETS(A,Ad,N) the damped trend, ETS(A,A,A) additive and ETS(M,A,M) multiplicative
 * Holt-Winters.
 *
 * State updates (the error type changes only the likelihood and the forecast variance):
 *   q = l + φb;  l' = q + α(p − q) with p = y (no season), y − s (A), y / s (M)
 *   b' = φb + (β/α)(l' − l − φb)
 *   s' = s + γ(t − s) with t = y − q (A), y / q (M)
 * β here is the state-space β (R's `beta`), so β ≤ α.
 */
export type EtsError = 'A' | 'M';
export type EtsTrend = 'N' | 'A' | 'Ad';
export type EtsSeason = 'N' | 'A' | 'M';
export type EtsSpec = { error: EtsError; trend: EtsTrend; season: EtsSeason };

export function etsName(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}

/** A fitted ETS model: parameters, initial and final states, and the fit statistics used to select models. */
export type EtsModel = {
  spec: EtsSpec;
  /** The seasonal period used (1 for non-seasonal models). */
  period: number;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  /** State after the last observation. */
  level: number;
  slope: number;
  /** seasonFor[j] is the seasonal state used for observation n + j (j = 0..m−1), i.e. the (j+1)-step forecast. */
  seasonFor: number[];
  /** Initial states (time 0): level, slope and the seasonal state for observations 0..m−1. */
  initial: { level: number; slope: number; season: number[] };
  /** Residual variance: Σe²/(n − k) with e absolute (A) or relative (M) errors, as R. */
  sigma2: number;
  /** −2·log-likelihood up to a constant, as R's `ets` (n·log Σe² [+ 2·Σ log|ŷ|]). */
  lik: number;
  aic: number;
  aicc: number;
  bic: number;
  /** Number of estimated parameters including the error variance. */
  parameterCount: number;
  n: number;
  fitted: Float64Array;
  residuals: Float64Array;
  /** Likelihood evaluations the optimiser used. */
  evaluations: number;
};

export type EtsFitOptions = {
  /**
   * Optimise the m − 1 free seasonal initial states jointly with the other parameters, as R does. Default false:
   * they stay at their classical-decomposition values (still counted as parameters in the AICc). On the 700
   * monthly-dev series this is 3–4 × faster and forecasts as well (OWA 0.845 against 0.842 with R's
   * joint optimisation capped at 2000 evaluations, and 0.848 when that optimisation is run to convergence).
   */
  optimizeSeasonalStates?: boolean;
  maxEvaluations?: number;
  /** Evaluation budget of the joint optimisation of parameters and seasonal states. */
  maxSeasonalEvaluations?: number;
  /** With optimizeSeasonalStates: first optimise with the seasonal states fixed, then jointly. Default true. */
  stagedSeasonalStates?: boolean;
  relativeTolerance?: number;
  /** Fix smoothing parameters instead of estimating them. */
  fixed?: { alpha?: number; beta?: number; gamma?: number; phi?: number };
};

const LOWER = 1e-4;
const UPPER = 0.9999;
const PHI_LOWER = 0.8;
const PHI_UPPER = 0.98;

/** Number of parameters of a spec as R counts them before fitting (to refuse series that are too short). */
export function minimumLength(spec: EtsSpec, period: number): number {
  let k = 2;
  if (spec.trend !== 'N') k += 2;
  if (spec.trend === 'Ad') k += 1;
  if (spec.season !== 'N') k += period;
  return k + 5;
}

type Kernel = {
  y: Float64Array;
  n: number;
  m: number;
  multError: boolean;
  trend: boolean;
  season: 0 | 1 | 2;
  ring: Float64Array;
};

/**
 * Runs the recursions over the series; returns R's `lik` (n·log Σe² [+ 2 Σ log|ŷ|]) or Infinity when a forecast is
 * not finite. When `out` is given, stores fitted values and residuals and leaves the final states in `end`.
 */
function runKernel(
  k: Kernel,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  level0: number,
  slope0: number,
  season0: ArrayLike<number>,
  out?: { fitted: Float64Array; residuals: Float64Array; end: { level: number; slope: number } },
): number {
  const { y, n, m, multError, trend, season, ring } = k;
  let l = level0;
  let b = trend ? slope0 : 0;
  if (season !== 0) for (let j = 0; j < m; j++) ring[j] = season0[j]!;
  let sse = 0;
  let sumLog = 0;
  const ratio = beta / alpha;
  let phase = 0;
  for (let t = 0; t < n; t++) {
    const phib = phi * b;
    const q = l + phib;
    const s = season !== 0 ? ring[phase]! : 0;
    const f = season === 0 ? q : season === 1 ? q + s : q * s;
    if (!Number.isFinite(f)) return Infinity;
    const yt = y[t]!;
    let e: number;
    if (multError) {
      if (Math.abs(f) < 1e-10) return Infinity;
      e = (yt - f) / f;
      sumLog += Math.log(Math.abs(f));
    } else {
      e = yt - f;
    }
    sse += e * e;
    if (out) {
      out.fitted[t] = f;
      out.residuals[t] = e;
    }
    let p: number;
    if (season === 0) p = yt;
    else if (season === 1) p = yt - s;
    else p = Math.abs(s) < 1e-10 ? 1e10 : yt / s;
    const newLevel = q + alpha * (p - q);
    if (trend) b = phib + ratio * (newLevel - l - phib);
    if (season === 1) ring[phase] = s + gamma * (yt - q - s);
    else if (season === 2) ring[phase] = s + gamma * ((Math.abs(q) < 1e-10 ? 1e10 : yt / q) - s);
    l = newLevel;
    phase++;
    if (phase === m) phase = 0;
  }
  if (out) {
    out.end.level = l;
    out.end.slope = b;
  }
  let lik = n * Math.log(sse);
  if (multError) lik += 2 * sumLog;
  if (Number.isNaN(lik)) return Infinity;
  return lik < -1e10 ? -1e10 : lik;
}

/** Initial states as R's `initstate`: decomposition for the season, a regression on the first observations. */
function initialStates(y: Float64Array, m: number, spec: EtsSpec): { level: number; slope: number; season: number[] } {
  const n = y.length;
  let season: number[] = [];
  let adjusted = y;
  if (spec.season !== 'N') {
    const kind = spec.season === 'M' ? 'multiplicative' : 'additive';
    if (n >= 3 * m) {
      season = seasonalIndices(y, m, kind);
    } else {
      // Too short for a moving average: detrend with a straight line and average by position in the cycle.
      const { intercept, slope } = linearTrend(y);
      const sums = new Array<number>(m).fill(0);
      const counts = new Array<number>(m).fill(0);
      for (let i = 0; i < n; i++) {
        const line = intercept + slope * (i + 1);
        sums[i % m]! += kind === 'multiplicative' ? y[i]! / line : y[i]! - line;
        counts[i % m]! += 1;
      }
      season = sums.map((s, i) => s / counts[i]!);
      const avg = mean(season);
      season = season.map((s) => (kind === 'multiplicative' ? s / avg : s - avg));
    }
    adjusted = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (spec.season === 'M') {
        season[i % m] = Math.max(season[i % m]!, 1e-2);
        adjusted[i] = y[i]! / season[i % m]!;
      } else adjusted[i] = y[i]! - season[i % m]!;
    }
    if (spec.season === 'M') {
      const total = season.reduce((a, b) => a + b, 0);
      season = season.map((s) => (s * m) / total);
    }
  }
  const maxn = Math.min(Math.max(10, 2 * (spec.season === 'N' ? 1 : m)), n);
  if (spec.trend === 'N') return { level: mean(adjusted, 0, maxn), slope: 0, season };
  const { intercept, slope } = linearTrend(adjusted, 0, maxn);
  let level = intercept;
  let b = slope;
  if (Math.abs(level + b) < 1e-8) {
    level *= 1 + 1e-3;
    b *= 1 - 1e-3;
  }
  return { level, slope: b, season };
}

/**
 * Whether (α, β, γ, φ) lie in the admissible (forecastable) region of Hyndman, Akram & Archibald (2008): for
 * seasonal models all roots of the characteristic polynomial
 * z^{m+1} + (α+β−φ)z^m + (α+β−αφ)(z^{m−1}+…+z²) + (α+β−αφ+γ−1)z + φ(1−α−γ) inside the unit circle
 * (tested with the Schur–Cohn recursion).
 */
export function isAdmissible(alpha: number, beta: number, gamma: number, phi: number, m: number, seasonal: boolean, trend: boolean): boolean {
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (!seasonal || m <= 1) {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (trend && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) return false;
    return true;
  }
  const b = trend ? beta : 0;
  const d = 1 - 1 / phi - alpha;
  if (gamma < Math.max(d, 0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - (gamma * (1 - m + phi + phi * m)) / (2 * phi * m)) return false;
  if (b < -(1 - phi) * (gamma / m + alpha)) return false;
  const degree = m + 1;
  const a = scratchFor(degree + 1);
  a[0] = 1;
  a[1] = alpha + b - phi;
  for (let i = 2; i < m; i++) a[i] = alpha + b - alpha * phi;
  a[m] = alpha + b - alpha * phi + gamma - 1;
  a[m + 1] = phi * (1 - alpha - gamma);
  if (!trend && phi === 1) {
    // Without a trend the polynomial always has the root z = 1 (the seasonal states' free sum), which R's
    // tolerance accepts: divide it out and test the other roots.
    for (let i = 1; i < degree; i++) a[i] = a[i]! + a[i - 1]!;
    return rootsInsideUnitCircle(a, degree - 1);
  }
  return rootsInsideUnitCircle(a, degree);
}

let scratch = new Float64Array(32);
function scratchFor(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(size * 2);
  return scratch;
}

/**
 * Schur–Cohn recursion on a[0]·z^N + … + a[N] (overwritten): true when all roots lie strictly inside the unit
 * circle (R accepts roots up to 1 + 1e-10 in modulus; the difference is a boundary of measure zero).
 */
function rootsInsideUnitCircle(a: Float64Array, degree: number): boolean {
  for (let k = degree; k >= 1; k--) {
    const lead = a[0]!;
    if (lead === 0) return false;
    const r = a[k]! / lead;
    if (Math.abs(r) >= 1) return false;
    for (let i = 0, j = k; i <= j; i++, j--) {
      const ai = a[i]!;
      const aj = a[j]!;
      a[i] = ai - r * aj;
      a[j] = aj - r * ai;
    }
  }
  return true;
}

/** Fits one ETS model by maximum likelihood (Nelder–Mead). Returns undefined when it cannot be fitted. */
export function fitEts(values: ArrayLike<number>, period: number, spec: EtsSpec, options: EtsFitOptions = {}): EtsModel | undefined {
  const n = values.length;
  const m = spec.season === 'N' ? 1 : period;
  if (spec.season !== 'N' && (period <= 1 || n <= period)) return undefined;
  let positive = true;
  let absSum = 0;
  for (let i = 0; i < n; i++) {
    if (!(values[i]! > 0)) positive = false;
    absSum += Math.abs(values[i]!);
  }
  if ((spec.error === 'M' || spec.season === 'M') && !positive) return undefined;
  // Work on y / scale so that every state is of order 1: the likelihood shifts by a constant, the optimiser's
  // simplex has one sensible size for parameters and states alike.
  const scale = absSum > 0 ? absSum / n : 1;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = values[i]! / scale;

  const init = initialStates(y, m, spec);
  const trend = spec.trend !== 'N';
  const damped = spec.trend === 'Ad';
  const seasonal = spec.season !== 'N';
  const optimizeSeason = seasonal && (options.optimizeSeasonalStates ?? false);
  const fixed = options.fixed ?? {};
  const kernel: Kernel = {
    y,
    n,
    m,
    multError: spec.error === 'M',
    trend,
    season: spec.season === 'N' ? 0 : spec.season === 'A' ? 1 : 2,
    ring: new Float64Array(m),
  };

  // Parameter vector: [alpha?, beta?, gamma?, phi?, level0, slope0?, season0[1..m−1]?]
  const names: string[] = [];
  const start: number[] = [];
  const steps: number[] = [];
  const alphaStart = fixed.alpha ?? LOWER + (0.2 * (UPPER - LOWER)) / m;
  if (fixed.alpha === undefined) {
    names.push('alpha');
    start.push(alphaStart);
    steps.push(0.1);
  }
  if (trend && fixed.beta === undefined) {
    names.push('beta');
    start.push(LOWER + 0.1 * (Math.min(UPPER, alphaStart) - LOWER));
    steps.push(0.05);
  }
  if (seasonal && fixed.gamma === undefined) {
    names.push('gamma');
    start.push(LOWER + 0.05 * (Math.min(UPPER, 1 - alphaStart) - LOWER));
    steps.push(0.05);
  }
  if (damped && fixed.phi === undefined) {
    names.push('phi');
    start.push(PHI_LOWER + 0.99 * (PHI_UPPER - PHI_LOWER));
    steps.push(-0.05);
  }
  const smoothingCount = start.length;
  start.push(init.level);
  steps.push(0.1 * Math.max(Math.abs(init.level), 0.1));
  if (trend) {
    start.push(init.slope);
    steps.push(0.1 * Math.max(Math.abs(init.slope), 0.01));
  }
  const stateStart = start.length;
  if (optimizeSeason) {
    for (let j = 1; j < m; j++) {
      start.push(init.season[j]!);
      steps.push(spec.season === 'M' ? 0.05 : 0.05 * Math.max(mean(init.season.map(Math.abs)), 0.01));
    }
  }

  const season0 = new Float64Array(m);
  const seasonTotal = spec.season === 'M' ? m : 0;
  const unpack = (x: ArrayLike<number>) => {
    let i = 0;
    const alpha = fixed.alpha ?? x[i++]!;
    const beta = trend ? (fixed.beta ?? x[i++]!) : 0;
    const gamma = seasonal ? (fixed.gamma ?? x[i++]!) : 0;
    const phi = damped ? (fixed.phi ?? x[i++]!) : 1;
    return { alpha, beta, gamma, phi };
  };
  const fillSeason = (x: ArrayLike<number>): boolean => {
    if (!seasonal) return true;
    if (!optimizeSeason) {
      for (let j = 0; j < m; j++) season0[j] = init.season[j]!;
      return true;
    }
    let sum = 0;
    for (let j = 1; j < m; j++) {
      season0[j] = x[stateStart + j - 1]!;
      sum += season0[j]!;
    }
    season0[0] = seasonTotal - sum;
    if (spec.season === 'M') for (let j = 0; j < m; j++) if (season0[j]! < 0) return false;
    return true;
  };
  const feasible = (p: { alpha: number; beta: number; gamma: number; phi: number }): boolean => {
    if (fixed.alpha === undefined && (p.alpha < LOWER || p.alpha > UPPER)) return false;
    if (trend && fixed.beta === undefined && (p.beta < LOWER || p.beta > p.alpha || p.beta > UPPER)) return false;
    if (damped && fixed.phi === undefined && (p.phi < PHI_LOWER || p.phi > PHI_UPPER)) return false;
    if (seasonal && fixed.gamma === undefined && (p.gamma < LOWER || p.gamma > 1 - p.alpha || p.gamma > UPPER)) return false;
    return isAdmissible(p.alpha, p.beta, p.gamma, p.phi, m, seasonal, trend);
  };
  const objective = (x: Float64Array): number => {
    const p = unpack(x);
    if (!feasible(p)) return Infinity;
    if (!fillSeason(x)) return Infinity;
    return runKernel(kernel, p.alpha, p.beta, p.gamma, p.phi, x[smoothingCount]!, trend ? x[smoothingCount + 1]! : 0, season0);
  };

  const startVector = Float64Array.from(start);
  if (!Number.isFinite(objective(startVector))) {
    // R's starting smoothing values can be inadmissible for some seasonal models; start from a safe corner.
    let i = 0;
    if (fixed.alpha === undefined) startVector[i++] = 0.2;
    if (trend && fixed.beta === undefined) startVector[i++] = 0.01;
    if (seasonal && fixed.gamma === undefined) startVector[i++] = 0.01;
  }
  const parameterCount = start.length + (seasonal && !optimizeSeason ? m - 1 : 0) + 1;
  if (parameterCount >= n - 1) return undefined;
  const tolerance = options.relativeTolerance ?? 1e-7;
  let evaluations = 0;
  if (optimizeSeason && (options.stagedSeasonalStates ?? true)) {
    // Stage 1: smoothing parameters and level/slope with the seasonal states at their decomposition values
    // (a few hundred evaluations); stage 2 below then refines every state from there.
    const full = Float64Array.from(startVector);
    const prefix = nelderMead(
      (x) => {
        full.set(x);
        return objective(full);
      },
      startVector.subarray(0, stateStart),
      { steps: steps.slice(0, stateStart), maxEvaluations: options.maxEvaluations ?? 2000, relativeTolerance: Math.max(tolerance, 1e-6) },
    );
    evaluations += prefix.evaluations;
    if (Number.isFinite(prefix.value)) startVector.set(prefix.x);
  }
  const result = nelderMead(objective, startVector, {
    steps,
    maxEvaluations: optimizeSeason ? (options.maxSeasonalEvaluations ?? 500) : (options.maxEvaluations ?? 2000),
    relativeTolerance: tolerance,
  });
  evaluations += result.evaluations;
  if (!Number.isFinite(result.value)) return undefined;
  const x = result.x;
  const p = unpack(x);
  fillSeason(x);
  const fitted = new Float64Array(n);
  const residuals = new Float64Array(n);
  const end = { level: 0, slope: 0 };
  const level0 = x[smoothingCount]!;
  const slope0 = trend ? x[smoothingCount + 1]! : 0;
  const likScaled = runKernel(kernel, p.alpha, p.beta, p.gamma, p.phi, level0, slope0, season0, { fitted, residuals, end });
  if (!Number.isFinite(likScaled)) return undefined;
  const additiveSeason = spec.season === 'A';
  const seasonScale = additiveSeason ? scale : 1;
  const seasonFor: number[] = [];
  for (let j = 0; j < m; j++) seasonFor.push(seasonal ? kernel.ring[(n + j) % m]! * seasonScale : spec.season === 'N' ? 0 : 1);
  for (let t = 0; t < n; t++) {
    fitted[t] = fitted[t]! * scale;
    if (spec.error === 'A') residuals[t] = residuals[t]! * scale;
  }
  return withFitStatistics(
    {
      spec,
      period: m,
      alpha: p.alpha,
      beta: p.beta,
      gamma: p.gamma,
      phi: p.phi,
      level: end.level * scale,
      slope: end.slope * scale,
      seasonFor,
      initial: {
        level: level0 * scale,
        slope: slope0 * scale,
        season: seasonal ? Array.from(season0, (s) => s * seasonScale) : [],
      },
      n,
      fitted,
      residuals,
      evaluations,
    },
    likScaled + 2 * n * Math.log(scale),
    parameterCount,
  );
}

type FitStatistics = 'sigma2' | 'lik' | 'aic' | 'aicc' | 'bic' | 'parameterCount';

/** Adds σ² (Σe²/(n − k + 1), k counting σ²), the likelihood and the information criteria, as R computes them. */
function withFitStatistics(model: Omit<EtsModel, FitStatistics>, lik: number, k: number): EtsModel {
  const n = model.n;
  let sse = 0;
  for (let t = 0; t < n; t++) sse += model.residuals[t]! ** 2;
  const aic = lik + 2 * k;
  return {
    ...model,
    sigma2: sse / (n - k + 1),
    lik,
    aic,
    aicc: aic + (2 * k * (k + 1)) / (n - k - 1),
    bic: lik + Math.log(n) * k,
    parameterCount: k,
  };
}

/**
 * An ETS model with given parameters and initial states (nothing estimated): runs the recursions over the series
 * and reports the fit as if those values had been estimated (for worked examples and for re-running a saved model).
 * `initial.season[k]` is the seasonal state used for observation k (k = 0..m−1).
 */
export function etsWithParameters(
  values: ArrayLike<number>,
  period: number,
  spec: EtsSpec,
  parameters: { alpha: number; beta?: number; gamma?: number; phi?: number },
  initial: { level: number; slope?: number; season?: number[] },
): EtsModel {
  const n = values.length;
  const m = spec.season === 'N' ? 1 : period;
  const trend = spec.trend !== 'N';
  const seasonal = spec.season !== 'N';
  const kernel: Kernel = {
    y: Float64Array.from(values),
    n,
    m,
    multError: spec.error === 'M',
    trend,
    season: spec.season === 'N' ? 0 : spec.season === 'A' ? 1 : 2,
    ring: new Float64Array(m),
  };
  const alpha = parameters.alpha;
  const beta = trend ? (parameters.beta ?? 0) : 0;
  const gamma = seasonal ? (parameters.gamma ?? 0) : 0;
  const phi = spec.trend === 'Ad' ? (parameters.phi ?? 1) : 1;
  const season0 = seasonal ? (initial.season ?? []) : [];
  if (seasonal && season0.length !== m) throw new Error(`${etsName(spec)} needs ${m} initial seasonal states`);
  const fitted = new Float64Array(n);
  const residuals = new Float64Array(n);
  const end = { level: 0, slope: 0 };
  const lik = runKernel(kernel, alpha, beta, gamma, phi, initial.level, initial.slope ?? 0, season0, { fitted, residuals, end });
  // As R counts: α and ℓ0, β and b0, φ, γ and m − 1 free seasonal states, and σ².
  const k = 2 + (trend ? 2 : 0) + (spec.trend === 'Ad' ? 1 : 0) + (seasonal ? m : 0) + 1;
  return withFitStatistics(
    {
      spec,
      period: m,
      alpha,
      beta,
      gamma,
      phi,
      level: end.level,
      slope: end.slope,
      seasonFor: Array.from({ length: m }, (_, j) => (seasonal ? kernel.ring[(n + j) % m]! : 0)),
      initial: { level: initial.level, slope: initial.slope ?? 0, season: season0.slice() },
      n,
      fitted,
      residuals,
      evaluations: 0,
    },
    lik,
    k,
  );
}

/** Point forecasts for h = 1..horizon (the conditional mean for classes 1 and 2, the point forecast for class 3). */
export function etsPointForecast(model: EtsModel, horizon: number): number[] {
  const result: number[] = [];
  let phiSum = 0;
  let phiPower = 1;
  for (let h = 1; h <= horizon; h++) {
    phiPower *= model.phi;
    phiSum += model.spec.trend === 'N' ? 0 : phiPower;
    const base = model.level + phiSum * model.slope;
    const s = model.seasonFor[(h - 1) % model.period]!;
    result.push(model.spec.season === 'N' ? base : model.spec.season === 'A' ? base + s : base * s);
  }
  return result;
}

/** Whether the forecast variance has a closed form (classes 1 and 2 of Hyndman et al. 2008, ch. 6). */
export function hasAnalyticVariance(spec: EtsSpec): boolean {
  return spec.season !== 'M';
}

/**
 * Forecast variances for h = 1..horizon of class 1 (additive error) and class 2 (multiplicative error, additive
 * trend and season) models: with c_j = α + β·(φ + … + φ^j) + γ·[j mod m = 0],
 * class 1: v_h = σ²(1 + Σ_{j<h} c_j²); class 2: θ_1 = μ_1², θ_h = μ_h² + σ² Σ_{j<h} c_j² θ_{h−j},
 * v_h = (1 + σ²)θ_h − μ_h².
 */
export function etsForecastVariance(model: EtsModel, horizon: number): number[] {
  if (!hasAnalyticVariance(model.spec)) throw new Error(`${etsName(model.spec)} has no closed-form forecast variance`);
  const c: number[] = [0];
  let phiSum = 0;
  let phiPower = 1;
  for (let j = 1; j < horizon; j++) {
    phiPower *= model.phi;
    phiSum += phiPower;
    const trendPart = model.spec.trend === 'N' ? 0 : model.beta * (model.spec.trend === 'A' ? j : phiSum);
    const seasonPart = model.spec.season !== 'N' && j % model.period === 0 ? model.gamma : 0;
    c.push(model.alpha + trendPart + seasonPart);
  }
  const sigma2 = model.sigma2;
  const result: number[] = [];
  if (model.spec.error === 'A') {
    let sum = 0;
    for (let h = 1; h <= horizon; h++) {
      if (h > 1) sum += c[h - 1]! ** 2;
      result.push(sigma2 * (1 + sum));
    }
    return result;
  }
  const mu = etsPointForecast(model, horizon);
  const theta: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    let value = mu[h - 1]! ** 2;
    for (let j = 1; j < h; j++) value += sigma2 * c[j]! ** 2 * theta[h - j - 1]!;
    theta.push(value);
    result.push((1 + sigma2) * value - mu[h - 1]! ** 2);
  }
  return result;
}

/**
 * Simulated future paths (paths × horizon, row-major) with Gaussian innovations of variance σ²: y = ŷ + e
 * (additive error) or y = ŷ(1 + e) (multiplicative), the state updated with each simulated value.
 */
export function etsSimulate(model: EtsModel, horizon: number, paths: number, random: RandomSource): Float64Array {
  const out = new Float64Array(paths * horizon);
  const sd = Math.sqrt(model.sigma2);
  const m = model.period;
  const ring = new Float64Array(m);
  const trend = model.spec.trend !== 'N';
  const ratio = model.beta / model.alpha;
  for (let path = 0; path < paths; path++) {
    let l = model.level;
    let b = model.slope;
    for (let j = 0; j < m; j++) ring[j] = model.seasonFor[j]!;
    for (let h = 0; h < horizon; h++) {
      const phase = h % m;
      const phib = trend ? model.phi * b : 0;
      const q = l + phib;
      const s = ring[phase]!;
      const f = model.spec.season === 'N' ? q : model.spec.season === 'A' ? q + s : q * s;
      const e = sd * random.normal();
      const y = model.spec.error === 'A' ? f + e : f * (1 + e);
      out[path * horizon + h] = y;
      const p = model.spec.season === 'N' ? y : model.spec.season === 'A' ? y - s : y / s;
      const newLevel = q + model.alpha * (p - q);
      if (trend) b = phib + ratio * (newLevel - l - phib);
      if (model.spec.season === 'A') ring[phase] = s + model.gamma * (y - q - s);
      else if (model.spec.season === 'M') ring[phase] = s + model.gamma * (y / q - s);
      l = newLevel;
    }
  }
  return out;
}

/** The model space of R's `ets(y)` (restricted, no multiplicative trend) for data that are positive or not. */
export function candidateSpecs(period: number, positive: boolean, n: number): EtsSpec[] {
  const specs: EtsSpec[] = [];
  const seasons: EtsSeason[] = period > 1 && n > period ? ['N', 'A', 'M'] : ['N'];
  for (const error of ['A', 'M'] as const) {
    if (error === 'M' && !positive) continue;
    for (const trend of ['N', 'A', 'Ad'] as const) {
      for (const season of seasons) {
        if (error === 'A' && season === 'M') continue;
        if (season === 'M' && !positive) continue;
        specs.push({ error, trend, season });
      }
    }
  }
  return specs;
}

/** Automatic ETS: every candidate fitted, the lowest AICc kept (R's `ets(y)` with its defaults). */
export function autoEts(
  values: ArrayLike<number>,
  period: number,
  options: EtsFitOptions & { specs?: EtsSpec[]; additiveOnly?: boolean } = {},
): EtsModel | undefined {
  let positive = true;
  for (let i = 0; i < values.length; i++) if (!(values[i]! > 0)) positive = false;
  // Additive models only on transformed data, as R does when lambda is given.
  const specs = options.specs ?? candidateSpecs(period, positive && !options.additiveOnly, values.length);
  let best: EtsModel | undefined;
  for (const spec of specs) {
    if (values.length <= minimumLength(spec, period) - 1) continue;
    const model = fitEts(values, period, spec, options);
    if (model && Number.isFinite(model.aicc) && (!best || model.aicc < best.aicc)) best = model;
  }
  return best;
}
