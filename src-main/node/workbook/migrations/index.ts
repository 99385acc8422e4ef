import type { Database } from 'better-sqlite3';
import * as initial from './0001-initial.ts';
import * as importEngine from './0002-import-engine.ts';
import * as forecastRuns from './0003-forecast-runs.ts';
import * as hedgingReference from './0004-instruments-market-data-policies.ts';
import * as hedgeProposals from './0007-hedge-proposals.ts';
import * as dayFirstKeys from './0008-day-first-natural-keys.ts';
import * as usageDimensions from './0009-usage-dimensions.ts';

export type Migration = { version: number; name: string; up(db: Database): void };

/**
 * Every schema change, in order. Append only: a released migration is never edited or renumbered; fix forward
 * with a new one. `PRAGMA user_version` records the last one applied.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '0001-initial', up: initial.up },
  { version: 2, name: '0002-import-engine', up: importEngine.up },
  { version: 3, name: '0003-forecast-runs', up: forecastRuns.up },
  { version: 4, name: '0004-instruments-market-data-policies', up: hedgingReference.up },
  { version: 7, name: '0007-hedge-proposals', up: hedgeProposals.up },
  { version: 8, name: '0008-day-first-natural-keys', up: dayFirstKeys.up },
  { version: 9, name: '0009-usage-dimensions', up: usageDimensions.up },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
