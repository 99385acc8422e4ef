import { parseDecimal, type Decimal } from '../money/decimal.ts';
import { formatMicros } from '../money/micros.ts';

/**
 * The exact decimal a JavaScript number prints as: 0.1 → 0.1 (not the binary 0.1000000000000000055…), 1e-7 →
 * 0.0000001. Quantities and ratios enter as plain numbers; products with money go through this and bigint.
 */
export function decimalOfNumber(value: number): Decimal {
  const decimal = Number.isFinite(value) ? parseDecimal(String(value)) : undefined;
  if (!decimal) throw new RangeError(`not a finite number: ${value}`);
  return decimal;
}

const QUANTITY = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });
const RATIO = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

/** A quantity for explanations: "1,250", "7.5", "0.000123". */
export function formatQuantity(value: number): string {
  return QUANTITY.format(value);
}

/** A ratio as a percentage for explanations: 0.755 → "75.5 %". */
export function formatRatioPercent(ratio: number): string {
  return `${RATIO.format(ratio * 100)} %`;
}

/** Money for explanations: 1_820_000_000 micros, "CNY" → "1,820.00 CNY". */
export function formatMoneyText(micros: number, currency: string | undefined): string {
  const text = formatMicros(micros, 2);
  const [whole, fraction] = text.split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const amount = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  return currency ? `${amount} ${currency}` : amount;
}
