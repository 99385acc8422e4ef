import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src-main/common/errors.ts';
import type { QuantileSet } from '../../src-main/common/forecast/token-forecast.ts';
import { analyticCostAtRisk } from '../../src-main/common/hedging/cost-at-risk.ts';
import { designationsOf } from '../../src-main/common/hedging/designation.ts';
import { convertWithFx, describeConversion, findFxConversion, type FxConversion } from '../../src-main/common/hedging/fx-conversion.ts';
import { INSTRUMENT_TEMPLATES } from '../../src-main/common/hedging/instrument.ts';
import type { SavedHedgePolicy } from '../../src-main/common/hedging/policy.ts';
import { buildProposal, proposalSetupIssues, type ProposalSetup } from '../../src-main/common/hedging/proposal-build.ts';
import { indexVolatility, pairedHistogram, proposalCostAtRisk, simulationPeriodsOf, type CostAtRiskSettings } from '../../src-main/common/hedging/proposal-risk.ts';
import { quantileKeyOf, segmentCoverage, segmentOfFilter } from '../../src-main/common/hedging/segment-coverage.ts';
import { parseDecimal } from '../../src-main/common/money/decimal.ts';
import type { FxRate } from '../../src-main/common/money/fx.ts';
import type { IsoDate } from '../../src-main/common/time/iso-date.ts';

/** A forecast quantile set through P10, P50 and P90 (the other quantiles in between), whole tokens. */
function q(p10: number, p50: number, p90: number, mean = p50): QuantileSet {
  return { mean, p025: p10, p05: p10, p10, p20: p10, p25: p10, p30: p50, p40: p50, p50, p60: p50, p70: p90, p75: p90, p80: p90, p90, p95: p90, p975: p90 };
}

const M = 1_000_000; // tokens per MTok, and micros per unit

const policy: SavedHedgePolicy = {
  name: 'Hand-worked layers',
  buckets: [
    { fromPeriod: 1, toPeriod: 1, ratio: 0.75, minRatio: 0.6, maxRatio: 0.8 },
    { fromPeriod: 2, toPeriod: 2, ratio: 0.5, minRatio: 0.4, maxRatio: 0.6 },
    { fromPeriod: 3, toPeriod: 3, ratio: 0.25, minRatio: 0.2, maxRatio: 0.4 },
  ],
  quantile: 'p10',
  rounding: 'floor',
  ratioMethod: 'policy',
  limits: { maxContracts: null, marginBudgetMicros: null },
  allowedInstruments: [],
};

const token = INSTRUMENT_TEMPLATES.find((t) => t.underlyingKind === 'token')!;

/** 1 USD = 7.2 CNY: CNY amounts are divided by 7.2. */
const usdCny: FxConversion = { from: 'CNY', to: 'USD', rateDate: '2026-10-30', pair: { base: 'USD', quote: 'CNY', rate: '7.2' } };

/**
 * Three forecast months of DeepSeek tokens (P10/P50/P90 in tokens; mean price 1.45 USD per MTok; mean spend in
 * USD), an AI-token future of 100 MTok in CNY with 10 % initial margin and a 5 CNY fee per contract, a curve of
 * 2026-10-30, and a USD workbook.
 */
function setup(overrides: Partial<ProposalSetup> = {}): ProposalSetup {
  return {
    forecastRun: {
      runId: 7,
      label: 'DeepSeek',
      segment: { dimension: 'provider', value: 'deepseek' },
      historyTo: '2026-10',
      months: [
        { month: '2026-11', tokens: q(820 * M, 1000 * M, 1300 * M), pricePerMTokMicros: q(1_450_000, 1_450_000, 1_450_000), spendMicros: q(0, 1_450_000_000, 0, 1_450_000_000) },
        { month: '2026-12', tokens: q(500 * M, 1200 * M, 1500 * M), pricePerMTokMicros: q(1_450_000, 1_450_000, 1_450_000), spendMicros: q(0, 1_740_000_000, 0, 1_740_000_000) },
        { month: '2027-01', tokens: q(900 * M, 1500 * M, 2000 * M), pricePerMTokMicros: q(1_450_000, 1_450_000, 1_450_000), spendMicros: q(0, 2_200_000_000, 0, 2_200_000_000) },
      ],
    },
    policy: { policyId: 3, version: 2, policy },
    instrument: {
      ...token,
      code: 'TEST-TOKEN',
      version: 1,
      status: 'announced',
      contractQuantity: 100,
      margin: { kind: 'fraction-of-notional', initialFraction: 0.1, maintenanceFraction: 0.075 },
      feePerContractMicros: 5_000_000,
    },
    mapping: { mappingId: 1, name: 'DeepSeek', contractUnitsPerToken: '0.000001', filter: { providers: ['deepseek'], models: [], costCentres: [], tokenKinds: [] }, note: '' },
    curve: {
      priceDate: '2026-10-30',
      prices: new Map([
        ['2026-11', 2_600_000],
        ['2026-12', 2_500_000],
        ['2027-01', 2_450_000],
      ]),
    },
    baseCurrency: 'USD',
    fx: usdCny,
    ratioMethod: 'policy',
    regression: { estimate: null, reason: 'not needed', window: 'none' },
    horizon: 3,
    ...overrides,
  };
}

describe('a layered proposal from a forecast run, in contract units and two currencies', () => {
  /**
   * Worked by hand (tokens → MTok at 0.000001; contracts of 100 MTok; 1 USD = 7.2 CNY):
   * 2026-11: 75 % × 1,000 = 750 ≤ P10 820 → 7.5 → 7; notional 7 × 100 × 2.60 = 1,820.00 CNY; margin 10 % = 182.00 CNY
   *          = 182 ÷ 7.2 = 25.277778 USD; fees 7 × 5 = 35 CNY = 4.861111 USD; expected cost 1,450.00 → 1,454.861111 USD
   * 2026-12: 50 % × 1,200 = 600, capped at P10 500 → 5; notional 1,250.00; margin 125.00 CNY = 17.361111 USD; fees 25 CNY = 3.472222 USD
   * 2027-01: 25 % × 1,500 = 375 → 3.75 → 3; notional 735.00; margin 73.50 CNY = 10.208333 USD; fees 15 CNY = 2.083333 USD
   * Totals: 15 contracts, 3,805.00 CNY notional, 380.50 CNY = 52.847222 USD initial margin (per line, rounded once each).
   */
  it('sizes each month by the policy, capped at the P10, and converts margin and fees to the base currency', () => {
    const p = buildProposal(setup());
    expect(p.lines.map((l) => [l.month, l.p50, l.hedgeable, l.contracts, l.notionalMicros, l.initialMarginMicros, l.initialMarginBaseMicros, l.feesBaseMicros])).toEqual([
      ['2026-11', 1000, 820, 7, 1_820_000_000, 182_000_000, 25_277_778, 4_861_111],
      ['2026-12', 1200, 500, 5, 1_250_000_000, 125_000_000, 17_361_111, 3_472_222],
      ['2027-01', 1500, 900, 3, 735_000_000, 73_500_000, 10_208_333, 2_083_333],
    ]);
    expect(p.lines.map((l) => [l.expectedCostUnhedgedMicros, l.expectedCostHedgedMicros])).toEqual([
      [1_450_000_000, 1_454_861_111],
      [1_740_000_000, 1_743_472_222],
      [2_200_000_000, 2_202_083_333],
    ]);
    expect(p.totals).toEqual({
      contracts: 15,
      hedgedUnits: 1500,
      p50Units: 3700,
      notionalMicros: 3_805_000_000,
      initialMarginMicros: 380_500_000,
      initialMarginBaseMicros: 52_847_222,
      feesBaseMicros: 10_416_666,
      expectedCostUnhedgedMicros: 5_390_000_000,
      expectedCostHedgedMicros: 5_400_416_666,
    });
    expect(p.warnings).toEqual([]);
  });

  it('explains the exposure, the price, the converted margin and the expected costs in one sentence each', () => {
    const e = buildProposal(setup()).lines[0]!.explanations;
    expect(e.exposureP50).toBe('Forecast P50 for 2026-11 (run #7): 1,000,000,000 tokens × 0.000001 MTok per token = 1,000 MTok.');
    expect(e.hedgeable).toBe('Forecast P10 for 2026-11: 820,000,000 tokens = 820 MTok, the volume the policy treats as highly probable.');
    expect(e.price).toBe('Settlement price of the 2026-11 contract on 2026-10-30: 2.60 CNY per 1M tokens (TEST-TOKEN v1).');
    expect(e.initialMargin).toBe('10 % of the notional 1,820.00 CNY = 182.00 CNY (rounded up to the micro) (10 % initial / 7.5 % maintenance of notional).');
    expect(e.initialMarginBase).toBe('182.00 CNY ÷ 7.2 (1 USD = 7.2 CNY on 2026-10-30) = 25.277778 USD.');
    expect(e.expectedCostUnhedged).toBe('Mean forecast spend of provider: deepseek in 2026-11 (run #7): 1,450.00 USD; unhedged, it follows the price.');
    expect(e.expectedCostHedged).toBe(
      'Unhedged 1,450.00 USD + fees 7 × 5.00 CNY = 35.00 CNY (4.861111 USD); the futures are bought at the forward price, taken as the expected settlement price, so their expected gain is 0: 1,454.861111 USD.',
    );
  });

  /**
   * Budget 40 USD against 52.847222 USD of margin: from the farthest month, 2027-01 (3.402778 USD a contract)
   * loses all 3 contracts (42.638889 left), then 2026-12 (3.472222 a contract) one: 25.277778 + 13.888889 =
   * 39.166667 USD ≤ 40. Held against the budget in CNY instead, 40 would not even cover the first month.
   */
  it('converts the margin to the base currency before it applies the margin budget', () => {
    const p = buildProposal(setup({ policy: { policyId: 3, version: 2, policy: { ...policy, limits: { maxContracts: null, marginBudgetMicros: 40_000_000 } } } }));
    expect(p.lines.map((l) => l.contracts)).toEqual([7, 4, 0]);
    expect(p.totals.initialMarginBaseMicros).toBe(39_166_667);
    expect(p.warnings).toEqual(['limits.marginBudget: the initial margin 52.847222 USD exceeds the budget 40.00 USD; contracts were taken off the farthest periods.']);
    expect(p.lines[1]!.explanations.contracts).toBe('5 rounded down = 5, less 1 to keep the initial margin within the budget of 40.00 USD = 4.');
  });

  it('names the max-contracts limit in its warning when it cuts the farthest months', () => {
    const p = buildProposal(setup({ policy: { policyId: 3, version: 2, policy: { ...policy, limits: { maxContracts: 10, marginBudgetMicros: null } } } }));
    expect(p.lines.map((l) => l.contracts)).toEqual([7, 3, 0]);
    expect(p.warnings[0]).toBe('limits.maxContracts: the policy allows at most 10 contracts; 5 were taken off the farthest periods.');
  });

  it('needs no FX rate when the instrument is priced in the base currency', () => {
    const p = buildProposal(setup({ baseCurrency: 'CNY', fx: null }));
    expect(p.lines[0]!.initialMarginBaseMicros).toBe(182_000_000);
    expect(p.lines[0]!.explanations.initialMarginBase).toBe('Already in CNY, the base currency.');
  });

  it('refuses with fx-rate-missing, naming the curve date, when the instrument currency has no rate', () => {
    const error = captureError(() => buildProposal(setup({ fx: null })));
    expect(error.code).toBe('fx-rate-missing');
    expect(error.issues).toEqual([{ path: 'curveDate', message: 'no CNY/USD rate on or up to 7 days before 2026-10-30' }]);
  });

  it('keeps the minimum-variance ratio inside each band and warns when R² is below 0.8', () => {
    const estimate = { hStar: 0.55, r2: 0.6, rho: 0.7746, sigmaSpot: 0.1, sigmaFutures: 0.14, observations: 24, intercept: 0, effective: false };
    const p = buildProposal(setup({ ratioMethod: 'minimum-variance', regression: { estimate, reason: null, window: '24 changes' } }));
    // 60 % (band low of 60–80 %) × 1,000 = 600 → 6; 55 % × 1,200 = 660, capped at 500 → 5; 40 % (band high) × 1,500 = 600 → 6.
    expect(p.lines.map((l) => [l.ratio, l.contracts])).toEqual([
      [0.6, 6],
      [0.55, 5],
      [0.4, 6],
    ]);
    expect(p.lines[1]!.explanations.ratio).toBe('Minimum-variance h* (R² 0.60, 24 monthly changes) 55 %, inside the bucket periods 2–2, band 40 %–60 %.');
    expect(p.warnings).toEqual([
      "ratioMethod: R² of the organisation's price changes on the index is 0.60 (< 0.8): a conventional regression effectiveness test would fail, and the hedge may not qualify for hedge accounting.",
    ]);
    expect(p.regression.warning).toMatch(/^R² of the organisation's price changes/);
  });
});

describe('bad proposal inputs', () => {
  it('names the horizon when the policy does not cover it', () => {
    expect(proposalSetupIssues(setup({ horizon: 5 }))).toContainEqual({ path: 'horizon', message: '5 months, but policy "Hand-worked layers" v2 covers only periods 1–3: extend the policy or propose fewer months' });
  });

  it('names the forecast run when it is shorter than the horizon', () => {
    const s = setup();
    const issues = proposalSetupIssues({ ...s, forecastRun: { ...s.forecastRun, months: s.forecastRun.months.slice(0, 2) } });
    expect(issues).toEqual([{ path: 'forecastRunId', message: 'forecast run #7 covers 2 months (2026-11 … 2026-12), but the proposal needs 3: save a forecast with a longer horizon' }]);
  });

  it('names the forecast run when it forecasts usage the mapping does not cover', () => {
    const s = setup();
    const issues = proposalSetupIssues({ ...s, forecastRun: { ...s.forecastRun, segment: { dimension: 'provider', value: 'openai' } } });
    expect(issues).toEqual([
      { path: 'forecastRunId', message: 'forecast run #7 forecasts provider: openai, but the mapping covers provider deepseek, not provider: openai (mapping "DeepSeek" of TEST-TOKEN): use a forecast of the mapped usage or another mapping' },
    ]);
  });

  it('names the curve date and the contract months it has no price for', () => {
    const issues = proposalSetupIssues(setup({ curve: { priceDate: '2026-10-30', prices: new Map([['2026-11', 2_600_000]]) } }));
    expect(issues).toEqual([{ path: 'curveDate', message: 'no settlement price of TEST-TOKEN on 2026-10-30 for contract months 2026-12, 2027-01: enter the prices, or choose another curve date or a shorter horizon' }]);
  });

  it('names the instrument when the policy does not allow it', () => {
    const issues = proposalSetupIssues(setup({ policy: { policyId: 3, version: 2, policy: { ...policy, allowedInstruments: ['OTHER'] } } }));
    expect(issues).toEqual([{ path: 'instrumentCode', message: 'policy "Hand-worked layers" v2 allows only OTHER, not TEST-TOKEN' }]);
  });

  it('names the ratio method when the minimum-variance ratio has no data', () => {
    const issues = proposalSetupIssues(setup({ ratioMethod: 'minimum-variance', regression: { estimate: null, reason: 'fewer than 3 months with both an effective price and index fixings', window: '' } }));
    expect(issues).toEqual([
      { path: 'ratioMethod', message: "the minimum-variance ratio cannot be estimated: fewer than 3 months with both an effective price and index fixings; use the policy's ratio" },
    ]);
  });

  it('throws invalid-input with every issue when it is asked to build anyway', () => {
    const error = captureError(() => buildProposal(setup({ horizon: 5, policy: { policyId: 3, version: 2, policy: { ...policy, allowedInstruments: ['OTHER'] } } })));
    expect(error.code).toBe('invalid-input');
    expect(error.issues!.map((i) => i.path)).toEqual(['horizon', 'instrumentCode']);
  });
});

describe('designation on approval', () => {
  it('designates each month with contracts as a cash-flow hedge of that many tokens, 1 : 1, with a pending buy', () => {
    const [first, second, third] = designationsOf(buildProposal(setup()));
    expect(first).toMatchObject({
      contractMonth: '2026-11',
      hedgedPeriodStart: '2026-11-01',
      hedgedPeriodEnd: '2026-11-30',
      lastTradingDate: '2026-11-30',
      contracts: 7,
      hedgedTokens: 700_000_000,
      hedgedUnits: 700,
      hedgeRatio: 1,
      // 700,000,000 tokens × 1.45 USD per million
      expectedAmountMicros: 1_015_000_000,
      trade: { contractMonth: '2026-11', quantityContracts: 7, side: 'buy' },
    });
    expect(first!.texts.hedgedItem).toBe(
      'Forecast purchases of AI tokens by provider: deepseek (mapping "DeepSeek") from 2026-11-01 to 2026-11-30: 700,000,000 tokens (700 MTok), about 1,015.00 USD at the forecast\'s mean price; no more than the forecast\'s P10 of 820,000,000 tokens (forecast run #7), the volume the policy treats as highly probable. Purchased from external providers.',
    );
    expect(second!.lastTradingDate).toBe('2026-12-31');
    // 31 January 2027 is a Sunday: the last business day is Friday the 29th.
    expect(third!.lastTradingDate).toBe('2027-01-29');
  });

  it('caps the hedged item at the highly probable quantile when rounding up goes beyond it', () => {
    const s = setup({ policy: { policyId: 3, version: 2, policy: { ...policy, rounding: 'ceil' } } });
    s.forecastRun.months = [{ ...s.forecastRun.months[0]!, tokens: q(760 * M, 1000 * M, 1300 * M) }, ...s.forecastRun.months.slice(1)];
    const [first] = designationsOf(buildProposal(s));
    // 75 % × 1,000 = 750 ≤ 760 → 7.5 → 8 contracts = 800 MTok of futures for at most 760 MTok of purchases.
    expect(first).toMatchObject({ contracts: 8, hedgedTokens: 760_000_000, hedgedUnits: 760, hedgeRatio: 800 / 760 });
  });

  it('leaves months without contracts undesignated', () => {
    const p = buildProposal(setup({ policy: { policyId: 3, version: 2, policy: { ...policy, limits: { maxContracts: 10, marginBudgetMicros: null } } } }));
    expect(designationsOf(p).map((d) => d.contractMonth)).toEqual(['2026-11', '2026-12']);
  });
});

describe('cost-at-risk of a proposal', () => {
  const settings: CostAtRiskSettings = { sigma: 0.5, sigmaSource: 'entered', meanReversion: 0, volumePriceCorrelation: 0, paths: 20_000, seed: 11, confidence: 0.95 };

  it('gives the same figures for the same seed', () => {
    const p = buildProposal(setup());
    expect(proposalCostAtRisk(p, settings)).toEqual(proposalCostAtRisk(p, settings));
  });

  it('costs exactly volume × forecast price, with no risk, when the price cannot move and the volume is fixed', () => {
    const s = setup();
    s.forecastRun.months = s.forecastRun.months.map((m) => ({ ...m, tokens: q(m.tokens.p50, m.tokens.p50, m.tokens.p50) }));
    const car = proposalCostAtRisk(buildProposal(s), { ...settings, sigma: 0, paths: 1000 });
    // (1,000 + 1,200 + 1,500) MTok × 1.45 USD. With P10 = P50, December hedges 600 MTok (6 contracts): 16 contracts'
    // fees, 35 + 30 + 15 CNY = 4.861111 + 4.166667 + 2.083333 = 11.111111 USD, on top.
    expect(car.unhedged).toEqual({ meanMicros: 5_365_000_000, p50Micros: 5_365_000_000, percentileMicros: 5_365_000_000, costAtRiskMicros: 0 });
    expect(car.hedged).toEqual({ meanMicros: 5_376_111_111, p50Micros: 5_376_111_111, percentileMicros: 5_376_111_111, costAtRiskMicros: 0 });
  });

  it('takes the hedged share off the cost-at-risk, as the closed-form lognormal says, within 1 %', () => {
    // One month, USD instrument at 2.00 USD per MTok, the organisation paying the same; 70 % hedged.
    const s = setup({
      baseCurrency: 'USD',
      fx: null,
      horizon: 1,
      instrument: { ...setup().instrument, priceCurrency: 'USD', feePerContractMicros: 0 },
      policy: { policyId: 3, version: 1, policy: { ...policy, buckets: [{ fromPeriod: 1, toPeriod: 1, ratio: 0.7, minRatio: 0.6, maxRatio: 0.8 }] } },
      curve: { priceDate: '2026-10-30', prices: new Map([['2026-11', 2_000_000]]) },
    });
    s.forecastRun.months = [{ month: '2026-11', tokens: q(1000 * M, 1000 * M, 1000 * M), pricePerMTokMicros: q(2_000_000, 2_000_000, 2_000_000), spendMicros: q(0, 2_000_000_000, 0, 2_000_000_000) }];
    const p = buildProposal(s);
    expect(p.lines[0]!.contracts).toBe(7);
    const car = proposalCostAtRisk(p, { ...settings, paths: 100_000 });
    const years = simulationPeriodsOf(p)[0]!.years;
    expect(years).toBeCloseTo(31 / 365, 12);
    const exact = analyticCostAtRisk({ quantity: 1000, forward: 2, sigma: 0.5, years, confidence: 0.95, hedgedFraction: 0.7 });
    expect(Math.abs(car.unhedged.percentileMicros / 1e6 / exact.unhedged.percentileCost - 1)).toBeLessThan(0.01);
    expect(Math.abs(car.hedged.percentileMicros / 1e6 / exact.hedged.percentileCost - 1)).toBeLessThan(0.01);
    expect(Math.abs(car.hedged.costAtRiskMicros / 1e6 / exact.hedged.costAtRisk - 1)).toBeLessThan(0.03);
  });

  it('reduces the cost-at-risk, stresses margin calls and shares histogram bins between both distributions', () => {
    const car = proposalCostAtRisk(buildProposal(setup()), settings);
    expect(car.hedged.costAtRiskMicros).toBeLessThan(car.unhedged.costAtRiskMicros);
    expect(car.reductionMicros).toBe(car.unhedged.costAtRiskMicros - car.hedged.costAtRiskMicros);
    expect(car.marginCall.initialMarginMicros).toBe(52_847_222);
    expect(car.marginCall.percentileCashNeedMicros).toBe(52_847_222 + car.marginCall.percentilePeakVariationMicros);
    expect(car.marginCall.percentilePeakVariationMicros).toBeGreaterThan(0);
    expect(car.histogram).toHaveLength(40);
    expect(car.histogram.reduce((s, b) => s + b.unhedged, 0)).toBe(20_000);
    expect(car.histogram.reduce((s, b) => s + b.hedged, 0)).toBe(20_000);
  });
});

describe('index volatility from monthly averages', () => {
  it('annualises the sample deviation of month-on-month log changes by √12', () => {
    // Six changes of +10 %, −10 %… in logs: mean 0, sample variance 6 × 0.01 / 5 = 0.012.
    const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'];
    const averages = new Map(months.map((m, i) => [m, Math.round(2_000_000 * Math.exp(i % 2 === 0 ? 0 : 0.1))]));
    const v = indexVolatility(averages, { indexCode: 'IDX', beforeMonth: '2026-08' });
    expect(v.sigma).toBeCloseTo(Math.sqrt(0.012) * Math.sqrt(12), 4);
    expect(v).toMatchObject({ changes: 6, fromMonth: '2026-01', toMonth: '2026-07' });
  });

  it('says why when the index has too little history', () => {
    const v = indexVolatility(new Map([['2026-01', 1], ['2026-02', 2]]), { indexCode: 'IDX', beforeMonth: '2026-08' });
    expect(v).toEqual({ sigma: null, changes: 1, reason: 'the index IDX has 1 month-on-month changes before 2026-08; at least 6 are needed to estimate a volatility: enter one' });
  });

  it('counts every value once in a shared histogram', () => {
    const bins = pairedHistogram([1, 2, 3], [2, 4], 3);
    expect(bins.map((b) => [b.a, b.b])).toEqual([
      [1, 0],
      [1, 1],
      [1, 1],
    ]);
  });
});

describe('FX for the margin budget', () => {
  const rate = (rateDate: string, base: string, quote: string, text: string): FxRate => ({ rateDate: rateDate as IsoDate, base, quote, rate: parseDecimal(text)! });

  it('takes the latest rate on or before the date, in either direction, at most seven days old', () => {
    const rates = [rate('2026-10-28', 'USD', 'CNY', '7.15'), rate('2026-10-29', 'CNY', 'USD', '0.14'), rate('2026-11-02', 'USD', 'CNY', '7.3')];
    expect(findFxConversion(rates, 'CNY', 'USD', '2026-10-30' as IsoDate)).toEqual({ from: 'CNY', to: 'USD', rateDate: '2026-10-29', pair: { base: 'CNY', quote: 'USD', rate: '0.14' } });
    expect(findFxConversion(rates, 'CNY', 'USD', '2026-11-06' as IsoDate)!.rateDate).toBe('2026-11-02');
    expect(findFxConversion(rates, 'CNY', 'USD', '2026-11-10' as IsoDate)).toBeUndefined();
    expect(findFxConversion(rates, 'EUR', 'USD', '2026-10-30' as IsoDate)).toBeUndefined();
  });

  it('divides by a base/quote rate and multiplies by a quote/base one, rounding once half-even', () => {
    expect(convertWithFx(182_000_000, usdCny)).toBe(25_277_778);
    expect(convertWithFx(182_000_000, { ...usdCny, pair: { base: 'CNY', quote: 'USD', rate: '0.14' } })).toBe(25_480_000);
    expect(describeConversion(182_000_000, usdCny)).toBe('182.00 CNY ÷ 7.2 (1 USD = 7.2 CNY on 2026-10-30) = 25.277778 USD');
  });
});

describe('which forecast fits which exposure mapping', () => {
  const filter = (providers: string[], models: string[] = []) => ({ providers, models, costCentres: [], tokenKinds: [] });

  it('matches a one-provider mapping exactly, a provider inside a wider mapping, and refuses others', () => {
    expect(segmentCoverage({ dimension: 'provider', value: 'deepseek' }, filter(['deepseek'])).coverage).toBe('exact');
    expect(segmentCoverage({ dimension: 'provider', value: 'openai' }, filter(['openai', 'anthropic', 'azure'])).coverage).toBe('within');
    expect(segmentCoverage({ dimension: 'provider', value: 'deepseek' }, filter(['openai', 'anthropic'])).coverage).toBe('outside');
    expect(segmentCoverage({ dimension: 'total', value: null }, filter([])).coverage).toBe('exact');
    expect(segmentCoverage({ dimension: 'total', value: null }, filter(['openai'])).coverage).toBe('outside');
    expect(segmentCoverage({ dimension: 'provider', value: 'openai' }, filter(['openai'], ['gpt-4o'])).coverage).toBe('outside');
  });

  it('names the segment a one-value mapping describes, and none for a list', () => {
    expect(segmentOfFilter(filter(['deepseek']))).toEqual({ dimension: 'provider', value: 'deepseek' });
    expect(segmentOfFilter(filter(['openai', 'azure']))).toBeNull();
    expect(segmentOfFilter(filter([]))).toEqual({ dimension: 'total', value: null });
  });

  it('finds the forecast quantile of a policy quantile name', () => {
    expect(quantileKeyOf('p10')).toBe('p10');
    expect(quantileKeyOf('p5')).toBe('p05');
    expect(quantileKeyOf('p15')).toBeUndefined();
  });
});

function captureError(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
