import { describe, expect, it } from 'vitest';
import { rollingOriginBacktest } from '../../src-main/common/forecast/backtest.ts';
import { normalDistribution } from '../../src-main/common/forecast/distribution.ts';
import { reconcileTwoLevel } from '../../src-main/common/forecast/reconcile.ts';
import {
  forecastSegment,
  trimLeadingZeros,
  type TokenForecastSettings,
  type UsageMonth,
} from '../../src-main/common/forecast/token-forecast.ts';
import { addMonths, type IsoMonth } from '../../src-main/common/time/iso-date.ts';

/** A monthly history starting 2024-01: tokens as given, priced at `pricePerMTok` USD (micros per token = price). */
function history(tokens: number[], pricePerMTok = 2): UsageMonth[] {
  return tokens.map((t, i) => ({
    month: addMonths('2024-01' as IsoMonth, i),
    tokens: t,
    costBaseMicros: Math.round(t * pricePerMTok),
    pricedTokens: t,
  }));
}

const settings: TokenForecastSettings = { method: 'naive', horizon: 4, seed: 1, overlays: [], pricePath: { kind: 'history' } };
const growing = (start: number, step: number, noise: number[]) => noise.map((e, i) => start + step * i + e);
const noiseA = [3, -2, 4, 0, -3, 2, 1, -1, 2, -4, 3, 0, 1, -2, 2, 0, -1, 3, -2, 1, 0, 2, -1, 1];
const noiseB = [-1, 2, 0, 3, -2, 1, -3, 2, 0, 1, -1, 2, 1, 0, -2, 3, 1, -1, 0, 2, -2, 1, 0, -1];

describe('reconciliation', () => {
  it('spreads the gap between the total and the sum of segments in proportion to forecast variances', () => {
    // Total 100 (variance 1), segments 30 (1) and 50 (2): gap 20 over total variance 4 → 35, 60; total 95.
    const r = reconcileTwoLevel({ mean: [100], variance: [1] }, [
      { mean: [30], variance: [1] },
      { mean: [50], variance: [2] },
    ]);
    expect(r.segments).toEqual([[35], [60]]);
    expect(r.total).toEqual([95]);
  });
});

describe('rolling-origin backtest', () => {
  it('pools the errors of every origin over the known steps', () => {
    // 12 months at 10, then 11, 12. Origins 12 and 13; the naive forecast is the last value.
    const values = [...new Array<number>(12).fill(10), 11, 12];
    const backtest = rollingOriginBacktest(values, 1, (training, steps) =>
      normalDistribution(new Array<number>(steps).fill(training[training.length - 1]!), new Array<number>(steps).fill(1)),
    );
    expect(backtest.available).toBe(true);
    if (!backtest.available) return;
    expect(backtest.origins).toBe(2);
    expect(backtest.forecasts).toBe(3);
    // Origin 12 forecasts 10, 10 for 11, 12; origin 13 forecasts 11 for 12.
    expect(backtest.smape).toBeCloseTo((200 / 21 + 400 / 22 + 200 / 23) / 3, 10);
    // 80 % interval ±1.28: holds 11 (miss 1) only; 95 % interval ±1.96 holds 11 and the 1-off at origin 13.
    expect(backtest.coverage80).toBeCloseTo(2 / 3, 10);
    expect(backtest.coverage95).toBeCloseTo(2 / 3, 10);
  });

  it('says why it is unavailable for a short history', () => {
    const backtest = rollingOriginBacktest([1, 2, 3], 12, () => normalDistribution([1], [1]));
    expect(backtest).toEqual({ available: false, reason: 'a backtest needs more than 12 months of history (have 3)' });
  });
});

describe('forecastSegment', () => {
  const a = history(growing(1000, 10, noiseA));
  const b = history(growing(500, 5, noiseB), 4);
  const total = a.map((m, i) => ({
    month: m.month,
    tokens: m.tokens + b[i]!.tokens,
    costBaseMicros: m.costBaseMicros + b[i]!.costBaseMicros,
    pricedTokens: m.pricedTokens + b[i]!.pricedTokens,
  }));
  const base = { total, siblings: [{ value: 'a', history: a }, { value: 'b', history: b }], reconcileWith: 'provider' as const, lastMonth: '2025-12' as IsoMonth, backtest: false };

  it('forecasts the months after the history, with volume, price and spend', () => {
    const f = forecastSegment({ ...base, segment: { dimension: 'provider', value: 'a' }, settings });
    expect(f.months.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    expect(f.months[0]!.pricePerMTokMicros.p50).toBe(2_000_000);
    for (const m of f.months) {
      expect(m.tokens.p10).toBeLessThan(m.tokens.p50);
      expect(m.tokens.p50).toBeLessThan(m.tokens.p90);
      expect(m.spendMicros.p10).toBeLessThan(m.spendMicros.p90);
    }
  });

  it('makes the segments add up to the total (coherent means)', () => {
    const fa = forecastSegment({ ...base, segment: { dimension: 'provider', value: 'a' }, settings });
    const fb = forecastSegment({ ...base, segment: { dimension: 'provider', value: 'b' }, settings });
    const ft = forecastSegment({ ...base, segment: { dimension: 'total', value: null }, settings });
    ft.months.forEach((m, h) => {
      expect(Math.abs(fa.months[h]!.tokens.mean + fb.months[h]!.tokens.mean - m.tokens.mean)).toBeLessThanOrEqual(2);
      expect(Math.abs(fa.months[h]!.spendMicros.mean + fb.months[h]!.spendMicros.mean - m.spendMicros.mean)).toBeLessThanOrEqual(2);
    });
    expect(ft.reconciliation).toContain('diagonal MinT');
  });

  it('adds a launch ramping up over three months to every quantile of volume', () => {
    const plain = forecastSegment({ ...base, segment: { dimension: 'provider', value: 'a' }, settings });
    const launched = forecastSegment({
      ...base,
      segment: { dimension: 'provider', value: 'a' },
      settings: { ...settings, overlays: [{ kind: 'launch', label: 'Aria', fromMonth: '2026-02' as IsoMonth, tokensPerMonth: 300, rampMonths: 3 }] },
    });
    const added = launched.months.map((m, h) => m.tokens.p10 - plain.months[h]!.tokens.p10);
    expect(added).toEqual([0, 100, 200, 300]);
    expect(launched.months.map((m, h) => m.tokens.mean - plain.months[h]!.tokens.mean)).toEqual([0, 100, 200, 300]);
  });

  it('applies a price change from its month and a user price path exactly', () => {
    const f = forecastSegment({
      ...base,
      segment: { dimension: 'provider', value: 'a' },
      settings: {
        ...settings,
        pricePath: { kind: 'fixed', steps: [{ fromMonth: '2026-01' as IsoMonth, pricePerMTokMicros: 3_000_000 }] },
        overlays: [{ kind: 'price-change', label: 'cut', fromMonth: '2026-03' as IsoMonth, percent: -20 }],
      },
    });
    expect(f.months.map((m) => m.pricePerMTokMicros.p50)).toEqual([3_000_000, 3_000_000, 2_400_000, 2_400_000]);
    // With a known price, spend quantiles are volume quantiles × price (micros per token = price / 1e6 … × 1e6).
    const m = f.months[2]!;
    expect(m.spendMicros.p50 / (m.tokens.p50 * 2.4)).toBeCloseTo(1, 3);
    expect(m.spendMicros.p10 / (m.tokens.p10 * 2.4)).toBeCloseTo(1, 3);
  });

  it('runs a rolling-origin backtest on the segment history when asked', () => {
    const f = forecastSegment({ ...base, backtest: true, segment: { dimension: 'provider', value: 'a' }, settings });
    expect(f.backtest.tokens.available).toBe(true);
    if (f.backtest.tokens.available) {
      expect(f.backtest.tokens.origins).toBe(12);
      expect(f.backtest.tokens.horizon).toBe(4);
    }
    expect(f.backtest.spend.available).toBe(true);
  });

  it('calibrates volume and spend intervals on the backtest and says how in one paragraph', () => {
    const f = forecastSegment({ ...base, backtest: true, segment: { dimension: 'provider', value: 'a' }, settings });
    expect(f.calibration.tokens?.steps.map((s) => s.step)).toEqual([1, 2, 3, 4]);
    expect(f.calibration.tokens?.forecasts).toBe(f.backtest.tokens.available ? f.backtest.tokens.forecasts : -1);
    expect(f.calibration.spend?.origins).toBe(12);
    expect(f.calibration.summary).toMatch(/^Volume intervals calibrated on your backtest \(42 forecasts from 12 origins\)/);
  });

  it('leaves the intervals as the model made them and says so when the backtest is skipped', () => {
    const f = forecastSegment({ ...base, segment: { dimension: 'provider', value: 'a' }, settings });
    expect(f.calibration.tokens).toBeNull();
    expect(f.calibration.spend).toBeNull();
    expect(f.calibration.summary).toContain('Intervals as the model made them: the backtest was not run');
  });

  it('puts the price-level shifts of the history into the price interval at the rate they occurred', () => {
    // 24 months at a flat price with a 20 % cut in month 9 and a 25 % rise in month 17: no typical move, two shifts
    // in 23 changes. Twelve months ahead a shift has happened with probability 1 − (21/23)^12 = 0.66, so P10 is a cut.
    const tokens = new Array<number>(24).fill(1000);
    const price = (i: number) => (i < 8 ? 2 : i < 16 ? 1.6 : 2);
    const shifted = tokens.map((t, i) => ({ month: addMonths('2024-01' as IsoMonth, i), tokens: t, costBaseMicros: Math.round(t * price(i)), pricedTokens: t }));
    const f = forecastSegment({
      segment: { dimension: 'total', value: null },
      total: shifted,
      siblings: [{ value: 'a', history: shifted }],
      reconcileWith: 'provider',
      lastMonth: '2025-12' as IsoMonth,
      settings: { ...settings, horizon: 12 },
      backtest: false,
    });
    expect(f.calibration.price.shifts.map((x) => Math.round(x * 100))).toEqual([-20, 25]);
    const last = f.months[11]!.pricePerMTokMicros;
    expect(last.p50).toBe(2_000_000);
    expect(last.p10).toBeLessThanOrEqual(1_600_000);
    expect(last.p90).toBeGreaterThanOrEqual(2_500_000);
    expect(f.calibration.summary).toContain('2 price-level shifts in 23 months (−20 %, +25 %) recur in the intervals at that rate');
  });

  it('keeps a flat price exact when the history has no price-level shift, and says a cut is not in the intervals', () => {
    const f = forecastSegment({ ...base, segment: { dimension: 'provider', value: 'a' }, settings });
    expect(f.calibration.price.shifts).toEqual([]);
    expect(f.months.map((m) => [m.pricePerMTokMicros.p10, m.pricePerMTokMicros.p90])).toEqual(new Array(4).fill([2_000_000, 2_000_000]));
    expect(f.calibration.summary).toContain('no price-level shift in the history, so a future price cut is not in the intervals');
  });

  it('refuses a segment without usage', () => {
    expect(() => forecastSegment({ ...base, segment: { dimension: 'provider', value: 'zzz' }, settings })).toThrow(/no usage/);
  });

  it('starts a segment history at its first month of usage', () => {
    expect(trimLeadingZeros(history([0, 0, 5, 0, 7])).map((m) => m.tokens)).toEqual([5, 0, 7]);
  });
});
