import type { Database } from 'better-sqlite3';

/**
 * The import engine (issue 3):
 * - usage lines carry where they came from beyond a CSV row (`source_ref`: a JSON pointer such as
 *   `data[3].results[1]`, or `amount-2026-01.csv:12` inside a ZIP), their pricing tier and invoice, and whether
 *   their source measures money (`cost`) or only volume (`volume`). A volume line whose tokens are also reported
 *   by a cost source of the same provider and day is not counted twice: its `tokens` become 0 and the reported
 *   figure moves to `tokens_source` (reconciled, never lost). `cost_centre_source` keeps the cost centre read from
 *   the file when a user rule overrides it.
 * - import batches record how the file was read (number style, detection confidence), the scope and period they
 *   cover, and whether a newer export of the same scope and period replaced them (`superseded_by`); replaced
 *   lines move to `usage_lines_superseded`, so undoing the newer batch brings them back.
 * - the original file is kept, compressed, in `import_files` / `import_file_chunks` (personal data redacted);
 * - user-editable cost-centre rules, model aliases, saved column mappings and vendor invoice totals.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE usage_lines ADD COLUMN source_ref TEXT;
    ALTER TABLE usage_lines ADD COLUMN measure TEXT NOT NULL DEFAULT 'cost' CHECK (measure IN ('cost', 'volume'));
    ALTER TABLE usage_lines ADD COLUMN pricing_tier TEXT NOT NULL DEFAULT '';
    ALTER TABLE usage_lines ADD COLUMN invoice_id TEXT;
    ALTER TABLE usage_lines ADD COLUMN tokens_source INTEGER;
    ALTER TABLE usage_lines ADD COLUMN cost_centre_source TEXT;
    CREATE INDEX usage_lines_provider_date ON usage_lines(provider, usage_date);

    ALTER TABLE import_batches ADD COLUMN state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'superseded'));
    ALTER TABLE import_batches ADD COLUMN superseded_by INTEGER;
    ALTER TABLE import_batches ADD COLUMN detection_confidence REAL NOT NULL DEFAULT 1;
    ALTER TABLE import_batches ADD COLUMN number_style TEXT NOT NULL DEFAULT '';

    -- What a batch covers: per provider, account and project (sub-account, workspace), the billing period when
    -- the source states one, otherwise the time its lines cover. End exclusive.
    CREATE TABLE import_scopes (
      batch_id        INTEGER NOT NULL REFERENCES import_batches(batch_id) ON DELETE CASCADE,
      scope           TEXT NOT NULL,
      period_start_ms INTEGER NOT NULL,
      period_end_ms   INTEGER NOT NULL,
      lines           INTEGER NOT NULL,
      PRIMARY KEY (batch_id, scope, period_start_ms)
    ) STRICT;
    CREATE INDEX import_scopes_scope ON import_scopes(scope);

    CREATE TABLE usage_lines_superseded (
      line_id          INTEGER PRIMARY KEY,
      superseded_by    INTEGER NOT NULL REFERENCES import_batches(batch_id) ON DELETE CASCADE,
      batch_id         INTEGER NOT NULL REFERENCES import_batches(batch_id) ON DELETE CASCADE,
      source_row       INTEGER NOT NULL,
      natural_key      BLOB NOT NULL,
      period_start_ms  INTEGER NOT NULL,
      period_end_ms    INTEGER NOT NULL,
      usage_date       TEXT NOT NULL,
      provider         TEXT NOT NULL,
      model            TEXT NOT NULL,
      model_raw        TEXT NOT NULL,
      token_kind       TEXT NOT NULL,
      charge_kind      TEXT NOT NULL,
      tokens           INTEGER NOT NULL,
      cost_micros      INTEGER NOT NULL,
      currency         TEXT NOT NULL,
      cost_base_micros INTEGER,
      cost_centre      TEXT NOT NULL,
      provider_account TEXT NOT NULL,
      project          TEXT NOT NULL,
      source_ref       TEXT,
      measure          TEXT NOT NULL,
      pricing_tier     TEXT NOT NULL,
      invoice_id       TEXT,
      tokens_source    INTEGER,
      cost_centre_source TEXT
    ) STRICT;
    CREATE INDEX usage_lines_superseded_by ON usage_lines_superseded(superseded_by);

    CREATE TABLE import_files (
      batch_id    INTEGER NOT NULL REFERENCES import_batches(batch_id) ON DELETE CASCADE,
      entry_name  TEXT NOT NULL,
      size_bytes  INTEGER NOT NULL,
      compression TEXT NOT NULL CHECK (compression IN ('zstd', 'gzip')),
      -- 1 when columns holding personal data (emails, key names) were replaced by hashes before storing
      redacted    INTEGER NOT NULL,
      PRIMARY KEY (batch_id, entry_name)
    ) STRICT;
    CREATE TABLE import_file_chunks (
      batch_id   INTEGER NOT NULL REFERENCES import_batches(batch_id) ON DELETE CASCADE,
      entry_name TEXT NOT NULL,
      seq        INTEGER NOT NULL,
      data       BLOB NOT NULL,
      PRIMARY KEY (batch_id, entry_name, seq)
    ) STRICT;

    CREATE TABLE cost_centre_rules (
      rule_id     INTEGER PRIMARY KEY,
      priority    INTEGER NOT NULL,
      field       TEXT NOT NULL CHECK (field IN ('project', 'provider_account', 'provider', 'model', 'cost_centre')),
      -- case-insensitive; '*' matches any run of characters
      pattern     TEXT NOT NULL,
      cost_centre TEXT NOT NULL
    ) STRICT;

    CREATE TABLE model_aliases (
      alias     TEXT PRIMARY KEY,
      canonical TEXT NOT NULL
    ) STRICT;

    CREATE TABLE column_mappings (
      header_signature TEXT PRIMARY KEY,
      name             TEXT NOT NULL,
      mapping_json     TEXT NOT NULL,
      saved_at_ms      INTEGER NOT NULL
    ) STRICT;

    -- A vendor's printed invoice total: a fact kept beside the sum of the imported lines.
    CREATE TABLE invoices (
      invoice_id   INTEGER PRIMARY KEY,
      provider     TEXT NOT NULL,
      invoice_ref  TEXT NOT NULL,
      month        TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
      currency     TEXT NOT NULL CHECK (length(currency) = 3),
      total_micros INTEGER NOT NULL,
      includes_tax INTEGER NOT NULL,
      entered_at_ms INTEGER NOT NULL,
      UNIQUE (provider, invoice_ref)
    ) STRICT;
  `);
}
