import { addMonths, monthsBetween, type IsoMonth } from '../time/iso-date.ts';
import { rollingOriginBacktest, type Backtest } from './backtest.ts';
import { QUANTILE_PROBABILITIES, type ForecastDistribution } from './distribution.ts';
import { forecastSeries, type ForecastMethod, type TransformKind } from './methods.ts';
import { reconcileTwoLevel } from './reconcile.ts';
import { normalQuantile, quantileSorted, seededRandom } from './stats.ts';

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
  /** How the segment was made coherent with its siblings and the total. */
  reconciliation: string;
  notes: string[];
};

const SPEND_DRAWS = 4000;

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

/** The quantile function of a distribution given on QUANTILE_PROBABILITIES, with Gaussian-shaped tails. */
function quantileFunction(d: ForecastDistribution, h: number): (u: number) => number {
  const ps = QUANTILE_PROBABILITIES;
  const qs = d.quantiles.map((q) => q[h]!);
  const last = ps.length - 1;
  const zLow = [normalQuantile(ps[0]!), normalQuantile(ps[1]!)];
  const zHigh = [normalQuantile(ps[last - 1]!), normalQuantile(ps[last]!)];
  const lowScale = (qs[1]! - qs[0]!) / (zLow[1]! - zLow[0]!);
  const highScale = (qs[last]! - qs[last - 1]!) / (zHigh[1]! - zHigh[0]!);
  return (u) => {
    if (u <= ps[0]!) return qs[0]! + lowScale * (normalQuantile(u) - zLow[0]!);
    if (u >= ps[last]!) return qs[last]! + highScale * (normalQuantile(u) - zHigh[1]!);
    let k = 1;
    while (ps[k]! < u) k++;
    const t = (u - ps[k - 1]!) / (ps[k]! - ps[k - 1]!);
    return qs[k - 1]! + t * (qs[k]! - qs[k - 1]!);
  };
}

/** Effective price per million tokens of a month (base-currency micros), or undefined without priced tokens. */
function monthPrice(m: UsageMonth): number | undefined {
  return m.pricedTokens > 0 ? (m.costBaseMicros * 1e6) / m.pricedTokens : undefined;
}

/**
 * Price per million tokens for each future month, as a quantile function: from the history, lognormal around the
 * last effective price with σ√h, σ the robust (median absolute deviation) scale of the monthly log-price changes
 * (rare jumps such as a provider's price cut do not widen every interval; enter known changes as overlays);
 * from a user path, that price exactly. Price-change overlays then scale it.
 */
function priceForecast(history: UsageMonth[], settings: TokenForecastSettings, firstMonth: IsoMonth, horizon: number, notes: string[]) {
  const factors = Array.from({ length: horizon }, (_, h) => {
    const month = addMonths(firstMonth, h);
    let factor = 1;
    for (const o of settings.overlays) if (o.kind === 'price-change' && monthsBetween(o.fromMonth, month) >= 0) factor *= 1 + o.percent / 100;
    return factor;
  });
  if (settings.pricePath.kind === 'fixed') {
    const steps = settings.pricePath.steps.slice().sort((a, b) => monthsBetween(b.fromMonth, a.fromMonth));
    return Array.from({ length: horizon }, (_, h) => {
      const month = addMonths(firstMonth, h);
      let price = steps[0]?.pricePerMTokMicros ?? 0;
      for (const step of steps) if (monthsBetween(step.fromMonth, month) >= 0) price = step.pricePerMTokMicros;
      const value = price * factors[h]!;
      return { median: value, sigma: 0 };
    });
  }
  const prices = history.map(monthPrice).filter((p): p is number => p !== undefined && p > 0);
  if (prices.length === 0) {
    notes.push('no priced usage in the history: spend is forecast as zero; set a price path');
    return Array.from({ length: horizon }, () => ({ median: 0, sigma: 0 }));
  }
  const changes = prices.slice(1).map((p, i) => Math.log(p / prices[i]!));
  const sigma = changes.length >= 3 ? robustScale(changes) : 0;
  const last = prices[prices.length - 1]!;
  return Array.from({ length: horizon }, (_, h) => ({ median: last * factors[h]!, sigma: sigma * Math.sqrt(h + 1) }));
}

function robustScale(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const median = quantileSorted(sorted, 0.5);
  const deviations = values.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  return 1.482602218505602 * quantileSorted(deviations, 0.5);
}

/** Spend = volume × price at each month by stratified simulation (independent draws of the two). */
function spendDistribution(volume: ForecastDistribution, price: { median: number; sigma: number }[], seed: number): ForecastDistribution {
  const horizon = volume.mean.length;
  const random = seededRandom(seed);
  const mean: number[] = [];
  const quantiles = QUANTILE_PROBABILITIES.map(() => new Array<number>(horizon));
  const products = new Float64Array(SPEND_DRAWS);
  const order = Array.from({ length: SPEND_DRAWS }, (_, i) => i);
  for (let h = 0; h < horizon; h++) {
    const volumeAt = quantileFunction(volume, h);
    // Pair the strata of volume with a shuffled order of the strata of price (Latin hypercube sampling).
    for (let i = SPEND_DRAWS - 1; i > 0; i--) {
      const j = Math.floor(random.uniform() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    const { median, sigma } = price[h]!;
    let sum = 0;
    for (let i = 0; i < SPEND_DRAWS; i++) {
      const v = Math.max(0, volumeAt((i + 0.5) / SPEND_DRAWS));
      const p = sigma > 0 ? median * Math.exp(sigma * normalQuantile((order[i]! + 0.5) / SPEND_DRAWS)) : median;
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

function priceDistribution(price: { median: number; sigma: number }[]): ForecastDistribution {
  return {
    mean: price.map((p) => p.median * Math.exp((p.sigma * p.sigma) / 2)),
    quantiles: QUANTILE_PROBABILITIES.map((q) => price.map((p) => p.median * Math.exp(p.sigma * normalQuantile(q)))),
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
export function forecastSegment(input: {
  segment: ExposureSegment;
  total: UsageMonth[];
  siblings: { value: string; history: UsageMonth[] }[];
  reconcileWith: SegmentDimension;
  lastMonth: IsoMonth;
  settings: TokenForecastSettings;
  backtest?: boolean;
}): SegmentForecast {
  const { settings, segment } = input;
  const horizon = settings.horizon;
  const firstMonth = addMonths(input.lastMonth, 1);
  const notes: string[] = [];
  const target = segment.dimension === 'total' ? undefined : input.siblings.find((s) => s.value === segment.value);
  if (segment.dimension !== 'total' && !target) throw new Error(`no usage for ${segmentLabel(segment)}`);
  const targetHistory = trimLeadingZeros(target ? target.history : input.total);
  if (targetHistory.length === 0) throw new Error(`no usage for ${segmentLabel(segment)}`);

  const totalResult = volumeForecast(input.total, settings, horizon);
  const siblingResults = input.siblings.map((s) => volumeForecast(s.history, settings, horizon));
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
    spendDistribution(v, priceForecast(trimLeadingZeros(history), { ...settings, overlays: [] }, firstMonth, horizon, []), settings.seed);
  const totalSpend = spendOf(input.total, totalResult.volume);
  const siblingSpend = input.siblings.map((s, i) => spendOf(s.history, siblingResults[i]!.volume));
  const reconciledSpend = reconcileTwoLevel(
    { mean: totalSpend.mean, variance: varianceOf(totalSpend) },
    siblingSpend.map((d) => ({ mean: d.mean, variance: varianceOf(d) })),
  );

  // The segment's own price (with the user's path and overlays) and the spend it implies.
  const priceNotes: string[] = [];
  const price = priceForecast(targetHistory, settings, firstMonth, horizon, priceNotes);
  notes.push(...priceNotes);
  const hasOverlays = settings.overlays.length > 0 || settings.pricePath.kind === 'fixed';
  const launches = Array.from({ length: horizon }, (_, h) => launchTokens(settings.overlays, addMonths(firstMonth, h)));
  if (launches.some((a) => a > 0)) {
    volume = { mean: volume.mean.map((v, h) => v + launches[h]!), quantiles: volume.quantiles.map((q) => q.map((v, h) => v + launches[h]!)) };
  }
  let spend: ForecastDistribution;
  if (hasOverlays) {
    spend = spendDistribution(volume, price, settings.seed);
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

  const backtest = input.backtest === false ? { tokens: unavailable('not requested'), spend: unavailable('not requested') } : backtestSegment(targetHistory, settings);

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
    reconciliation,
    notes,
  };
}

function unavailable(reason: string): Backtest {
  return { available: false, reason };
}

/** Rolling-origin backtest of the segment's own (unreconciled) volume and spend forecasts, horizon up to 6 months. */
function backtestSegment(history: UsageMonth[], settings: TokenForecastSettings): { tokens: Backtest; spend: Backtest } {
  const tokens = history.map((m) => m.tokens);
  const spend = history.map((m) => m.costBaseMicros);
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
  const options = { origins: 12, horizon: Math.min(6, settings.horizon), minimumTraining: 12 };
  const tokenBacktest = rollingOriginBacktest(tokens, 12, (training, steps) => volumeAt(training.length, steps), options);
  const spendBacktest = rollingOriginBacktest(
    spend,
    12,
    (training, steps) => {
      const past = history.slice(0, training.length);
      const price = priceForecast(past, { ...settings, overlays: [], pricePath: { kind: 'history' } }, addMonths(past[past.length - 1]!.month, 1), steps, []);
      return spendDistribution(volumeAt(training.length, steps), price, settings.seed);
    },
    options,
  );
  return { tokens: tokenBacktest, spend: spendBacktest };
}
