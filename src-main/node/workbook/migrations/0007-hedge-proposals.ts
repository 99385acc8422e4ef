import type { Database } from 'better-sqlite3';

/**
 * Hedge proposals (issue 5, phase 2): saved proposals and their lines (immutable: triggers refuse UPDATE and
 * DELETE), the approval of a proposal by a second person (immutable), and what approval creates for the hedge
 * book — hedge relationships (the designation) and pending trades. Relationships and trades carry a status the
 * hedge book will move on (filled, matured, de-designated); their designation fields are not meant to change.
 *
 * A proposal points at exactly what it used: the forecast run, the policy version, the instrument version and
 * the curve's price date; the exposure mapping is copied (mappings can be edited later). Money in integer micros;
 * quantities of the underlying (contract units) and ratios as REAL; the lines as shown, with their explanations,
 * as JSON beside the numeric columns.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE hedge_proposals (
      proposal_id                      INTEGER PRIMARY KEY,
      label                            TEXT NOT NULL,
      created_at_ms                    INTEGER NOT NULL,
      -- the name the preparer typed, and the OS account that saved it (a control record, not authentication)
      prepared_by                      TEXT NOT NULL CHECK (length(trim(prepared_by)) > 0),
      prepared_os_user                 TEXT NOT NULL,
      forecast_run_id                  INTEGER NOT NULL REFERENCES forecast_runs(run_id),
      policy_id                        INTEGER NOT NULL REFERENCES hedge_policies(policy_id),
      instrument_id                    INTEGER NOT NULL REFERENCES instruments(instrument_id),
      instrument_code                  TEXT NOT NULL,
      instrument_version               INTEGER NOT NULL,
      -- the mapping's id when saved (it may be edited or deleted later) and its content then
      mapping_id                       INTEGER,
      mapping_json                     TEXT NOT NULL,
      curve_date                       TEXT NOT NULL CHECK (curve_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      base_currency                    TEXT NOT NULL CHECK (length(base_currency) = 3),
      price_currency                   TEXT NOT NULL CHECK (length(price_currency) = 3),
      -- the one FX rate used (price currency → base currency), NULL when they are the same
      fx_json                          TEXT,
      ratio_method                     TEXT NOT NULL CHECK (ratio_method IN ('policy', 'minimum-variance')),
      horizon                          INTEGER NOT NULL CHECK (horizon BETWEEN 1 AND 120),
      segment_dimension                TEXT NOT NULL,
      segment_value                    TEXT,
      first_month                      TEXT NOT NULL CHECK (first_month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
      total_contracts                  INTEGER NOT NULL CHECK (total_contracts >= 0),
      total_notional_micros            INTEGER NOT NULL,
      total_initial_margin_base_micros INTEGER NOT NULL,
      car_unhedged_micros              INTEGER NOT NULL,
      car_hedged_micros                INTEGER NOT NULL,
      -- the request as given (horizon, simulation settings)
      request_json                     TEXT NOT NULL,
      -- inputs as resolved, the regression, totals and warnings
      proposal_json                    TEXT NOT NULL,
      -- the Monte Carlo: settings, distributions, margin-call stress, histogram
      cost_at_risk_json                TEXT NOT NULL,
      engine_version                   TEXT NOT NULL
    ) STRICT;

    CREATE TABLE hedge_proposal_lines (
      proposal_id                    INTEGER NOT NULL REFERENCES hedge_proposals(proposal_id),
      line_no                        INTEGER NOT NULL CHECK (line_no >= 1),
      contract_month                 TEXT NOT NULL CHECK (contract_month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
      p50_units                      REAL NOT NULL,
      hedgeable_units                REAL NOT NULL,
      ratio                          REAL NOT NULL,
      target_units                   REAL NOT NULL,
      contracts_unrounded            REAL NOT NULL,
      contracts                      INTEGER NOT NULL CHECK (contracts >= 0),
      effective_ratio                REAL NOT NULL,
      price_micros                   INTEGER NOT NULL,
      notional_micros                INTEGER NOT NULL,
      initial_margin_micros          INTEGER NOT NULL,
      initial_margin_base_micros     INTEGER NOT NULL,
      expected_cost_unhedged_micros  INTEGER NOT NULL,
      expected_cost_hedged_micros    INTEGER NOT NULL,
      -- the line as shown: tokens, band, fees, explanations, warnings
      line_json                      TEXT NOT NULL,
      PRIMARY KEY (proposal_id, line_no)
    ) STRICT;

    -- One approval per proposal, by someone other than the preparer.
    CREATE TABLE hedge_proposal_approvals (
      proposal_id      INTEGER PRIMARY KEY REFERENCES hedge_proposals(proposal_id),
      approved_at_ms   INTEGER NOT NULL,
      approved_by      TEXT NOT NULL CHECK (length(trim(approved_by)) > 0),
      approved_os_user TEXT NOT NULL,
      note             TEXT NOT NULL
    ) STRICT;

    -- The designation of a cash-flow hedge: one per approved proposal line with contracts.
    CREATE TABLE hedge_relationships (
      relationship_id     INTEGER PRIMARY KEY,
      proposal_id         INTEGER NOT NULL REFERENCES hedge_proposal_approvals(proposal_id),
      line_no             INTEGER NOT NULL,
      instrument_id       INTEGER NOT NULL REFERENCES instruments(instrument_id),
      contract_month      TEXT NOT NULL CHECK (contract_month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
      hedge_type          TEXT NOT NULL CHECK (hedge_type IN ('cash-flow')),
      designation_date    TEXT NOT NULL CHECK (designation_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      designated_at_ms    INTEGER NOT NULL,
      hedged_period_start TEXT NOT NULL,
      hedged_period_end   TEXT NOT NULL,
      last_trading_date   TEXT NOT NULL,
      hedged_tokens       INTEGER NOT NULL CHECK (hedged_tokens >= 0),
      hedged_units        REAL NOT NULL,
      contracts           INTEGER NOT NULL CHECK (contracts > 0),
      hedge_ratio         REAL NOT NULL,
      expected_amount_micros INTEGER NOT NULL,
      status              TEXT NOT NULL DEFAULT 'designated' CHECK (status IN ('designated', 'de-designated', 'matured')),
      -- hedged item, hedging instrument, hedge ratio, risk hedged, effectiveness method, sources of ineffectiveness
      designation_json    TEXT NOT NULL,
      UNIQUE (proposal_id, line_no),
      FOREIGN KEY (proposal_id, line_no) REFERENCES hedge_proposal_lines(proposal_id, line_no)
    ) STRICT;
    CREATE INDEX hedge_relationships_instrument_month ON hedge_relationships(instrument_id, contract_month);

    -- Trades approval asks for, to be filled by the hedge book. Quantity in contracts, signed: + buys (long), − sells.
    CREATE TABLE hedge_trades (
      trade_id           INTEGER PRIMARY KEY,
      relationship_id    INTEGER NOT NULL REFERENCES hedge_relationships(relationship_id),
      instrument_id      INTEGER NOT NULL REFERENCES instruments(instrument_id),
      contract_month     TEXT NOT NULL CHECK (contract_month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
      quantity_contracts INTEGER NOT NULL CHECK (quantity_contracts <> 0),
      status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'filled', 'cancelled')),
      fill_price_micros  INTEGER,
      fill_date          TEXT,
      created_at_ms      INTEGER NOT NULL,
      created_by         TEXT NOT NULL,
      explanation        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX hedge_trades_relationship ON hedge_trades(relationship_id);

    CREATE TRIGGER hedge_proposals_no_update BEFORE UPDATE ON hedge_proposals
      BEGIN SELECT RAISE(ABORT, 'saved hedge proposals are immutable'); END;
    CREATE TRIGGER hedge_proposals_no_delete BEFORE DELETE ON hedge_proposals
      BEGIN SELECT RAISE(ABORT, 'saved hedge proposals are immutable'); END;
    CREATE TRIGGER hedge_proposal_lines_no_update BEFORE UPDATE ON hedge_proposal_lines
      BEGIN SELECT RAISE(ABORT, 'saved hedge proposals are immutable'); END;
    CREATE TRIGGER hedge_proposal_lines_no_delete BEFORE DELETE ON hedge_proposal_lines
      BEGIN SELECT RAISE(ABORT, 'saved hedge proposals are immutable'); END;
    CREATE TRIGGER hedge_proposal_approvals_no_update BEFORE UPDATE ON hedge_proposal_approvals
      BEGIN SELECT RAISE(ABORT, 'approvals are immutable'); END;
    CREATE TRIGGER hedge_proposal_approvals_no_delete BEFORE DELETE ON hedge_proposal_approvals
      BEGIN SELECT RAISE(ABORT, 'approvals are immutable'); END;
  `);
}
