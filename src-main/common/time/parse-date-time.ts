import { daysInMonth, type EpochMs } from './iso-date.ts';

/**
 * Date/time formats found in billing exports, all read as UTC unless an offset is given:
 * - ISO 8601: "2024-10-01T00:00:00Z", "2024-10-01T00:00:00.000+00:00", "2024-10-01T00:00:00" (no offset)
 * - SQL style: "2024-10-01 00:00:00" (the official FOCUS sample), with optional fraction and "UTC"
 * - date only: "2024-10-01"
 * - US style: "5/1/25", "05/01/2025", "5/1/2025 13:00" (month first, as in the FOCUS spec examples and Azure MCA)
 * - day-first dates when the file writes them so (`dateOrder` = 'dmy', detected per file): "31/01/2026";
 *   dotted dates are always day first: "31.01.2026"; year first with slashes: "2026/01/31"
 * - epoch seconds (OpenAI usage buckets): 1730419200 (also "1730419200.0"), epoch milliseconds, "20260131"
 * Returns `undefined` for anything else, or for impossible dates such as 2025-02-30.
 */
export function parseDateTimeToMs(raw: string, dateOrder: 'mdy' | 'dmy' = 'mdy'): EpochMs | undefined {
  const text = raw.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
    return build(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), frac, zone);
  }
  m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
    return build(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), '', undefined);
  }
  m = /^(\d{1,2})([/.])(\d{1,2})\2(\d{2}|\d{4}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i.exec(text);
  if (m) {
    const [, first, separator, second, yText, hText = '0', mi = '0', s = '0', ampm] = m;
    // Dotted dates ("31.01.2026") are always day first; slashed ones follow the file's detected order.
    const dayFirst = separator === '.' || dateOrder === 'dmy';
    const mo = dayFirst ? second : first;
    const d = dayFirst ? first : second;
    const y = yText!.length === 2 ? 2000 + Number(yText) : Number(yText);
    let h = Number(hText);
    if (ampm) {
      if (h < 1 || h > 12) return undefined;
      h = (h % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
    }
    return build(y, Number(mo), Number(d), h, Number(mi), Number(s), '', undefined);
  }
  if (/^\d{9,10}(?:\.0+)?$/.test(text)) return Math.trunc(Number(text)) * 1000;
  if (/^\d{13}$/.test(text)) return Number(text);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, '', undefined);
  return undefined;
}

function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  fraction: string,
  zone: string | undefined,
): EpochMs | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 24 || mi > 59 || s > 60) return undefined;
  const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (zone && !/^(Z|UTC)$/i.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

/** A billing month written as "202608" (GCP invoice.month), "2026-08" or "2026/08": the first instant of it, UTC. */
export function parseMonthToMs(raw: string): EpochMs | undefined {
  const m = /^(\d{4})[-/]?(\d{2})$/.exec(raw.trim());
  if (!m) return undefined;
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return undefined;
  return Date.UTC(Number(m[1]), mo - 1, 1);
}
