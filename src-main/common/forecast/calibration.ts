import { QUANTILE_PROBABILITIES, type ForecastDistribution } from './distribution.ts';
import { normalQuantile } from './stats.ts';

/**
 * Calibration of prediction intervals from a rolling-origin backtest on the user's own history.
 *
 * A model's interval is as wide as the model believes; the backtest shows how wide it had to be. For a backtest
 * forecast with median m and an actual y below it, the *needed factor* of the lower side of the 80 % interval is
 *   r = (m − y) / (m − P10)        (0 when y ≥ m; r ≤ 1: inside the model's own interval)
 * and likewise for the upper side with P90, and for the 95 % interval with P2.5 and P97.5. Stretching the lower
 * side by k (P10' = m − k·(m − P10)) leaves below P10' exactly the actuals with r > k, so the factor that would
 * have left 10 % of the backtest's actuals below P10 is the 90 % quantile of r: k̂ = Q_r(1 − α), α = 10 % for
 * the 80 % interval and 2.5 % for the 95 % one (empirical prediction intervals: Williams & Goodman 1971; Lee &
 * Scholtes 2014). The two sides are calibrated separately: when a forecast has run low, actuals never fall below
 * P10 and often above P90; then the upper side is widened and the lower side narrowed, and P10 (the hedged
 * volume) moves towards what the backtest supports instead of away from it.
 *
 * Shrinkage. k̂ is a tail quantile of a few dozen forecasts, so it is noisy; its logarithm is pulled towards
 * the factor of all steps together, which is itself pulled towards 0 (no change), with precision weights
 *   w = τ² / (τ² + se²),  se² = α(1 − α) / (N · (φ(z)·z)²),  z = Φ⁻¹(1 − α),
 * se² the large-sample variance of log k̂ for Gaussian errors, N the forecasts behind it (for all steps together:
 * the distinct months forecast, since forecasts of one month from several origins share its surprise), and
 * τ = PRIOR_SCALE the spread of log factors expected before any evidence. So a short history changes little,
 * and a factor never moves far on one odd month. Factors stay within FACTOR_BOUNDS.
 *
 * Each backtested step h gets its own factors (uncertainty about growth makes errors grow faster with h than a
 * model believes), estimated from the forecasts at steps h − 1, h and h + 1 (more evidence, factors that change
 * smoothly) and shrunk towards the factor of all steps; months beyond the backtest's longest step keep that
 * step's factors. Quantiles between P10 and
 * P90 move with the 80 % factor of their side, P2.5/P97.5 with the 95 % factor, P5/P95 in between (linear in
 * |z|); quantiles that would cross are put back in increasing order. The mean and the median do not move.
 */
export type SideFactors = { lower80: number; upper80: number; lower95: number; upper95: number };

export type StepCalibration = SideFactors & {
  /** Forecast step (1 = the first month after the history). */
  step: number;
  /** Backtest forecasts at this step. */
  forecasts: number;
};

/** Coverage of the backtest forecasts' intervals and the shares of actuals below P10 and above P90. */
export type CoverageCheck = { forecasts: number; coverage80: number; coverage95: number; belowP10: number; aboveP90: number };

export type IntervalCalibration = {
  /** Backtest origins and forecasts, and the distinct months they forecast. */
  origins: number;
  forecasts: number;
  months: number;
  /** Factors for steps 1…steps.length; later months use the last step's. Empty when there was no backtest. */
  steps: StepCalibration[];
  /** The backtest's intervals as the model made them. */
  before: CoverageCheck;
  /**
   * The same forecasts with calibrated intervals, each origin calibrated only on the backtest forecasts whose
   * months were already known at that origin, as the user would have had them (the first origin has none).
   */
  after: CoverageCheck;
};

/** One backtest forecast: origin (observations seen), step h (1-based), actual, quantiles at QUANTILE_PROBABILITIES. */
export type CalibrationSample = { origin: number; h: number; actual: number; quantiles: ArrayLike<number> };

export type CalibrationOptions = { priorScale?: number; sides?: 'separate' | 'symmetric'; perStep?: boolean };

/**
 * τ: the spread of log factors expected before evidence (factors ×0.78…×1.28 within one τ). Chosen on M3 monthly
 * training data (docs/benchmarks.md, "Calibration on a backtest"): 0.25 did the least harm where a model's
 * intervals were already about right, and still corrects the demo's one-sided misses.
 */
export const PRIOR_SCALE = 0.25;
/** An applied factor never narrows a side to less than half nor widens it more than 4 ×. */
export const FACTOR_BOUNDS = { min: 0.5, max: 4 } as const;

const P = QUANTILE_PROBABILITIES;
const MEDIAN = P.indexOf(0.5);
type Side = 'lower' | 'upper';
type Level = 80 | 95;
const TAIL: Record<Level, { alpha: number; lower: number; upper: number; z: number }> = {
  80: { alpha: 0.1, lower: P.indexOf(0.1), upper: P.indexOf(0.9), z: normalQuantile(0.9) },
  95: { alpha: 0.025, lower: P.indexOf(0.025), upper: P.indexOf(0.975), z: normalQuantile(0.975) },
};
const KEYS = [
  ['lower', 80, 'lower80'],
  ['upper', 80, 'upper80'],
  ['lower', 95, 'lower95'],
  ['upper', 95, 'upper95'],
] as const;

const UNCHANGED: SideFactors = { lower80: 1, upper80: 1, lower95: 1, upper95: 1 };

/**
 * How far one side of an interval had to be stretched around the median to contain the actual: 0 when the actual
 * lies on the other side of the median, Infinity when that side has no width but the actual is beyond it.
 */
export function neededFactor(actual: number, quantiles: ArrayLike<number>, side: Side, level: Level): number {
  const median = quantiles[MEDIAN]!;
  const beyond = side === 'lower' ? median - actual : actual - median;
  if (!(beyond > 0)) return 0;
  const half = side === 'lower' ? median - quantiles[TAIL[level].lower]! : quantiles[TAIL[level].upper]! - median;
  return half > 0 ? beyond / half : Number.POSITIVE_INFINITY;
}

/** Needed factor of the two sides together (the side the actual fell on), for symmetric calibration. */
function neededSymmetric(actual: number, quantiles: ArrayLike<number>, level: Level): number {
  return Math.max(neededFactor(actual, quantiles, 'lower', level), neededFactor(actual, quantiles, 'upper', level));
}

/** Precision weight of a factor estimated from `count` forecasts (see the module comment). */
export function shrinkageWeight(count: number, level: Level, options: { priorScale?: number; symmetric?: boolean } = {}): number {
  if (!(count > 0)) return 0;
  const tau = options.priorScale ?? PRIOR_SCALE;
  const { alpha, z } = TAIL[level];
  const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  // Symmetric: the (1 − 2α) quantile of |z|, whose density is 2φ.
  const se2 = options.symmetric ? (2 * alpha * (1 - 2 * alpha)) / (count * (2 * density * z) ** 2) : (alpha * (1 - alpha)) / (count * (density * z) ** 2);
  return (tau * tau) / (tau * tau + se2);
}

function clampLog(factor: number): number {
  if (!(factor > FACTOR_BOUNDS.min)) return Math.log(FACTOR_BOUNDS.min);
  if (!(factor < FACTOR_BOUNDS.max)) return Math.log(FACTOR_BOUNDS.max);
  return Math.log(factor);
}

/**
 * The raw factor of one side and level: the (1 − α) quantile of the needed factors (the L quantile when
 * symmetric) at the conformal rank ⌈p(N + 1)⌉ (Vovk et al. 2005: the next forecast then falls within the stretched
 * side with probability at least p when forecasts are exchangeable; the plain sample quantile would fall short on
 * few). A backtest of too few months for that rank at its effective size (`months`: fewer than 9 for a 10 %
 * tail, 39 for a 2.5 % one) cannot show that a side is too wide: it may widen it (its largest miss) but never
 * narrow it.
 */
function rawFactor(samples: CalibrationSample[], side: Side, level: Level, symmetric: boolean, months: number): number {
  const needed = Float64Array.from(samples, (s) => (symmetric ? neededSymmetric(s.actual, s.quantiles, level) : neededFactor(s.actual, s.quantiles, side, level))).sort();
  const p = symmetric ? level / 100 : 1 - TAIL[level].alpha;
  const value = needed[Math.min(Math.ceil(p * (needed.length + 1)), needed.length) - 1]!;
  return Math.ceil(p * (months + 1)) <= months ? value : Math.max(1, value);
}

/** Estimates per-step interval factors from backtest forecasts (see the module comment). */
export function estimateCalibration(samples: CalibrationSample[], options: CalibrationOptions = {}): StepCalibration[] {
  if (samples.length === 0) return [];
  const symmetric = options.sides === 'symmetric';
  const months = new Set(samples.map((s) => s.origin + s.h)).size;
  const pooled = {} as SideFactors;
  for (const [side, level, key] of KEYS) {
    const w = shrinkageWeight(months, level, { priorScale: options.priorScale, symmetric });
    pooled[key] = w * clampLog(rawFactor(samples, side, level, symmetric, months));
  }
  const maxStep = Math.max(...samples.map((s) => s.h));
  const steps: StepCalibration[] = [];
  for (let step = 1; step <= maxStep; step++) {
    // The step and its neighbours: three times the evidence, and factors that change smoothly with the step.
    const near = samples.filter((s) => Math.abs(s.h - step) <= 1);
    const count = new Set(near.map((s) => s.origin + s.h)).size;
    const result = { step, forecasts: samples.filter((s) => s.h === step).length } as StepCalibration;
    for (const [side, level, key] of KEYS) {
      const w = options.perStep === false ? 0 : shrinkageWeight(count, level, { priorScale: options.priorScale, symmetric });
      result[key] = Math.exp(w * clampLog(rawFactor(near, side, level, symmetric, count)) + (1 - w) * pooled[key]);
    }
    steps.push(result);
  }
  return steps;
}

/** The factors for forecast step h (1-based): the step's own, or the last backtested step's beyond it. */
export function factorsAtStep(steps: readonly SideFactors[], h: number): SideFactors {
  if (steps.length === 0) return UNCHANGED;
  return steps[Math.min(h, steps.length) - 1]!;
}

/** The factor at probability p on its side: 80 % factor within P10…P90, 95 % beyond P2.5/P97.5, linear in |z| between. */
export function factorAt(factors: SideFactors, p: number): number {
  const lower = p < 0.5;
  const f80 = lower ? factors.lower80 : factors.upper80;
  const f95 = lower ? factors.lower95 : factors.upper95;
  const z = Math.abs(normalQuantile(p));
  if (z <= TAIL[80].z) return f80;
  if (z >= TAIL[95].z) return f95;
  return f80 + ((z - TAIL[80].z) / (TAIL[95].z - TAIL[80].z)) * (f95 - f80);
}

/**
 * One set of quantiles (at QUANTILE_PROBABILITIES) with its sides stretched by `factors`. Beyond P10 and P90 a
 * side's tail is kept at least as long as a Gaussian one from the calibrated P10/P90 (distance × z_p / z_0.9): a
 * backtest of a few dozen forecasts can show that the 80 % interval must widen, not that the tail beyond it is
 * thinner than normal, and the quantiles stay in order.
 */
export function calibrateQuantiles(quantiles: ArrayLike<number>, factors: SideFactors): number[] {
  const median = quantiles[MEDIAN]!;
  const out = P.map((p, k) => median + factorAt(factors, p) * (quantiles[k]! - median));
  const z80 = TAIL[80].z;
  for (const [edge, step] of [
    [TAIL[80].lower, -1],
    [TAIL[80].upper, 1],
  ] as const) {
    const distance = Math.abs(out[edge]! - median);
    for (let k = edge + step; k >= 0 && k < P.length; k += step) {
      const floor = (distance * Math.abs(normalQuantile(P[k]!))) / z80;
      if (Math.abs(out[k]! - median) < floor) out[k] = median + step * floor;
    }
  }
  return out.sort((a, b) => a - b);
}

/** A forecast distribution with each step's intervals calibrated; the mean and the median stay. */
export function applyCalibration(d: ForecastDistribution, steps: readonly SideFactors[]): ForecastDistribution {
  if (steps.length === 0) return d;
  const horizon = d.mean.length;
  const quantiles = P.map(() => new Array<number>(horizon));
  for (let h = 0; h < horizon; h++) {
    const column = calibrateQuantiles(
      d.quantiles.map((q) => q[h]!),
      factorsAtStep(steps, h + 1),
    );
    column.forEach((v, k) => {
      quantiles[k]![h] = v;
    });
  }
  return { mean: d.mean.slice(), quantiles };
}

/** Coverage of forecasts' 80 % and 95 % intervals and the shares below P10 and above P90. */
export function coverageCheck(samples: { actual: number; quantiles: ArrayLike<number> }[]): CoverageCheck {
  const n = samples.length;
  if (n === 0) return { forecasts: 0, coverage80: Number.NaN, coverage95: Number.NaN, belowP10: Number.NaN, aboveP90: Number.NaN };
  let in80 = 0;
  let in95 = 0;
  let below = 0;
  let above = 0;
  for (const { actual: y, quantiles: q } of samples) {
    if (y >= q[TAIL[80].lower]! && y <= q[TAIL[80].upper]!) in80++;
    if (y >= q[TAIL[95].lower]! && y <= q[TAIL[95].upper]!) in95++;
    if (y < q[TAIL[80].lower]!) below++;
    if (y > q[TAIL[80].upper]!) above++;
  }
  return { forecasts: n, coverage80: in80 / n, coverage95: in95 / n, belowP10: below / n, aboveP90: above / n };
}

/**
 * The calibration of a backtest: factors from all its forecasts, the coverage before, and the coverage after
 * checked without hindsight — each origin's forecasts calibrated only on the forecasts of months before it.
 */
export function calibrateFromBacktest(samples: CalibrationSample[], options: CalibrationOptions = {}): IntervalCalibration {
  const origins = new Set(samples.map((s) => s.origin));
  const checked: { actual: number; quantiles: number[] }[] = [];
  for (const origin of origins) {
    const steps = estimateCalibration(
      samples.filter((s) => s.origin + s.h <= origin),
      options,
    );
    for (const s of samples) {
      if (s.origin === origin) checked.push({ actual: s.actual, quantiles: calibrateQuantiles(s.quantiles, factorsAtStep(steps, s.h)) });
    }
  }
  return {
    origins: origins.size,
    forecasts: samples.length,
    months: new Set(samples.map((s) => s.origin + s.h)).size,
    steps: estimateCalibration(samples, options),
    before: coverageCheck(samples),
    after: coverageCheck(checked),
  };
}

const times = (x: number) => `×${x.toFixed(2)}`;

/**
 * The factors in words, e.g. "80 % interval: upper side ×1.49, lower ×0.55 at 1 month; … ×2.18 / ×0.80 at 6
 * months and beyond". Steps whose factors round alike are reported once.
 */
export function describeFactors(steps: readonly StepCalibration[]): string {
  if (steps.length === 0) return 'unchanged';
  const last = steps[steps.length - 1]!;
  const unchanged = (f: SideFactors) => [f.lower80, f.upper80, f.lower95, f.upper95].every((x) => Math.abs(x - 1) < 0.005);
  if (steps.every(unchanged)) return 'left unchanged (the backtest supports the model’s own intervals)';
  const picks = [...new Set([1, Math.ceil(steps.length / 2), steps.length])].map((h) => steps[h - 1]!);
  const phrase = (f: StepCalibration) =>
    `${f.step} month${f.step > 1 ? 's' : ''}${f === last ? ' and beyond' : ''}: upper side ${times(f.upper80)}, lower side ${times(f.lower80)} (95 %: ${times(f.upper95)} / ${times(f.lower95)})`;
  return `80 % interval stretched around the median at ${picks.map(phrase).join('; ')}`;
}
