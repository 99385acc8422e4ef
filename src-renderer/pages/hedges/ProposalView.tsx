import { Fragment, useState } from 'react';
import type { ResponseOf } from '../../../src-main/common/api/contract.ts';
import { segmentLabel } from '../../../src-main/common/forecast/token-forecast.ts';
import { CostHistogramChart } from '../../charts/CostHistogramChart.tsx';
import { CoverageChart } from '../../charts/CoverageChart.tsx';
import { Kpi } from '../../components/Kpi.tsx';
import { formatInteger, formatMoney, formatMonth } from '../../format.ts';
import { formatUnitPrice } from '../../market-format.ts';

export type ProposalData = ResponseOf<'proposals:get'>;
type Line = ProposalData['lines'][number];
type Explained = keyof Line['explanations'];

const locale = typeof navigator !== 'undefined' ? navigator.language : 'en-US';
const QTY = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
export const qty = (n: number) => QTY.format(n);
export const pct = (fraction: number, digits = 1) => `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(fraction * 100)} %`;

/** The label of each explained number, in the order a reader follows the derivation. */
const EXPLAINED: [Explained, string][] = [
  ['exposureP50', 'Exposure (P50)'],
  ['hedgeable', 'Hedgeable quantity'],
  ['ratio', 'Hedge ratio'],
  ['target', 'Target'],
  ['contractsUnrounded', 'Contracts, unrounded'],
  ['contracts', 'Contracts'],
  ['effectiveRatio', 'Effective ratio'],
  ['price', 'Futures price'],
  ['notional', 'Notional'],
  ['initialMargin', 'Initial margin'],
  ['initialMarginBase', 'Initial margin, base currency'],
  ['expectedCostUnhedged', 'Expected cost, unhedged'],
  ['expectedCostHedged', 'Expected cost, hedged'],
];

/**
 * One proposal: what it was built from, its warnings, headline figures, coverage against the policy band, the
 * cost distribution with and without the hedge, and the table of contract months in which every number carries
 * its derivation (as a tooltip, and in full under "Explain").
 */
export function ProposalView({ proposal }: { proposal: ProposalData }) {
  const { inputs, totals, costAtRisk: car } = proposal;
  const ccy = inputs.instrument.priceCurrency;
  const base = inputs.baseCurrency;
  const unit = inputs.instrument.quantityUnit;
  const Q = inputs.policy.policy.quantile.toUpperCase();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const allOpen = open.size === proposal.lines.length;
  const toggle = (month: string) =>
    setOpen((set) => {
      const next = new Set(set);
      if (next.has(month)) next.delete(month);
      else next.add(month);
      return next;
    });
  const confidence = Math.round(car.settings.confidence * 100);
  const estimate = proposal.regression.estimate;
  const idPrefix = `proposal-${proposal.proposalId ?? 'draft'}`;

  return (
    <div className="proposal-view" data-testid="proposal-view">
      <dl className="facts proposal-facts">
        <div><dt>Forecast</dt><dd>run #{inputs.forecastRun.runId} “{inputs.forecastRun.label}”, {segmentLabel(inputs.forecastRun.segment)}, from {formatMonth(inputs.forecastRun.firstMonth)} ({inputs.horizon} months)</dd></div>
        <div><dt>Policy</dt><dd>{inputs.policy.policy.name} v{inputs.policy.version}: hedge at most the {Q}, contracts rounded {inputs.policy.policy.rounding === 'floor' ? 'down' : inputs.policy.policy.rounding === 'ceil' ? 'up' : 'to the nearest'}</dd></div>
        <div>
          <dt>Instrument</dt>
          <dd>
            {inputs.instrument.code} v{inputs.instrument.version} — {inputs.instrument.name}{' '}
            {inputs.instrument.status === 'hypothetical' && <span className="pill pill-status-hypothetical">Hypothetical</span>}
          </dd>
        </div>
        <div><dt>Exposure mapping</dt><dd>{inputs.mapping.name} ({inputs.mapping.contractUnitsPerToken} {unit} per token; {inputs.mapping.coverage === 'exact' ? 'the forecast is exactly this usage' : inputs.mapping.coverageReason})</dd></div>
        <div><dt>Forward curve</dt><dd>settlement prices of {inputs.curveDate}</dd></div>
        <div><dt>FX rate</dt><dd>{inputs.fx ? `1 ${inputs.fx.pair.base} = ${inputs.fx.pair.rate} ${inputs.fx.pair.quote} on ${inputs.fx.rateDate} (margin and fees into ${base})` : `none needed: ${ccy} is the base currency`}</dd></div>
        <div>
          <dt>Hedge ratio</dt>
          <dd data-testid="ratio-method">
            {inputs.ratioMethod === 'policy' ? 'the policy target in each band' : 'the minimum-variance ratio h*, kept inside each band'}
            {estimate ? `; regression: h* ${estimate.hStar.toFixed(3)}, R² ${estimate.r2.toFixed(2)} over ${estimate.observations} monthly changes` : `; no regression (${proposal.regression.reason ?? 'no data'})`}
          </dd>
        </div>
        {proposal.preparedBy && (
          <div><dt>Prepared by</dt><dd>{proposal.preparedBy} (OS account {proposal.preparedOsUser}) on {new Date(proposal.createdAtMs!).toLocaleString(locale)}</dd></div>
        )}
      </dl>

      {proposal.warnings.length > 0 && (
        <div className="banner banner-warning" role="status" data-testid="proposal-warnings">
          <ul>{proposal.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul>
        </div>
      )}

      <div className="kpis">
        <Kpi label="Contracts" value={formatInteger(totals.contracts)} note={`${pct(totals.p50Units ? totals.hedgedUnits / totals.p50Units : 0)} of the P50 over ${inputs.horizon} months`} testId="kpi-contracts" />
        <Kpi label="Notional" value={formatMoney(totals.notionalMicros, ccy)} note={`at the curve of ${inputs.curveDate}`} testId="kpi-notional" />
        <Kpi label="Initial margin" value={formatMoney(totals.initialMarginBaseMicros, base)} note={inputs.fx ? `${formatMoney(totals.initialMarginMicros, ccy)} converted` : 'in the base currency'} testId="kpi-margin" />
        <Kpi
          label={`Cost-at-risk (P${confidence} − mean)`}
          value={<>{formatMoney(car.hedged.costAtRiskMicros, base)}</>}
          note={`hedged, against ${formatMoney(car.unhedged.costAtRiskMicros, base)} unhedged`}
          testId="kpi-car"
        />
      </div>

      <div className="grid-2">
        <section className="card">
          <CoverageChart
            quantile={Q}
            points={proposal.lines.map((l) => ({ month: l.month, effective: l.effectiveRatio, ratio: l.ratio, band: l.band, cap: l.p50 > 0 ? l.hedgeable / l.p50 : 0 }))}
          />
        </section>
        <section className="card">
          <CostHistogramChart bins={car.histogram} currency={base} paths={car.settings.paths} />
        </section>
      </div>

      <section className="card" aria-label="Cost-at-risk">
        <h3>Cost-at-risk by Monte Carlo</h3>
        <table className="table compact car-table" data-testid="car-table">
          <thead>
            <tr><th scope="col">Total cost over the horizon ({base})</th><th scope="col" className="num">Unhedged</th><th scope="col" className="num">Hedged</th></tr>
          </thead>
          <tbody>
            <tr><th scope="row">Mean</th><td className="num">{formatMoney(car.unhedged.meanMicros, base)}</td><td className="num">{formatMoney(car.hedged.meanMicros, base)}</td></tr>
            <tr><th scope="row">P50</th><td className="num">{formatMoney(car.unhedged.p50Micros, base)}</td><td className="num">{formatMoney(car.hedged.p50Micros, base)}</td></tr>
            <tr><th scope="row">P{confidence}</th><td className="num">{formatMoney(car.unhedged.percentileMicros, base)}</td><td className="num">{formatMoney(car.hedged.percentileMicros, base)}</td></tr>
            <tr className="strong"><th scope="row">Cost-at-risk (P{confidence} − mean)</th><td className="num" data-testid="car-unhedged">{formatMoney(car.unhedged.costAtRiskMicros, base)}</td><td className="num" data-testid="car-hedged">{formatMoney(car.hedged.costAtRiskMicros, base)}</td></tr>
          </tbody>
        </table>
        <p className="small">
          The hedge takes <strong>{formatMoney(car.reductionMicros, base)}</strong> off the cost-at-risk. Margin-call stress: initial margin{' '}
          {formatMoney(car.marginCall.initialMarginMicros, base)}, plus variation margin the long futures may pay before they settle — on average at most{' '}
          {formatMoney(car.marginCall.expectedPeakVariationMicros, base)}, at P{confidence} {formatMoney(car.marginCall.percentilePeakVariationMicros, base)}: cash need at P{confidence}{' '}
          <strong data-testid="cash-need">{formatMoney(car.marginCall.percentileCashNeedMicros, base)}</strong>.
        </p>
        <details>
          <summary>Assumptions of the simulation</summary>
          <ul className="small">{car.assumptions.map((a, i) => <li key={i}>{a}</li>)}</ul>
        </details>
      </section>

      <section className="card" aria-label="Contracts by month">
        <div className="card-head">
          <h3>Contracts by month</h3>
          <button type="button" className="button" onClick={() => setOpen(allOpen ? new Set() : new Set(proposal.lines.map((l) => l.month)))} aria-pressed={allOpen}>
            {allOpen ? 'Hide all explanations' : 'Explain every number'}
          </button>
        </div>
        <p className="muted small">Point at a number to see how it was derived, or open a month with “Explain”.</p>
        <div className="grid-scroll">
          <table className="table compact proposal-table" data-testid="proposal-table">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" className="num">P50 ({unit})</th>
                <th scope="col" className="num">{Q} ({unit})</th>
                <th scope="col" className="num">Ratio</th>
                <th scope="col" className="num">Contracts (unrounded)</th>
                <th scope="col" className="num">Contracts</th>
                <th scope="col" className="num">Effective</th>
                <th scope="col" className="num">Price ({ccy})</th>
                <th scope="col" className="num">Notional ({ccy})</th>
                <th scope="col" className="num">Initial margin ({base})</th>
                <th scope="col" className="num">Expected cost unhedged ({base})</th>
                <th scope="col" className="num">Expected cost hedged ({base})</th>
                <th scope="col"><span className="visually-hidden">Explanations</span></th>
              </tr>
            </thead>
            <tbody>
              {proposal.lines.map((l) => {
                const e = l.explanations;
                const expanded = open.has(l.month);
                const rowId = `${idPrefix}-explain-${l.month}`;
                return (
                  <Fragment key={l.month}>
                    <tr className={l.warnings.length ? 'has-warning' : undefined}>
                      <th scope="row" title={formatMonth(l.month)}>{l.month}</th>
                      <td className="num" title={e.exposureP50}>{qty(l.p50)}</td>
                      <td className="num" title={e.hedgeable}>{qty(l.hedgeable)}</td>
                      <td className="num" title={e.ratio}>{pct(l.ratio)}</td>
                      <td className="num" title={e.contractsUnrounded}>{qty(l.contractsUnrounded)}</td>
                      <td className="num strong" title={e.contracts}>{formatInteger(l.contracts)}</td>
                      <td className="num" title={e.effectiveRatio}>{pct(l.effectiveRatio)}</td>
                      <td className="num" title={e.price}>{formatUnitPrice(l.priceMicros, ccy)}</td>
                      <td className="num" title={e.notional}>{formatMoney(l.notionalMicros, ccy)}</td>
                      <td className="num" title={e.initialMarginBase}>{formatMoney(l.initialMarginBaseMicros, base)}</td>
                      <td className="num" title={e.expectedCostUnhedged}>{formatMoney(l.expectedCostUnhedgedMicros, base)}</td>
                      <td className="num" title={e.expectedCostHedged}>{formatMoney(l.expectedCostHedgedMicros, base)}</td>
                      <td>
                        <button type="button" className="link" aria-expanded={expanded} aria-controls={rowId} onClick={() => toggle(l.month)} data-testid={`explain-${l.month}`}>
                          {expanded ? 'Hide' : 'Explain'}
                        </button>
                      </td>
                    </tr>
                    {expanded && (
                      <tr id={rowId} className="explanations-row">
                        <td colSpan={13}>
                          <dl className="explanations" data-testid={`explanations-${l.month}`}>
                            {EXPLAINED.map(([key, label]) => (
                              <div key={key}><dt>{label}</dt><dd>{e[key]}</dd></div>
                            ))}
                          </dl>
                          {l.warnings.length > 0 && <ul className="warnings small">{l.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul>}
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
            <tfoot>
              <tr className="strong">
                <th scope="row">Total</th>
                <td className="num">{qty(totals.p50Units)}</td>
                <td />
                <td />
                <td />
                <td className="num" data-testid="total-contracts">{formatInteger(totals.contracts)}</td>
                <td className="num">{pct(totals.p50Units ? totals.hedgedUnits / totals.p50Units : 0)}</td>
                <td />
                <td className="num">{formatMoney(totals.notionalMicros, ccy)}</td>
                <td className="num">{formatMoney(totals.initialMarginBaseMicros, base)}</td>
                <td className="num">{formatMoney(totals.expectedCostUnhedgedMicros, base)}</td>
                <td className="num">{formatMoney(totals.expectedCostHedgedMicros, base)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
    </div>
  );
}
