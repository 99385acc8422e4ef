import { DomainError, type Issue } from '../errors.ts';
import { segmentLabel, type ExposureSegment, type QuantileSet } from '../forecast/token-forecast.ts';
import { parseDecimal, type Decimal } from '../money/decimal.ts';
import { mulDivMicros } from '../money/micros.ts';
import { isIsoMonth, type IsoMonth } from '../time/iso-date.ts';
import { contractUnitsOf, type ExposureFilter } from './exposure.ts';
import { convertWithFx, describeConversion, type FxConversion } from './fx-conversion.ts';
import { EFFECTIVENESS_R2, type MinimumVarianceRatio } from './hedge-ratio.ts';
import { lastTradingDate, type Instrument } from './instrument.ts';
import { describeMarginModel } from './margin.ts';
import { decimalOfNumber, formatMoneyText, formatQuantity } from './numbers.ts';
import { policyHorizon, type RatioMethod, type SavedHedgePolicy } from './policy.ts';
import { proposeHedge, type ProposalExplanations, type ProposalLine } from './proposal.ts';
import { quantileKeyOf, segmentCoverage, type SegmentCoverage } from './segment-coverage.ts';

/**
 * A hedge proposal built from saved inputs: a forecast run (token volume per month, with quantiles), a policy
 * version, an instrument version, one of its exposure mappings and the forward curve of one price date. Every
 * number of every contract month comes with the sentence that derives it. Pure: the service reads the
 * workbook, this computes; saving, approval and cost-at-risk build on its result.
 *
 * Money: the instrument's amounts (price, notional, margin, fees) are micros of its price currency; margin,
 * fees and expected costs are also given in micros of the workbook's base currency, converted with one dated FX
 * rate (`FxConversion`), rounded once per line. Quantities of the underlying are in contract units (MTok,
 * GPU-hours), plain numbers; tokens are whole.
 */
export const PROPOSAL_ENGINE_VERSION = 'proposal-engine 1';

export type ProposalForecastMonth = { month: string; tokens: QuantileSet; pricePerMTokMicros: QuantileSet; spendMicros: QuantileSet };

export type ProposalInstrument = Pick<
  Instrument,
  'code' | 'version' | 'name' | 'status' | 'contractQuantity' | 'quantityUnit' | 'priceCurrency' | 'priceUnit' | 'margin' | 'feePerContractMicros' | 'lastTrading' | 'index' | 'settlement'
>;

export type ProposalMapping = { mappingId: number | null; name: string; contractUnitsPerToken: string; filter: ExposureFilter; note: string };

/** The regression of the organisation's price changes on the index changes, when it could be run. */
export type RegressionInput = { estimate: MinimumVarianceRatio | null; reason: string | null; window: string };

export type ProposalSetup = {
  forecastRun: { runId: number; label: string; segment: ExposureSegment; historyTo: string; months: readonly ProposalForecastMonth[] };
  policy: { policyId: number; version: number; policy: SavedHedgePolicy };
  instrument: ProposalInstrument;
  mapping: ProposalMapping;
  /** The settlement prices of one price date, by contract month (micros of the instrument's currency per price unit). */
  curve: { priceDate: string; prices: ReadonlyMap<string, number> };
  baseCurrency: string;
  /** From the instrument's currency into the base currency; null when they are the same. */
  fx: FxConversion | null;
  ratioMethod: RatioMethod;
  regression: RegressionInput;
  /** Months to propose, from the forecast's first month. */
  horizon: number;
};

export type ProposalLineExplanations = ProposalExplanations & {
  exposureP50: string;
  price: string;
  initialMarginBase: string;
  expectedCostUnhedged: string;
  expectedCostHedged: string;
};

/**
 * One contract month: the domain's proposal line (ratio, band, target, contracts unrounded and rounded, effective
 * ratio, price, notional) with the forecast's tokens, the margin, fees and expected costs in the base currency,
 * and every number explained.
 */
export type ProposalLineView = Pick<
  ProposalLine,
  'periodIndex' | 'p50' | 'hedgeable' | 'ratio' | 'band' | 'target' | 'contractsUnrounded' | 'contracts' | 'effectiveRatio' | 'priceMicros' | 'notionalMicros' | 'warnings'
> & {
  month: string;
  /** Whole tokens of the forecast: P10, P50, P90 and the policy's quantile (the hedgeable volume). */
  tokens: { p10: number; p50: number; p90: number; hedgeable: number };
  /** The same in contract units. */
  volume: { p10: number; p50: number; p90: number };
  initialMarginMicros: number;
  initialMarginBaseMicros: number;
  feesMicros: number;
  feesBaseMicros: number;
  /** The forecast's mean price per million tokens (base micros), and per contract unit. */
  pricePerMTokMeanMicros: number;
  unitCostBaseMicros: number;
  expectedCostUnhedgedMicros: number;
  expectedCostHedgedMicros: number;
  lastTradingDate: string;
  explanations: ProposalLineExplanations;
};

export type ProposalTotals = {
  contracts: number;
  /** Contract units hedged (contracts × size) and the P50 they hedge, over the horizon. */
  hedgedUnits: number;
  p50Units: number;
  notionalMicros: number;
  initialMarginMicros: number;
  initialMarginBaseMicros: number;
  feesBaseMicros: number;
  expectedCostUnhedgedMicros: number;
  expectedCostHedgedMicros: number;
};

export type BuiltProposal = {
  engineVersion: string;
  inputs: {
    forecastRun: { runId: number; label: string; segment: ExposureSegment; firstMonth: string; historyTo: string };
    policy: { policyId: number; version: number; policy: SavedHedgePolicy };
    instrument: ProposalInstrument;
    mapping: ProposalMapping & { coverage: SegmentCoverage; coverageReason: string };
    curveDate: string;
    baseCurrency: string;
    fx: FxConversion | null;
    ratioMethod: RatioMethod;
    horizon: number;
  };
  regression: RegressionInput & { warning: string | null };
  lines: ProposalLineView[];
  totals: ProposalTotals;
  warnings: string[];
};

/**
 * Every reason the inputs cannot make a proposal, each naming the request field at fault: a horizon beyond the
 * policy, a forecast shorter than the horizon, a forecast of usage the mapping does not cover, an instrument
 * the policy does not allow, a quantile the forecast lacks, contract months without a price on the curve date,
 * a minimum-variance ratio without the data to estimate it.
 */
export function proposalSetupIssues(setup: ProposalSetup): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const { policy, version } = setup.policy;
  const run = setup.forecastRun;
  const policyLabel = `policy "${policy.name}" v${version}`;
  const horizon = policyHorizon(policy);
  if (!Number.isInteger(setup.horizon) || setup.horizon < 1) add('horizon', `must be a whole number of months from 1 (got ${setup.horizon})`);
  else if (setup.horizon > horizon) add('horizon', `${setup.horizon} months, but ${policyLabel} covers only periods 1–${horizon}: extend the policy or propose fewer months`);
  if (run.months.length < Math.min(setup.horizon, horizon)) {
    add(
      'forecastRunId',
      `forecast run #${run.runId} covers ${run.months.length} months${run.months.length ? ` (${run.months[0]!.month} … ${run.months[run.months.length - 1]!.month})` : ''}, but the proposal needs ${Math.min(setup.horizon, horizon)}: save a forecast with a longer horizon`,
    );
  }
  if (!quantileKeyOf(policy.quantile)) add('policyId', `${policyLabel} sizes on ${policy.quantile}, which the forecast does not give (it gives P2.5, P5, P10, P20, P25 … P50)`);
  if (policy.allowedInstruments.length > 0 && !policy.allowedInstruments.includes(setup.instrument.code)) {
    add('instrumentCode', `${policyLabel} allows only ${policy.allowedInstruments.join(', ')}, not ${setup.instrument.code}`);
  }
  const coverage = segmentCoverage(run.segment, setup.mapping.filter);
  if (coverage.coverage === 'outside') {
    add('forecastRunId', `forecast run #${run.runId} forecasts ${segmentLabel(run.segment)}, but ${coverage.reason} (mapping "${setup.mapping.name}" of ${setup.instrument.code}): use a forecast of the mapped usage or another mapping`);
  }
  const factor = parseDecimal(setup.mapping.contractUnitsPerToken.trim());
  if (!factor || factor.units <= 0n) add('mappingId', `the mapping's contract units per token "${setup.mapping.contractUnitsPerToken}" is not a positive decimal`);
  const months = run.months.slice(0, Math.max(0, Math.min(setup.horizon, horizon)));
  const missing = months.filter((m) => !setup.curve.prices.has(m.month)).map((m) => m.month);
  if (missing.length > 0) {
    add('curveDate', `no settlement price of ${setup.instrument.code} on ${setup.curve.priceDate} for contract month${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: enter the prices, or choose another curve date or a shorter horizon`);
  }
  months.forEach((m, i) => {
    if (!isIsoMonth(m.month)) add(`forecastRunId`, `month ${i + 1} "${m.month}" is not a month YYYY-MM`);
  });
  if (setup.ratioMethod === 'minimum-variance' && !setup.regression.estimate) {
    add('ratioMethod', `the minimum-variance ratio cannot be estimated: ${setup.regression.reason ?? 'no regression data'}; use the policy's ratio`);
  }
  if (setup.instrument.priceCurrency !== setup.baseCurrency && setup.fx && (setup.fx.from !== setup.instrument.priceCurrency || setup.fx.to !== setup.baseCurrency)) {
    add('curveDate', `the FX rate converts ${setup.fx.from} → ${setup.fx.to}, not ${setup.instrument.priceCurrency} → ${setup.baseCurrency}`);
  }
  return issues;
}

/** Builds the proposal, or throws a DomainError naming every field at fault (`fx-rate-missing` for a missing rate). */
export function buildProposal(setup: ProposalSetup): BuiltProposal {
  const issues = proposalSetupIssues(setup);
  if (issues.length > 0) {
    throw new DomainError('invalid-input', `The proposal cannot be built: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  const { instrument, baseCurrency, fx } = setup;
  const ccy = instrument.priceCurrency;
  if (ccy !== baseCurrency && !fx) {
    const message = `No ${ccy}/${baseCurrency} FX rate on or up to 7 days before the curve date ${setup.curve.priceDate}: the margin and fees in ${ccy} cannot be held against the budget in ${baseCurrency}. Import FX rates; none is assumed.`;
    throw new DomainError('fx-rate-missing', message, [{ path: 'curveDate', message: `no ${ccy}/${baseCurrency} rate on or up to 7 days before ${setup.curve.priceDate}` }]);
  }
  const toBase = (micros: number) => (fx ? convertWithFx(micros, fx) : micros);
  const explainBase = (micros: number) => (fx ? `${describeConversion(micros, fx)}.` : `Already in ${baseCurrency}, the base currency.`);

  const { policy } = setup.policy;
  const run = setup.forecastRun;
  const factor = parseDecimal(setup.mapping.contractUnitsPerToken.trim())!;
  const qKey = quantileKeyOf(policy.quantile)!;
  const Q = policy.quantile.toUpperCase();
  const unit = instrument.quantityUnit;
  const size = instrument.contractQuantity;
  const months = run.months.slice(0, setup.horizon);
  const segment = segmentLabel(run.segment);
  const coverage = segmentCoverage(run.segment, setup.mapping.filter);

  const warnings: string[] = [];
  const estimate = setup.regression.estimate;
  let ratioOverride: { ratio: number; source: string } | undefined;
  if (setup.ratioMethod === 'minimum-variance' && estimate) {
    const h = estimate.hStar;
    const basis = `R² ${estimate.r2.toFixed(2)}, ${estimate.observations ?? 0} monthly changes`;
    ratioOverride =
      h > 1
        ? { ratio: 1, source: `Minimum-variance h* ${h.toFixed(3)} (${basis}) capped at` }
        : h < 0
          ? { ratio: 0, source: `Minimum-variance h* ${h.toFixed(3)} (${basis}) floored at` }
          : { ratio: h, source: `Minimum-variance h* (${basis})` };
  }
  const regressionWarning =
    estimate && estimate.r2 < EFFECTIVENESS_R2
      ? `R² of the organisation's price changes on the index is ${estimate.r2.toFixed(2)} (< ${EFFECTIVENESS_R2}): a conventional regression effectiveness test would fail, and the hedge may not qualify for hedge accounting.`
      : null;
  if (regressionWarning) warnings.push(`ratioMethod: ${regressionWarning}`);
  if (coverage.coverage === 'within') warnings.push(`forecastRunId: ${coverage.reason}.`);
  if (instrument.status === 'hypothetical') warnings.push(`instrumentCode: ${instrument.code} is HYPOTHETICAL — no exchange lists it; this proposal illustrates a hedge and cannot be executed as it stands.`);

  const proposal = proposeHedge({
    policy,
    contractSize: size,
    periods: months.map((m) => ({
      period: m.month,
      p50: contractUnitsOf(m.tokens.p50, factor),
      hedgeable: contractUnitsOf(m.tokens[qKey], factor),
      priceMicros: setup.curve.prices.get(m.month)!,
    })),
    ...(ratioOverride ? { ratioOverride } : {}),
    margin: instrument.margin,
    ...(fx ? { marginBudgetCurrency: { currency: baseCurrency, convert: toBase } } : {}),
    units: { quantity: unit, currency: ccy },
  });
  warnings.push(...proposal.warnings);

  const factorText = `${setup.mapping.contractUnitsPerToken} ${unit} per token`;
  const lines: ProposalLineView[] = proposal.lines.map((line, i) => {
    const m = months[i]!;
    const margin = line.initialMarginMicros ?? 0;
    const marginBase = toBase(margin);
    const fees = mulDivMicros(instrument.feePerContractMicros, BigInt(line.contracts), 1n);
    const feesBase = toBase(fees);
    const unhedged = m.spendMicros.mean;
    const hedged = unhedged + feesBase;
    const ltd = lastTradingDate(instrument.lastTrading, m.month as IsoMonth);
    const hedgedText =
      line.contracts === 0
        ? `No contracts: the same as unhedged, ${formatMoneyText(hedged, baseCurrency)}.`
        : `Unhedged ${formatMoneyText(unhedged, baseCurrency)} + fees ${formatQuantity(line.contracts)} × ${formatMoneyText(instrument.feePerContractMicros, ccy)} = ${formatMoneyText(fees, ccy)}${fx ? ` (${formatMoneyText(feesBase, baseCurrency)})` : ''}; the futures are bought at the forward price, taken as the expected settlement price, so their expected gain is 0: ${formatMoneyText(hedged, baseCurrency)}.`;
    return {
      month: m.month,
      periodIndex: line.periodIndex,
      tokens: { p10: m.tokens.p10, p50: m.tokens.p50, p90: m.tokens.p90, hedgeable: m.tokens[qKey] },
      volume: { p10: contractUnitsOf(m.tokens.p10, factor), p50: line.p50, p90: contractUnitsOf(m.tokens.p90, factor) },
      p50: line.p50,
      hedgeable: line.hedgeable,
      ratio: line.ratio,
      band: line.band,
      target: line.target,
      contractsUnrounded: line.contractsUnrounded,
      contracts: line.contracts,
      effectiveRatio: line.effectiveRatio,
      priceMicros: line.priceMicros,
      notionalMicros: line.notionalMicros,
      initialMarginMicros: margin,
      initialMarginBaseMicros: marginBase,
      feesMicros: fees,
      feesBaseMicros: feesBase,
      pricePerMTokMeanMicros: m.pricePerMTokMicros.mean,
      unitCostBaseMicros: unitCostOf(m.pricePerMTokMicros.mean, factor),
      expectedCostUnhedgedMicros: unhedged,
      expectedCostHedgedMicros: hedged,
      lastTradingDate: ltd,
      explanations: {
        exposureP50: `Forecast P50 for ${m.month} (run #${run.runId}): ${formatQuantity(m.tokens.p50)} tokens × ${factorText} = ${formatQuantity(line.p50)} ${unit}.`,
        hedgeable: `Forecast ${Q} for ${m.month}: ${formatQuantity(m.tokens[qKey])} tokens = ${formatQuantity(line.hedgeable)} ${unit}, the volume the policy treats as highly probable.`,
        ratio: line.explanations.ratio,
        target: line.explanations.target,
        contractsUnrounded: line.explanations.contractsUnrounded,
        contracts: line.explanations.contracts,
        effectiveRatio: line.explanations.effectiveRatio,
        price: `Settlement price of the ${m.month} contract on ${setup.curve.priceDate}: ${formatMoneyText(line.priceMicros, ccy)} per ${instrument.priceUnit} (${instrument.code} v${instrument.version}).`,
        notional: line.explanations.notional,
        initialMargin: `${line.explanations.initialMargin.replace(/\.$/, '')} (${describeMarginModel(instrument.margin, ccy)}).`,
        initialMarginBase: explainBase(margin),
        expectedCostUnhedged: `Mean forecast spend of ${segment} in ${m.month} (run #${run.runId}): ${formatMoneyText(unhedged, baseCurrency)}; unhedged, it follows the price.`,
        expectedCostHedged: hedgedText,
      },
      warnings: line.warnings,
    };
  });

  const sum = (pick: (l: ProposalLineView) => number) => lines.reduce((s, l) => s + pick(l), 0);
  const totals: ProposalTotals = {
    contracts: sum((l) => l.contracts),
    hedgedUnits: sum((l) => l.contracts * size),
    p50Units: sum((l) => l.p50),
    notionalMicros: proposal.totalNotionalMicros,
    initialMarginMicros: sum((l) => l.initialMarginMicros),
    initialMarginBaseMicros: sum((l) => l.initialMarginBaseMicros),
    feesBaseMicros: sum((l) => l.feesBaseMicros),
    expectedCostUnhedgedMicros: sum((l) => l.expectedCostUnhedgedMicros),
    expectedCostHedgedMicros: sum((l) => l.expectedCostHedgedMicros),
  };
  for (const key of ['initialMarginBaseMicros', 'expectedCostUnhedgedMicros', 'expectedCostHedgedMicros'] as const) {
    if (!Number.isSafeInteger(totals[key])) throw new DomainError('money-out-of-range', `the proposal's ${key} is too large to hold exactly`);
  }
  if (totals.contracts === 0) warnings.push('The proposal holds no contracts: the volumes are below one contract at the policy ratios.');

  return {
    engineVersion: PROPOSAL_ENGINE_VERSION,
    inputs: {
      forecastRun: { runId: run.runId, label: run.label, segment: run.segment, firstMonth: months[0]!.month, historyTo: run.historyTo },
      policy: setup.policy,
      instrument,
      mapping: { ...setup.mapping, coverage: coverage.coverage, coverageReason: coverage.reason },
      curveDate: setup.curve.priceDate,
      baseCurrency,
      fx,
      ratioMethod: setup.ratioMethod,
      horizon: setup.horizon,
    },
    regression: { ...setup.regression, warning: regressionWarning },
    lines,
    totals,
    warnings,
  };
}

/**
 * The forecast's price per contract unit: price per million tokens ÷ (10⁶ × contract units per token), exact,
 * rounded once half-even. With 0.000001 MTok per token it is the price per MTok itself; with 0.0000002 GPU-hours
 * per token (5 million tokens per GPU-hour) five times it.
 */
export function unitCostOf(pricePerMTokMicros: number, factor: Decimal): number {
  return mulDivMicros(pricePerMTokMicros, 10n ** BigInt(factor.scale), 1_000_000n * factor.units, 'half-even');
}

/** Contract units of one contract as an exact decimal (for designations). */
export function contractSizeDecimal(instrument: Pick<Instrument, 'contractQuantity'>): Decimal {
  return decimalOfNumber(instrument.contractQuantity);
}

/** Average coverage of the P50 over the horizon: hedged units ÷ P50 units. */
export function overallCoverage(totals: Pick<ProposalTotals, 'hedgedUnits' | 'p50Units'>): number {
  return totals.p50Units > 0 ? totals.hedgedUnits / totals.p50Units : 0;
}
