import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src-main/common/errors.ts';
import { parseAmountText } from '../../src-main/common/money/amount-text.ts';
import { decimalToString, parseDecimal } from '../../src-main/common/money/decimal.ts';
import {
  asMicros,
  costOfTokens,
  decimalToMicros,
  formatMicros,
  microsFromDecimalText,
  mulDivMicros,
} from '../../src-main/common/money/micros.ts';
import { divRound } from '../../src-main/common/money/rounding.ts';

describe('divRound', () => {
  // IEEE 754 roundTiesToEven: 2.5 → 2, 3.5 → 4, −2.5 → −2 (banker's rounding).
  it('rounds ties to the even neighbour in half-even mode', () => {
    expect([divRound(25n, 10n, 'half-even'), divRound(35n, 10n, 'half-even'), divRound(-25n, 10n, 'half-even'), divRound(-35n, 10n, 'half-even')]).toEqual([
      2n, 4n, -2n, -4n,
    ]);
  });

  it('rounds ties away from zero in half-up mode', () => {
    expect([divRound(25n, 10n, 'half-up'), divRound(-25n, 10n, 'half-up'), divRound(24n, 10n, 'half-up')]).toEqual([3n, -3n, 2n]);
  });

  it('rounds towards −∞, +∞ and zero in floor, ceil and down modes', () => {
    expect([divRound(-21n, 10n, 'floor'), divRound(21n, 10n, 'ceil'), divRound(-29n, 10n, 'down'), divRound(29n, 10n, 'down')]).toEqual([
      -3n, 3n, -2n, 2n,
    ]);
  });

  it('handles a negative denominator and refuses zero', () => {
    expect(divRound(7n, -2n, 'half-even')).toBe(-4n);
    expect(() => divRound(1n, 0n, 'half-even')).toThrow(RangeError);
  });
});

describe('parseDecimal', () => {
  it('reads E-notation exactly, as the FOCUS numeric format allows ("35.2E-7")', () => {
    expect(parseDecimal('35.2E-7')).toEqual({ units: 352n, scale: 8 });
    expect(decimalToString(parseDecimal('1.385e-05')!)).toBe('0.00001385');
    expect(decimalToString(parseDecimal('2.5E3')!)).toBe('2500');
  });

  it('keeps all 30 digits of a long decimal', () => {
    expect(decimalToString(parseDecimal('123456789012345678901234567890.123456')!)).toBe('123456789012345678901234567890.123456');
  });

  it('refuses text that is not a plain decimal', () => {
    for (const text of ['', '.', '1,5', '$3', '1.2.3', 'abc', '--1']) expect(parseDecimal(text)).toBeUndefined();
  });
});

describe('micros', () => {
  it('rounds a decimal to micros once, half-even: 0.0000005 → 0, 0.0000015 → 2', () => {
    expect(decimalToMicros(parseDecimal('0.0000005')!)).toBe(0);
    expect(decimalToMicros(parseDecimal('0.0000015')!)).toBe(2);
    expect(decimalToMicros(parseDecimal('-0.0000025')!)).toBe(-2);
    expect(microsFromDecimalText('12.34')).toBe(12_340_000);
  });

  it('prices tokens exactly: 1,500,000 tokens at $2.50 per 1M cost $3.75', () => {
    expect(costOfTokens(1_500_000, 2_500_000)).toBe(3_750_000);
  });

  it('represents sub-cent prices: 10M tokens at $0.075 per 1M cost $0.75', () => {
    expect(costOfTokens(10_000_000, 75_000)).toBe(750_000);
    // 1,234,567 tokens at $3 per 1M = $3.703701 exactly.
    expect(costOfTokens(1_234_567, 3_000_000)).toBe(3_703_701);
  });

  it('multiplies by a ratio with one rounding: $100 × 2/3 = $66.666667', () => {
    expect(mulDivMicros(100_000_000, 2n, 3n)).toBe(66_666_667);
  });

  it('formats micros as exact decimal text with at least two decimals', () => {
    expect(formatMicros(12_500_000)).toBe('12.50');
    expect(formatMicros(1)).toBe('0.000001');
    expect(formatMicros(-3_000_000)).toBe('-3.00');
    expect(formatMicros(-151_898)).toBe('-0.151898');
  });

  it('refuses amounts beyond the safe integer range instead of losing precision', () => {
    expect(() => asMicros(2 ** 53)).toThrow(DomainError);
    expect(() => decimalToMicros(parseDecimal('9999999999.5')!)).toThrow(/too large/);
    expect(() => asMicros(1.5)).toThrow(/whole number of micros/);
  });
});

describe('parseAmountText', () => {
  it('reads the FOCUS spec example money string "$10,000.00 "', () => {
    expect(decimalToString(parseAmountText('$10,000.00 ')!)).toBe('10000.00');
  });

  it('reads accounting negatives and comma-decimal numbers', () => {
    expect(decimalToString(parseAmountText('(12.50)')!)).toBe('-12.50');
    expect(decimalToString(parseAmountText('1.234,56', { decimalMark: ',' })!)).toBe('1234.56');
    expect(decimalToString(parseAmountText('-0.00000764078')!)).toBe('-0.00000764078');
  });

  it('returns nothing for text that is not an amount', () => {
    expect(parseAmountText('n/a')).toBeUndefined();
    expect(parseAmountText('1,5')).toBeUndefined();
  });
});
