import { createFocusMapper } from './focus/focus-mapper.ts';
import { detectFocus } from './focus/focus-columns.ts';
import { createFxRatesMapper, detectFxRates } from './fx/fx-rates-mapper.ts';
import type { FormatMatch } from './row-outcome.ts';

/**
 * Recognises a file's format from its header row (never from its name) and returns the best match, or
 * `undefined`. Each new importer adds its detector here.
 */
export function detectFormat(header: readonly string[]): FormatMatch | undefined {
  const matches: FormatMatch[] = [];
  const focus = detectFocus(header);
  if (focus) {
    matches.push({ format: 'focus', ...focus, createMapper: () => createFocusMapper(header) });
  }
  const fx = detectFxRates(header);
  if (fx) {
    matches.push({ format: 'fx-rates', ...fx, createMapper: ({ fileName }) => createFxRatesMapper(header, fileName) });
  }
  matches.sort((a, b) => b.confidence - a.confidence);
  return matches[0];
}

export const SUPPORTED_FORMATS_TEXT = 'FOCUS 1.0–1.3 cost and usage CSV, FX rates CSV (date,base,quote,rate)';
