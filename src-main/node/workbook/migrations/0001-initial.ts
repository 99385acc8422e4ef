import type { Database } from 'better-sqlite3';

/**
 * The first schema: settings, import batches (with their rejected rows), usage lines, FX rates and the audit
 * log. Money in integer micros (`*_micros`), instants in epoch ms (`*_ms`), calendar dates as TEXT YYYY-MM-DD.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE import_batches (
      batch_id        INTEGER PRIMARY KEY,
      file_name       TEXT NOT NULL,
      file_sha256     TEXT NOT NULL UNIQUE,
      file_size_bytes INTEGER NOT NULL,
      format          TEXT NOT NULL,
      format_version  TEXT NOT NULL,
      imported_at_ms  INTEGER NOT NULL,
      rows_read       INTEGER NOT NULL,
      rows_imported   INTEGER NOT NULL,
      rows_duplicate  INTEGER NOT NULL,
      rows_skipped    INTEGER NOT NULL,
      rows_rejected   INTEGER NOT NULL,
      -- warnings and skipped-row reasons of the import report, as JSON
      report_json     TEXT NOT NULL
    ) STRICT;

    CREATE TABLE import_rejections (
      batch_id    INTEGER NOT NULL REFERENCES import_batches(batch_id) ON DELETE CASCADE,
      source_row  INTEGER NOT NULL,
      column_name TEXT NOT NULL,
      reason      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX import_rejections_batch ON import_rejections(batch_id);

    CREATE TABLE usage_lines (
      line_id          INTEGER PRIMARY KEY,
      batch_id         INTEGER NOT NULL REFERENCES import_batches(batch_id) ON DELETE CASCADE,
      source_row       INTEGER NOT NULL,
      natural_key      BLOB NOT NULL,
      period_start_ms  INTEGER NOT NULL,
      period_end_ms    INTEGER NOT NULL,
      usage_date       TEXT NOT NULL CHECK (usage_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      usage_month      TEXT GENERATED ALWAYS AS (substr(usage_date, 1, 7)) VIRTUAL,
      provider         TEXT NOT NULL,
      model            TEXT NOT NULL,
      model_raw        TEXT NOT NULL,
      token_kind       TEXT NOT NULL CHECK (token_kind IN ('input', 'cache_read', 'cache_write', 'output', 'other')),
      charge_kind      TEXT NOT NULL CHECK (charge_kind IN ('usage', 'purchase', 'tax', 'credit', 'adjustment', 'fee')),
      tokens           INTEGER NOT NULL,
      cost_micros      INTEGER NOT NULL,
      currency         TEXT NOT NULL CHECK (length(currency) = 3),
      -- derived from cost_micros with the dated FX rate; NULL while the rate is missing
      cost_base_micros INTEGER,
      cost_centre      TEXT NOT NULL,
      provider_account TEXT NOT NULL,
      project          TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX usage_lines_natural_key ON usage_lines(natural_key);
    CREATE INDEX usage_lines_batch ON usage_lines(batch_id);
    CREATE INDEX usage_lines_date ON usage_lines(usage_date);

    CREATE TABLE fx_rates (
      base      TEXT NOT NULL CHECK (length(base) = 3),
      quote     TEXT NOT NULL CHECK (length(quote) = 3),
      rate_date TEXT NOT NULL CHECK (rate_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      -- exact decimal text: 1 base = rate quote
      rate      TEXT NOT NULL,
      source    TEXT NOT NULL,
      batch_id  INTEGER REFERENCES import_batches(batch_id) ON DELETE SET NULL,
      PRIMARY KEY (base, quote, rate_date)
    ) STRICT;

    CREATE TABLE audit_log (
      entry_id    INTEGER PRIMARY KEY,
      at_ms       INTEGER NOT NULL,
      actor       TEXT NOT NULL,
      action      TEXT NOT NULL,
      entity      TEXT NOT NULL,
      entity_id   TEXT,
      before_json TEXT,
      after_json  TEXT
    ) STRICT;
  `);
}
