import { parseDecimal, type Decimal } from './decimal.ts';

/**
 * How numbers are written in one file. Most exports use "." as the decimal mark; spreadsheets saved in
 * comma-decimal locales write "1.234,56".
 */
export type NumberStyle = { decimalMark: '.' | ',' };

export const DOT_DECIMAL: NumberStyle = { decimalMark: '.' };

// Currency symbols and codes seen in exports ("$10,000.00 ", "¥0.5", "USD 3.10").
const CURRENCY_MARKS = /[$€£¥￥₩₹]|\b(?:USD|EUR|GBP|CNY|RMB|JPY)\b/g;

/**
 * Parses an amount as people and spreadsheets write it: surrounding spaces, a currency symbol, thousands
 * separators, a sign or accounting parentheses — "$10,000.00 ", "(12.50)", "1.234,56" with a comma style.
 * The result is exact. Returns `undefined` when the text is not a number after that cleaning.
 */
export function parseAmountText(raw: string, style: NumberStyle = DOT_DECIMAL): Decimal | undefined {
  let text = raw.trim().replace(CURRENCY_MARKS, '').replace(/\s+/g, '');
  let negative = false;
  if (text.startsWith('(') && text.endsWith(')')) {
    negative = true;
    text = text.slice(1, -1);
  }
  if (style.decimalMark === ',') {
    text = text.replace(/\.(?=\d{3}(?:\D|$))/g, '').replace(',', '.');
  } else {
    text = text.replace(/,(?=\d{3}(?:\D|$))/g, '');
  }
  if (text.startsWith('-') && negative) return undefined;
  const value = parseDecimal(text);
  if (!value) return undefined;
  return negative ? { units: -value.units, scale: value.scale } : value;
}
