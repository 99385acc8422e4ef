import { Fragment, useEffect, useState } from 'react';
import type { ResponseOf } from '../../../src-main/common/api/contract.ts';
import { call } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { formatInteger, formatMonth, formatTokens } from '../../format.ts';

type Relationship = ResponseOf<'hedges:relationships'>[number];

/** Hedge relationships with their pending trades; each row opens its full designation. */
export function RelationshipsTable({ relationships }: { relationships: Relationship[] }) {
  const [open, setOpen] = useState<number | null>(null);
  if (relationships.length === 0) return <p className="muted">No hedge relationship yet: approve a proposal to designate them.</p>;
  return (
    <div className="grid-scroll">
      <table className="table compact relationships" data-testid="relationships">
        <thead>
          <tr>
            <th scope="col">Relationship</th>
            <th scope="col">Proposal</th>
            <th scope="col">Hedged period</th>
            <th scope="col">Instrument</th>
            <th scope="col" className="num">Hedged tokens</th>
            <th scope="col" className="num">Contracts</th>
            <th scope="col" className="num">Hedge ratio</th>
            <th scope="col">Designated</th>
            <th scope="col">Trade</th>
            <th scope="col"><span className="visually-hidden">Designation</span></th>
          </tr>
        </thead>
        <tbody>
          {relationships.map((r) => (
            <Fragment key={r.relationshipId}>
              <tr>
                <th scope="row">#{r.relationshipId}</th>
                <td>#{r.proposalId}</td>
                <td>{formatMonth(r.contractMonth)}</td>
                <td>{r.instrumentCode} v{r.instrumentVersion} {r.contractMonth}</td>
                <td className="num" title={`${formatInteger(r.hedgedTokens)} tokens`}>{formatTokens(r.hedgedTokens)}</td>
                <td className="num">{formatInteger(r.contracts)}</td>
                <td className="num">{r.hedgeRatio.toFixed(3)} : 1</td>
                <td>{r.designationDate} ({r.status})</td>
                <td data-testid="trade">
                  {r.trades.map((t) => (
                    <span key={t.tradeId} title={t.explanation}>
                      #{t.tradeId} {t.side === 'buy' ? 'Buy' : 'Sell'} {t.quantityContracts > 0 ? '+' : ''}{formatInteger(t.quantityContracts)} — {t.status}
                    </span>
                  ))}
                </td>
                <td>
                  <button type="button" className="link" aria-expanded={open === r.relationshipId} onClick={() => setOpen(open === r.relationshipId ? null : r.relationshipId)}>
                    {open === r.relationshipId ? 'Hide' : 'Designation'}
                  </button>
                </td>
              </tr>
              {open === r.relationshipId && (
                <tr className="explanations-row">
                  <td colSpan={10}>
                    <dl className="explanations">
                      <div><dt>Hedged item</dt><dd>{r.texts.hedgedItem}</dd></div>
                      <div><dt>Hedging instrument</dt><dd>{r.texts.hedgingInstrument}</dd></div>
                      <div><dt>Hedge ratio</dt><dd>{r.texts.hedgeRatio}</dd></div>
                      <div><dt>Risk hedged</dt><dd>{r.texts.riskHedged}</dd></div>
                      <div><dt>Effectiveness</dt><dd>{r.texts.effectivenessMethod}</dd></div>
                      <div><dt>Sources of ineffectiveness</dt><dd>{r.texts.sourcesOfIneffectiveness}</dd></div>
                      <div><dt>Dates</dt><dd>designated {r.designationDate}; hedged period {r.hedgedPeriodStart} … {r.hedgedPeriodEnd}; last trading day {r.lastTradingDate}</dd></div>
                    </dl>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every hedge relationship approval has designated, with its pending trades: what the hedge book will track. */
export function HedgeBook({ dataVersion }: { dataVersion: number }) {
  const [relationships, setRelationships] = useState<Relationship[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    call('hedges:relationships', {})
      .then((r) => live && setRelationships(r))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [dataVersion]);
  const pending = relationships.reduce((s, r) => s + r.trades.filter((t) => t.status === 'pending').length, 0);
  return (
    <section className="card hedge-book" aria-label="Hedge relationships and pending trades" data-testid="hedge-book">
      <div className="card-head">
        <h2>Hedge relationships and pending trades</h2>
        <span className="muted">{relationships.length} designated, {pending} trades to fill</span>
      </div>
      <p className="muted small">Fills, mark-to-market, effectiveness tests and hedge memos come with the hedge book.</p>
      <ErrorBanner error={error} />
      <RelationshipsTable relationships={relationships} />
    </section>
  );
}
