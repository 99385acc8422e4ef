import { addMonths, monthsBetween, type IsoMonth } from '../time/iso-date.ts';
import { backtestOrigins, rollingOriginRun, type Backtest, type BacktestRun } from './backtest.ts';
import { applyCalibration, calibrateFromBacktest, describeFactors, type IntervalCalibration } from './calibration.ts';
import { distributionQuantile, QUANTILE_PROBABILITIES, type ForecastDistribution } from './distribution.ts';
import { forecastSeries, type ForecastMethod, type TransformKind } from './methods.ts';
import { reconcileTwoLevel } from './reconcile.ts';
import { seededRandom } from '../math/random.ts';
import { normalQuantile, quantileSorted } from './stats.ts';

/**
 * Forecasts of an organisation's token volume, price per million tokens and spend, per exposure segment, from
 * its monthly usage history. Volumes are forecast with the engine's methods; the price per million tokens comes
 * from the history (the last month's effective price, with the uncertainty of a random walk on its logarithm) or
 * from a path the user sets; spend = volume × price, simulated. Segments of one dimension are reconciled with the
 * total (see reconcile.ts). Amounts are estimates, computed in floating point and rounded once to whole tokens and
 * whole micros when they leave this module.
 */
export const SEGMENT_DIMENSIONS = ['provider', 'model', 'token_kind', 'cost_centre'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];
/** A group of usage whose cost is exposed to one price: the total, or one value of one dimension. */
export type ExposureSegment = { dimension: 'total'; value: null } | { dimension: SegmentDimension; value: string };

export function segmentLabel(segment: ExposureSegment): string {
  return segment.dimension === 'total' ? 'Total' : `${segment.dimension.replace('_', ' ')}: ${segment.value}`;
}

/**
 * One month of a segment's usage: tokens, their cost in the base currency, and the tokens of the lines that have a
 * base-currency cost (lines still waiting for an FX rate count in volume but not in the price).
 */
export type UsageMonth = { month: IsoMonth; tokens: number; costBaseMicros: number; pricedTokens: number };

/** A planned launch: adds `tokensPerMonth` from `fromMonth`, ramping up linearly over `rampMonths` (≥ 1) months. */
export type LaunchOverlay = { kind: 'launch'; label: string; fromMonth: IsoMonth; tokensPerMonth: number; rampMonths: number };
/** A provider price change: the price per million tokens moves by `percent` (−20 = a 20 % cut) from `fromMonth`. */
export type PriceChangeOverlay = { kind: 'price-change'; label: string; fromMonth: IsoMonth; percent: number };
export type ForecastOverlay = LaunchOverlay | PriceChangeOverlay;

/** Where the price per million tokens comes from: the history, or steps the user sets (each until the next). */
export type PricePath = { kind: 'history' } | { kind: 'fixed'; steps: { fromMonth: IsoMonth; pricePerMTokMicros: number }[] };

export type TokenForecastSettings = {
  method: ForecastMethod;
  horizon: number;
  seed: number;
  overlays: ForecastOverlay[];
  pricePath: PricePath;
  transform?: TransformKind;
};

/** Mean and quantiles of one forecast quantity for one month: p10 is the 10 % quantile (P10), p025 the 2.5 %. */
export type QuantileSet = {
  mean: number;
  p025: number;
  p05: number;
  p10: number;
  p20: number;
  p25: number;
  p30: number;
  p40: number;
  p50: number;
  p60: number;
  p70: number;
  p75: number;
  p80: number;
  p90: number;
  p95: number;
  p975: number;
};
export const QUANTILE_KEYS = ['p025', 'p05', 'p10', 'p20', 'p25', 'p30', 'p40', 'p50', 'p60', 'p70', 'p75', 'p80', 'p90', 'p95', 'p975'] as const;
export type QuantileKey = (typeof QUANTILE_KEYS)[number];

export type ForecastMonth = { month: IsoMonth; tokens: QuantileSet; pricePerMTokMicros: QuantileSet; spendMicros: QuantileSet };

export type SegmentForecast = {
  segment: ExposureSegment;
  method: ForecastMethod;
  /** The model(s) behind the volume forecast, e.g. "ETS(M,A,N) + Theta". */
  model: string;
  /** The history the forecast used (leading months without usage left out). */
  history: UsageMonth[];
  months: ForecastMonth[];
  backtest: { tokens: Backtest; spend: Backtest };
  /** How the volume and spend intervals were calibrated on the backtest, and what the price uncertainty holds. */
  calibration: ForecastCalibration;
  /** How the segment was made coherent with its siblings and the total. */
  reconciliation: string;
  notes: string[];
};

const SPEND_DRAWS = 4000;

/**
 * How far to trust the intervals: the calibration of volume and spend on the segment's own backtest (null: no
 * backtest, the intervals are the model's), the makings of the price uncertainty, and one paragraph for people.
 */
export type ForecastCalibration = {
  tokens: IntervalCalibration | null;
  spend: IntervalCalibration | null;
  price: PriceUncertainty;
  summary: string;
};

/** Leading months without tokens removed: a segment exists from its first usage. */
export function trimLeadingZeros(history: UsageMonth[]): UsageMonth[] {
  const first = history.findIndex((m) => m.tokens > 0);
  return first < 0 ? [] : history.slice(first);
}

type SeriesResult = {
  volume: ForecastDistribution;
  model: string;
  notes: string[];
  history: UsageMonth[];
};

function volumeForecast(history: UsageMonth[], settings: TokenForecastSettings, horizon: number): SeriesResult {
  const trimmed = trimLeadingZeros(history);
  if (trimmed.length === 0) {
    const zeros = new Array<number>(horizon).fill(0);
    return { volume: { mean: zeros, quantiles: QUANTILE_PROBABILITIES.map(() => zeros.slice()) }, model: 'no usage', notes: ['no usage in the history'], history: [] };
  }
  const f = forecastSeries({
    values: trimmed.map((m) => m.tokens),
    period: 12,
    horizon,
    method: settings.method,
    seed: settings.seed,
    ...(settings.transform ? { transform: settings.transform } : {}),
  });
  // Token volumes cannot be negative: clip the forecast at zero.
  const clip = (v: number) => Math.max(0, v);
  return { volume: { mean: f.mean.map(clip), quantiles: f.quantiles.map((q) => q.map(clip)) }, model: f.model, notes: f.notes, history: trimmed };
}

/** Variance implied by the 80 % interval of a distribution, for reconciliation weights. */
function varianceOf(d: ForecastDistribution): number[] {
  const lo = d.quantiles[QUANTILE_PROBABILITIES.indexOf(0.1)]!;
  const hi = d.quantiles[QUANTILE_PROBABILITIES.indexOf(0.9)]!;
  return lo.map((l, h) => ((hi[h]! - l) / (2 * 1.2815515655446004)) ** 2);
}

function shift(d: ForecastDistribution, target: number[]): ForecastDistribution {
  const delta = target.map((t, h) => t - d.mean[h]!);
  return { mean: target.map((t) => Math.max(0, t)), quantiles: d.quantiles.map((q) => q.map((v, h) => Math.max(0, v + delta[h]!))) };
}

/** Effective price per million tokens of a month (base-currency micros), or undefined without priced tokens. */
function monthPrice(m: UsageMonth): number | undefined {
  return m.pricedTokens > 0 ? (m.costBaseMicros * 1e6) / m.pricedTokens : undefined;
}

/**
 * The price per million tokens of one future month: lognormal around `median` with log-scale `sigma`, or, when the
 * history had price-level shifts, the sorted simulated `draws` (SPEND_DRAWS of them).
 */
type PriceMonth = { median: number; sigma: number; draws?: Float64Array };

/**
 * What the price uncertainty is made of: the typical month-to-month move (robust scale of the monthly log-price
 * changes) and the price-level shifts seen in the history (changes further than SHIFT_THRESHOLD robust scales from
 * the typical one, and at least MIN_SHIFT: provider price cuts, a new model taking over the mix).
 */
export type PriceUncertainty = {
  source: 'history' | 'user path';
  /** Monthly log-price changes in the history. */
  changes: number;
  /** Robust scale of the typical monthly move (0.023 = 2.3 %). */
  monthlyMove: number;
  /** Price-level shifts in the history, as relative changes (−0.2 = a 20 % cut), oldest first. */
  shifts: number[];
};

/** A change this many robust scales away from the median change is a price-level shift. */
const SHIFT_THRESHOLD = 3;
/** …and at least this large (2 % in log terms): smaller moves are part of the typical monthly noise. */
const MIN_SHIFT = 0.02;

/**
 * Price per million tokens for each future month. From the history: the last month's effective price, with the
 * typical monthly move as a random walk on its logarithm (σ√h, σ the robust (median absolute deviation) scale of
 * the monthly log-price changes) and the price-level shifts of the history repeating at the rate they occurred
 * (each month one of them, drawn from those seen, with probability shifts / changes: a compound-jump model, so a
 * history with price cuts gives intervals that include the next one). Without shifts in the history the price is
 * lognormal exactly. From a user path: that price exactly. Price-change overlays then scale it.
 */
function priceForecast(
  history: UsageMonth[],
  settings: TokenForecastSettings,
  firstMonth: IsoMonth,
  horizon: number,
  notes: string[],
): { months: PriceMonth[]; uncertainty: PriceUncertainty } {
  const factors = Array.from({ length: horizon }, (_, h) => {
    const month = addMonths(firstMonth, h);
    let factor = 1;
    for (const o of settings.overlays) if (o.kind === 'price-change' && monthsBetween(o.fromMonth, month) >= 0) factor *= 1 + o.percent / 100;
    return factor;
  });
  if (settings.pricePath.kind === 'fixed') {
    const steps = settings.pricePath.steps.slice().sort((a, b) => monthsBetween(b.fromMonth, a.fromMonth));
    const months = Array.from({ length: horizon }, (_, h) => {
      const month = addMonths(firstMonth, h);
      let price = steps[0]?.pricePerMTokMicros ?? 0;
      for (const step of steps) if (monthsBetween(step.fromMonth, month) >= 0) price = step.pricePerMTokMicros;
      const value = price * factors[h]!;
      return { median: value, sigma: 0 };
    });
    return { months, uncertainty: { source: 'user path', changes: 0, monthlyMove: 0, shifts: [] } };
  }
  const prices = history.map(monthPrice).filter((p): p is number => p !== undefined && p > 0);
  if (prices.length === 0) {
    notes.push('no priced usage in the history: spend is forecast as zero; set a price path');
    return { months: Array.from({ length: horizon }, () => ({ median: 0, sigma: 0 })), uncertainty: { source: 'history', changes: 0, monthlyMove: 0, shifts: [] } };
  }
  const changes = prices.slice(1).map((p, i) => Math.log(p / prices[i]!));
  const sigma = changes.length >= 3 ? robustScale(changes) : 0;
  const typical = changes.length >= 3 ? quantileSorted(changes.slice().sort((a, b) => a - b), 0.5) : 0;
  const shifts = changes.length >= 3 ? changes.filter((c) => Math.abs(c - typical) > Math.max(SHIFT_THRESHOLD * sigma, MIN_SHIFT)) : [];
  const last = prices[prices.length - 1]!;
  const uncertainty: PriceUncertainty = { source: 'history', changes: changes.length, monthlyMove: sigma, shifts: shifts.map((c) => Math.exp(c) - 1) };
  if (shifts.length === 0) {
    return { months: Array.from({ length: horizon }, (_, h) => ({ median: last * factors[h]!, sigma: sigma * Math.sqrt(h + 1) })), uncertainty };
  }
  // Paths of the log price: each month a Gaussian move and, with probability shifts / changes, one of the
  // shifts seen. Seeded, so the same history gives the same quantiles.
  const rate = shifts.length / changes.length;
  const random = seededRandom(settings.seed + 7919);
  const draws = Array.from({ length: horizon }, () => new Float64Array(SPEND_DRAWS));
  for (let d = 0; d < SPEND_DRAWS; d++) {
    let x = 0;
    for (let h = 0; h < horizon; h++) {
      x += sigma * random.normal();
      if (random.uniform() < rate) x += shifts[Math.min(shifts.length - 1, Math.floor(random.uniform() * shifts.length))]!;
      draws[h]![d] = last * factors[h]! * Math.exp(x);
    }
  }
  return {
    months: draws.map((column, h) => ({ median: last * factors[h]!, sigma: sigma * Math.sqrt(h + 1), draws: column.sort() })),
    uncertainty,
  };
}

function robustScale(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const median = quantileSorted(sorted, 0.5);
  const deviations = values.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  return 1.482602218505602 * quantileSorted(deviations, 0.5);
}

/** The price of stratum j of SPEND_DRAWS (its (j + ½)/SPEND_DRAWS quantile). */
function priceOfStratum(price: PriceMonth, j: number): number {
  if (price.draws) return price.draws[j]!;
  return price.sigma > 0 ? price.median * Math.exp(price.sigma * normalQuantile((j + 0.5) / SPEND_DRAWS)) : price.median;
}

/** Spend = volume × price at each month by stratified simulation (independent draws of the two). */
function spendDistribution(volume: ForecastDistribution, price: PriceMonth[], seed: number): ForecastDistribution {
  const horizon = volume.mean.length;
  const random = seededRandom(seed);
  const mean: number[] = [];
  const quantiles = QUANTILE_PROBABILITIES.map(() => new Array<number>(horizon));
  const products = new Float64Array(SPEND_DRAWS);
  const order = Array.from({ length: SPEND_DRAWS }, (_, i) => i);
  for (let h = 0; h < horizon; h++) {
    const volumeAt = distributionQuantile(volume, h);
    // Pair the strata of volume with a shuffled order of the strata of price (Latin hypercube sampling).
    for (let i = SPEND_DRAWS - 1; i > 0; i--) {
      const j = Math.floor(random.uniform() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let sum = 0;
    for (let i = 0; i < SPEND_DRAWS; i++) {
      const v = Math.max(0, volumeAt((i + 0.5) / SPEND_DRAWS));
      const p = priceOfStratum(price[h]!, order[i]!);
      products[i] = (v * p) / 1e6;
      sum += products[i]!;
    }
    products.sort();
    mean.push(sum / SPEND_DRAWS);
    QUANTILE_PROBABILITIES.forEach((p, k) => {
      quantiles[k]![h] = quantileSorted(products, p);
    });
  }
  return { mean, quantiles };
}

function priceDistribution(price: PriceMonth[]): ForecastDistribution {
  return {
    mean: price.map((p) => (p.draws ? p.draws.reduce((a, b) => a + b, 0) / p.draws.length : p.median * Math.exp((p.sigma * p.sigma) / 2))),
    quantiles: QUANTILE_PROBABILITIES.map((q) => price.map((p) => (p.draws ? quantileSorted(p.draws, q) : p.median * Math.exp(p.sigma * normalQuantile(q))))),
  };
}

function launchTokens(overlays: ForecastOverlay[], month: IsoMonth): number {
  let added = 0;
  for (const o of overlays) {
    if (o.kind !== 'launch') continue;
    const k = monthsBetween(o.fromMonth, month);
    if (k < 0) continue;
    const ramp = Math.max(1, Math.round(o.rampMonths));
    added += (o.tokensPerMonth * Math.min(k + 1, ramp)) / ramp;
  }
  return added;
}

function toQuantileSet(d: ForecastDistribution, h: number): QuantileSet {
  const set = { mean: Math.round(d.mean[h]!) } as QuantileSet;
  QUANTILE_KEYS.forEach((key, k) => {
    set[key] = Math.round(d.quantiles[k]![h]!);
  });
  return set;
}

/**
 * The forecast of one segment. `siblings` are the histories of every value of the segment's dimension (the
 * segment among them) and `total` the history of all usage; for the total segment, `siblings` are the values of
 * the dimension it is reconciled with (providers). `lastMonth` is the last complete month of history.
 */
export type SegmentForecastInput = {
  segment: ExposureSegment;
  total: UsageMonth[];
  siblings: { value: string; history: UsageMonth[] }[];
  reconcileWith: SegmentDimension;
  lastMonth: IsoMonth;
  settings: TokenForecastSettings;
  backtest?: boolean;
};

export function forecastSegment(input: SegmentForecastInput): SegmentForecast {
  const steps = forecastSegmentSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** How far a segment forecast has come: `done` of `total` units of work (one series forecast each). */
export type ForecastProgress = { done: number; total: number; message: string };

/**
 * The segment forecast of `forecastSegment`, one unit of work at a time: it yields after each series forecast and
 * each backtest origin, so a caller can report progress, let other work run and stop early.
 */
export function* forecastSegmentSteps(input: SegmentForecastInput): Generator<ForecastProgress, SegmentForecast, void> {
  const { settings, segment } = input;
  const horizon = settings.horizon;
  const firstMonth = addMonths(input.lastMonth, 1);
  const notes: string[] = [];
  const target = segment.dimension === 'total' ? undefined : input.siblings.find((s) => s.value === segment.value);
  if (segment.dimension !== 'total' && !target) throw new Error(`no usage for ${segmentLabel(segment)}`);
  const targetHistory = trimLeadingZeros(target ? target.history : input.total);
  if (targetHistory.length === 0) throw new Error(`no usage for ${segmentLabel(segment)}`);

  const origins = input.backtest === false ? [] : backtestOrigins(targetHistory.length, backtestOptions(settings));
  const progress = { done: 0, total: input.siblings.length + 2 + origins.length, message: '' };
  const next = (message: string): ForecastProgress => ({ ...progress, done: ++progress.done, message });
  const totalResult = volumeForecast(input.total, settings, horizon);
  yield next('Forecast the total');
  const siblingResults: SeriesResult[] = [];
  for (const s of input.siblings) {
    siblingResults.push(volumeForecast(s.history, settings, horizon));
    yield next(`Forecast ${input.reconcileWith.replace('_', ' ')} ${s.value}`);
  }
  const reconciledVolume = reconcileTwoLevel(
    { mean: totalResult.volume.mean, variance: varianceOf(totalResult.volume) },
    siblingResults.map((r) => ({ mean: r.volume.mean, variance: varianceOf(r.volume) })),
  );
  const index = target ? input.siblings.indexOf(target) : -1;
  const own = index >= 0 ? siblingResults[index]! : totalResult;
  notes.push(...own.notes);
  let volume = shift(own.volume, index >= 0 ? reconciledVolume.segments[index]! : reconciledVolume.total);

  // Spend of every member of the hierarchy (each with its own price), reconciled the same way.
  // Price notes of the other members are not the segment's concern: they are dropped.
  const spendOf = (history: UsageMonth[], v: ForecastDistribution) =>
    spendDistribution(v, priceForecast(trimLeadingZeros(history), { ...settings, overlays: [] }, firstMonth, horizon, []).months, settings.seed);
  const totalSpend = spendOf(input.total, totalResult.volume);
  const siblingSpend = input.siblings.map((s, i) => spendOf(s.history, siblingResults[i]!.volume));
  const reconciledSpend = reconcileTwoLevel(
    { mean: totalSpend.mean, variance: varianceOf(totalSpend) },
    siblingSpend.map((d) => ({ mean: d.mean, variance: varianceOf(d) })),
  );

  // The segment's own price (with the user's path and overlays) and the spend it implies.
  const priceNotes: string[] = [];
  const { months: price, uncertainty: priceUncertainty } = priceForecast(targetHistory, settings, firstMonth, horizon, priceNotes);
  notes.push(...priceNotes);
  const hasOverlays = settings.overlays.length > 0 || settings.pricePath.kind === 'fixed';
  const launches = Array.from({ length: horizon }, (_, h) => launchTokens(settings.overlays, addMonths(firstMonth, h)));
  const withLaunches = (d: ForecastDistribution): ForecastDistribution =>
    launches.some((a) => a > 0) ? { mean: d.mean.map((v, h) => v + launches[h]!), quantiles: d.quantiles.map((q) => q.map((v, h) => v + launches[h]!)) } : d;
  let spend: ForecastDistribution;
  if (hasOverlays) {
    spend = spendDistribution(withLaunches(volume), price, settings.seed);
  } else {
    const own = index >= 0 ? siblingSpend[index]! : totalSpend;
    spend = shift(own, index >= 0 ? reconciledSpend.segments[index]! : reconciledSpend.total);
  }
  const priceDist = priceDistribution(price);

  const reconciliation =
    `${segment.dimension === 'total' ? 'Total' : 'Segment'} reconciled with the total and the ${input.siblings.length} ` +
    `${input.reconcileWith.replace('_', ' ')} segments by variance-weighted least squares (diagonal MinT) on the means of volume and spend; ` +
    `each interval moves with its mean.` +
    (hasOverlays ? ' Overlays and price paths apply to this segment only, after reconciliation.' : '');

  yield next('Forecast price and spend');
  let runs: { tokens: BacktestRun; spend: BacktestRun } | undefined;
  if (input.backtest !== false) {
    const backtester = segmentBacktester(targetHistory, settings);
    for (const { origin, steps } of origins) {
      backtester.volumeAt(origin, steps);
      yield next(`Backtest from ${targetHistory[origin - 1]!.month}`);
    }
    runs = backtester.runs();
  }
  const backtest = runs ? { tokens: runs.tokens.backtest, spend: runs.spend.backtest } : { tokens: unavailable('not requested'), spend: unavailable('not requested') };

  // Calibrate volume and spend intervals on the backtest (launches are known amounts: added after).
  const tokensCalibration = runs && runs.tokens.samples.length > 0 ? calibrateFromBacktest(runs.tokens.samples) : null;
  const spendCalibration = runs && runs.spend.samples.length > 0 ? calibrateFromBacktest(runs.spend.samples) : null;
  if (tokensCalibration) volume = clipAtZero(applyCalibration(volume, tokensCalibration.steps));
  volume = withLaunches(volume);
  if (spendCalibration) spend = clipAtZero(applyCalibration(spend, spendCalibration.steps));
  const calibration: ForecastCalibration = {
    tokens: tokensCalibration,
    spend: spendCalibration,
    price: priceUncertainty,
    summary: describeCalibration(tokensCalibration, spendCalibration, priceUncertainty, runs ? undefined : 'the backtest was not run (quick view)'),
  };

  return {
    segment,
    method: settings.method,
    model: own.model,
    history: targetHistory,
    months: Array.from({ length: horizon }, (_, h) => ({
      month: addMonths(firstMonth, h),
      tokens: toQuantileSet(volume, h),
      pricePerMTokMicros: toQuantileSet(priceDist, h),
      spendMicros: toQuantileSet(spend, h),
    })),
    backtest,
    calibration,
    reconciliation,
    notes,
  };
}

function clipAtZero(d: ForecastDistribution): ForecastDistribution {
  return { mean: d.mean.map((v) => Math.max(0, v)), quantiles: d.quantiles.map((q) => q.map((v) => Math.max(0, v))) };
}

function unavailable(reason: string): Backtest {
  return { available: false, reason };
}

/** The backtest's settings: the last 12 months as origins (each after at least 12), up to 6 months ahead. */
function backtestOptions(settings: TokenForecastSettings): { origins: number; horizon: number; minimumTraining: number } {
  return { origins: 12, horizon: Math.min(6, settings.horizon), minimumTraining: 12 };
}

/**
 * Rolling-origin backtest of the segment's own (unreconciled) volume and spend forecasts, horizon up to 6 months:
 * `volumeAt` forecasts (and keeps) the volume from one origin, `runs` then runs both backtests.
 */
function segmentBacktester(history: UsageMonth[], settings: TokenForecastSettings) {
  const tokens = history.map((m) => m.tokens);
  const spend = history.map((m) => m.costBaseMicros);
  const options = backtestOptions(settings);
  const cache = new Map<number, ForecastDistribution>();
  const volumeAt = (length: number, steps: number): ForecastDistribution => {
    const key = length * 100 + steps;
    let d = cache.get(key);
    if (!d) {
      d = volumeForecast(history.slice(0, length), { ...settings, overlays: [] }, steps).volume;
      cache.set(key, d);
    }
    return d;
  };
  const runs = () => ({
    tokens: rollingOriginRun(tokens, 12, (training, steps) => volumeAt(training.length, steps), options),
    spend: rollingOriginRun(
      spend,
      12,
      (training, steps) => {
        const past = history.slice(0, training.length);
        const price = priceForecast(past, { ...settings, overlays: [], pricePath: { kind: 'history' } }, addMonths(past[past.length - 1]!.month, 1), steps, []).months;
        return spendDistribution(volumeAt(training.length, steps), price, settings.seed);
      },
      options,
    ),
  });
  return { volumeAt, runs };
}

/** The rolling-origin backtests (with their forecasts) of one segment's history, as `forecastSegment` runs them. */
export function backtestSegmentRuns(history: UsageMonth[], settings: TokenForecastSettings): { tokens: BacktestRun; spend: BacktestRun } {
  return segmentBacktester(history, settings).runs();
}

const percent = (x: number) => `${Math.round(x * 100)} %`;

/** One paragraph on how the intervals were calibrated, for the Forecast page, the CLI and saved runs. */
export function describeCalibration(
  tokens: IntervalCalibration | null,
  spend: IntervalCalibration | null,
  price: PriceUncertainty,
  skipped?: string,
): string {
  const parts: string[] = [];
  if (skipped) parts.push(`Intervals as the model made them: ${skipped}.`);
  for (const [what, c] of [
    ['Volume', tokens],
    ['Spend', spend],
  ] as const) {
    if (skipped) break;
    if (!c) {
      parts.push(`${what}: intervals as the model made them (no backtest: the history is too short).`);
      continue;
    }
    parts.push(
      `${what} intervals calibrated on your backtest (${c.forecasts} forecasts from ${c.origins} origins): ${describeFactors(c.steps)}. ` +
        `The model's 80 % interval held ${percent(c.before.coverage80)} of actuals (${percent(c.before.belowP10)} below P10, ${percent(c.before.aboveP90)} above P90), its 95 % interval ${percent(c.before.coverage95)}; ` +
        `calibrated, checked without hindsight, ${percent(c.after.coverage80)} and ${percent(c.after.coverage95)}.`,
    );
  }
  if (price.source === 'user path') parts.push('Price: your path, taken as exact (no price uncertainty).');
  else if (price.changes < 3) parts.push('Price: the last effective price; too few months to measure how it moves.');
  else {
    const shifts = price.shifts.length;
    parts.push(
      `Price: typical monthly move ${(price.monthlyMove * 100).toFixed(1)} %` +
        (shifts > 0
          ? `; ${shifts} price-level shift${shifts > 1 ? 's' : ''} in ${price.changes} months (${price.shifts.map((x) => `${x > 0 ? '+' : '−'}${Math.round(Math.abs(x) * 100)} %`).join(', ')}) recur in the intervals at that rate.`
          : '; no price-level shift in the history, so a future price cut is not in the intervals: enter known changes as overlays.'),
    );
  }
  return parts.join(' ');
}
