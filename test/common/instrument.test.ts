import { describe, expect, it } from 'vitest';
import { averageMicros, basisHedgeRatio, basisSeries, exposureMappingIssues, tokensTimesFactor } from '../../src-main/common/hedging/exposure.ts';
import { INSTRUMENT_TEMPLATES, instrumentIssues, lastTradingDate, listedContractMonths } from '../../src-main/common/hedging/instrument.ts';
import { parseDecimal } from '../../src-main/common/money/decimal.ts';
import type { IsoDate, IsoMonth } from '../../src-main/common/time/iso-date.ts';

const template = INSTRUMENT_TEMPLATES[0]!;

describe('instrument specifications', () => {
  it('accept both templates, which are marked hypothetical', () => {
    for (const t of INSTRUMENT_TEMPLATES) {
      expect(instrumentIssues(t)).toEqual([]);
      expect(t.status).toBe('hypothetical');
    }
  });

  it('name every impossible field', () => {
    const issues = instrumentIssues({
      ...template,
      code: 'has space',
      contractQuantity: 0,
      priceCurrency: 'usd',
      tickSizeMicros: 0.5,
      listing: { kind: 'consecutive-months', count: 0 },
      lastTrading: { kind: 'business-days-before-month-end', days: -1 },
      margin: { kind: 'per-contract', initialMicros: 100, maintenanceMicros: 200 },
      provenance: '',
    });
    expect(issues.map((i) => i.path)).toEqual([
      'code',
      'contractQuantity',
      'priceCurrency',
      'tickSizeMicros',
      'listing.count',
      'lastTrading.days',
      'margin.maintenanceMicros',
      'provenance',
    ]);
  });

  it('find the last trading day: the last business day of the month, or N business days before it', () => {
    // 31 May 2026 is a Sunday: the last business day is Friday 29 May.
    expect(lastTradingDate({ kind: 'business-days-before-month-end', days: 0 }, '2026-05' as IsoMonth)).toBe('2026-05-29');
    expect(lastTradingDate({ kind: 'business-days-before-month-end', days: 2 }, '2026-05' as IsoMonth)).toBe('2026-05-27');
    expect(lastTradingDate({ kind: 'business-days-before-month-end', days: 0 }, '2026-06' as IsoMonth)).toBe('2026-06-30');
  });

  it('list the contract months trading on a date, rolling after the last trading day', () => {
    const monthly = { listing: { kind: 'consecutive-months', count: 3 }, lastTrading: { kind: 'business-days-before-month-end', days: 0 } } as const;
    expect(listedContractMonths(monthly, '2026-05-29' as IsoDate)).toEqual(['2026-05', '2026-06', '2026-07']);
    expect(listedContractMonths(monthly, '2026-05-30' as IsoDate)).toEqual(['2026-06', '2026-07', '2026-08']);
    const quarterly = { ...monthly, listing: { kind: 'quarterly', count: 4 } } as const;
    expect(listedContractMonths(quarterly, '2026-05-10' as IsoDate)).toEqual(['2026-06', '2026-09', '2026-12', '2027-03']);
    const custom = { lastTrading: monthly.lastTrading, listing: { kind: 'custom' as const, months: ['2026-12', '2026-04', '2027-06'] } };
    expect(listedContractMonths(custom, '2026-05-10' as IsoDate)).toEqual(['2026-12', '2027-06']);
  });
});

describe('exposure mapping and basis', () => {
  it('refuses a conversion factor that is not a positive decimal', () => {
    const draft = { instrumentCode: 'X', name: 'n', filter: { providers: [], models: [], costCentres: [], tokenKinds: [] }, contractUnitsPerToken: '0', note: '' };
    expect(exposureMappingIssues(draft)).toEqual([{ path: 'contractUnitsPerToken', message: '"0" is not a decimal number greater than 0' }]);
    expect(exposureMappingIssues({ ...draft, contractUnitsPerToken: '0.000001' })).toEqual([]);
  });

  it('prices the organisation per contract unit exactly and sets it against the index', () => {
    const perMTok = parseDecimal('0.000001')!;
    // 1,000,000,000 tokens = 1,000 MTok costing CNY 2,600 → 2.60 per MTok against an index of 4.50: basis −1.90.
    // 3 tokens costing 0.000010 → 10 / 3 micros per 0.000003 MTok = 3.333333… → 3,333,333 micros (half-even).
    const points = basisSeries(
      [
        { month: '2026-09', tokensTimesFactor: tokensTimesFactor(1_000_000_000, perMTok), costMicros: 2_600_000_000 },
        { month: '2026-10', tokensTimesFactor: tokensTimesFactor(3, perMTok), costMicros: 10 },
        { month: '2026-11', tokensTimesFactor: tokensTimesFactor(0, perMTok), costMicros: 0 },
      ],
      new Map([['2026-09', 4_500_000]]),
    );
    expect(points).toEqual([
      { month: '2026-09', contractUnits: 1000, costMicros: 2_600_000_000, effectivePriceMicros: 2_600_000, indexMicros: 4_500_000, basisMicros: -1_900_000 },
      { month: '2026-10', contractUnits: 0.000003, costMicros: 10, effectivePriceMicros: 3_333_333, indexMicros: null, basisMicros: null },
      { month: '2026-11', contractUnits: 0, costMicros: 0, effectivePriceMicros: null, indexMicros: null, basisMicros: null },
    ]);
  });

  it('regresses month-on-month changes of the effective price on those of the index', () => {
    const point = (month: string, effective: number, index: number) => ({ month, contractUnits: 1, costMicros: 1, effectivePriceMicros: effective, indexMicros: index, basisMicros: effective - index });
    // The effective price moves exactly half as much as the index: h* = 0.5, R² = 1.
    const points = [point('a', 2_000_000, 4_000_000), point('b', 2_100_000, 4_200_000), point('c', 2_000_000, 4_000_000), point('d', 2_300_000, 4_600_000)];
    const { ratio, changes } = basisHedgeRatio(points);
    expect(changes).toBe(3);
    expect(ratio!.hStar).toBeCloseTo(0.5, 12);
    expect(ratio!.r2).toBeCloseTo(1, 12);
    expect(basisHedgeRatio(points.slice(0, 3))).toMatchObject({ ratio: null, changes: 2 });
  });

  it('averages micros exactly', () => {
    expect(averageMicros([1, 2])).toBe(2);
    expect(averageMicros([2_600_000, 2_600_001, 2_600_002])).toBe(2_600_001);
  });
});
