import type { EpochMs, IsoDate } from './iso-date.ts';

/**
 * The source of "now". Created once at the edge (CLI, main process) and passed in; the domain never reads the
 * system clock, so tests pass a fixed one.
 */
export type Clock = { now(): EpochMs; today(): IsoDate };

export function fixedClock(nowMs: EpochMs): Clock {
  return { now: () => nowMs, today: () => new Date(nowMs).toISOString().slice(0, 10) as IsoDate };
}
