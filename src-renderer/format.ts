import { minorUnitDigits } from '../src-main/common/money/currency.ts';
import { MICROS_PER_UNIT } from '../src-main/common/money/micros.ts';

/**
 * Display helpers. Amounts stay integer micros everywhere else; they become floating numbers only here, at the
 * screen and chart edge, for people to read.
 */
const locale = typeof navigator !== 'undefined' ? navigator.language : 'en-US';

export function formatMoney(micros: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(micros / MICROS_PER_UNIT);
}

/** "$1.2M" — for chart axes and headline figures. */
export function formatMoneyCompact(micros: number, currency: string): string {
  const value = micros / MICROS_PER_UNIT;
  // Small amounts keep their cents; large ones read better as "$1.2M".
  if (Math.abs(value) < 1000) {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: Math.abs(value) < 10 ? 2 : 0 }).format(value);
  }
  return new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** A price per million tokens with enough decimals for sub-cent prices: "$0.075", "$3.00". */
export function formatPricePerMTok(micros: number, currency: string): string {
  const value = micros / MICROS_PER_UNIT;
  const digits = value === 0 || Math.abs(value) >= 0.1 ? 2 : 4;
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function formatTokens(tokens: number): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(tokens);
}

export function formatInteger(n: number): string {
  return new Intl.NumberFormat(locale).format(n);
}

export function formatMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, 1));
}

export function formatPercent(fraction: number): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(fraction);
}

/** Chart values: micros → currency units as a float, only for plotting. */
export function toChartUnits(micros: number): number {
  return micros / MICROS_PER_UNIT;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const PROVIDER_COLOURS: Record<string, string> = {
  openai: '#10a37f',
  anthropic: '#d97757',
  azure: '#0078d4',
  aws: '#ff9900',
  gcp: '#4285f4',
  deepseek: '#4d6bfe',
  alibaba: '#ff6a00',
  moonshot: '#6b5bd6',
  zhipu: '#2f5bea',
};

const FALLBACK_COLOURS = ['#5b6b7f', '#8e6bbf', '#2e9d8f', '#c05b8c', '#9a8a3a', '#3a7ca5'];

export function colourFor(key: string, index: number): string {
  return PROVIDER_COLOURS[key] ?? FALLBACK_COLOURS[index % FALLBACK_COLOURS.length]!;
}

export const TOKEN_KIND_LABELS: Record<string, string> = {
  input: 'Input',
  cache_read: 'Cached input',
  cache_write: 'Cache write',
  output: 'Output',
  other: 'Other',
};

export const TOKEN_KIND_COLOURS: Record<string, string> = {
  input: '#3a7ca5',
  cache_read: '#81c3d7',
  cache_write: '#b5a1d8',
  output: '#d1495b',
  other: '#999999',
};
