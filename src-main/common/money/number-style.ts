import type { NumberStyle } from './amount-text.ts';

/** How one file writes numbers and dates, detected from its data (never from the machine's locale). */
export type FileStyle = NumberStyle & {
  /** Order of day and month in slashed dates: `mdy` (US, Azure MCA) or `dmy` (most of Europe). */
  dateOrder: 'mdy' | 'dmy';
};

export const DEFAULT_STYLE: FileStyle = { decimalMark: '.', dateOrder: 'mdy' };

const COMMA_DECIMAL = /^[-+(]?[^\d-]{0,3}\d{1,3}(?:\.\d{3})*,\d+\)?\s*$|^[-+]?\d+,\d+$/;
const DOT_DECIMAL = /^[-+(]?[^\d-]{0,3}\d{1,3}(?:,\d{3})*\.\d+\)?\s*$|^[-+]?\d*\.\d+(?:[eE][-+]?\d+)?$/;
const THOUSANDS_DOT_ONLY = /^[-+]?\d{1,3}(?:\.\d{3})+$/;
const AMBIGUOUS_THOUSANDS = /^[-+]?\d{1,3}(?:,\d{3})+$/;
const SLASH_DATE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\b/;

/**
 * Decides the decimal mark and the date order of a file from sample cells (the first rows):
 * - decimal comma when some cells read as "1.234,56" / "0,5" and none as "1,234.56" / "0.5";
 *   "1.234" alone (thousands with dots) also means a comma style when no cell has a dot fraction;
 * - day first when a slashed or dotted date has a first part above 12 (or dots: "31.01.2026"), month first otherwise.
 * Cells that are not numbers or dates are ignored. `semicolonDelimited` breaks a tie towards the comma style,
 * as Excel writes `;` exactly in the locales that use a decimal comma.
 */
export function detectFileStyle(samples: readonly (readonly string[])[], semicolonDelimited = false): FileStyle {
  let comma = 0;
  let dot = 0;
  let thousandDots = 0;
  let dayFirst = 0;
  let monthFirst = 0;
  let dotted = 0;
  for (const row of samples) {
    for (const raw of row) {
      const cell = raw.trim();
      if (cell.length === 0 || cell.length > 40) continue;
      const date = SLASH_DATE.exec(cell);
      if (date) {
        if (cell[date[1]!.length] === '.') dotted++;
        if (Number(date[1]) > 12) dayFirst++;
        else if (Number(date[2]) > 12) monthFirst++;
        continue;
      }
      if (AMBIGUOUS_THOUSANDS.test(cell)) continue;
      if (COMMA_DECIMAL.test(cell)) comma++;
      else if (DOT_DECIMAL.test(cell)) dot++;
      else if (THOUSANDS_DOT_ONLY.test(cell)) thousandDots++;
    }
  }
  let decimalMark: '.' | ',' = '.';
  if (comma > 0 && dot === 0) decimalMark = ',';
  else if (comma === 0 && dot === 0 && thousandDots > 0) decimalMark = ',';
  else if (comma > 0 && dot > 0 && semicolonDelimited && comma >= dot) decimalMark = ',';
  const dateOrder = dayFirst > 0 && monthFirst === 0 ? 'dmy' : dotted > 0 && monthFirst === 0 ? 'dmy' : 'mdy';
  return { decimalMark, dateOrder };
}

export function describeStyle(style: FileStyle): string {
  return `decimal ${style.decimalMark === ',' ? 'comma' : 'point'}, dates ${style.dateOrder === 'dmy' ? 'day/month/year' : 'month/day/year'}`;
}
