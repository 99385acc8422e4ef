import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ResponseOf } from '../../src-main/common/api/contract.ts';
import { describeListing, type InstrumentDraft } from '../../src-main/common/hedging/instrument.ts';
import { describeMarginModel } from '../../src-main/common/hedging/margin.ts';
import { microsFromDecimalText } from '../../src-main/common/money/micros.ts';
import { ApiCallError, call, transport, uploadFile } from '../api/client.ts';
import { ForwardCurveChart } from '../charts/ForwardCurveChart.tsx';
import { PriceHistoryChart } from '../charts/PriceHistoryChart.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { formatInteger } from '../format.ts';
import { STATUS_LABELS, UNDERLYING_LABELS, formatUnitPrice } from '../market-format.ts';
import { ExposurePanel } from './market-data/ExposurePanel.tsx';
import { InstrumentEditor } from './market-data/InstrumentEditor.tsx';
import { SettlementGrid } from './market-data/SettlementGrid.tsx';

type Instrument = ResponseOf<'instruments:list'>[number];
type Curve = ResponseOf<'market:curve'>;
type Prices = ResponseOf<'market:prices'>;
type Fixings = ResponseOf<'market:fixings'>;
type ImportReport = ResponseOf<'market:import'>;

/**
 * Market data: the instruments (contract specifications, with editable hypothetical templates), and for the chosen
 * one its forward curve, price history against the index, a grid to enter settlement prices, CSV import of
 * settlement prices and index fixings, and what the instrument hedges (exposure mappings and basis).
 */
export function MarketDataPage({ dataVersion }: { dataVersion: number }) {
  const [instruments, setInstruments] = useState<Instrument[] | null>(null);
  const [templates, setTemplates] = useState<InstrumentDraft[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [editor, setEditor] = useState<{ draft: InstrumentDraft; isNew: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    Promise.all([call('instruments:list', {}), call('instruments:templates', {})])
      .then(([list, t]) => {
        if (!live) return;
        setInstruments(list);
        setTemplates(t as InstrumentDraft[]);
        setSelected((s) => (s && list.some((i) => i.code === s) ? s : (list[0]?.code ?? null)));
      })
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [dataVersion, version]);

  const current = instruments?.find((i) => i.code === selected) ?? null;
  const today = new Date().toISOString().slice(0, 10);

  const fromTemplate = (t: InstrumentDraft) => {
    const taken = new Set(instruments?.map((i) => i.code));
    let code = t.code;
    for (let n = 2; taken.has(code); n++) code = `${t.code}-${n}`;
    setEditor({ draft: { ...structuredClone(t), code }, isNew: true });
  };

  return (
    <div className="market-data">
      <ErrorBanner error={error} />
      <section className="card" aria-label="Instruments">
        <div className="card-head">
          <h2>Instruments</h2>
          <div className="actions">
            {templates.map((t) => (
              <button key={t.code} type="button" className="button" onClick={() => fromTemplate(t)} data-testid={`template-${t.underlyingKind}`}>
                New {UNDERLYING_LABELS[t.underlyingKind]} future from template (hypothetical)
              </button>
            ))}
          </div>
        </div>
        {instruments === null ? (
          <p className="muted" aria-live="polite">Loading…</p>
        ) : instruments.length === 0 ? (
          <p className="muted">
            No instruments yet. No exchange has published terms for GPU-hour or AI-token futures, so start from a template: every
            term is yours to edit, and the instrument stays marked hypothetical until you say otherwise.
          </p>
        ) : (
          <table className="table" data-testid="instruments">
            <thead>
              <tr>
                <th scope="col">Code</th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Underlying</th>
                <th scope="col">Contract</th><th scope="col" className="num">Settlement prices</th><th scope="col">Latest</th>
                <th scope="col" className="num">Index fixings</th><th scope="col">Version</th>
              </tr>
            </thead>
            <tbody>
              {instruments.map((i) => (
                <tr key={i.code} className={i.code === selected ? 'selected' : undefined}>
                  <td><button type="button" className="link" onClick={() => setSelected(i.code)} aria-pressed={i.code === selected}>{i.code}</button></td>
                  <td>{i.name}</td>
                  <td><StatusPill status={i.status} /></td>
                  <td>{UNDERLYING_LABELS[i.underlyingKind]}</td>
                  <td>{formatInteger(i.contractQuantity)} {i.quantityUnit} · {i.priceCurrency} per {i.priceUnit}</td>
                  <td className="num">{formatInteger(i.priceCount)}</td>
                  <td>{i.lastPriceDate ?? '—'}</td>
                  <td className="num">{formatInteger(i.fixingCount)}</td>
                  <td>v{i.version}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {editor && (
        <InstrumentEditor
          key={`${editor.draft.code}-${editor.isNew}`}
          initial={editor.draft}
          isNew={editor.isNew}
          onCancel={() => setEditor(null)}
          onSaved={(saved) => {
            setEditor(null);
            setSelected(saved.code);
            refresh();
          }}
        />
      )}

      {current && !editor && (
        <InstrumentView
          key={current.code}
          instrument={current}
          today={today}
          dataVersion={dataVersion + version}
          onEdit={() => {
            const { version: _v, createdAtMs: _c, createdBy: _b, priceCount: _p, lastPriceDate: _l, fixingCount: _f, listedMonths: _m, ...draft } = current;
            setEditor({ draft: draft as InstrumentDraft, isNew: false });
          }}
          onChanged={refresh}
        />
      )}
    </div>
  );
}

function StatusPill({ status }: { status: string }) {
  return <span className={`pill pill-status-${status}`} data-testid="instrument-status">{STATUS_LABELS[status] ?? status}</span>;
}

function InstrumentView({
  instrument,
  today,
  dataVersion,
  onEdit,
  onChanged,
}: {
  instrument: Instrument;
  today: string;
  dataVersion: number;
  onEdit(): void;
  onChanged(): void;
}) {
  const [asOf, setAsOf] = useState<string | undefined>(undefined);
  const [curve, setCurve] = useState<Curve | null>(null);
  const [prices, setPrices] = useState<Prices | null>(null);
  const [fixings, setFixings] = useState<Fixings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [importing, setImporting] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    Promise.all([
      call('market:curve', { code: instrument.code, ...(asOf ? { asOf } : {}) }),
      call('market:prices', { code: instrument.code }),
      call('market:fixings', { indexCode: instrument.index.code }),
    ])
      .then(([c, p, f]) => {
        if (!live) return;
        setCurve(c);
        setPrices(p);
        setFixings(f);
      })
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [instrument.code, instrument.index.code, asOf, dataVersion]);

  const importFile = async (file: File | undefined) => {
    setError(null);
    setReport(null);
    setImporting(true);
    try {
      let fileId: string;
      if (transport === 'http') {
        if (!file) return;
        fileId = (await uploadFile(file, () => {})).fileId;
      } else {
        const picked = await call('files:pick', { purpose: 'import' });
        if (picked.length === 0) return;
        fileId = picked[0]!.fileId;
      }
      const result = await call('market:import', { fileId, code: instrument.code });
      setReport(result);
      if (result.status === 'imported') onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setImporting(false);
    }
  };

  const hypothetical = instrument.status === 'hypothetical';
  const historyMonths = curve?.points.slice(0, 3).map((p) => p.contractMonth) ?? [];
  return (
    <>
      <section className="card" aria-label={`Instrument ${instrument.code}`} data-testid="instrument-view">
        <div className="card-head">
          <h2>
            {instrument.name} <StatusPill status={instrument.status} />
          </h2>
          <button type="button" className="button" onClick={onEdit} data-testid="edit-instrument">Edit specification</button>
        </div>
        {hypothetical && (
          <p className="banner banner-warning" data-testid="hypothetical-banner">
            {/HYPOTHETICAL/.test(instrument.provenance) ? instrument.provenance : `HYPOTHETICAL — ${instrument.provenance}`}
          </p>
        )}
        <dl className="facts">
          <div><dt>Venue</dt><dd>{instrument.venue} ({instrument.instrumentType})</dd></div>
          <div><dt>Reference index</dt><dd>{instrument.index.name} <code>{instrument.index.code}</code> — {instrument.index.provider}</dd></div>
          <div><dt>Contract</dt><dd>{formatInteger(instrument.contractQuantity)} {instrument.quantityUnit}; price in {instrument.priceCurrency} per {instrument.priceUnit}; tick {formatUnitPrice(instrument.tickSizeMicros, instrument.priceCurrency)} = {formatUnitPrice(instrument.tickValueMicros, instrument.priceCurrency)} per contract</dd></div>
          <div><dt>Listing</dt><dd>{describeListing(instrument.listing)}; last trading day {instrument.lastTrading.days === 0 ? 'the last business day of the month' : `${instrument.lastTrading.days} business days before month end`}</dd></div>
          <div><dt>Settlement</dt><dd>{instrument.settlement.type}, {instrument.settlement.method === 'average-of-month' ? 'average of the index over the contract month' : 'single fixing'}, paid {instrument.settlement.paymentLagBusinessDays} business days later</dd></div>
          <div><dt>Margin and fees</dt><dd>{describeMarginModel(instrument.margin, instrument.priceCurrency)}; fees {formatUnitPrice(instrument.feePerContractMicros, instrument.priceCurrency)} per contract and side</dd></div>
          {!hypothetical && <div><dt>Provenance</dt><dd>{instrument.provenance}</dd></div>}
          <div><dt>Version</dt><dd>v{instrument.version}, saved {new Date(instrument.createdAtMs).toLocaleString()} by {instrument.createdBy}</dd></div>
        </dl>
      </section>
      <ErrorBanner error={error} />
      <div className="grid-2">
        <section className="card">
          {curve && curve.dates.length > 1 && (
            <div className="toolbar">
              <label>
                Curve of{' '}
                <select value={asOf ?? curve.priceDate ?? ''} onChange={(e) => setAsOf(e.target.value)} aria-label="Curve date">
                  {curve.dates.map((d) => <option key={d} value={d}>{d}</option>)}
                </select>
              </label>
            </div>
          )}
          {curve && <ForwardCurveChart points={curve.points} currency={curve.currency} priceUnit={curve.priceUnit} priceDate={curve.priceDate} hypothetical={hypothetical} />}
        </section>
        <section className="card">
          {prices && fixings && (
            <PriceHistoryChart prices={prices.prices} fixings={fixings.fixings} months={historyMonths} currency={prices.currency} priceUnit={prices.priceUnit} />
          )}
        </section>
      </div>
      {prices && (
        <SettlementGrid
          code={instrument.code}
          currency={instrument.priceCurrency}
          priceUnit={instrument.priceUnit}
          prices={prices.prices}
          listedMonths={instrument.listedMonths}
          today={today}
          onSaved={onChanged}
        />
      )}
      <section className="card" aria-label="Import market data">
        <h2>Import settlement prices or index fixings (CSV)</h2>
        <p className="muted small">
          Settlement prices: columns <code>date, contract_month, settlement</code> (optional <code>instrument</code>, <code>source</code>). Index fixings:
          columns <code>date, value</code> (optional <code>index</code>, <code>currency</code>, <code>source</code>); without an index column they are
          fixings of {instrument.index.code} in {instrument.priceCurrency}. A file imports whole or not at all.
        </p>
        <input ref={input} type="file" accept=".csv,.txt,text/csv" hidden data-testid="market-file-input" onChange={(e) => { void importFile(e.target.files?.[0]); e.target.value = ''; }} />
        <button type="button" className="button" disabled={importing} onClick={() => (transport === 'http' ? input.current?.click() : void importFile(undefined))} data-testid="import-market-data">
          {importing ? 'Importing…' : 'Choose a CSV file…'}
        </button>
        {report && (
          <article className={`import-report status-${report.status}`} data-testid="market-import-report">
            <header><span className={`pill pill-${report.status}`}>{report.status}</span><h3>{report.fileName}</h3></header>
            <p>{report.message}</p>
            {report.rejections.length > 0 && (
              <table className="table compact">
                <thead><tr><th scope="col">Row</th><th scope="col">Column</th><th scope="col">Reason</th></tr></thead>
                <tbody>{report.rejections.map((r) => <tr key={`${r.row}-${r.column}`}><td>{r.row}</td><td>{r.column}</td><td>{r.reason}</td></tr>)}</tbody>
              </table>
            )}
          </article>
        )}
      </section>
      <FixingEntry indexCode={instrument.index.code} currency={instrument.priceCurrency} priceUnit={instrument.priceUnit} today={today} onSaved={onChanged} />
      <ExposurePanel instrument={instrument} dataVersion={dataVersion} />
    </>
  );
}

/** Manual entry of one index fixing (a revised value replaces the old one, which the audit log keeps). */
function FixingEntry({ indexCode, currency, priceUnit, today, onSaved }: { indexCode: string; currency: string; priceUnit: string; today: string; onSaved(): void }) {
  const [date, setDate] = useState(today);
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setStatus(null);
    try {
      let valueMicros: number;
      try {
        valueMicros = microsFromDecimalText(value.replace(/,/g, ''));
      } catch {
        throw new ApiCallError({ code: 'invalid-input', message: `"${value}" is not a decimal value`, issues: [{ path: 'value', message: 'must be a decimal such as 2.615' }] });
      }
      const result = await call('market:save-fixings', { indexCode, currency, fixings: [{ date, valueMicros }] });
      setStatus(result.inserted ? 'Fixing added.' : result.replaced ? 'Fixing revised.' : 'Unchanged.');
      setValue('');
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="card toolbar left" onSubmit={submit} aria-label="Enter an index fixing" data-testid="fixing-entry">
      <strong>Enter a fixing of {indexCode}</strong>
      <label>Date <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required /></label>
      <label>
        Value ({currency} per {priceUnit}) <input inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} required size={8} />
      </label>
      <button type="submit" className="button">Save fixing</button>
      {status && <span className="saved" role="status">{status}</span>}
      <ErrorBanner error={error} />
    </form>
  );
}
