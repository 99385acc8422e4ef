import { describe, expect, it } from 'vitest';
import { calcCostAtRisk, calcHedgeRatio, calcPropose } from '../../src-main/common/hedging/calc.ts';
import { DomainError } from '../../src-main/common/errors.ts';

/** The one-line message a bad input gets. */
function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('invalid-input');
    return (error as Error).message;
  }
  throw new Error('expected the calculation to refuse its input');
}

const hull = { sigmaSpot: 0.0263, sigmaFutures: 0.0313, rho: 0.928, exposure: 2_000_000, contractSize: 42_000 };
const proposal = {
  policy: { buckets: [{ fromPeriod: 1, toPeriod: 1, ratio: 0.75 }, { fromPeriod: 2, toPeriod: 3, ratio: 0.5 }], quantile: 'p10', rounding: 'floor' },
  contractSize: 100,
  periods: [
    { period: '2027-Q1', p50: 1000, p10: 820, price: 2.6 },
    { period: '2027-Q2', p50: 1200, p10: 500, price: 2.5 },
  ],
};

describe('calc hedge-ratio', () => {
  it('answers Hull’s example from σS, σF and ρ with h*, R², contracts and effectiveness', () => {
    const out = calcHedgeRatio(hull);
    expect(out).toMatchObject({ method: 'moments', contracts: 37, effective: true, warning: null });
    expect(out.hStar).toBeCloseTo(0.779757, 6);
    expect(out.r2).toBeCloseTo(0.861184, 6);
    expect(out.contractsUnrounded).toBeCloseTo(37.1313, 4);
  });

  it('regresses the spot changes on the futures changes and warns below R² 0.8', () => {
    const out = calcHedgeRatio({ spotChanges: [2, 0, 0, -2], futuresChanges: [1, -1, 1, -1], exposure: 1000, contractSize: 100 });
    expect(out.method).toBe('regression');
    expect(out.r2).toBeCloseTo(0.5, 12);
    expect(out.effective).toBe(false);
    expect(out.warning).toMatch(/R² 0.500 is below 0.8/);
  });

  it('names the field of a missing, mistyped or impossible value', () => {
    expect(messageOf(() => calcHedgeRatio({ ...hull, exposure: undefined }))).toBe('calc hedge-ratio: exposure: is required (number)');
    expect(messageOf(() => calcHedgeRatio({ ...hull, rho: '0.9' }))).toBe('calc hedge-ratio: rho: expected number, received string');
    expect(messageOf(() => calcHedgeRatio({ ...hull, exposure: -5 }))).toBe('calc hedge-ratio: exposure: must not be negative');
    expect(messageOf(() => calcHedgeRatio({ ...hull, rho: 1.2 }))).toBe('calc hedge-ratio: rho: must be between -1 and 1');
    expect(messageOf(() => calcHedgeRatio({ ...hull, contractSize: 0 }))).toBe('calc hedge-ratio: contractSize: must be greater than 0');
    expect(messageOf(() => calcHedgeRatio({ ...hull, colour: 'red' }))).toBe('calc hedge-ratio: colour: is not a known field');
    expect(messageOf(() => calcHedgeRatio([1, 2]))).toBe('calc hedge-ratio: (input): must be a JSON object');
  });

  it('refuses empty and mismatched series', () => {
    const base = { exposure: 1, contractSize: 1 };
    expect(messageOf(() => calcHedgeRatio({ ...base, spotChanges: [], futuresChanges: [] }))).toBe('calc hedge-ratio: spotChanges: must not be empty (and 1 more)');
    expect(messageOf(() => calcHedgeRatio({ ...base, spotChanges: [1, 2, 3], futuresChanges: [1, 2] }))).toMatch(
      /^calc hedge-ratio: futuresChanges: has 2 values but spotChanges has 3/,
    );
    expect(messageOf(() => calcHedgeRatio({ ...base, spotChanges: [1, 2, 3], futuresChanges: [1, 1, 1] }))).toMatch(/futuresChanges: .*do not vary/);
  });
});

describe('calc propose', () => {
  it('returns the lines, totals and explanations in plain units', () => {
    const out = calcPropose(proposal);
    expect(out.lines.map((l) => [l.period, l.hedgeable, l.ratio, l.contractsUnrounded, l.contracts, l.effectiveRatio, l.notional])).toEqual([
      ['2027-Q1', 820, 0.75, 7.5, 7, 0.7, 1820],
      ['2027-Q2', 500, 0.5, 5, 5, 500 / 1200, 1250],
    ]);
    expect(out.totalContracts).toBe(12);
    expect(out.totalNotional).toBe(3070);
    expect(out.lines[1]!.explanations.target).toBe('50 % × P50 1,200 = 600, capped at the hedgeable P10 500.');
    // A bucket without a band gives no band warning.
    expect(out.lines[0]!.warnings).toEqual([]);
  });

  it('uses the quantile the policy names', () => {
    const out = calcPropose({ ...proposal, policy: { ...proposal.policy, quantile: 'p25' }, periods: [{ period: 'A', p50: 1000, p25: 700, price: 1 }] });
    expect(out.lines[0]!.hedgeable).toBe(700);
    expect(out.lines[0]!.contracts).toBe(7);
  });

  it('names the field of bad input', () => {
    const bad = (change: object) => messageOf(() => calcPropose({ ...proposal, ...change }));
    expect(bad({ periods: [{ period: 'A', p50: 10, price: 1 }] })).toBe('calc propose: periods[0].p10: is required (policy.quantile is "p10")');
    expect(bad({ periods: [] })).toBe('calc propose: periods: must not be empty');
    expect(bad({ periods: [{ period: 'A', p50: -1, p10: 0, price: 1 }] })).toBe('calc propose: periods[0].p50: must not be negative');
    expect(bad({ periods: [{ period: 'A', p50: 10, p10: 12, price: 1 }] })).toBe('calc propose: periods[0].p10: 12 is above p50 10: a lower quantile cannot exceed the median');
    expect(bad({ periods: [{ period: 'A', p50: 10, p10: 'x', price: 1 }] })).toBe('calc propose: periods[0].p10: must be a finite number');
    expect(bad({ contractSize: -100 })).toBe('calc propose: contractSize: must be greater than 0');
    expect(bad({ policy: { ...proposal.policy, buckets: [{ fromPeriod: 1, toPeriod: 2, ratio: 1.5 }] } })).toBe(
      'calc propose: policy.buckets[0].ratio: must be between 0 and 1',
    );
    expect(bad({ policy: { ...proposal.policy, buckets: [{ fromPeriod: 1, toPeriod: 2, ratio: 0.5 }, { fromPeriod: 2, toPeriod: 3, ratio: 0.2 }] } })).toBe(
      'calc propose: policy.buckets[1].fromPeriod: overlaps buckets[0] (periods 2–2)',
    );
    expect(bad({ policy: { ...proposal.policy, rounding: 'up' } })).toMatch(/^calc propose: policy.rounding: Invalid option/);
    expect(bad({ policy: { ...proposal.policy, buckets: [{ fromPeriod: 1, toPeriod: 3, ratio: 0.9, minRatio: 0.4, maxRatio: 0.6 }] } })).toBe(
      'calc propose: policy.buckets[0].ratio: the target 90 % is outside its band 40 %–60 %',
    );
  });
});

describe('calc cost-at-risk', () => {
  const car = { quantity: 1000, forward: 2.5, sigma: 0.4, years: 1, confidence: 0.95, hedgedFraction: 0.5, paths: 100_000, seed: 42 };

  it('puts the simulated answer beside the analytic one, within 1 %', () => {
    const out = calcCostAtRisk(car);
    expect(out.analytic.percentileCost).toBeCloseTo(4455.913911, 5);
    expect(Math.abs(out.percentileCost / out.analytic.percentileCost - 1)).toBeLessThan(0.01);
    expect(Math.abs(out.hedged.costAtRisk / out.analytic.hedged.costAtRisk - 1)).toBeLessThan(0.02);
    expect(out.costAtRisk).toBeCloseTo(out.percentileCost - out.expectedCost, 9);
    expect(out.hedged.costAtRisk).toBeLessThan(out.costAtRisk);
  });

  it('fills in the documented defaults', () => {
    const out = calcCostAtRisk({ quantity: 10, forward: 1, sigma: 0.2, years: 0.5 });
    expect(out).toMatchObject({ confidence: 0.95, paths: 10_000, seed: 1, hedged: { hedgedFraction: 0 } });
  });

  it('names the field of bad input', () => {
    const bad = (change: object) => messageOf(() => calcCostAtRisk({ ...car, ...change }));
    expect(bad({ quantity: -1 })).toBe('calc cost-at-risk: quantity: must not be negative');
    expect(bad({ hedgedFraction: 1.5 })).toBe('calc cost-at-risk: hedgedFraction: must be between 0 and 1');
    expect(bad({ confidence: 1 })).toBe('calc cost-at-risk: confidence: must be at least 0.5 and below 1');
    expect(bad({ paths: 10.5 })).toBe('calc cost-at-risk: paths: must be a whole number');
    expect(bad({ forward: 0 })).toBe('calc cost-at-risk: forward: must be greater than 0');
    expect(bad({ sigma: undefined })).toBe('calc cost-at-risk: sigma: is required (number)');
    expect(bad({ volumeP10: 2000 })).toBe('calc cost-at-risk: volumeP10: 2000 is above quantity (the P50 volume) 1000');
  });
});
