import { useEffect, useState, type FormEvent } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ResponseOf } from '../../../src-main/common/api/contract.ts';
import { segmentLabel } from '../../../src-main/common/forecast/token-forecast.ts';
import { call } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { formatInteger, formatMoney, formatMonth } from '../../format.ts';
import { RelationshipsTable } from './HedgeBook.tsx';
import { ProposalView, pct, type ProposalData } from './ProposalView.tsx';

type Summary = ResponseOf<'proposals:list'>[number];

const COMPARE_COLOURS = ['#1f5fa8', '#d1495b', '#2e9d8f', '#8e6bbf', '#9a8a3a', '#5b6b7f'];

/**
 * Saved proposals: the list (newest first), side-by-side comparison of two or more, and one proposal opened with
 * its approval — the four-eyes step that designates hedge relationships and pending trades.
 */
export function SavedProposals({ dataVersion, openId, onOpen, onApproved }: { dataVersion: number; openId: number | null; onOpen: (id: number | null) => void; onApproved: () => void }) {
  const [list, setList] = useState<Summary[]>([]);
  const [selected, setSelected] = useState<number[]>([]);
  const [compared, setCompared] = useState<ProposalData[] | null>(null);
  const [opened, setOpened] = useState<ProposalData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    call('proposals:list', {})
      .then((l) => live && setList(l))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [dataVersion, reload]);

  useEffect(() => {
    if (openId === null) {
      setOpened(null);
      return;
    }
    let live = true;
    call('proposals:get', { proposalId: openId })
      .then((p) => live && setOpened(p))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [openId, dataVersion, reload]);

  const compare = async () => {
    setError(null);
    try {
      setCompared(await Promise.all([...selected].sort((a, b) => a - b).map((proposalId) => call('proposals:get', { proposalId }))));
    } catch (e) {
      setError(e);
    }
  };

  const toggle = (id: number) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  return (
    <section className="card saved-proposals" aria-label="Saved proposals" data-testid="saved-proposals">
      <div className="card-head">
        <h2>Saved proposals</h2>
        <button type="button" className="button" disabled={selected.length < 2} onClick={() => void compare()} data-testid="compare-proposals">
          Compare selected ({selected.length})
        </button>
      </div>
      {list.length === 0 ? (
        <p className="muted">No saved proposal yet: build one above and save it.</p>
      ) : (
        <div className="grid-scroll">
          <table className="table compact" data-testid="proposal-list">
            <thead>
              <tr>
                <th scope="col"><span className="visually-hidden">Compare</span></th>
                <th scope="col">#</th>
                <th scope="col">Label</th>
                <th scope="col">Instrument</th>
                <th scope="col">Forecast</th>
                <th scope="col">Ratio</th>
                <th scope="col">Curve</th>
                <th scope="col" className="num">Contracts</th>
                <th scope="col" className="num">Cost-at-risk unhedged → hedged</th>
                <th scope="col">Prepared by</th>
                <th scope="col">Status</th>
                <th scope="col"><span className="visually-hidden">Open</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <tr key={p.proposalId} className={p.proposalId === openId ? 'selected' : undefined}>
                  <td><input type="checkbox" checked={selected.includes(p.proposalId)} onChange={() => toggle(p.proposalId)} aria-label={`Compare proposal ${p.proposalId}`} /></td>
                  <td>{p.proposalId}</td>
                  <td>{p.label}</td>
                  <td>{p.instrumentCode} v{p.instrumentVersion}{p.hypothetical ? ' (hyp.)' : ''}</td>
                  <td>#{p.forecastRunId} {segmentLabel(p.segment)}</td>
                  <td>{p.ratioMethod === 'policy' ? 'policy' : 'min-variance'}</td>
                  <td>{p.curveDate}</td>
                  <td className="num">{formatInteger(p.totalContracts)}</td>
                  <td className="num">{formatMoney(p.carUnhedgedMicros, p.baseCurrency)} → {formatMoney(p.carHedgedMicros, p.baseCurrency)}</td>
                  <td>{p.preparedBy}</td>
                  <td><span className={`pill ${p.status === 'approved' ? 'pill-imported' : ''}`}>{p.status === 'approved' ? `Approved by ${p.approvedBy}` : 'Saved'}</span></td>
                  <td>
                    <button type="button" className="link" onClick={() => onOpen(p.proposalId === openId ? null : p.proposalId)} aria-pressed={p.proposalId === openId} data-testid={`open-proposal-${p.proposalId}`}>
                      {p.proposalId === openId ? 'Close' : 'Open'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorBanner error={error} />
      {compared && <Comparison proposals={compared} onClose={() => setCompared(null)} />}
      {opened && (
        <div className="opened-proposal" data-testid="opened-proposal">
          <h3>
            Proposal #{opened.proposalId}: {opened.label}
          </h3>
          <ProposalView proposal={opened} />
          <Approval
            proposal={opened}
            onApproved={() => {
              setReload((r) => r + 1);
              onApproved();
            }}
          />
        </div>
      )}
    </section>
  );
}

/** Two or more proposals side by side: one column each, and their coverage per month on one chart. */
function Comparison({ proposals, onClose }: { proposals: ProposalData[]; onClose: () => void }) {
  const rows: [string, (p: ProposalData) => string][] = [
    ['Instrument', (p) => `${p.inputs.instrument.code} v${p.inputs.instrument.version}`],
    ['Forecast', (p) => `#${p.inputs.forecastRun.runId} ${segmentLabel(p.inputs.forecastRun.segment)}`],
    ['Policy', (p) => `${p.inputs.policy.policy.name} v${p.inputs.policy.version}`],
    ['Curve date', (p) => p.inputs.curveDate],
    ['Hedge ratio', (p) => (p.inputs.ratioMethod === 'policy' ? 'policy target' : 'minimum-variance')],
    ['Contracts', (p) => formatInteger(p.totals.contracts)],
    ['Coverage of the P50', (p) => pct(p.totals.p50Units ? p.totals.hedgedUnits / p.totals.p50Units : 0)],
    ['Notional', (p) => formatMoney(p.totals.notionalMicros, p.inputs.instrument.priceCurrency)],
    ['Initial margin', (p) => formatMoney(p.totals.initialMarginBaseMicros, p.inputs.baseCurrency)],
    ['Expected cost, hedged', (p) => formatMoney(p.totals.expectedCostHedgedMicros, p.inputs.baseCurrency)],
    ['Cost-at-risk, unhedged', (p) => formatMoney(p.costAtRisk.unhedged.costAtRiskMicros, p.inputs.baseCurrency)],
    ['Cost-at-risk, hedged', (p) => formatMoney(p.costAtRisk.hedged.costAtRiskMicros, p.inputs.baseCurrency)],
    ['Cash need at P95 (margin stress)', (p) => formatMoney(p.costAtRisk.marginCall.percentileCashNeedMicros, p.inputs.baseCurrency)],
    ['Warnings', (p) => String(p.warnings.length)],
    ['Status', (p) => (p.approval ? `approved by ${p.approval.approvedBy}` : 'saved')],
  ];
  const months = [...new Set(proposals.flatMap((p) => p.lines.map((l) => l.month)))].sort();
  const chart = months.map((month) => Object.fromEntries([['month', month], ...proposals.map((p) => [`p${p.proposalId}`, (p.lines.find((l) => l.month === month)?.effectiveRatio ?? 0) * 100])]));
  return (
    <div className="comparison" data-testid="proposal-comparison">
      <div className="card-head">
        <h3>Comparison</h3>
        <button type="button" className="link" onClick={onClose}>Close comparison</button>
      </div>
      <div className="grid-scroll">
        <table className="table compact">
          <thead>
            <tr><th scope="col" /> {proposals.map((p) => <th key={p.proposalId} scope="col" className="num">#{p.proposalId} {p.label}</th>)}</tr>
          </thead>
          <tbody>
            {rows.map(([name, get]) => (
              <tr key={name}><th scope="row">{name}</th>{proposals.map((p) => <td key={p.proposalId} className="num">{get(p)}</td>)}</tr>
            ))}
            {months.map((month) => (
              <tr key={month}>
                <th scope="row">Contracts {formatMonth(month)}</th>
                {proposals.map((p) => <td key={p.proposalId} className="num">{p.lines.find((l) => l.month === month)?.contracts ?? '—'}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <figure className="chart" aria-label="Coverage of the compared proposals" data-testid="chart-compare-coverage">
        <figcaption>Coverage of the P50 by month (%)</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={chart} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="month" tickFormatter={formatMonth} minTickGap={8} />
            <YAxis domain={[0, 100]} unit=" %" width={56} />
            <Tooltip labelFormatter={(l) => formatMonth(String(l))} formatter={(v, n) => [`${Number(v).toFixed(1)} %`, `Proposal #${String(n).slice(1)}`]} />
            <Legend formatter={(v) => `#${String(v).slice(1)}`} />
            {proposals.map((p, i) => (
              <Line key={p.proposalId} type="stepAfter" dataKey={`p${p.proposalId}`} stroke={COMPARE_COLOURS[i % COMPARE_COLOURS.length]} strokeWidth={2} dot={false} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}

const normalise = (name: string) => name.replace(/\s+/g, ' ').trim().toLowerCase();

/** The approval record, or the form to approve: a person other than the preparer types their name. */
function Approval({ proposal, onApproved }: { proposal: ProposalData; onApproved: () => void }) {
  const [approver, setApprover] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const approval = proposal.approval;
  if (approval) {
    return (
      <section className="approval" aria-label="Approval" data-testid="approval">
        <div className="banner banner-ok" role="status" data-testid="approval-record">
          Approved by <strong>{approval.approvedBy}</strong> (OS account {approval.approvedOsUser}) on {new Date(approval.approvedAtMs).toLocaleString()}; prepared by{' '}
          {approval.preparedBy} (OS account {approval.preparedOsUser}).
          {approval.sameOsUser && ' Both used the same OS account: the names are a control record, not authentication.'}
          {approval.note && <> Note: “{approval.note}”</>}
        </div>
        <h3>Hedge relationships designated by this approval</h3>
        <RelationshipsTable relationships={proposal.relationships} />
      </section>
    );
  }
  const same = approver.trim() !== '' && normalise(approver) === normalise(proposal.preparedBy ?? '');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await call('proposals:approve', { proposalId: proposal.proposalId!, approverName: approver, note });
      onApproved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form approval" aria-label="Approve" onSubmit={(e) => void submit(e)} data-testid="approval-form">
      <h3>Approve</h3>
      <p className="small">
        Prepared by <strong>{proposal.preparedBy}</strong>. A second person approves: type your name. The app has no login, so this is a{' '}
        <strong>control record, not authentication</strong>: it records the name you type and the OS account that runs the app. Approval designates one
        cash-flow hedge relationship per month with contracts and a pending buy trade for each, to be filled in the hedge book.
      </p>
      <div className="form-grid">
        <label>Approved by (your name)<input value={approver} onChange={(e) => setApprover(e.target.value)} maxLength={100} required aria-describedby={same ? 'approver-same' : undefined} /></label>
        <label className="wide">Note (optional)<input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} /></label>
      </div>
      {same && <p id="approver-same" className="warnings small" role="status">The preparer cannot approve their own proposal.</p>}
      <ErrorBanner error={error} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy || !approver.trim() || same} data-testid="approve-proposal">
          {busy ? 'Approving…' : `Approve proposal #${proposal.proposalId}`}
        </button>
      </div>
    </form>
  );
}
