import type { Database } from 'better-sqlite3';

/**
 * Saved forecast runs: immutable snapshots that hedge proposals and memos refer to. A run records its segment,
 * method, settings (overlays, price path, seed), the monthly history it used and its backtest; its months hold the
 * mean and quantiles of token volume (whole tokens), price per million tokens and spend (both in base-currency
 * micros). Quantile columns are named by per-mille probability: q100 is P10, q025 is P2.5. Triggers refuse any
 * UPDATE or DELETE, so a run never changes once saved.
 */
export function up(db: Database): void {
  const quantileColumns = ['q025', 'q050', 'q100', 'q200', 'q250', 'q300', 'q400', 'q500', 'q600', 'q700', 'q750', 'q800', 'q900', 'q950', 'q975']
    .map((c) => `      ${c} INTEGER NOT NULL,`)
    .join('\n');
  db.exec(`
    CREATE TABLE forecast_runs (
      run_id            INTEGER PRIMARY KEY,
      created_at_ms     INTEGER NOT NULL,
      created_by        TEXT NOT NULL,
      label             TEXT NOT NULL,
      segment_dimension TEXT NOT NULL CHECK (segment_dimension IN ('total', 'provider', 'model', 'token_kind', 'cost_centre')),
      -- NULL for the total
      segment_value     TEXT,
      method            TEXT NOT NULL,
      model             TEXT NOT NULL,
      base_currency     TEXT NOT NULL CHECK (length(base_currency) = 3),
      history_from      TEXT NOT NULL CHECK (history_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
      history_to        TEXT NOT NULL CHECK (history_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
      horizon           INTEGER NOT NULL CHECK (horizon BETWEEN 1 AND 60),
      -- overlays, price path, seed, transform, reconciliation: JSON
      settings_json     TEXT NOT NULL,
      -- the monthly history used: [{month, tokens, costBaseMicros, pricedTokens}]
      history_json      TEXT NOT NULL,
      backtest_json     TEXT NOT NULL,
      notes_json        TEXT NOT NULL,
      engine_version    TEXT NOT NULL,
      CHECK ((segment_dimension = 'total') = (segment_value IS NULL))
    ) STRICT;

    CREATE TABLE forecast_run_months (
      run_id   INTEGER NOT NULL REFERENCES forecast_runs(run_id),
      month    TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
      measure  TEXT NOT NULL CHECK (measure IN ('tokens', 'price_per_mtok_micros', 'spend_micros')),
      mean     INTEGER NOT NULL,
${quantileColumns}
      PRIMARY KEY (run_id, month, measure)
    ) STRICT, WITHOUT ROWID;

    CREATE TRIGGER forecast_runs_no_update BEFORE UPDATE ON forecast_runs
      BEGIN SELECT RAISE(ABORT, 'forecast runs are immutable snapshots'); END;
    CREATE TRIGGER forecast_runs_no_delete BEFORE DELETE ON forecast_runs
      BEGIN SELECT RAISE(ABORT, 'forecast runs are immutable snapshots'); END;
    CREATE TRIGGER forecast_run_months_no_update BEFORE UPDATE ON forecast_run_months
      BEGIN SELECT RAISE(ABORT, 'forecast runs are immutable snapshots'); END;
    CREATE TRIGGER forecast_run_months_no_delete BEFORE DELETE ON forecast_run_months
      BEGIN SELECT RAISE(ABORT, 'forecast runs are immutable snapshots'); END;
  `);
}
