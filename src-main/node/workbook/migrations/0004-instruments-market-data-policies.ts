import type { Database } from 'better-sqlite3';

/**
 * Hedging reference data (issue 5): instruments (versioned contract specifications, hedging.md §(b)), market data
 * (settlement prices per contract month and date, index fixings per date), exposure mappings (which usage an
 * instrument hedges and how usage units convert to contract units) and hedge policies (versioned).
 * Money in integer micros; exact decimals that are not money (contract quantity, conversion factors) as TEXT;
 * nested rules that are read and written whole (listing rule, margin model, policy) as validated JSON.
 */
export function up(db: Database): void {
  db.exec(`
    -- One row per product code; the specifications are its versions.
    CREATE TABLE instrument_products (
      code          TEXT PRIMARY KEY,
      created_at_ms INTEGER NOT NULL
    ) STRICT;

    -- Immutable versions: an edit inserts version n + 1; whatever used version n keeps it.
    CREATE TABLE instruments (
      instrument_id           INTEGER PRIMARY KEY,
      code                    TEXT NOT NULL REFERENCES instrument_products(code) ON DELETE CASCADE,
      version                 INTEGER NOT NULL CHECK (version >= 1),
      name                    TEXT NOT NULL,
      status                  TEXT NOT NULL CHECK (status IN ('listed', 'announced', 'hypothetical', 'otc')),
      instrument_type         TEXT NOT NULL CHECK (instrument_type IN ('future', 'swap', 'forward')),
      venue                   TEXT NOT NULL,
      underlying_kind         TEXT NOT NULL CHECK (underlying_kind IN ('gpu-hour', 'token', 'composite')),
      index_code              TEXT NOT NULL,
      -- provider, name, methodology and fallback rule of the reference index
      index_json              TEXT NOT NULL,
      -- exact decimal text: contract units per contract
      contract_quantity       TEXT NOT NULL,
      quantity_unit           TEXT NOT NULL,
      price_currency          TEXT NOT NULL CHECK (length(price_currency) = 3),
      price_unit              TEXT NOT NULL,
      tick_size_micros        INTEGER NOT NULL CHECK (tick_size_micros > 0),
      tick_value_micros       INTEGER NOT NULL CHECK (tick_value_micros > 0),
      listing_json            TEXT NOT NULL,
      last_trading_json       TEXT NOT NULL,
      settlement_type         TEXT NOT NULL CHECK (settlement_type IN ('cash', 'physical')),
      settlement_method       TEXT NOT NULL CHECK (settlement_method IN ('single-fix', 'average-of-month')),
      payment_lag_days        INTEGER NOT NULL CHECK (payment_lag_days >= 0),
      margin_json             TEXT NOT NULL,
      fee_per_contract_micros INTEGER NOT NULL CHECK (fee_per_contract_micros >= 0),
      provenance              TEXT NOT NULL,
      created_at_ms           INTEGER NOT NULL,
      created_by              TEXT NOT NULL,
      UNIQUE (code, version)
    ) STRICT;

    -- Daily settlement prices of each contract month, in micros of the instrument's currency per price unit.
    CREATE TABLE settlement_prices (
      code           TEXT NOT NULL REFERENCES instrument_products(code) ON DELETE CASCADE,
      contract_month TEXT NOT NULL CHECK (contract_month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
      price_date     TEXT NOT NULL CHECK (price_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      price_micros   INTEGER NOT NULL CHECK (price_micros >= 0),
      -- file and row, or "manual entry"
      source         TEXT NOT NULL,
      -- 1, then + 1 each time a different price replaces it (the audit log keeps the old one)
      revision       INTEGER NOT NULL DEFAULT 1,
      entered_at_ms  INTEGER NOT NULL,
      PRIMARY KEY (code, price_date, contract_month)
    ) STRICT;

    -- Fixings of a reference index, shared by every instrument that settles against it.
    CREATE TABLE index_fixings (
      index_code    TEXT NOT NULL,
      fixing_date   TEXT NOT NULL CHECK (fixing_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      value_micros  INTEGER NOT NULL CHECK (value_micros >= 0),
      currency      TEXT NOT NULL CHECK (length(currency) = 3),
      source        TEXT NOT NULL,
      revision      INTEGER NOT NULL DEFAULT 1,
      entered_at_ms INTEGER NOT NULL,
      PRIMARY KEY (index_code, fixing_date)
    ) STRICT;

    -- Which usage lines an instrument hedges (filter as JSON lists; empty = all) and tokens → contract units.
    CREATE TABLE instrument_exposures (
      mapping_id               INTEGER PRIMARY KEY,
      code                     TEXT NOT NULL REFERENCES instrument_products(code) ON DELETE CASCADE,
      name                     TEXT NOT NULL,
      filter_json              TEXT NOT NULL,
      -- exact decimal text, e.g. '0.000001' (tokens → millions of tokens)
      contract_units_per_token TEXT NOT NULL,
      note                     TEXT NOT NULL,
      created_at_ms            INTEGER NOT NULL,
      created_by               TEXT NOT NULL
    ) STRICT;
    CREATE INDEX instrument_exposures_code ON instrument_exposures(code);

    -- Versioned hedge policies: saving a changed policy under the same name inserts version n + 1.
    CREATE TABLE hedge_policies (
      policy_id     INTEGER PRIMARY KEY,
      name          TEXT NOT NULL,
      version       INTEGER NOT NULL CHECK (version >= 1),
      policy_json   TEXT NOT NULL,
      created_at_ms INTEGER NOT NULL,
      created_by    TEXT NOT NULL,
      UNIQUE (name, version)
    ) STRICT;
  `);
}
