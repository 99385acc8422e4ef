/**
 * How a derived amount is rounded to a whole number of its unit (micros, tokens, contracts). Every product or
 * quotient in the app is computed exactly in `bigint` and rounded once, with one of these named modes.
 * - `half-even`: to nearest, ties to even (banker's rounding) — the default for derived money.
 * - `half-up`: to nearest, ties away from zero.
 * - `floor` / `ceil`: towards −∞ / +∞.
 * - `down`: towards zero (truncation).
 */
export type RoundingMode = 'half-even' | 'half-up' | 'floor' | 'ceil' | 'down';

/** `numerator / denominator` rounded to an integer with `mode`. The denominator may be negative, never zero. */
export function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  // BigInt division truncates towards zero.
  const q = numerator / denominator;
  const r = numerator % denominator;
  if (r === 0n) return q;
  const negative = numerator < 0n;
  const twiceRemainder = (r < 0n ? -r : r) * 2n;
  switch (mode) {
    case 'down':
      return q;
    case 'floor':
      return negative ? q - 1n : q;
    case 'ceil':
      return negative ? q : q + 1n;
    case 'half-up':
      if (twiceRemainder >= denominator) return negative ? q - 1n : q + 1n;
      return q;
    case 'half-even': {
      if (twiceRemainder > denominator) return negative ? q - 1n : q + 1n;
      if (twiceRemainder < denominator) return q;
      const odd = (q < 0n ? -q : q) % 2n === 1n;
      if (!odd) return q;
      return negative ? q - 1n : q + 1n;
    }
  }
}
