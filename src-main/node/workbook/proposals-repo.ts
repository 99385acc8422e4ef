import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import type { ExposureSegment } from '../../common/forecast/token-forecast.ts';
import type { HedgeDesignation } from '../../common/hedging/designation.ts';
import type { BuiltProposal, ProposalLineView } from '../../common/hedging/proposal-build.ts';
import type { ProposalCostAtRisk } from '../../common/hedging/proposal-risk.ts';

/** A saved proposal as stored: who prepared it, the request it was built from, the proposal and its cost-at-risk. */
export type SavedProposal = {
  proposalId: number;
  label: string;
  createdAtMs: number;
  preparedBy: string;
  preparedOsUser: string;
  request: unknown;
  proposal: BuiltProposal;
  costAtRisk: ProposalCostAtRisk;
};

export type ProposalApproval = {
  proposalId: number;
  approvedAtMs: number;
  approvedBy: string;
  approvedOsUser: string;
  note: string;
};

export type HedgeTrade = {
  tradeId: number;
  relationshipId: number;
  instrumentCode: string;
  instrumentVersion: number;
  contractMonth: string;
  quantityContracts: number;
  side: 'buy' | 'sell';
  status: 'pending' | 'filled' | 'cancelled';
  fillPriceMicros: number | null;
  fillDate: string | null;
  createdAtMs: number;
  createdBy: string;
  explanation: string;
};

export type HedgeRelationship = {
  relationshipId: number;
  proposalId: number;
  lineNo: number;
  instrumentCode: string;
  instrumentVersion: number;
  contractMonth: string;
  hedgeType: 'cash-flow';
  designationDate: string;
  designatedAtMs: number;
  hedgedPeriodStart: string;
  hedgedPeriodEnd: string;
  lastTradingDate: string;
  hedgedTokens: number;
  hedgedUnits: number;
  contracts: number;
  hedgeRatio: number;
  expectedAmountMicros: number;
  status: 'designated' | 'de-designated' | 'matured';
  texts: HedgeDesignation['texts'];
  trades: HedgeTrade[];
};

export type ProposalSummaryRecord = {
  proposalId: number;
  label: string;
  createdAtMs: number;
  preparedBy: string;
  forecastRunId: number;
  segment: ExposureSegment;
  policyId: number;
  policyName: string;
  policyVersion: number;
  instrumentCode: string;
  instrumentVersion: number;
  hypothetical: boolean;
  curveDate: string;
  ratioMethod: 'policy' | 'minimum-variance';
  firstMonth: string;
  horizon: number;
  totalContracts: number;
  totalNotionalMicros: number;
  priceCurrency: string;
  initialMarginBaseMicros: number;
  baseCurrency: string;
  carUnhedgedMicros: number;
  carHedgedMicros: number;
  status: 'saved' | 'approved';
  approvedBy: string | null;
  approvedAtMs: number | null;
};

type ProposalRow = {
  proposal_id: number;
  label: string;
  created_at_ms: number;
  prepared_by: string;
  prepared_os_user: string;
  forecast_run_id: number;
  policy_id: number;
  instrument_code: string;
  instrument_version: number;
  curve_date: string;
  base_currency: string;
  price_currency: string;
  ratio_method: string;
  horizon: number;
  segment_dimension: string;
  segment_value: string | null;
  first_month: string;
  total_contracts: number;
  total_notional_micros: number;
  total_initial_margin_base_micros: number;
  car_unhedged_micros: number;
  car_hedged_micros: number;
  request_json: string;
  proposal_json: string;
  cost_at_risk_json: string;
};

type StoredProposal = Omit<BuiltProposal, 'lines'>;

/** The id of an instrument version, for the foreign keys. */
export function instrumentIdOf(db: Database, code: string, version: number): number {
  const id = db.prepare('SELECT instrument_id FROM instruments WHERE code = ? AND version = ?').pluck().get(code, version) as number | undefined;
  if (id === undefined) throw new DomainError('not-found', `No instrument ${code} version ${version} in this workbook`);
  return id;
}

/** Saves a built proposal with its cost-at-risk, lines and all, in one transaction; returns its id. */
export function insertProposal(
  db: Database,
  record: { label: string; createdAtMs: number; preparedBy: string; preparedOsUser: string; request: unknown; proposal: BuiltProposal; costAtRisk: ProposalCostAtRisk },
): number {
  const { proposal, costAtRisk } = record;
  const { inputs, lines, ...rest } = proposal;
  const stored: StoredProposal = { ...rest, inputs };
  const instrumentId = instrumentIdOf(db, inputs.instrument.code, inputs.instrument.version);
  return db.transaction(() => {
    const info = db
      .prepare(
        `INSERT INTO hedge_proposals (label, created_at_ms, prepared_by, prepared_os_user, forecast_run_id, policy_id, instrument_id,
           instrument_code, instrument_version, mapping_id, mapping_json, curve_date, base_currency, price_currency, fx_json, ratio_method,
           horizon, segment_dimension, segment_value, first_month, total_contracts, total_notional_micros, total_initial_margin_base_micros,
           car_unhedged_micros, car_hedged_micros, request_json, proposal_json, cost_at_risk_json, engine_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.label,
        record.createdAtMs,
        record.preparedBy,
        record.preparedOsUser,
        inputs.forecastRun.runId,
        inputs.policy.policyId,
        instrumentId,
        inputs.instrument.code,
        inputs.instrument.version,
        inputs.mapping.mappingId,
        JSON.stringify(inputs.mapping),
        inputs.curveDate,
        inputs.baseCurrency,
        inputs.instrument.priceCurrency,
        inputs.fx ? JSON.stringify(inputs.fx) : null,
        inputs.ratioMethod,
        inputs.horizon,
        inputs.forecastRun.segment.dimension,
        inputs.forecastRun.segment.value,
        inputs.forecastRun.firstMonth,
        proposal.totals.contracts,
        proposal.totals.notionalMicros,
        proposal.totals.initialMarginBaseMicros,
        costAtRisk.unhedged.costAtRiskMicros,
        costAtRisk.hedged.costAtRiskMicros,
        JSON.stringify(record.request),
        JSON.stringify(stored),
        JSON.stringify(costAtRisk),
        proposal.engineVersion,
      );
    const proposalId = Number(info.lastInsertRowid);
    const insertLine = db.prepare(
      `INSERT INTO hedge_proposal_lines (proposal_id, line_no, contract_month, p50_units, hedgeable_units, ratio, target_units, contracts_unrounded,
         contracts, effective_ratio, price_micros, notional_micros, initial_margin_micros, initial_margin_base_micros,
         expected_cost_unhedged_micros, expected_cost_hedged_micros, line_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    lines.forEach((l, i) =>
      insertLine.run(
        proposalId,
        i + 1,
        l.month,
        l.p50,
        l.hedgeable,
        l.ratio,
        l.target,
        l.contractsUnrounded,
        l.contracts,
        l.effectiveRatio,
        l.priceMicros,
        l.notionalMicros,
        l.initialMarginMicros,
        l.initialMarginBaseMicros,
        l.expectedCostUnhedgedMicros,
        l.expectedCostHedgedMicros,
        JSON.stringify(l),
      ),
    );
    return proposalId;
  })();
}

export function findProposal(db: Database, proposalId: number): SavedProposal | undefined {
  const row = db.prepare('SELECT * FROM hedge_proposals WHERE proposal_id = ?').get(proposalId) as ProposalRow | undefined;
  if (!row) return undefined;
  const lines = (db.prepare('SELECT line_json FROM hedge_proposal_lines WHERE proposal_id = ? ORDER BY line_no').pluck().all(proposalId) as string[]).map(
    (json) => JSON.parse(json) as ProposalLineView,
  );
  const stored = JSON.parse(row.proposal_json) as StoredProposal;
  return {
    proposalId: row.proposal_id,
    label: row.label,
    createdAtMs: row.created_at_ms,
    preparedBy: row.prepared_by,
    preparedOsUser: row.prepared_os_user,
    request: JSON.parse(row.request_json) as unknown,
    proposal: { ...stored, lines },
    costAtRisk: JSON.parse(row.cost_at_risk_json) as ProposalCostAtRisk,
  };
}

export function getProposal(db: Database, proposalId: number): SavedProposal {
  const found = findProposal(db, proposalId);
  if (!found) throw new DomainError('not-found', `No hedge proposal #${proposalId} in this workbook`, [{ path: 'proposalId', message: `no proposal #${proposalId}` }]);
  return found;
}

/** Saved proposals, newest first, with their approval state. */
export function listProposals(db: Database): ProposalSummaryRecord[] {
  const rows = db
    .prepare(
      `SELECT p.*, a.approved_by, a.approved_at_ms, hp.name AS policy_name, hp.version AS policy_version, i.status AS instrument_status
       FROM hedge_proposals p
       JOIN hedge_policies hp ON hp.policy_id = p.policy_id
       JOIN instruments i ON i.instrument_id = p.instrument_id
       LEFT JOIN hedge_proposal_approvals a ON a.proposal_id = p.proposal_id
       ORDER BY p.proposal_id DESC`,
    )
    .all() as (ProposalRow & { approved_by: string | null; approved_at_ms: number | null; policy_name: string; policy_version: number; instrument_status: string })[];
  return rows.map((r) => ({
    proposalId: r.proposal_id,
    label: r.label,
    createdAtMs: r.created_at_ms,
    preparedBy: r.prepared_by,
    forecastRunId: r.forecast_run_id,
    segment: segmentOf(r.segment_dimension, r.segment_value),
    policyId: r.policy_id,
    policyName: r.policy_name,
    policyVersion: r.policy_version,
    instrumentCode: r.instrument_code,
    instrumentVersion: r.instrument_version,
    hypothetical: r.instrument_status === 'hypothetical',
    curveDate: r.curve_date,
    ratioMethod: r.ratio_method as 'policy' | 'minimum-variance',
    firstMonth: r.first_month,
    horizon: r.horizon,
    totalContracts: r.total_contracts,
    totalNotionalMicros: r.total_notional_micros,
    priceCurrency: r.price_currency,
    initialMarginBaseMicros: r.total_initial_margin_base_micros,
    baseCurrency: r.base_currency,
    carUnhedgedMicros: r.car_unhedged_micros,
    carHedgedMicros: r.car_hedged_micros,
    status: r.approved_by === null ? 'saved' : 'approved',
    approvedBy: r.approved_by,
    approvedAtMs: r.approved_at_ms,
  }));
}

function segmentOf(dimension: string, value: string | null): ExposureSegment {
  return (dimension === 'total' ? { dimension: 'total', value: null } : { dimension, value: value ?? '' }) as ExposureSegment;
}

type ApprovalRow = { proposal_id: number; approved_at_ms: number; approved_by: string; approved_os_user: string; note: string };

export function findApproval(db: Database, proposalId: number): ProposalApproval | undefined {
  const r = db.prepare('SELECT * FROM hedge_proposal_approvals WHERE proposal_id = ?').get(proposalId) as ApprovalRow | undefined;
  return r ? { proposalId: r.proposal_id, approvedAtMs: r.approved_at_ms, approvedBy: r.approved_by, approvedOsUser: r.approved_os_user, note: r.note } : undefined;
}

/**
 * Records the approval and what it designates: one relationship and one pending trade per designation. Call
 * inside a transaction with the audit entries; returns the new relationships with their trades.
 */
export function insertApproval(
  db: Database,
  approval: ProposalApproval,
  designations: readonly HedgeDesignation[],
  meta: { instrumentId: number; designationDate: string; actor: string },
): HedgeRelationship[] {
  db.prepare('INSERT INTO hedge_proposal_approvals (proposal_id, approved_at_ms, approved_by, approved_os_user, note) VALUES (?, ?, ?, ?, ?)').run(
    approval.proposalId,
    approval.approvedAtMs,
    approval.approvedBy,
    approval.approvedOsUser,
    approval.note,
  );
  const insertRelationship = db.prepare(
    `INSERT INTO hedge_relationships (proposal_id, line_no, instrument_id, contract_month, hedge_type, designation_date, designated_at_ms,
       hedged_period_start, hedged_period_end, last_trading_date, hedged_tokens, hedged_units, contracts, hedge_ratio, expected_amount_micros, designation_json)
     VALUES (?, ?, ?, ?, 'cash-flow', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTrade = db.prepare(
    `INSERT INTO hedge_trades (relationship_id, instrument_id, contract_month, quantity_contracts, status, created_at_ms, created_by, explanation)
     VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`,
  );
  for (const d of designations) {
    const info = insertRelationship.run(
      approval.proposalId,
      d.lineNo,
      meta.instrumentId,
      d.contractMonth,
      meta.designationDate,
      approval.approvedAtMs,
      d.hedgedPeriodStart,
      d.hedgedPeriodEnd,
      d.lastTradingDate,
      d.hedgedTokens,
      d.hedgedUnits,
      d.contracts,
      d.hedgeRatio,
      d.expectedAmountMicros,
      JSON.stringify(d.texts),
    );
    const signed = d.trade.side === 'buy' ? d.trade.quantityContracts : -d.trade.quantityContracts;
    insertTrade.run(Number(info.lastInsertRowid), meta.instrumentId, d.trade.contractMonth, signed, approval.approvedAtMs, meta.actor, d.trade.explanation);
  }
  return listRelationships(db, { proposalId: approval.proposalId });
}

type RelationshipRow = {
  relationship_id: number;
  proposal_id: number;
  line_no: number;
  code: string;
  version: number;
  contract_month: string;
  designation_date: string;
  designated_at_ms: number;
  hedged_period_start: string;
  hedged_period_end: string;
  last_trading_date: string;
  hedged_tokens: number;
  hedged_units: number;
  contracts: number;
  hedge_ratio: number;
  expected_amount_micros: number;
  status: string;
  designation_json: string;
};

type TradeRow = {
  trade_id: number;
  relationship_id: number;
  code: string;
  version: number;
  contract_month: string;
  quantity_contracts: number;
  status: string;
  fill_price_micros: number | null;
  fill_date: string | null;
  created_at_ms: number;
  created_by: string;
  explanation: string;
};

/** Hedge relationships with their trades, newest first (by contract month within a proposal). */
export function listRelationships(db: Database, filter: { proposalId?: number } = {}): HedgeRelationship[] {
  const where = filter.proposalId === undefined ? '' : 'WHERE r.proposal_id = ?';
  const params = filter.proposalId === undefined ? [] : [filter.proposalId];
  const rows = db
    .prepare(
      `SELECT r.*, i.code, i.version FROM hedge_relationships r JOIN instruments i ON i.instrument_id = r.instrument_id
       ${where} ORDER BY r.proposal_id DESC, r.contract_month, r.relationship_id`,
    )
    .all(...params) as RelationshipRow[];
  const trades = db.prepare(
    `SELECT t.*, i.code, i.version FROM hedge_trades t JOIN instruments i ON i.instrument_id = t.instrument_id WHERE t.relationship_id = ? ORDER BY t.trade_id`,
  );
  return rows.map((r) => ({
    relationshipId: r.relationship_id,
    proposalId: r.proposal_id,
    lineNo: r.line_no,
    instrumentCode: r.code,
    instrumentVersion: r.version,
    contractMonth: r.contract_month,
    hedgeType: 'cash-flow' as const,
    designationDate: r.designation_date,
    designatedAtMs: r.designated_at_ms,
    hedgedPeriodStart: r.hedged_period_start,
    hedgedPeriodEnd: r.hedged_period_end,
    lastTradingDate: r.last_trading_date,
    hedgedTokens: r.hedged_tokens,
    hedgedUnits: r.hedged_units,
    contracts: r.contracts,
    hedgeRatio: r.hedge_ratio,
    expectedAmountMicros: r.expected_amount_micros,
    status: r.status as HedgeRelationship['status'],
    texts: JSON.parse(r.designation_json) as HedgeDesignation['texts'],
    trades: (trades.all(r.relationship_id) as TradeRow[]).map((t) => ({
      tradeId: t.trade_id,
      relationshipId: t.relationship_id,
      instrumentCode: t.code,
      instrumentVersion: t.version,
      contractMonth: t.contract_month,
      quantityContracts: t.quantity_contracts,
      side: t.quantity_contracts > 0 ? ('buy' as const) : ('sell' as const),
      status: t.status as HedgeTrade['status'],
      fillPriceMicros: t.fill_price_micros,
      fillDate: t.fill_date,
      createdAtMs: t.created_at_ms,
      createdBy: t.created_by,
      explanation: t.explanation,
    })),
  }));
}

/**
 * Designated relationships of approved proposals on instrument `code` in `months`, with the segment their
 * proposal hedged: what a new approval must not hedge a second time.
 */
export function designatedMonths(
  db: Database,
  code: string,
  months: readonly string[],
): { proposalId: number; contractMonth: string; segment: ExposureSegment; approvedAtMs: number }[] {
  if (months.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT r.proposal_id, r.contract_month, p.segment_dimension, p.segment_value, a.approved_at_ms
       FROM hedge_relationships r
       JOIN hedge_proposals p ON p.proposal_id = r.proposal_id
       JOIN hedge_proposal_approvals a ON a.proposal_id = r.proposal_id
       JOIN instruments i ON i.instrument_id = r.instrument_id
       WHERE i.code = ? AND r.status = 'designated' AND r.contract_month IN (${months.map(() => '?').join(', ')})
       ORDER BY r.proposal_id, r.contract_month`,
    )
    .all(code, ...months) as { proposal_id: number; contract_month: string; segment_dimension: string; segment_value: string | null; approved_at_ms: number }[];
  return rows.map((r) => ({ proposalId: r.proposal_id, contractMonth: r.contract_month, segment: segmentOf(r.segment_dimension, r.segment_value), approvedAtMs: r.approved_at_ms }));
}
