import { DomainError } from '../errors.ts';
import { formatScaled, parseDecimal, rescale, type Decimal } from './decimal.ts';
import { divRound, type RoundingMode } from './rounding.ts';

/**
 * Money as an integer count of millionths of the currency's major unit: $2.50 → 2_500_000 micros,
 * ¥0.5 → 500_000. Exact to sum in SQL and in JS, and fine enough for AI prices ($0.075 per 1M tokens is
 * 75_000 micros per 1M tokens). The largest safe value is about 9.0 billion units of the currency.
 */
export type Micros = number & { readonly __unit: 'micros' };

export const MICROS_PER_UNIT = 1_000_000;
const MICRO_SCALE = 6;

/** Checks that `value` is a safe integer and brands it. Use at every boundary (row reads, parsed files). */
export function asMicros(value: number, what = 'amount'): Micros {
  if (!Number.isSafeInteger(value)) {
    throw new DomainError('money-out-of-range', `${what} is not a whole number of micros within ±2^53: ${value}`);
  }
  return value as Micros;
}

export function bigintToMicros(value: bigint, what = 'amount'): Micros {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new DomainError('money-out-of-range', `${what} is too large to hold exactly: ${formatScaled(value, MICRO_SCALE)}`);
  }
  return Number(value) as Micros;
}

/** Exact decimal → micros, rounded once (half-even by default: "0.0000005" → 0, "0.0000015" → 2). */
export function decimalToMicros(decimal: Decimal, mode: RoundingMode = 'half-even', what = 'amount'): Micros {
  return bigintToMicros(rescale(decimal, MICRO_SCALE, mode), what);
}

/** "12.34" → 12_340_000 micros. Throws `invalid-input` for text that is not a plain decimal. */
export function microsFromDecimalText(text: string, mode: RoundingMode = 'half-even'): Micros {
  const decimal = parseDecimal(text.trim());
  if (!decimal) throw new DomainError('invalid-input', `not a decimal number: "${text}"`);
  return decimalToMicros(decimal, mode);
}

/**
 * Exact decimal text of a micros amount, with at least `minFractionDigits` decimals and no trailing zeros
 * beyond them: 12_500_000 → "12.50", 1 → "0.000001", -3_000_000 → "-3.00".
 */
export function formatMicros(micros: number, minFractionDigits = 2): string {
  const full = formatScaled(BigInt(micros), MICRO_SCALE);
  const [whole, fraction = ''] = full.split('.');
  let trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length < minFractionDigits) trimmed = trimmed.padEnd(minFractionDigits, '0');
  return trimmed ? `${whole}.${trimmed}` : `${whole}`;
}

/** a + b, checked. */
export function addMicros(a: Micros, b: Micros): Micros {
  return asMicros(a + b, 'sum');
}

/**
 * `micros × numerator / denominator`, computed exactly and rounded once — the one helper for products such
 * as tokens × price or amount × FX rate.
 */
export function mulDivMicros(
  micros: number | bigint,
  numerator: bigint,
  denominator: bigint,
  mode: RoundingMode = 'half-even',
): Micros {
  return bigintToMicros(divRound(BigInt(micros) * numerator, denominator, mode));
}

/**
 * Cost of `tokens` at `pricePerMTokMicros` (a price per one million tokens, in micros):
 * 1_500_000 tokens at $2.50/1M (2_500_000) → 3_750_000 micros ($3.75). Rounded once.
 */
export function costOfTokens(tokens: number, pricePerMTokMicros: number, mode: RoundingMode = 'half-even'): Micros {
  return bigintToMicros(divRound(BigInt(tokens) * BigInt(pricePerMTokMicros), 1_000_000n, mode), 'token cost');
}
