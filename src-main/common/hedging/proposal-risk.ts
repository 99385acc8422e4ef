import { addMonths, daysBetween, type IsoDate, type IsoMonth } from '../time/iso-date.ts';
import { simulateCost, type SimulationPeriod } from './cost-at-risk.ts';
import { fxFactor } from './fx-conversion.ts';
import type { BuiltProposal } from './proposal-build.ts';
import { sampleStdDev } from './statistics.ts';

/**
 * Cost-at-risk of a proposal by Monte Carlo: the distribution of the total cost over the proposal's months,
 * unhedged and hedged, in the workbook's base currency, deterministic for a seed.
 *
 * Model (see `simulateCost`): one log-price factor X (lognormal, optionally mean-reverting) moves the index and,
 * in proportion, the organisation's own price; the index settles each month's futures at F·exp(X − Var/2) (the
 * forward is the expected settlement price); the organisation pays the forecast's mean price per contract unit
 * times the same move; each month's volume is drawn through the forecast's P10, P50 and P90 (two-piece normal),
 * correlated with the price; the hedged cost subtracts the futures' gain and adds the fees. Amounts in the
 * instrument's currency are converted at the proposal's one FX rate (FX risk and the basis between the
 * organisation's price and the index are not simulated; the regression's R² says how far the latter holds).
 */
export type CostAtRiskSettings = {
  /** Annualised volatility of the log price. */
  sigma: number;
  /** Where σ comes from, in words ("entered", or the index history it was estimated on). */
  sigmaSource: string;
  /** κ per year of the Ornstein–Uhlenbeck log price (0 = none). */
  meanReversion: number;
  /** Correlation (−1…1) between each month's volume and its price. */
  volumePriceCorrelation: number;
  paths: number;
  seed: number;
  /** e.g. 0.95: cost-at-risk = P95 − mean. */
  confidence: number;
};

export type CostDistribution = { meanMicros: number; p50Micros: number; percentileMicros: number; costAtRiskMicros: number };

export type ProposalCostAtRisk = {
  settings: CostAtRiskSettings;
  currency: string;
  unhedged: CostDistribution;
  hedged: CostDistribution;
  /** Unhedged minus hedged cost-at-risk: what the hedge takes off the bad outcome. */
  reductionMicros: number;
  /**
   * Cash the hedge can call for before it pays off: the initial margin, and the largest cumulative variation
   * margin the long futures pay along a path (mean and at the confidence level), marked at each month's fixing.
   */
  marginCall: { initialMarginMicros: number; expectedPeakVariationMicros: number; percentilePeakVariationMicros: number; percentileCashNeedMicros: number };
  /** Total cost of all paths in `bins` equal bins shared by both distributions, for a histogram. */
  histogram: { fromMicros: number; toMicros: number; unhedged: number; hedged: number }[];
  assumptions: string[];
};

/** Bins of the saved histogram. */
export const HISTOGRAM_BINS = 40;

/**
 * σ of the index from its monthly averages (the price an average-of-month contract settles at): the sample
 * standard deviation of the month-on-month log changes × √12, over the last `maxChanges` changes between
 * consecutive months before `beforeMonth`. Null, with the reason, below `minChanges` changes.
 */
export function indexVolatility(
  monthlyAverages: ReadonlyMap<string, number>,
  options: { indexCode: string; beforeMonth: string; maxChanges?: number; minChanges?: number },
): { sigma: number; changes: number; fromMonth: string; toMonth: string; source: string } | { sigma: null; changes: number; reason: string } {
  const maxChanges = options.maxChanges ?? 24;
  const minChanges = options.minChanges ?? 6;
  const months = [...monthlyAverages.keys()].filter((m) => m < options.beforeMonth).sort();
  const changes: { month: string; value: number }[] = [];
  for (let i = 1; i < months.length; i++) {
    const a = monthlyAverages.get(months[i - 1]!)!;
    const b = monthlyAverages.get(months[i]!)!;
    if (addMonths(months[i - 1] as IsoMonth, 1) !== months[i] || a <= 0 || b <= 0) continue;
    changes.push({ month: months[i]!, value: Math.log(b / a) });
  }
  const used = changes.slice(-maxChanges);
  if (used.length < minChanges) {
    return { sigma: null, changes: used.length, reason: `the index ${options.indexCode} has ${used.length} month-on-month changes before ${options.beforeMonth}; at least ${minChanges} are needed to estimate a volatility: enter one` };
  }
  const sigma = sampleStdDev(used.map((c) => c.value)) * Math.sqrt(12);
  const fromMonth = addMonths(used[0]!.month as IsoMonth, -1);
  const toMonth = used[used.length - 1]!.month;
  return {
    sigma,
    changes: used.length,
    fromMonth,
    toMonth,
    source: `index ${options.indexCode}: standard deviation of ${used.length} monthly log changes of its monthly average (${fromMonth} … ${toMonth}) × √12`,
  };
}

/** The proposal's months as simulation periods, in base-currency units (floats, for the simulation only). */
export function simulationPeriodsOf(proposal: BuiltProposal): SimulationPeriod[] {
  const toBase = proposal.inputs.fx ? fxFactor(proposal.inputs.fx) : 1;
  const size = proposal.inputs.instrument.contractQuantity;
  const curveDate = proposal.inputs.curveDate as IsoDate;
  let previous = 0;
  return proposal.lines.map((l) => {
    // Time to the contract's last trading day; at least one day, and later than the month before.
    const years = Math.max(previous + 1 / 365, daysBetween(curveDate, l.lastTradingDate as IsoDate) / 365);
    previous = years;
    const forward = (l.priceMicros / 1e6) * toBase;
    return {
      years,
      forward,
      unitCost: l.unitCostBaseMicros / 1e6,
      volume: { p10: l.volume.p10, p50: l.volume.p50, p90: l.volume.p90 },
      hedgedQuantity: l.contracts * size,
      hedgePrice: forward,
    };
  });
}

/** Runs the Monte Carlo on a built proposal. */
export function proposalCostAtRisk(proposal: BuiltProposal, settings: CostAtRiskSettings): ProposalCostAtRisk {
  const result = simulateCost({
    periods: simulationPeriodsOf(proposal),
    sigma: settings.sigma,
    meanReversion: settings.meanReversion,
    volumePriceCorrelation: settings.volumePriceCorrelation,
    paths: settings.paths,
    seed: settings.seed,
    confidence: settings.confidence,
  });
  const fees = proposal.totals.feesBaseMicros / 1e6;
  // Fees are certain: they shift every hedged outcome by the same amount.
  const hedgedCosts = result.hedgedCosts.map((c) => c + fees);
  const micros = (units: number) => Math.round(units * 1e6);
  const distribution = (s: { expectedCost: number; p50Cost: number; percentileCost: number }, shift: number): CostDistribution => {
    const mean = micros(s.expectedCost + shift);
    const percentile = micros(s.percentileCost + shift);
    return { meanMicros: mean, p50Micros: micros(s.p50Cost + shift), percentileMicros: percentile, costAtRiskMicros: percentile - mean };
  };
  const unhedged = distribution(result.unhedged, 0);
  const hedged = distribution(result.hedged, fees);
  const initial = proposal.totals.initialMarginBaseMicros;
  const percentilePeak = micros(result.marginCall.percentilePeak);
  const pct = Math.round(settings.confidence * 100);
  return {
    settings,
    currency: proposal.inputs.baseCurrency,
    unhedged,
    hedged,
    reductionMicros: unhedged.costAtRiskMicros - hedged.costAtRiskMicros,
    marginCall: {
      initialMarginMicros: initial,
      expectedPeakVariationMicros: micros(result.marginCall.expectedPeak),
      percentilePeakVariationMicros: percentilePeak,
      percentileCashNeedMicros: initial + percentilePeak,
    },
    histogram: pairedHistogram(result.unhedgedCosts, hedgedCosts, HISTOGRAM_BINS).map((b) => ({ fromMicros: micros(b.from), toMicros: micros(b.to), unhedged: b.a, hedged: b.b })),
    assumptions: [
      `Price: lognormal, σ = ${(settings.sigma * 100).toFixed(1)} % a year (${settings.sigmaSource})${settings.meanReversion > 0 ? `, mean-reverting at κ = ${settings.meanReversion} a year` : ', no mean reversion'}; the forward curve of ${proposal.inputs.curveDate} is the expected settlement price.`,
      `Volume: drawn each month through the forecast's P10, P50 and P90 (run #${proposal.inputs.forecastRun.runId}), correlation with the price ${settings.volumePriceCorrelation}.`,
      `The organisation's price moves in proportion to the index (basis risk is not simulated${proposal.regression.estimate ? `; the regression's R² is ${proposal.regression.estimate.r2.toFixed(2)}` : ''}).`,
      proposal.inputs.fx
        ? `${proposal.inputs.instrument.priceCurrency} amounts at one rate, 1 ${proposal.inputs.fx.pair.base} = ${proposal.inputs.fx.pair.rate} ${proposal.inputs.fx.pair.quote} (${proposal.inputs.fx.rateDate}); FX risk is not simulated.`
        : `All amounts in ${proposal.inputs.baseCurrency}.`,
      `${settings.paths.toLocaleString('en-US')} paths, seed ${settings.seed}; cost-at-risk = P${pct} − mean. Margin-call stress: the largest cumulative variation margin the long futures pay, marked at each month's fixing, P${pct}.`,
    ],
  };
}

/** Equal bins between the smallest and largest value of both sorted arrays, with the count of each. */
export function pairedHistogram(a: ArrayLike<number>, b: ArrayLike<number>, bins: number): { from: number; to: number; a: number; b: number }[] {
  if ((a.length === 0 && b.length === 0) || bins < 1) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of [a, b]) {
    for (let i = 0; i < values.length; i++) {
      if (values[i]! < lo) lo = values[i]!;
      if (values[i]! > hi) hi = values[i]!;
    }
  }
  const width = hi > lo ? (hi - lo) / bins : 1;
  const out = Array.from({ length: bins }, (_, k) => ({ from: lo + k * width, to: lo + (k + 1) * width, a: 0, b: 0 }));
  const place = (values: ArrayLike<number>, key: 'a' | 'b') => {
    for (let i = 0; i < values.length; i++) out[Math.min(bins - 1, Math.floor((values[i]! - lo) / width))]![key]++;
  };
  place(a, 'a');
  place(b, 'b');
  return out;
}
