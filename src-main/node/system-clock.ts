import type { Clock } from '../common/time/clock.ts';
import type { IsoDate } from '../common/time/iso-date.ts';

/** The real clock, created at the edges (CLI, main process, workers) and passed inward. */
export const systemClock: Clock = {
  now: () => Date.now(),
  today: () => new Date().toISOString().slice(0, 10) as IsoDate,
};
