import type { Database } from 'better-sqlite3';

/**
 * Usage lines stored as facts and dimensions. A bill repeats the same provider, model, token kind, currency,
 * account, project, cost centre… on every line (a million lines of the import benchmark have 1,680 distinct
 * combinations), and writing those texts on every line was most of an import's cost: SQLite copied sixteen
 * texts per line into the record, and the table was 210 bytes a line. Now:
 * - `usage_dims`: each distinct combination once (`dim_id`);
 * - `usage_line_facts`: per line only what varies — keys, dates, figures, references — and its `dim_id`;
 * - the view `usage_lines`: the two joined, with exactly the columns (and names) of the table it replaces, so
 *   every report, query and test that reads lines reads them as before. Inserting into the view works too (an
 *   INSTEAD OF trigger finds or adds the dimension); updates and deletes go to the two tables.
 * `cost_centre_source` is NULL on a line whose cost centre no rule overrides; a unique index does not treat two
 * NULLs as equal, so a dimension stores it as text with a flag (`cost_centre_overridden`) and the view gives the
 * NULL back.
 * The index on (provider, usage_date) is not carried over (lines no longer hold the provider); queries by
 * provider find the provider's dimensions first.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE usage_dims (
      dim_id                 INTEGER PRIMARY KEY,
      provider               TEXT NOT NULL,
      model                  TEXT NOT NULL,
      model_raw              TEXT NOT NULL,
      token_kind             TEXT NOT NULL CHECK (token_kind IN ('input', 'cache_read', 'cache_write', 'output', 'other')),
      charge_kind            TEXT NOT NULL CHECK (charge_kind IN ('usage', 'purchase', 'tax', 'credit', 'adjustment', 'fee')),
      currency               TEXT NOT NULL CHECK (length(currency) = 3),
      cost_centre            TEXT NOT NULL,
      provider_account       TEXT NOT NULL,
      project                TEXT NOT NULL,
      measure                TEXT NOT NULL CHECK (measure IN ('cost', 'volume')),
      pricing_tier           TEXT NOT NULL,
      -- the cost centre read from the file while a rule overrides it; '' with flag 0 when none does
      cost_centre_source     TEXT NOT NULL,
      cost_centre_overridden INTEGER NOT NULL CHECK (cost_centre_overridden IN (0, 1))
    ) STRICT;
    CREATE UNIQUE INDEX usage_dims_all ON usage_dims(provider, model, model_raw, token_kind, charge_kind, currency, cost_centre,
      provider_account, project, measure, pricing_tier, cost_centre_source, cost_centre_overridden);

    CREATE TABLE usage_line_facts (
      line_id          INTEGER PRIMARY KEY,
      batch_id         INTEGER NOT NULL REFERENCES import_batches(batch_id) ON DELETE CASCADE,
      source_row       INTEGER NOT NULL,
      natural_key      BLOB NOT NULL,
      period_start_ms  INTEGER NOT NULL,
      period_end_ms    INTEGER NOT NULL,
      usage_date       TEXT NOT NULL CHECK (usage_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      dim_id           INTEGER NOT NULL REFERENCES usage_dims(dim_id),
      tokens           INTEGER NOT NULL,
      cost_micros      INTEGER NOT NULL,
      -- derived from cost_micros with the dated FX rate; NULL while the rate is missing
      cost_base_micros INTEGER,
      -- the tokens the line reported while a cost source of the same provider and day counts them instead
      tokens_source    INTEGER,
      source_ref       TEXT,
      invoice_id       TEXT
    ) STRICT;

    INSERT INTO usage_dims (provider, model, model_raw, token_kind, charge_kind, currency, cost_centre, provider_account, project,
        measure, pricing_tier, cost_centre_source, cost_centre_overridden)
      SELECT DISTINCT provider, model, model_raw, token_kind, charge_kind, currency, cost_centre, provider_account, project,
        measure, pricing_tier, ifnull(cost_centre_source, ''), cost_centre_source IS NOT NULL
      FROM usage_lines;
    INSERT INTO usage_line_facts (line_id, batch_id, source_row, natural_key, period_start_ms, period_end_ms, usage_date, dim_id,
        tokens, cost_micros, cost_base_micros, tokens_source, source_ref, invoice_id)
      SELECT l.line_id, l.batch_id, l.source_row, l.natural_key, l.period_start_ms, l.period_end_ms, l.usage_date, d.dim_id,
        l.tokens, l.cost_micros, l.cost_base_micros, l.tokens_source, l.source_ref, l.invoice_id
      FROM usage_lines l JOIN usage_dims d
        ON d.provider = l.provider AND d.model = l.model AND d.model_raw = l.model_raw AND d.token_kind = l.token_kind
        AND d.charge_kind = l.charge_kind AND d.currency = l.currency AND d.cost_centre = l.cost_centre
        AND d.provider_account = l.provider_account AND d.project = l.project AND d.measure = l.measure
        AND d.pricing_tier = l.pricing_tier AND d.cost_centre_source = ifnull(l.cost_centre_source, '')
        AND d.cost_centre_overridden = (l.cost_centre_source IS NOT NULL)
      ORDER BY l.line_id;
    DROP TABLE usage_lines;

    CREATE UNIQUE INDEX usage_lines_natural_key ON usage_line_facts(natural_key);
    CREATE INDEX usage_lines_batch ON usage_line_facts(batch_id);
    CREATE INDEX usage_lines_date ON usage_line_facts(usage_date);

    CREATE VIEW usage_lines AS
      SELECT f.line_id, f.batch_id, f.source_row, f.natural_key, f.period_start_ms, f.period_end_ms, f.usage_date,
        substr(f.usage_date, 1, 7) AS usage_month, d.provider, d.model, d.model_raw, d.token_kind, d.charge_kind, f.tokens,
        f.cost_micros, d.currency, f.cost_base_micros, d.cost_centre, d.provider_account, d.project, f.source_ref, d.measure,
        d.pricing_tier, f.invoice_id, f.tokens_source,
        CASE WHEN d.cost_centre_overridden THEN d.cost_centre_source END AS cost_centre_source
      FROM usage_line_facts f JOIN usage_dims d ON d.dim_id = f.dim_id;

    -- Inserting a line into the view: its dimension is found or added, then the fact is written (an INSERT OR
    -- IGNORE into the view ignores a line whose natural key exists, as the table did). Omitted measure and pricing
    -- tier take the table's old defaults.
    CREATE TRIGGER usage_lines_insert INSTEAD OF INSERT ON usage_lines BEGIN
      INSERT OR IGNORE INTO usage_dims (provider, model, model_raw, token_kind, charge_kind, currency, cost_centre,
          provider_account, project, measure, pricing_tier, cost_centre_source, cost_centre_overridden)
        VALUES (NEW.provider, NEW.model, NEW.model_raw, NEW.token_kind, NEW.charge_kind, NEW.currency, NEW.cost_centre,
          NEW.provider_account, NEW.project, ifnull(NEW.measure, 'cost'), ifnull(NEW.pricing_tier, ''),
          ifnull(NEW.cost_centre_source, ''), NEW.cost_centre_source IS NOT NULL);
      INSERT INTO usage_line_facts (line_id, batch_id, source_row, natural_key, period_start_ms, period_end_ms, usage_date,
          dim_id, tokens, cost_micros, cost_base_micros, tokens_source, source_ref, invoice_id)
        VALUES (NEW.line_id, NEW.batch_id, NEW.source_row, NEW.natural_key, NEW.period_start_ms, NEW.period_end_ms,
          NEW.usage_date,
          (SELECT dim_id FROM usage_dims WHERE provider = NEW.provider AND model = NEW.model AND model_raw = NEW.model_raw
            AND token_kind = NEW.token_kind AND charge_kind = NEW.charge_kind AND currency = NEW.currency
            AND cost_centre = NEW.cost_centre AND provider_account = NEW.provider_account AND project = NEW.project
            AND measure = ifnull(NEW.measure, 'cost') AND pricing_tier = ifnull(NEW.pricing_tier, '')
            AND cost_centre_source = ifnull(NEW.cost_centre_source, '')
            AND cost_centre_overridden = (NEW.cost_centre_source IS NOT NULL)),
          NEW.tokens, NEW.cost_micros, NEW.cost_base_micros, NEW.tokens_source, NEW.source_ref, NEW.invoice_id);
    END;
  `);
}
