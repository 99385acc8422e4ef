import { createHash } from 'node:crypto';
import { parseAmountText } from '../../common/money/amount-text.ts';
import { parseDecimal, rescale, type Decimal } from '../../common/money/decimal.ts';
import { decimalToMicros } from '../../common/money/micros.ts';
import type { FileStyle } from '../../common/money/number-style.ts';
import { parseDateTimeToMs } from '../../common/time/parse-date-time.ts';
import { isNullText } from './row-outcome.ts';

export const DAY_MS = 86_400_000;

/** Reads a cell: trimmed text, or '' for a missing column or a null marker. */
export function cell(fields: readonly string[], index: number): string {
  if (index < 0) return '';
  const text = fields[index];
  if (text === undefined) return '';
  return isPlainCell(text) ? text : isNullText(text) ? '' : text.trim();
}

/**
 * True for a cell that is neither padded with white space nor possibly a null marker (the common case, decided
 * from its first and last characters: `trim` removes only characters ≤ 32 or outside ASCII, and every null
 * marker starts with N, n or U).
 */
export function isPlainCell(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(n - 1);
  return first > 32 && first < 127 && first !== 78 && first !== 110 && first !== 85 && last > 32 && last < 127;
}

/**
 * A copy of `text` that does not keep alive the text it was cut from. A cell is a slice of the chunk of the file
 * it was read from (about a megabyte), and a slice kept in a cache keeps that whole chunk in memory: anything
 * kept beyond the row being read (cache keys, scopes, reasons) is copied with this first.
 */
export function ownText(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/**
 * Micros of a plain decimal (`-12.5`, `0.000125`: at most 9 integer and 6 fraction digits), computed exactly
 * without a BigInt; undefined for any other text, which the exact decimal path then reads. The result equals
 * `decimalToMicros(parseDecimal(text))`: with at most 6 decimals there is nothing to round, and the value stays
 * far below 2^53.
 */
export function plainDecimalMicros(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n === 0) return undefined;
  if (text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let whole = 0;
  const wholeStart = i;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
  }
  const wholeDigits = i - wholeStart;
  if (wholeDigits === 0 || wholeDigits > 9) return undefined;
  let fraction = 0;
  let fractionDigits = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46) return undefined;
    for (i++; i < n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9 || ++fractionDigits > 6) return undefined;
      fraction = fraction * 10 + d;
    }
  }
  const micros = whole * 1_000_000 + fraction * POWERS_OF_TEN[6 - fractionDigits]!;
  return negative && micros !== 0 ? -micros : micros;
}
const POWERS_OF_TEN = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/**
 * A money cell to micros, rounded once half-even (through the exact decimal for anything but a plain decimal of
 * at most six places); undefined when the text is not a number. Throws `money-out-of-range` like
 * `decimalToMicros`, naming `what()`.
 */
export function readMicros(text: string, style: FileStyle, what: () => string): number | undefined {
  if (style.decimalMark === '.') {
    const fast = plainDecimalMicros(text);
    if (fast !== undefined) return fast;
  }
  const value = readNumber(text, style);
  return value === undefined ? undefined : decimalToMicros(value, 'half-even', what());
}

/** A plain whole number of at most 15 digits (`1234`, `-5`), else undefined. */
export function plainInteger(text: string): number | undefined {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  if (n === i || n - i > 15) return undefined;
  let value = 0;
  for (let k = i; k < n; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return undefined;
    value = value * 10 + d;
  }
  return i === 1 && value !== 0 ? -value : value;
}

/** A number as the file writes it (its decimal mark, thousands separators, currency symbols), exact. */
export function readNumber(text: string, style: FileStyle): Decimal | undefined {
  if (style.decimalMark === '.') {
    const plain = parseDecimal(text);
    if (plain) return plain;
  }
  return parseAmountText(text, style);
}

/** Excel stores dates as days since 1899-12-30 (with the 1900 leap-year bug built in). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** A date/time cell in any of the formats of the reference, the file's date order, or an Excel serial date. */
export function readDateTime(text: string, style: FileStyle, excelSerials = false): number | undefined {
  const ms = parseDateTimeToMs(text, style.dateOrder);
  if (ms !== undefined) return ms;
  if (excelSerials && /^\d{5}(?:\.\d+)?$/.test(text)) return EXCEL_EPOCH_MS + Math.round(Number(text) * DAY_MS);
  return undefined;
}

/** A decimal to whole units (tokens), half-even; undefined when out of the safe range. */
export function wholeUnits(value: Decimal, multiplier = 1n): number | undefined {
  const n = rescale({ units: value.units * multiplier, scale: value.scale }, 0, 'half-even');
  return n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER) ? undefined : Number(n);
}

/**
 * Personal data (an email, an API key's name) as a stable pseudonym: the same value always gives the same
 * `pd:` + 12 hex digits, so lines can still be grouped by it, and the value itself is not kept.
 */
export function pseudonym(text: string): string {
  return text ? `pd:${createHash('sha256').update(text.trim().toLowerCase()).digest('hex').slice(0, 12)}` : '';
}

/** True for text that looks like an email address. */
export function looksLikeEmail(text: string): boolean {
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text.trim());
}

/**
 * Which unit a quantity is written in, detected from the row itself: the reference warns that Azure `Quantity`
 * and Bedrock usage amounts may be in raw tokens or in blocks of the unit of measure (`1K`, `1M`), so
 * `cost ≈ quantity × unitPrice` (quantity in blocks) is told apart from `cost ≈ quantity × unitPrice / block`
 * (quantity in tokens). When the price is missing or neither matches within 2 %, the implied price per token
 * decides (model tokens cost between 10⁻⁹ and 10⁻³ of a currency unit); failing that, the declared unit is
 * used and the line carries a warning. These ratios are checks, not money: plain numbers are fine here.
 */
export function detectQuantityScale(
  quantity: Decimal,
  block: number,
  unitPrice: Decimal | undefined,
  cost: Decimal,
): { tokensPerQuantity: number; evidence: 'declared' | 'implied-by-price' | 'assumed' } {
  if (block === 1) return { tokensPerQuantity: 1, evidence: 'declared' };
  const q = toFloat(quantity);
  const c = toFloat(cost);
  if (q === 0 || c === 0) return { tokensPerQuantity: block, evidence: 'assumed' };
  if (unitPrice) {
    const p = toFloat(unitPrice);
    if (p !== 0) {
      const ratio = c / (q * p);
      if (Math.abs(ratio - 1) < 0.02) return { tokensPerQuantity: block, evidence: 'implied-by-price' };
      if (Math.abs(ratio * block - 1) < 0.02) return { tokensPerQuantity: 1, evidence: 'implied-by-price' };
    }
  }
  const perTokenIfBlocks = Math.abs(c / (q * block));
  const perTokenIfTokens = Math.abs(c / q);
  const plausible = (x: number) => x >= 1e-9 && x <= 1e-3;
  if (plausible(perTokenIfBlocks) && !plausible(perTokenIfTokens)) return { tokensPerQuantity: block, evidence: 'implied-by-price' };
  if (plausible(perTokenIfTokens) && !plausible(perTokenIfBlocks)) return { tokensPerQuantity: 1, evidence: 'implied-by-price' };
  return { tokensPerQuantity: block, evidence: 'assumed' };
}

function toFloat(d: Decimal): number {
  return Number(d.units) / 10 ** d.scale;
}

/** Upper-case ISO code from `usd`, ` USD `, `RMB`, `¥`; undefined otherwise. */
export function currencyOf(text: string): string | undefined {
  const t = text.trim().toUpperCase();
  if (t === 'RMB' || t === '¥' || t === '元' || t === '人民币') return 'CNY';
  if (t === '$') return 'USD';
  return /^[A-Z]{3}$/.test(t) ? t : undefined;
}
