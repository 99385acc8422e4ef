import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src-main/common/errors.ts';
import { MIGRATIONS, type Migration } from '../../src-main/node/workbook/migrations/index.ts';
import { APPLICATION_ID, openWorkbook, PAGE_SIZE, schemaVersion } from '../../src-main/node/workbook/open-workbook.ts';
import { readSettings, writeSettings } from '../../src-main/node/workbook/settings-repo.ts';
import { testClock } from '../support/clock.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('openWorkbook', () => {
  it('creates a new workbook with the latest schema, WAL journal and foreign keys on', () => {
    const path = join(tempDir(), 'new.sqlite');
    const db = openWorkbook(path, { clock: testClock });
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual([
      'audit_log',
      'column_mappings',
      'cost_centre_rules',
      'forecast_run_months',
      'forecast_runs',
      'fx_rates',
      'hedge_policies',
      'hedge_proposal_approvals',
      'hedge_proposal_lines',
      'hedge_proposals',
      'hedge_relationships',
      'hedge_trades',
      'import_batches',
      'import_file_chunks',
      'import_files',
      'import_rejections',
      'import_scopes',
      'index_fixings',
      'instrument_exposures',
      'instrument_products',
      'instruments',
      'invoices',
      'model_aliases',
      'settings',
      'settlement_prices',
      'usage_dims',
      'usage_line_facts',
      'usage_lines_superseded',
    ]);
    // Usage lines are read through a view of the facts joined to their dimensions (migration 0009).
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'view'").pluck().all()).toEqual(['usage_lines']);
    db.close();
  });

  it('writes a new workbook in 16 KiB pages, and an older workbook keeps its 4 KiB pages', () => {
    const fresh = join(tempDir(), 'fresh.sqlite');
    openWorkbook(fresh, { clock: testClock }).close();
    const reopened = new BetterSqlite3(fresh, { readonly: true });
    expect(reopened.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    expect(PAGE_SIZE).toBe(16_384);
    reopened.close();

    // A workbook of an earlier TokenHedge, at an earlier schema, in SQLite's default 4 KiB pages.
    const older = join(tempDir(), 'older.sqlite');
    const raw = new BetterSqlite3(older);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.close();
    const early = openWorkbook(older, { clock: testClock, migrations: MIGRATIONS.slice(0, 3) });
    expect(early.pragma('page_size', { simple: true })).toBe(4_096);
    writeSettings(early, { organisationName: 'Contoso', baseCurrency: 'EUR' });
    early.close();

    const migrated = openWorkbook(older, { clock: testClock });
    expect(schemaVersion(migrated)).toBe(MIGRATIONS.at(-1)!.version);
    expect(migrated.pragma('page_size', { simple: true })).toBe(4_096);
    expect(readSettings(migrated).organisationName).toBe('Contoso');
    migrated.close();
  });

  it('keeps settings across a reopen', () => {
    const path = join(tempDir(), 'settings.sqlite');
    const db = openWorkbook(path, { clock: testClock });
    writeSettings(db, { organisationName: 'Contoso', baseCurrency: 'eur' });
    db.close();
    const again = openWorkbook(path, { clock: testClock });
    expect(readSettings(again)).toEqual({ organisationName: 'Contoso', baseCurrency: 'EUR' });
    again.close();
  });

  it('refuses a workbook written by a newer TokenHedge and leaves the file untouched', () => {
    const path = join(tempDir(), 'future.sqlite');
    openWorkbook(path, { clock: testClock }).close();
    const raw = new BetterSqlite3(path);
    raw.pragma('journal_mode = DELETE');
    raw.pragma('user_version = 99');
    raw.close();
    const before = sha(path);
    let error: unknown;
    try {
      openWorkbook(path, { clock: testClock });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('workbook-too-new');
    expect((error as DomainError).message).toContain('workbook schema 99');
    expect(sha(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses an SQLite database of another application', () => {
    const path = join(tempDir(), 'other.sqlite');
    const raw = new BetterSqlite3(path);
    raw.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    raw.close();
    expect(() => openWorkbook(path, { clock: testClock })).toThrow(/another application/);
  });

  it('refuses a file that is not a database', () => {
    const path = join(tempDir(), 'notes.sqlite');
    writeFileSync(path, 'these are my notes, not a workbook '.repeat(200));
    expect(() => openWorkbook(path, { clock: testClock })).toThrow(/not a TokenHedge workbook/);
  });

  it('backs the workbook up before migrating it, and runs the pending migrations in order', () => {
    const dir = tempDir();
    const path = join(dir, 'old.sqlite');
    const v1 = openWorkbook(path, { clock: testClock, migrations: MIGRATIONS.slice(0, 1) });
    writeSettings(v1, { organisationName: 'Before the upgrade' });
    v1.close();

    const next: Migration = {
      version: MIGRATIONS.at(-1)!.version + 1,
      name: 'test-add-column',
      up: (db) => db.exec("ALTER TABLE settings ADD COLUMN note TEXT NOT NULL DEFAULT ''"),
    };
    const upgraded = openWorkbook(path, { clock: testClock, migrations: [...MIGRATIONS, next] });
    expect(schemaVersion(upgraded)).toBe(next.version);
    expect(readSettings(upgraded).organisationName).toBe('Before the upgrade');
    upgraded.close();

    const backups = readdirSync(dir).filter((f) => f.startsWith('old.sqlite.bak-v1-'));
    expect(backups).toHaveLength(1);
    const backup = new BetterSqlite3(join(dir, backups[0]!), { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    expect(backup.prepare("SELECT value FROM settings WHERE key = 'organisation_name'").pluck().get()).toBe('Before the upgrade');
    backup.close();
  });

  it('rolls a failing migration back completely', () => {
    const path = join(tempDir(), 'broken.sqlite');
    openWorkbook(path, { clock: testClock }).close();
    const broken: Migration = {
      version: MIGRATIONS.at(-1)!.version + 1,
      name: 'test-broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (x INTEGER) STRICT');
        db.exec('THIS IS NOT SQL');
      },
    };
    expect(() => openWorkbook(path, { clock: testClock, migrations: [...MIGRATIONS, broken] })).toThrow();
    const db = openWorkbook(path, { clock: testClock });
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").pluck().get()).toBe(0);
    db.close();
  });
});

describe('the usage_lines table', () => {
  it('is STRICT: a fractional amount cannot be stored in a micros column', () => {
    const db = openWorkbook(':memory:', { clock: testClock });
    db.prepare(
      "INSERT INTO import_batches (batch_id, file_name, file_sha256, file_size_bytes, format, format_version, imported_at_ms, rows_read, rows_imported, rows_duplicate, rows_skipped, rows_rejected, report_json) VALUES (1, 'f', 'h', 0, 'focus', '1.2', 0, 0, 0, 0, 0, 0, '{}')",
    ).run();
    const insert = (cost: number) =>
      db
        .prepare(
          `INSERT INTO usage_lines (batch_id, source_row, natural_key, period_start_ms, period_end_ms, usage_date, provider, model,
            model_raw, token_kind, charge_kind, tokens, cost_micros, currency, cost_centre, provider_account, project)
           VALUES (1, 1, randomblob(16), 0, 1, '2026-01-01', 'openai', 'gpt-4o', 'gpt-4o', 'input', 'usage', 10, ?, 'USD', 'x', 'a', 'p')`,
        )
        .run(cost);
    expect(() => insert(1.5)).toThrow(/cannot store REAL value in INTEGER column/);
    expect(() => insert(1_500_000)).not.toThrow();
    db.close();
  });

  it('finds lines by natural key and by batch through their indexes', () => {
    const db = openWorkbook(':memory:', { clock: testClock });
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT batch_id FROM usage_lines WHERE natural_key = x\'00\'')).toContain('USING INDEX usage_lines_natural_key');
    expect(plan('DELETE FROM usage_line_facts WHERE batch_id = 1')).toContain('usage_lines_batch');
    expect(plan("SELECT count(*) FROM usage_lines WHERE usage_date >= '2026-01-01'")).toContain('usage_lines_date');
    db.close();
  });
});
