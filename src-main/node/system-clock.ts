import { fixedClock, type Clock } from '../common/time/clock.ts';
import type { IsoDate } from '../common/time/iso-date.ts';
import { parseDateTimeToMs } from '../common/time/parse-date-time.ts';

/**
 * The clock at the edges (CLI, main process, job workers), passed inward. Normally the real time. When the
 * environment variable TOKENHEDGE_AS_OF holds an instant or a date ("2026-11-24T09:30:00Z", "2026-11-24"), the
 * clock is frozen there, so a report can be reproduced as of that date and the test suite gives the same answers
 * on every day of the year (worker threads and child processes inherit the variable).
 */
export const systemClock: Clock = edgeClock(process.env.TOKENHEDGE_AS_OF);

export function edgeClock(asOf: string | undefined): Clock {
  if (asOf === undefined || asOf.trim() === '') {
    return { now: () => Date.now(), today: () => new Date().toISOString().slice(0, 10) as IsoDate };
  }
  const ms = parseDateTimeToMs(asOf);
  if (ms === undefined) throw new Error(`TOKENHEDGE_AS_OF is not a date or instant: "${asOf}" (use e.g. 2026-11-24T09:30:00Z)`);
  return fixedClock(ms);
}
