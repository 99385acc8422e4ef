import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import type { Clock } from '../../common/time/clock.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.ts';

export type { Database };

/** Marks a SQLite file as a TokenHedge workbook ("TkHd"), so another application's database is never migrated. */
export const APPLICATION_ID = 0x546b4864;

/** Bytes per database page of a new workbook (see `openWorkbook`). */
export const PAGE_SIZE = 16_384;

export type OpenWorkbookOptions = {
  clock: Clock;
  /** Create the file when it does not exist (default true). */
  create?: boolean;
  /** Migrations to apply; tests pass a prefix to build an older workbook. */
  migrations?: readonly Migration[];
};

/**
 * Opens (or creates) a workbook file and brings its schema up to date:
 * - a workbook written by a newer TokenHedge is refused and never touched;
 * - a file that is not a TokenHedge workbook is refused;
 * - before migrating an existing workbook, a consistent copy is written next to it (`…sqlite.bak-v<N>-<time>`);
 * - all pending migrations run in one transaction.
 * Returns the open connection (WAL, foreign keys on).
 */
export function openWorkbook(path: string, options: OpenWorkbookOptions): Database {
  const migrations = options.migrations ?? MIGRATIONS;
  const exists = path !== ':memory:' && existsSync(path);
  if (!exists && options.create === false) {
    throw new DomainError('not-found', `Workbook not found: ${path}`);
  }
  if (path !== ':memory:' && !exists) mkdirSync(dirname(path), { recursive: true });
  if (exists && statSync(path).isDirectory()) {
    throw new DomainError('invalid-input', `${path} is a folder, not a workbook file`);
  }

  const db = new BetterSqlite3(path);
  try {
    const version = readHeader(db, path);
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (version > latest) {
      throw new DomainError(
        'workbook-too-new',
        `${path} was written by a newer TokenHedge (workbook schema ${version}, this app knows up to ${latest}). ` +
          'Update TokenHedge to open it; the file was not changed.',
      );
    }
    // SQLite fixes the page size when the file is first written, so an existing workbook keeps its own. 16 KiB
    // rather than SQLite's 4 KiB: an import's commit copies every page it wrote from the WAL into the workbook,
    // page by page, and a million-line import's commit took 1.4–1.6 s with 4 KiB pages, 0.6–1.0 s with 16 KiB.
    if (version === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    const pending = migrations.filter((m) => m.version > version);
    if (pending.length > 0) {
      if (version > 0) backUp(db, path, version, options.clock);
      migrate(db, pending);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The schema version, after checking that the file is an SQLite database that TokenHedge may use. */
function readHeader(db: Database, path: string): number {
  let version: number;
  let applicationId: number;
  let tableCount: number;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
    applicationId = db.pragma('application_id', { simple: true }) as number;
    tableCount = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
  } catch (error) {
    throw new DomainError('invalid-input', `${path} is not a TokenHedge workbook (${(error as Error).message}).`);
  }
  if (applicationId !== APPLICATION_ID && (applicationId !== 0 || tableCount > 0)) {
    throw new DomainError('invalid-input', `${path} is an SQLite database of another application, not a TokenHedge workbook; it was not changed.`);
  }
  return version;
}

function backUp(db: Database, path: string, version: number, clock: Clock): void {
  if (path === ':memory:') return;
  const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
  const target = `${path}.bak-v${version}-${stamp}`;
  // VACUUM INTO writes a consistent copy including what is still in the WAL file.
  db.prepare('VACUUM INTO ?').run(target);
  if (!existsSync(target)) copyFileSync(path, target);
}

/** Applies `pending` (ascending, each > user_version) in one transaction and records the last in user_version. */
export function migrate(db: Database, pending: readonly Migration[]): void {
  for (let i = 1; i < pending.length; i++) {
    if (pending[i]!.version <= pending[i - 1]!.version) {
      throw new Error(`Migrations out of order: ${pending[i - 1]!.name} then ${pending[i]!.name}`);
    }
  }
  db.transaction(() => {
    for (const migration of pending) migration.up(db);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${pending[pending.length - 1]!.version}`);
  })();
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export { LATEST_SCHEMA_VERSION };
