import { fixedClock } from '../../src-main/common/time/clock.ts';

/** 2026-11-24 09:30 UTC: a fixed "now" for tests. */
export const TEST_NOW_MS = Date.UTC(2026, 10, 24, 9, 30);
export const testClock = fixedClock(TEST_NOW_MS);
