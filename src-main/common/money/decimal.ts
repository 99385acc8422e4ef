import { divRound, type RoundingMode } from './rounding.ts';

/**
 * An exact decimal number: `units × 10^-scale`. "12.340" is `{ units: 12340n, scale: 3 }`.
 * Amounts from files are parsed into this (never through a binary float) and then rounded once into micros.
 */
export type Decimal = { readonly units: bigint; readonly scale: number };

// Optional sign, digits with an optional fraction (either part may be empty but not both), optional exponent.
const PLAIN_DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/**
 * Parses a decimal in plain notation or E-notation: "12", "-0.5", ".25", "35.2E-7", "1.385e-05".
 * Returns `undefined` for anything else (empty text, "1,5", "$3"); callers that accept looser formats
 * normalise first (see `parseAmountText`).
 */
export function parseDecimal(text: string): Decimal | undefined {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return undefined;
  let units = BigInt((whole || '0') + fraction);
  if (sign === '-') units = -units;
  let scale = fraction.length - (exponentText ? Number(exponentText) : 0);
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units, scale };
}

/** The value of `decimal` expressed as an integer count of `10^-targetScale`, rounded once with `mode`. */
export function rescale(decimal: Decimal, targetScale: number, mode: RoundingMode): bigint {
  const shift = targetScale - decimal.scale;
  if (shift >= 0) return decimal.units * 10n ** BigInt(shift);
  return divRound(decimal.units, 10n ** BigInt(-shift), mode);
}

/** Exact decimal text of `units × 10^-scale`, e.g. (12340n, 3) → "12.340". */
export function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (scale === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(scale + 1, '0');
  const whole = padded.slice(0, padded.length - scale);
  const fraction = padded.slice(padded.length - scale);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

export function decimalToString(decimal: Decimal): string {
  return formatScaled(decimal.units, decimal.scale);
}

export function isZeroDecimal(decimal: Decimal): boolean {
  return decimal.units === 0n;
}

/** `a × b` exactly. */
export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}
