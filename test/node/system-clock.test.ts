import { describe, expect, it } from 'vitest';
import { edgeClock } from '../../src-main/node/system-clock.ts';

describe('edgeClock', () => {
  it('freezes at TOKENHEDGE_AS_OF when it is set', () => {
    const clock = edgeClock('2026-01-31T23:00:00Z');
    expect(clock.today()).toBe('2026-01-31');
    expect(clock.now()).toBe(Date.UTC(2026, 0, 31, 23));
  });

  it('follows the real time when the variable is absent or empty', () => {
    const before = Date.now();
    const now = edgeClock(undefined).now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(edgeClock('  ').today()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses a value that is not a date', () => {
    expect(() => edgeClock('next tuesday')).toThrow(/TOKENHEDGE_AS_OF is not a date/);
  });
});
