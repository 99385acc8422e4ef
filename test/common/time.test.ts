import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, isIsoDate, monthRange, monthsBetween, type IsoDate, type IsoMonth } from '../../src-main/common/time/iso-date.ts';
import { parseDateTimeToMs } from '../../src-main/common/time/parse-date-time.ts';

describe('parseDateTimeToMs', () => {
  const oct1 = Date.UTC(2024, 9, 1);
  it.each([
    ['2024-10-01T00:00:00Z'],
    ['2024-10-01T00:00:00.000+00:00'],
    ['2024-10-01T00:00:00'],
    ['2024-10-01 00:00:00'],
    ['2024-10-01'],
    ['10/1/24'],
    ['10/01/2024'],
    ['1727740800'],
  ])('reads %s as 2024-10-01 00:00 UTC', (text) => {
    expect(parseDateTimeToMs(text)).toBe(oct1);
  });

  it('applies an explicit offset', () => {
    expect(parseDateTimeToMs('2024-10-01T08:00:00+08:00')).toBe(oct1);
  });

  it('refuses impossible or unknown dates', () => {
    for (const text of ['2025-02-30', '2024-13-01', 'yesterday', '', '31/12/2024']) expect(parseDateTimeToMs(text)).toBeUndefined();
  });
});

describe('calendar helpers', () => {
  it('add months across a year end and count months between', () => {
    expect(addMonths('2024-11' as IsoMonth, 3)).toBe('2025-02');
    expect(addMonths('2025-01' as IsoMonth, -1)).toBe('2024-12');
    expect(monthsBetween('2024-05' as IsoMonth, '2026-10' as IsoMonth)).toBe(29);
    expect(monthRange('2024-11' as IsoMonth, '2025-01' as IsoMonth)).toEqual(['2024-11', '2024-12', '2025-01']);
  });

  it('add days across a leap day without local-time drift', () => {
    expect(addDays('2024-02-28' as IsoDate, 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29' as IsoDate, 1)).toBe('2024-03-01');
    expect(daysBetween('2024-01-01' as IsoDate, '2025-01-01' as IsoDate)).toBe(366);
  });

  it('validates calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-2-1')).toBe(false);
  });
});
