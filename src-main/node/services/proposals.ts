import type { Database } from 'better-sqlite3';
import type { ParsedRequestOf, ResponseOf } from '../../common/api/contract.ts';
import { DomainError, type Issue } from '../../common/errors.ts';
import { segmentLabel, type ExposureSegment } from '../../common/forecast/token-forecast.ts';
import { designationsOf } from '../../common/hedging/designation.ts';
import { basisHedgeRatio, basisSeries, type ExposureMapping } from '../../common/hedging/exposure.ts';
import { findFxConversion } from '../../common/hedging/fx-conversion.ts';
import { policyHorizon } from '../../common/hedging/policy.ts';
import { buildProposal, type BuiltProposal, type ProposalSetup, type RegressionInput } from '../../common/hedging/proposal-build.ts';
import { indexVolatility, proposalCostAtRisk, type CostAtRiskSettings, type ProposalCostAtRisk } from '../../common/hedging/proposal-risk.ts';
import { describeFilter, segmentCoverage } from '../../common/hedging/segment-coverage.ts';
import { createFxConverter } from '../../common/money/fx.ts';
import type { Clock } from '../../common/time/clock.ts';
import { daysBetween, monthOf, type IsoDate } from '../../common/time/iso-date.ts';
import { appendAudit } from '../workbook/audit-log-repo.ts';
import { exposureByMonth, findExposureMapping, listExposureMappings } from '../workbook/exposures-repo.ts';
import { loadForecastRun, type ForecastRun } from '../workbook/forecast-runs-repo.ts';
import { loadFxRates } from '../workbook/fx-rates-repo.ts';
import { getHedgePolicy, type HedgePolicyRecord } from '../workbook/hedge-policies-repo.ts';
import { findInstrument } from '../workbook/instruments-repo.ts';
import { listSettlementPrices, monthlyIndexAverages, settlementDates } from '../workbook/market-data-repo.ts';
import {
  designatedMonths,
  findApproval,
  getProposal,
  insertApproval,
  insertProposal,
  instrumentIdOf,
  listRelationships,
  type ProposalApproval,
  type SavedProposal,
} from '../workbook/proposals-repo.ts';
import { readSettings } from '../workbook/settings-repo.ts';

type ProposalRequest = ParsedRequestOf<'proposals:build'>;
type ProposalView = ResponseOf<'proposals:get'>;

/** A curve older than this (in days before today) gets a warning: prices may have moved since. */
const STALE_CURVE_DAYS = 7;

/** Re-throws a not-found of a repository with the request field that named the missing thing. */
function field<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not-found') throw new DomainError('not-found', error.message, [{ path, message: error.message }]);
    throw error;
  }
}

function invalid(path: string, message: string): never {
  throw new DomainError('invalid-input', `${path}: ${message}`, [{ path, message }]);
}

/**
 * Reads everything a proposal needs from the workbook, exactly as the request names it, and checks what only
 * the workbook can tell (the mapping belongs to the instrument, the curve date has prices, the forecast is in the
 * base currency). The domain checks the rest (`proposalSetupIssues`).
 */
export function resolveProposal(db: Database, request: ProposalRequest): { setup: ProposalSetup; settings: CostAtRiskSettings } {
  const run = field('forecastRunId', () => loadForecastRun(db, request.forecastRunId));
  const policy: HedgePolicyRecord = field('policyId', () => getHedgePolicy(db, request.policyId));
  const instrument = findInstrument(db, request.instrumentCode, request.instrumentVersion);
  if (!instrument) {
    if (request.instrumentVersion !== undefined && findInstrument(db, request.instrumentCode)) {
      invalid('instrumentVersion', `${request.instrumentCode} has no version ${request.instrumentVersion}`);
    }
    throw new DomainError('not-found', `No instrument ${request.instrumentCode} in this workbook`, [{ path: 'instrumentCode', message: `no instrument ${request.instrumentCode}` }]);
  }
  const mapping = chooseMapping(db, instrument.code, run, request.mappingId);

  const baseCurrency = readSettings(db).baseCurrency;
  if (run.baseCurrency !== baseCurrency) {
    invalid('forecastRunId', `forecast run #${run.runId} is in ${run.baseCurrency} but the workbook's base currency is now ${baseCurrency}: save a new forecast`);
  }

  const dates = settlementDates(db, instrument.code);
  if (dates.length === 0) invalid('curveDate', `${instrument.code} has no settlement prices: enter or import them on the Market data page`);
  const curveDate = request.curveDate ?? dates[0]!;
  if (!dates.includes(curveDate)) {
    const earlier = dates.find((d) => d < curveDate);
    invalid('curveDate', `${instrument.code} has no settlement prices on ${curveDate}${earlier ? ` (the latest date before it is ${earlier})` : ''}`);
  }
  const prices = new Map(listSettlementPrices(db, instrument.code, { fromDate: curveDate, toDate: curveDate }).map((p) => [p.contractMonth, p.priceMicros]));
  const fx =
    instrument.priceCurrency === baseCurrency ? null : (findFxConversion(loadFxRates(db, instrument.priceCurrency), instrument.priceCurrency, baseCurrency, curveDate as IsoDate) ?? null);

  const setup: ProposalSetup = {
    forecastRun: { runId: run.runId, label: run.label, segment: run.segment, historyTo: run.history.toMonth, months: run.months },
    policy: { policyId: policy.policyId, version: policy.version, policy: policy.policy },
    instrument,
    mapping: { mappingId: mapping.mappingId, name: mapping.name, contractUnitsPerToken: mapping.contractUnitsPerToken, filter: mapping.filter, note: mapping.note },
    curve: { priceDate: curveDate, prices },
    baseCurrency,
    fx,
    ratioMethod: request.ratioMethod ?? policy.policy.ratioMethod,
    regression: regressionFor(db, instrument, mapping, run),
    horizon: request.horizon ?? policyHorizon(policy.policy),
  };

  const sim = request.simulation;
  let sigma = sim.sigma;
  let sigmaSource = 'entered';
  if (sigma === null) {
    const estimated = indexVolatility(monthlyIndexAverages(db, instrument.index.code), { indexCode: instrument.index.code, beforeMonth: monthOf(curveDate as IsoDate) });
    if (estimated.sigma === null) invalid('simulation.sigma', estimated.reason);
    sigma = estimated.sigma;
    sigmaSource = estimated.source;
  }
  return {
    setup,
    settings: {
      sigma,
      sigmaSource,
      meanReversion: sim.meanReversion,
      volumePriceCorrelation: sim.volumePriceCorrelation,
      paths: sim.paths,
      seed: sim.seed,
      confidence: sim.confidence,
    },
  };
}

/**
 * The mapping that turns the forecast into contract units: the one the request names (it must belong to the
 * instrument), or the instrument's mapping that covers exactly the forecast run's segment.
 */
function chooseMapping(db: Database, code: string, run: ForecastRun, mappingId: number | undefined): ExposureMapping {
  if (mappingId !== undefined) {
    const chosen = findExposureMapping(db, mappingId);
    if (!chosen) throw new DomainError('not-found', `No exposure mapping #${mappingId} in this workbook`, [{ path: 'mappingId', message: `no mapping #${mappingId}` }]);
    if (chosen.instrumentCode !== code) invalid('mappingId', `mapping #${mappingId} ("${chosen.name}") belongs to ${chosen.instrumentCode}, not ${code}`);
    return chosen;
  }
  const mappings = listExposureMappings(db, code);
  if (mappings.length === 0) invalid('instrumentCode', `${code} has no exposure mapping: say on the Market data page which usage it hedges`);
  const exact = mappings.filter((m) => segmentCoverage(run.segment, m.filter).coverage === 'exact');
  if (exact.length === 1) return exact[0]!;
  if (exact.length > 1) invalid('mappingId', `${exact.length} mappings of ${code} cover ${segmentLabel(run.segment)}: pick one (${exact.map((m) => `#${m.mappingId} "${m.name}"`).join(', ')})`);
  const list = mappings.map((m) => `#${m.mappingId} "${m.name}" (${describeFilter(m.filter)})`).join('; ');
  throw new DomainError(
    'invalid-input',
    `forecastRunId: forecast run #${run.runId} forecasts ${segmentLabel(run.segment)}, which no exposure mapping of ${code} covers exactly (${list}): use a forecast of a mapped segment or pick a mapping`,
    [{ path: 'forecastRunId', message: `forecasts ${segmentLabel(run.segment)}; no mapping of ${code} covers exactly that (${list})` }],
  );
}

/** The minimum-variance regression of the mapped usage's effective price on the index, over the forecast's history. */
function regressionFor(db: Database, instrument: { priceCurrency: string; index: { code: string } }, mapping: ExposureMapping, run: ForecastRun): RegressionInput {
  const fx = createFxConverter(loadFxRates(db, instrument.priceCurrency), instrument.priceCurrency);
  const exposure = exposureByMonth(db, [mapping], fx);
  const points = basisSeries(
    exposure.months.filter((m) => m.month <= run.history.toMonth),
    monthlyIndexAverages(db, instrument.index.code),
  );
  const result = basisHedgeRatio(points);
  const used = points.filter((p) => p.effectivePriceMicros !== null && p.indexMicros !== null);
  const window = used.length
    ? `month-on-month changes ${used[0]!.month} … ${used[used.length - 1]!.month} of the effective price of "${mapping.name}" against the monthly average of ${instrument.index.code}, in ${instrument.priceCurrency}`
    : `no month with both usage of "${mapping.name}" and fixings of ${instrument.index.code}`;
  return { estimate: result.ratio, reason: result.reason, window };
}

/** Builds the proposal and its cost-at-risk (nothing is saved). */
export function computeProposal(db: Database, clock: Clock, request: ProposalRequest): { proposal: BuiltProposal; costAtRisk: ProposalCostAtRisk } {
  const { setup, settings } = resolveProposal(db, request);
  const proposal = buildProposal(setup);
  const age = daysBetween(setup.curve.priceDate as IsoDate, clock.today());
  if (age > STALE_CURVE_DAYS) proposal.warnings.push(`curveDate: the forward curve is from ${setup.curve.priceDate}, ${age} days before today: prices may have moved since.`);
  return { proposal, costAtRisk: proposalCostAtRisk(proposal, settings) };
}

export function previewProposal(db: Database, clock: Clock, request: ProposalRequest): ProposalView {
  const { proposal, costAtRisk } = computeProposal(db, clock, request);
  return { proposalId: null, label: '', preparedBy: null, preparedOsUser: null, createdAtMs: null, ...proposal, costAtRisk, approval: null, relationships: [] };
}

/** Builds the proposal again from the request (the same numbers: the Monte Carlo is seeded) and saves it. */
export function saveProposal(db: Database, clock: Clock, osUser: string, request: ParsedRequestOf<'proposals:save'>): ProposalView {
  const { label, preparedBy, ...rest } = request;
  const { proposal, costAtRisk } = computeProposal(db, clock, rest);
  const name = preparedBy.replace(/\s+/g, ' ').trim();
  const finalLabel = label || `${proposal.inputs.instrument.code} · ${segmentLabel(proposal.inputs.forecastRun.segment)} · ${proposal.inputs.ratioMethod === 'policy' ? 'policy ratio' : 'min-variance'}`;
  const proposalId = db.transaction(() => {
    const id = insertProposal(db, { label: finalLabel, createdAtMs: clock.now(), preparedBy: name, preparedOsUser: osUser, request: rest, proposal, costAtRisk });
    appendAudit(db, {
      atMs: clock.now(),
      actor: osUser,
      action: 'proposal.save',
      entity: 'hedge_proposal',
      entityId: String(id),
      before: null,
      after: {
        label: finalLabel,
        preparedBy: name,
        forecastRunId: proposal.inputs.forecastRun.runId,
        policy: `${proposal.inputs.policy.policy.name} v${proposal.inputs.policy.version}`,
        instrument: `${proposal.inputs.instrument.code} v${proposal.inputs.instrument.version}`,
        curveDate: proposal.inputs.curveDate,
        ratioMethod: proposal.inputs.ratioMethod,
        totalContracts: proposal.totals.contracts,
        costAtRisk: { unhedged: costAtRisk.unhedged.costAtRiskMicros, hedged: costAtRisk.hedged.costAtRiskMicros },
      },
    });
    return id;
  })();
  return proposalView(db, proposalId);
}

export function proposalView(db: Database, proposalId: number): ProposalView {
  const saved = field('proposalId', () => getProposal(db, proposalId));
  const approval = findApproval(db, proposalId);
  return {
    proposalId: saved.proposalId,
    label: saved.label,
    preparedBy: saved.preparedBy,
    preparedOsUser: saved.preparedOsUser,
    createdAtMs: saved.createdAtMs,
    ...saved.proposal,
    costAtRisk: saved.costAtRisk,
    approval: approval ? approvalView(approval, saved) : null,
    relationships: listRelationships(db, { proposalId }),
  };
}

function approvalView(approval: ProposalApproval, saved: SavedProposal): ResponseOf<'proposals:approve'>['approval'] {
  return { ...approval, preparedBy: saved.preparedBy, preparedOsUser: saved.preparedOsUser, sameOsUser: approval.approvedOsUser === saved.preparedOsUser };
}

/** Two segments' usage overlaps unless they are different values of the same dimension. */
function segmentsOverlap(a: ExposureSegment, b: ExposureSegment): boolean {
  if (a.dimension === 'total' || b.dimension === 'total' || a.dimension !== b.dimension) return true;
  return a.value === b.value;
}

const normaliseName = (name: string) => name.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The four-eyes approval: a person other than the preparer (by the names they typed; the app has no login, so
 * this is a control record, not authentication) approves a saved proposal. It designates one cash-flow hedge
 * relationship per month with contracts, each with a pending buy trade, all in one transaction and audited.
 */
export function approveProposal(db: Database, clock: Clock, osUser: string, request: ParsedRequestOf<'proposals:approve'>): ResponseOf<'proposals:approve'> {
  const saved = field('proposalId', () => getProposal(db, request.proposalId));
  const approver = request.approverName.replace(/\s+/g, ' ').trim();
  const { proposal } = saved;
  const issues: Issue[] = [];
  const previous = findApproval(db, saved.proposalId);
  if (previous) {
    throw new DomainError('conflict', `Proposal #${saved.proposalId} was already approved by ${previous.approvedBy}.`, [{ path: 'proposalId', message: `already approved by ${previous.approvedBy}` }]);
  }
  if (normaliseName(approver) === normaliseName(saved.preparedBy)) {
    issues.push({ path: 'approverName', message: `"${approver}" prepared this proposal: a second person must approve it (four-eyes rule)` });
  }
  if (proposal.totals.contracts === 0) issues.push({ path: 'proposalId', message: `proposal #${saved.proposalId} holds no contracts: there is nothing to approve` });
  if (issues.length > 0) throw new DomainError('invalid-input', `Proposal #${saved.proposalId} cannot be approved: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);

  const today = clock.today();
  const hedgedLines = proposal.lines.filter((l) => l.contracts > 0);
  const expired = hedgedLines.filter((l) => l.lastTradingDate < today);
  if (expired.length > 0) {
    throw new DomainError(
      'conflict',
      `Proposal #${saved.proposalId} cannot be approved: the ${expired.map((l) => l.month).join(', ')} contract${expired.length > 1 ? 's' : ''} stopped trading (last trading day ${expired[0]!.lastTradingDate}); build a new proposal from a current forecast and curve.`,
      [{ path: 'proposalId', message: `contract months ${expired.map((l) => l.month).join(', ')} no longer trade` }],
    );
  }
  const segment = proposal.inputs.forecastRun.segment;
  const clashes = designatedMonths(db, proposal.inputs.instrument.code, hedgedLines.map((l) => l.month)).filter((d) => segmentsOverlap(d.segment, segment));
  if (clashes.length > 0) {
    const first = clashes[0]!;
    const months = [...new Set(clashes.map((c) => c.contractMonth))];
    throw new DomainError(
      'conflict',
      `Proposal #${first.proposalId} (approved) already hedges ${proposal.inputs.instrument.code} for ${segmentLabel(first.segment)} in ${months.join(', ')}; approving #${saved.proposalId} for ${segmentLabel(segment)} would hedge the same purchases twice. Netting existing hedges in a new proposal comes with the hedge book.`,
      [{ path: 'proposalId', message: `overlaps the hedges of approved proposal #${first.proposalId} in ${months.join(', ')}` }],
    );
  }

  const designations = designationsOf(proposal);
  const approval: ProposalApproval = { proposalId: saved.proposalId, approvedAtMs: clock.now(), approvedBy: approver, approvedOsUser: osUser, note: request.note };
  const relationships = db.transaction(() => {
    const instrumentId = instrumentIdOf(db, proposal.inputs.instrument.code, proposal.inputs.instrument.version);
    const created = insertApproval(db, approval, designations, { instrumentId, designationDate: today, actor: osUser });
    const audit = (action: string, entity: string, entityId: string, after: unknown) => appendAudit(db, { atMs: approval.approvedAtMs, actor: osUser, action, entity, entityId, before: null, after });
    audit('proposal.approve', 'hedge_proposal', String(saved.proposalId), {
      approvedBy: approver,
      approvedOsUser: osUser,
      preparedBy: saved.preparedBy,
      preparedOsUser: saved.preparedOsUser,
      note: request.note,
      relationships: created.map((r) => r.relationshipId),
    });
    for (const r of created) {
      audit('designate', 'hedge_relationship', String(r.relationshipId), { proposalId: r.proposalId, contractMonth: r.contractMonth, contracts: r.contracts, hedgedTokens: r.hedgedTokens, hedgeRatio: r.hedgeRatio, designationDate: r.designationDate, texts: r.texts });
      for (const t of r.trades) audit('create', 'hedge_trade', String(t.tradeId), { relationshipId: r.relationshipId, contractMonth: t.contractMonth, quantityContracts: t.quantityContracts, status: t.status });
    }
    return created;
  })();
  return { approval: approvalView(approval, saved), relationships };
}
