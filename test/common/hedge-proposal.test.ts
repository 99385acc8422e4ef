import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policyIssues, type HedgeBucket, type HedgePolicy } from '../../src-main/common/hedging/policy.ts';
import { proposalInputIssues, proposeHedge, type ProposalInput } from '../../src-main/common/hedging/proposal.ts';
import { proposalPeriodsFromForecast, simulationPeriodsFromProposal } from '../../src-main/common/hedging/proposal-inputs.ts';

const bucket = (fromPeriod: number, toPeriod: number, ratio: number, minRatio: number, maxRatio: number): HedgeBucket => ({ fromPeriod, toPeriod, ratio, minRatio, maxRatio });

const policy: HedgePolicy = {
  name: 'Hand-worked layers',
  buckets: [bucket(1, 1, 0.75, 0.6, 0.8), bucket(2, 2, 0.5, 0.4, 0.6), bucket(3, 4, 0.25, 0.2, 0.4)],
  quantile: 'p10',
  rounding: 'floor',
  ratioMethod: 'policy',
  limits: { maxContracts: null, marginBudgetMicros: null },
  allowedInstruments: [],
};

/** Five months of a token exposure in MTok, contracts of 100 MTok, prices in CNY per MTok (micros). */
const input: ProposalInput = {
  policy,
  contractSize: 100,
  periods: [
    { period: '2027-01', p50: 1000, hedgeable: 820, priceMicros: 2_600_000 },
    { period: '2027-02', p50: 1200, hedgeable: 500, priceMicros: 2_500_000 },
    { period: '2027-03', p50: 1500, hedgeable: 900, priceMicros: 2_450_000 },
    { period: '2027-04', p50: 1600, hedgeable: 1000, priceMicros: 2_400_000 },
    { period: '2027-05', p50: 1700, hedgeable: 1100, priceMicros: 2_350_000 },
  ],
  units: { quantity: 'MTok', currency: 'CNY' },
};

describe('a layered hedge proposal', () => {
  /**
   * Worked by hand:
   * 2027-01: 75 % × 1000 = 750 ≤ P10 820 → 7.5 → 7 contracts → 700/1000 = 70 %; 7 × 100 × 2.60 = 1,820.00
   * 2027-02: 50 % × 1200 = 600 > P10 500 → 500 → 5.0 → 5 → 500/1200 = 41.67 %; 5 × 100 × 2.50 = 1,250.00
   * 2027-03: 25 % × 1500 = 375 → 3.75 → 3 → 300/1500 = 20 %; 3 × 100 × 2.45 = 735.00
   * 2027-04: 25 % × 1600 = 400 → 4 → 25 %; 4 × 100 × 2.40 = 960.00
   * 2027-05: beyond the policy (4 periods) → 0
   * Total 19 contracts, notional 4,765.00 CNY.
   */
  it('hedges ratio × P50 capped at the P10, rounded down, period by period', () => {
    const proposal = proposeHedge(input);
    expect(proposal.lines.map((l) => [l.period, l.hedgeable, l.ratio, l.target, l.contractsUnrounded, l.contracts, l.notionalMicros])).toEqual([
      ['2027-01', 820, 0.75, 750, 7.5, 7, 1_820_000_000],
      ['2027-02', 500, 0.5, 500, 5, 5, 1_250_000_000],
      ['2027-03', 900, 0.25, 375, 3.75, 3, 735_000_000],
      ['2027-04', 1000, 0.25, 400, 4, 4, 960_000_000],
      ['2027-05', 1100, 0, 0, 0, 0, 0],
    ]);
    expect(proposal.lines.map((l) => l.effectiveRatio)).toEqual([0.7, 500 / 1200, 0.2, 0.25, 0]);
    expect(proposal.totalContracts).toBe(19);
    expect(proposal.totalNotionalMicros).toBe(4_765_000_000);
    expect(proposal.totalInitialMarginMicros).toBeNull();
  });

  it('explains every number of a line in one sentence', () => {
    const [first, second] = proposeHedge(input).lines;
    expect(first!.explanations).toEqual({
      hedgeable: "The forecast's P10 for 2027-01: 820 MTok, the volume the policy treats as highly probable.",
      ratio: 'Policy target 75 % of the bucket periods 1–1, band 60 %–80 %.',
      target: '75 % × P50 1,000 MTok = 750 MTok (within the hedgeable P10 820 MTok).',
      contractsUnrounded: '750 MTok / 100 MTok per contract = 7.5.',
      contracts: '7.5 rounded down = 7.',
      effectiveRatio: '7 × 100 MTok / P50 1,000 MTok = 70 %.',
      notional: '7 × 100 MTok × 2.60 CNY = 1,820.00 CNY.',
      initialMargin: 'No margin model given.',
    });
    expect(second!.explanations.target).toBe('50 % × P50 1,200 MTok = 600 MTok, capped at the hedgeable P10 500 MTok.');
  });

  it('rounds to the nearest or up when the policy says so, and warns when that exceeds the P10', () => {
    const nearest = proposeHedge({ ...input, policy: { ...policy, rounding: 'nearest' } });
    expect(nearest.lines.map((l) => l.contracts)).toEqual([8, 5, 4, 4, 0]);
    const ceil = proposeHedge({ ...input, periods: [{ period: '2027-01', p50: 1000, hedgeable: 740, priceMicros: 2_600_000 }], policy: { ...policy, rounding: 'ceil' } });
    expect(ceil.lines[0]!.contracts).toBe(8);
    expect(ceil.lines[0]!.warnings[0]).toMatch(/cover 800 MTok, more than the hedgeable P10 740 MTok/);
  });

  it('warns when rounding leaves the effective ratio below the policy band', () => {
    const lines = proposeHedge({ ...input, periods: [{ period: '2027-01', p50: 190, hedgeable: 190, priceMicros: 1 }] }).lines;
    // 75 % × 190 = 142.5 → 1.425 → 1 contract = 52.6 %, below 60 %.
    expect(lines[0]!.contracts).toBe(1);
    expect(lines[0]!.warnings).toEqual(['The effective ratio 52.6316 % is below the policy band 60 %–80 %.']);
  });

  it('takes contracts off the farthest periods to stay within the contract limit', () => {
    const limited = proposeHedge({ ...input, policy: { ...policy, limits: { maxContracts: 14, marginBudgetMicros: null } } });
    expect(limited.lines.map((l) => l.contracts)).toEqual([7, 5, 2, 0, 0]);
    expect(limited.totalContracts).toBe(14);
    expect(limited.lines[2]!.explanations.contracts).toBe('3.75 rounded down = 3, less 1 to stay within the limit of 14 contracts = 2.');
    expect(limited.warnings[0]).toMatch(/at most 14 contracts; 5 were taken off/);
  });

  it('adds the initial margin of each line from the margin model', () => {
    const proposal = proposeHedge({ ...input, margin: { kind: 'fraction-of-notional', initialFraction: 0.1, maintenanceFraction: 0.075 } });
    expect(proposal.lines.map((l) => l.initialMarginMicros)).toEqual([182_000_000, 125_000_000, 73_500_000, 96_000_000, 0]);
    expect(proposal.totalInitialMarginMicros).toBe(476_500_000);
    expect(proposal.lines[0]!.explanations.initialMargin).toBe('10 % of the notional 1,820.00 CNY = 182.00 CNY (rounded up to the micro).');
    const perContract = proposeHedge({ ...input, margin: { kind: 'per-contract', initialMicros: 30_000_000, maintenanceMicros: 20_000_000 } });
    expect(perContract.totalInitialMarginMicros).toBe(19 * 30_000_000);
  });

  it('keeps the initial margin within the budget by cutting the farthest periods', () => {
    // 10 % margin: 182 + 125 + 73.5 + 96 = 476.50; a budget of 400 CNY needs 76.50 less: period 4 (24/contract) −4 = 96 → 380.50.
    const proposal = proposeHedge({
      ...input,
      policy: { ...policy, limits: { maxContracts: null, marginBudgetMicros: 400_000_000 } },
      margin: { kind: 'fraction-of-notional', initialFraction: 0.1, maintenanceFraction: 0.075 },
    });
    expect(proposal.lines.map((l) => l.contracts)).toEqual([7, 5, 3, 0, 0]);
    expect(proposal.totalInitialMarginMicros).toBe(380_500_000);
  });

  it('uses the minimum-variance ratio instead of the targets, kept inside each band', () => {
    const proposal = proposeHedge({ ...input, ratioOverride: { ratio: 0.45, source: 'Minimum-variance h*' } });
    expect(proposal.lines.map((l) => l.ratio)).toEqual([0.6, 0.45, 0.4, 0.4, 0]);
    expect(proposal.lines[1]!.explanations.ratio).toBe('Minimum-variance h* 45 %, inside the bucket periods 2–2, band 40 %–60 %.');
    expect(proposal.lines[0]!.explanations.ratio).toBe('Minimum-variance h* 45 % kept inside the bucket periods 1–1, band 60 %–80 %: 60 %.');
  });

  it('rejects crossed quantiles, negative quantities and repeated periods, naming the field', () => {
    const issues = proposalInputIssues({
      ...input,
      contractSize: 0,
      periods: [
        { period: '2027-01', p50: 100, hedgeable: 120, priceMicros: 1 },
        { period: '2027-01', p50: -5, hedgeable: 0, priceMicros: 1 },
      ],
    });
    expect(issues).toEqual([
      { path: 'contractSize', message: 'must be a number greater than 0 (got 0)' },
      { path: 'periods[0].p10', message: '120 is above p50 100: a lower quantile cannot exceed the median' },
      { path: 'periods[1].p50', message: 'must be a number, 0 or more (got -5)' },
      { path: 'periods[1].period', message: '"2027-01" repeats periods[0].period' },
    ]);
    expect(() => proposeHedge({ ...input, contractSize: 0 })).toThrow(/contractSize/);
  });
});

describe('hedge policy validation', () => {
  const withBuckets = (buckets: HedgeBucket[]): HedgePolicy => ({ ...policy, buckets });

  it('accepts the default layered policy', () => {
    expect(policyIssues(DEFAULT_POLICY)).toEqual([]);
  });

  it('rejects overlapping buckets', () => {
    expect(policyIssues(withBuckets([bucket(1, 3, 0.7, 0.6, 0.8), bucket(3, 6, 0.5, 0.4, 0.6)]))).toEqual([
      { path: 'buckets[1].fromPeriod', message: 'overlaps buckets[0] (periods 3–3)' },
    ]);
  });

  it('rejects a gap between buckets and a first bucket after period 1', () => {
    expect(policyIssues(withBuckets([bucket(1, 3, 0.7, 0.6, 0.8), bucket(5, 6, 0.5, 0.4, 0.6)]))).toEqual([
      { path: 'buckets[1].fromPeriod', message: 'period 4 is in no bucket (buckets must follow each other from period 1)' },
    ]);
    expect(policyIssues(withBuckets([bucket(3, 6, 0.5, 0.4, 0.6)]))[0]).toEqual({
      path: 'buckets[0].fromPeriod',
      message: 'periods 1–2 are in no bucket (buckets must follow each other from period 1)',
    });
  });

  it('rejects a target outside its band, a ratio above 1 and an inverted band', () => {
    expect(policyIssues(withBuckets([bucket(1, 3, 0.85, 0.6, 0.8)]))).toEqual([
      { path: 'buckets[0].ratio', message: 'the target 85 % is outside its band 60 %–80 %' },
    ]);
    expect(policyIssues(withBuckets([bucket(1, 3, 1.2, 1, 1.2)])).map((i) => i.path)).toEqual(['buckets[0].ratio', 'buckets[0].maxRatio']);
    expect(policyIssues(withBuckets([bucket(1, 3, 0.5, 0.8, 0.4)]))).toEqual([
      { path: 'buckets[0].minRatio', message: "the band's lower edge 80 % is above its upper edge 40 %" },
    ]);
  });

  it('requires a band around every target in a saved policy', () => {
    expect(policyIssues(withBuckets([{ fromPeriod: 1, toPeriod: 3, ratio: 0.5 }]))).toEqual([]);
    expect(policyIssues(withBuckets([{ fromPeriod: 1, toPeriod: 3, ratio: 0.5 }]), { requireBands: true }).map((i) => i.path)).toEqual([
      'buckets[0].minRatio',
      'buckets[0].maxRatio',
    ]);
  });

  it('rejects an unknown quantile, one above the median, bad periods and negative limits', () => {
    const issues = policyIssues({
      ...policy,
      quantile: 'q10',
      buckets: [bucket(1, 0, 0.5, 0.4, 0.6)],
      limits: { maxContracts: -1, marginBudgetMicros: 1.5 },
    });
    expect(issues.map((i) => i.path)).toEqual(['quantile', 'buckets[0].toPeriod', 'buckets[0].toPeriod', 'limits.maxContracts', 'limits.marginBudgetMicros']);
    expect(policyIssues({ ...policy, quantile: 'p90' })[0]!.message).toMatch(/above the median/);
  });
});

describe('proposal inputs from a forecast and a forward curve', () => {
  it('converts forecast tokens to contract units and prices each month from the same contract month', () => {
    const { periods, issues } = proposalPeriodsFromForecast({
      months: [
        { month: '2026-11', p50Tokens: 1_000_000_000_000, hedgeableTokens: 820_000_000_000 },
        { month: '2026-12', p50Tokens: 1_200_000_000_000, hedgeableTokens: 500_000_000_000 },
        { month: '2027-01', p50Tokens: 1, hedgeableTokens: 1 },
      ],
      contractUnitsPerToken: '0.000001',
      curve: new Map([
        ['2026-11', 2_600_000],
        ['2026-12', 2_500_000],
      ]),
    });
    expect(periods).toEqual([
      { period: '2026-11', p50: 1_000_000, hedgeable: 820_000, priceMicros: 2_600_000 },
      { period: '2026-12', p50: 1_200_000, hedgeable: 500_000, priceMicros: 2_500_000 },
    ]);
    expect(issues).toEqual([{ path: 'months[2]', message: 'no settlement price for contract month 2027-01 on the curve date' }]);
  });

  it('turns proposal lines into Monte Carlo periods with the hedge bought at the futures price', () => {
    const lines = proposeHedge(input).lines.slice(0, 2);
    expect(simulationPeriodsFromProposal(lines, 100, [{ p10: 820, p90: 1300 }])).toEqual([
      { years: 1 / 12, forward: 2.6, volume: { p50: 1000, p10: 820, p90: 1300 }, hedgedQuantity: 700, hedgePrice: 2.6 },
      { years: 2 / 12, forward: 2.5, volume: { p50: 1200 }, hedgedQuantity: 500, hedgePrice: 2.5 },
    ]);
  });
});
