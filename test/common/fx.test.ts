import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src-main/common/money/decimal.ts';
import { createFxConverter, type FxRate } from '../../src-main/common/money/fx.ts';
import type { IsoDate } from '../../src-main/common/time/iso-date.ts';

const rate = (rateDate: string, base: string, quote: string, text: string): FxRate => ({
  rateDate: rateDate as IsoDate,
  base,
  quote,
  rate: parseDecimal(text)!,
});

describe('createFxConverter', () => {
  const rates = [rate('2026-10-30', 'USD', 'CNY', '7.1234'), rate('2026-11-02', 'USD', 'CNY', '7.2000')];

  it('divides a CNY amount by a USD/CNY rate: ¥1,000 at 7.1234 = $140.382402', () => {
    // 1000 / 7.1234 = 140.3824016621…, rounded half-even to the micro.
    const usd = createFxConverter(rates, 'USD');
    expect(usd.convert(1_000_000_000, 'CNY', '2026-10-30' as IsoDate)).toBe(140_382_402);
  });

  it('multiplies a USD amount by the same rate when the base currency is CNY: $100 = ¥712.34', () => {
    const cny = createFxConverter(rates, 'CNY');
    expect(cny.convert(100_000_000, 'USD', '2026-10-30' as IsoDate)).toBe(712_340_000);
  });

  it('uses the latest earlier rate over a weekend, and the new one from its date', () => {
    const usd = createFxConverter(rates, 'USD');
    expect(usd.convert(7_123_400, 'CNY', '2026-11-01' as IsoDate)).toBe(1_000_000);
    expect(usd.convert(7_200_000, 'CNY', '2026-11-02' as IsoDate)).toBe(1_000_000);
  });

  it('reports a missing rate instead of assuming one: nothing before the first rate, nothing over 7 days old', () => {
    const usd = createFxConverter(rates, 'USD');
    expect(usd.convert(1_000_000, 'CNY', '2026-10-29' as IsoDate)).toBeUndefined();
    expect(usd.convert(1_000_000, 'CNY', '2026-11-10' as IsoDate)).toBeUndefined();
    expect(usd.convert(1_000_000, 'EUR', '2026-10-30' as IsoDate)).toBeUndefined();
  });

  it('leaves base-currency amounts unchanged', () => {
    expect(createFxConverter([], 'USD').convert(-151_898, 'USD', '2024-09-03' as IsoDate)).toBe(-151_898);
  });
});
