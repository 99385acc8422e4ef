/** A calendar date "YYYY-MM-DD" (no time zone: the date as printed on the bill, or a UTC date). */
export type IsoDate = string & { readonly __unit: 'iso-date' };
/** A calendar month "YYYY-MM". */
export type IsoMonth = string & { readonly __unit: 'iso-month' };
/** An instant: milliseconds since 1970-01-01T00:00:00Z. */
export type EpochMs = number;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isIsoDate(text: string): text is IsoDate {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function isIsoMonth(text: string): text is IsoMonth {
  const m = ISO_MONTH.exec(text);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The UTC calendar date of an instant. */
export function isoDateOfMs(ms: EpochMs): IsoDate {
  return new Date(ms).toISOString().slice(0, 10) as IsoDate;
}

/** Midnight UTC at the start of `date`. */
export function msOfIsoDate(date: IsoDate): EpochMs {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return isoDateOfMs(msOfIsoDate(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((msOfIsoDate(to) - msOfIsoDate(from)) / DAY_MS);
}

export function monthOf(date: IsoDate): IsoMonth {
  return date.slice(0, 7) as IsoMonth;
}

export function firstDayOfMonth(month: IsoMonth): IsoDate {
  return `${month}-01` as IsoDate;
}

export function addMonths(month: IsoMonth, count: number): IsoMonth {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + count;
  const year = Math.floor(index / 12);
  const mo = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(mo).padStart(2, '0')}` as IsoMonth;
}

/** Months from `from` to `to`: 2024-11 → 2025-02 is 3. */
export function monthsBetween(from: IsoMonth, to: IsoMonth): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}

/** Every month from `from` to `to`, both included. */
export function monthRange(from: IsoMonth, to: IsoMonth): IsoMonth[] {
  const months: IsoMonth[] = [];
  for (let i = 0, n = monthsBetween(from, to); i <= n; i++) months.push(addMonths(from, i));
  return months;
}

export function daysOfMonth(month: IsoMonth): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return daysInMonth(y, m);
}
