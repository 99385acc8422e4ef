import { MICROS_PER_UNIT } from '../src-main/common/money/micros.ts';

const locale = typeof navigator !== 'undefined' ? navigator.language : 'en-US';

/** A price per unit with the decimals a tick needs: "$2.615", "CN¥2.94". */
export function formatUnitPrice(micros: number, currency: string): string {
  const value = micros / MICROS_PER_UNIT;
  const digits = Math.abs(value) >= 100 ? 2 : Math.abs(value) >= 1 ? 3 : 4;
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: digits }).format(value);
}

/** Exact decimal text of a micros amount for an input field: 2_615_000 → "2.615". */
export function microsToInput(micros: number): string {
  const negative = micros < 0;
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_UNIT);
  const fraction = String(abs % MICROS_PER_UNIT).padStart(6, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export const STATUS_LABELS: Record<string, string> = {
  listed: 'Listed',
  announced: 'Announced',
  hypothetical: 'Hypothetical',
  otc: 'OTC',
};

export const UNDERLYING_LABELS: Record<string, string> = { 'gpu-hour': 'GPU-hour', token: 'AI token', composite: 'Composite' };
