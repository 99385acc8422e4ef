import { useState, type FormEvent } from 'react';
import type { RequestOf, ResponseOf } from '../../../src-main/common/api/contract.ts';
import { DomainError } from '../../../src-main/common/errors.ts';
import {
  INSTRUMENT_STATUSES,
  INSTRUMENT_TYPES,
  SETTLEMENT_METHODS,
  SETTLEMENT_TYPES,
  UNDERLYING_KINDS,
  describeListing,
  type InstrumentDraft,
} from '../../../src-main/common/hedging/instrument.ts';
import { microsFromDecimalText } from '../../../src-main/common/money/micros.ts';
import { call } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { STATUS_LABELS, UNDERLYING_LABELS, microsToInput } from '../../market-format.ts';

type Draft = RequestOf<'instruments:save'>['instrument'];
type Saved = ResponseOf<'instruments:save'>['instrument'];

/** Money and percentages as the user types them; converted exactly when saved. */
type Texts = { tickSize: string; tickValue: string; fee: string; marginInitial: string; marginMaintenance: string; customMonths: string };

function textsOf(d: InstrumentDraft): Texts {
  const m = d.margin;
  return {
    tickSize: microsToInput(d.tickSizeMicros),
    tickValue: microsToInput(d.tickValueMicros),
    fee: microsToInput(d.feePerContractMicros),
    marginInitial: m.kind === 'per-contract' ? microsToInput(m.initialMicros) : String(Math.round(m.initialFraction * 1e6) / 1e4),
    marginMaintenance: m.kind === 'per-contract' ? microsToInput(m.maintenanceMicros) : String(Math.round(m.maintenanceFraction * 1e6) / 1e4),
    customMonths: d.listing.kind === 'custom' ? d.listing.months.join(', ') : '',
  };
}

/**
 * Edits a contract specification (hedging.md §(b)). Saving writes a new version; whatever used an earlier version
 * keeps it. Every economic field is the user's: no exchange has published terms for these products.
 */
export function InstrumentEditor({ initial, isNew, onSaved, onCancel }: { initial: InstrumentDraft; isNew: boolean; onSaved(saved: Saved): void; onCancel(): void }) {
  const [draft, setDraft] = useState<InstrumentDraft>(initial);
  const [texts, setTexts] = useState<Texts>(() => textsOf(initial));
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof InstrumentDraft>(key: K, value: InstrumentDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setText = (key: keyof Texts, value: string) => setTexts((t) => ({ ...t, [key]: value }));

  const build = (): Draft => {
    const money = (text: string, field: string) => {
      try {
        return microsFromDecimalText(text);
      } catch {
        throw new DomainError('invalid-input', `${field}: "${text}" is not a decimal amount`, [{ path: field, message: 'must be a decimal amount such as 0.01' }]);
      }
    };
    const percent = (text: string, field: string) => {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value)) throw new DomainError('invalid-input', `${field}: "${text}" is not a percentage`);
      return Math.round(value * 1e4) / 1e6;
    };
    const margin: InstrumentDraft['margin'] =
      draft.margin.kind === 'per-contract'
        ? { kind: 'per-contract', initialMicros: money(texts.marginInitial, 'margin.initial'), maintenanceMicros: money(texts.marginMaintenance, 'margin.maintenance') }
        : { kind: 'fraction-of-notional', initialFraction: percent(texts.marginInitial, 'margin.initial'), maintenanceFraction: percent(texts.marginMaintenance, 'margin.maintenance') };
    const listing: InstrumentDraft['listing'] =
      draft.listing.kind === 'custom'
        ? { kind: 'custom', months: texts.customMonths.split(/[\s,;]+/).filter(Boolean) }
        : draft.listing;
    return {
      ...draft,
      tickSizeMicros: money(texts.tickSize, 'tickSize'),
      tickValueMicros: money(texts.tickValue, 'tickValue'),
      feePerContractMicros: money(texts.fee, 'feePerContract'),
      margin,
      listing,
    } as Draft;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaving(true);
    try {
      const result = await call('instruments:save', { instrument: build() });
      onSaved(result.instrument);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  const unitPerTick = () => {
    try {
      const size = microsFromDecimalText(texts.tickSize);
      return `${microsToInput(Math.round(size * draft.contractQuantity))} ${draft.priceCurrency}`;
    } catch {
      return '—';
    }
  };

  return (
    <form className="card form instrument-editor" onSubmit={submit} aria-label="Instrument specification" data-testid="instrument-editor">
      <h2>{isNew ? 'New instrument' : `Edit ${initial.code} (saving writes a new version)`}</h2>
      {draft.status === 'hypothetical' && (
        <p className="banner banner-warning">
          HYPOTHETICAL — no exchange lists this contract. Every term below is an assumption; the label follows the
          instrument into charts, proposals and memos.
        </p>
      )}
      <fieldset>
        <legend>Product</legend>
        <div className="form-grid">
          <label>Code<input value={draft.code} onChange={(e) => set('code', e.target.value)} disabled={!isNew} required maxLength={40} /></label>
          <label className="wide">Name<input value={draft.name} onChange={(e) => set('name', e.target.value)} required maxLength={200} /></label>
          <label>
            Status
            <select value={draft.status} onChange={(e) => set('status', e.target.value as InstrumentDraft['status'])}>
              {INSTRUMENT_STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
            </select>
          </label>
          <label>
            Type
            <select value={draft.instrumentType} onChange={(e) => set('instrumentType', e.target.value as InstrumentDraft['instrumentType'])}>
              {INSTRUMENT_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </label>
          <label className="wide">Venue<input value={draft.venue} onChange={(e) => set('venue', e.target.value)} required maxLength={200} /></label>
          <label>
            Underlying
            <select value={draft.underlyingKind} onChange={(e) => set('underlyingKind', e.target.value as InstrumentDraft['underlyingKind'])}>
              {UNDERLYING_KINDS.map((k) => <option key={k} value={k}>{UNDERLYING_LABELS[k]}</option>)}
            </select>
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Reference index</legend>
        <div className="form-grid">
          <label>Index code<input value={draft.index.code} onChange={(e) => set('index', { ...draft.index, code: e.target.value })} required maxLength={40} /></label>
          <label>Provider<input value={draft.index.provider} onChange={(e) => set('index', { ...draft.index, provider: e.target.value })} required maxLength={200} /></label>
          <label className="wide">Name<input value={draft.index.name} onChange={(e) => set('index', { ...draft.index, name: e.target.value })} required maxLength={200} /></label>
          <label className="full">Methodology, publication time and calendar<textarea value={draft.index.methodology} onChange={(e) => set('index', { ...draft.index, methodology: e.target.value })} rows={2} maxLength={2000} /></label>
          <label className="full">Fallback when no fixing is published<input value={draft.index.fallbackRule} onChange={(e) => set('index', { ...draft.index, fallbackRule: e.target.value })} maxLength={500} /></label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Contract and price</legend>
        <div className="form-grid">
          <label>Contract quantity<input type="number" min="0" step="any" value={draft.contractQuantity} onChange={(e) => set('contractQuantity', Number(e.target.value))} required /></label>
          <label>Quantity unit<input value={draft.quantityUnit} onChange={(e) => set('quantityUnit', e.target.value)} required maxLength={40} placeholder="GPU-hour, MTok" /></label>
          <label>Price currency<input value={draft.priceCurrency} onChange={(e) => set('priceCurrency', e.target.value.toUpperCase())} required maxLength={3} /></label>
          <label>Price per<input value={draft.priceUnit} onChange={(e) => set('priceUnit', e.target.value)} required maxLength={40} placeholder="GPU-hour, 1M tokens" /></label>
          <label>Tick size ({draft.priceCurrency} per {draft.priceUnit})<input inputMode="decimal" value={texts.tickSize} onChange={(e) => setText('tickSize', e.target.value)} required /></label>
          <label>
            Tick value ({draft.priceCurrency} per contract)
            <input inputMode="decimal" value={texts.tickValue} onChange={(e) => setText('tickValue', e.target.value)} required />
            <span className="muted small">tick size × contract quantity = {unitPerTick()}</span>
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Listing, trading and settlement</legend>
        <div className="form-grid">
          <label>
            Listed months
            <select
              value={draft.listing.kind}
              onChange={(e) => {
                const kind = e.target.value as InstrumentDraft['listing']['kind'];
                set('listing', kind === 'custom' ? { kind, months: [] } : { kind, count: draft.listing.kind === 'custom' ? 12 : draft.listing.count });
              }}
            >
              <option value="consecutive-months">Consecutive months</option>
              <option value="quarterly">Quarterly (Mar, Jun, Sep, Dec)</option>
              <option value="custom">A list of months</option>
            </select>
          </label>
          {draft.listing.kind === 'custom' ? (
            <label className="wide">Months (YYYY-MM, comma-separated)<input value={texts.customMonths} onChange={(e) => setText('customMonths', e.target.value)} /></label>
          ) : (
            <label>How many<input type="number" min={1} max={120} value={draft.listing.count} onChange={(e) => set('listing', { kind: draft.listing.kind as 'quarterly', count: Number(e.target.value) })} /></label>
          )}
          <label>
            Last trading day: business days before month end
            <input type="number" min={0} max={15} value={draft.lastTrading.days} onChange={(e) => set('lastTrading', { kind: 'business-days-before-month-end', days: Number(e.target.value) })} />
          </label>
          <label>
            Final settlement price
            <select value={draft.settlement.method} onChange={(e) => set('settlement', { ...draft.settlement, method: e.target.value as InstrumentDraft['settlement']['method'] })}>
              {SETTLEMENT_METHODS.map((m) => <option key={m} value={m}>{m === 'average-of-month' ? 'Average of the index over the contract month' : 'Single fixing on the last trading day'}</option>)}
            </select>
          </label>
          <label>
            Settlement
            <select value={draft.settlement.type} onChange={(e) => set('settlement', { ...draft.settlement, type: e.target.value as InstrumentDraft['settlement']['type'] })}>
              {SETTLEMENT_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </label>
          <label>Payment lag (business days)<input type="number" min={0} max={30} value={draft.settlement.paymentLagBusinessDays} onChange={(e) => set('settlement', { ...draft.settlement, paymentLagBusinessDays: Number(e.target.value) })} /></label>
        </div>
        <p className="muted small">{describeListing(draft.listing.kind === 'custom' ? { kind: 'custom', months: texts.customMonths.split(/[\s,;]+/).filter(Boolean) } : draft.listing)}</p>
      </fieldset>
      <fieldset>
        <legend>Margin and fees</legend>
        <div className="form-grid">
          <label>
            Initial margin
            <select
              value={draft.margin.kind}
              onChange={(e) =>
                set('margin', e.target.value === 'per-contract' ? { kind: 'per-contract', initialMicros: 0, maintenanceMicros: 0 } : { kind: 'fraction-of-notional', initialFraction: 0, maintenanceFraction: 0 })
              }
            >
              <option value="fraction-of-notional">% of notional</option>
              <option value="per-contract">Amount per contract</option>
            </select>
          </label>
          <label>Initial ({draft.margin.kind === 'per-contract' ? draft.priceCurrency : '%'})<input inputMode="decimal" value={texts.marginInitial} onChange={(e) => setText('marginInitial', e.target.value)} /></label>
          <label>Maintenance ({draft.margin.kind === 'per-contract' ? draft.priceCurrency : '%'})<input inputMode="decimal" value={texts.marginMaintenance} onChange={(e) => setText('marginMaintenance', e.target.value)} /></label>
          <label>Fees per contract and side ({draft.priceCurrency})<input inputMode="decimal" value={texts.fee} onChange={(e) => setText('fee', e.target.value)} /></label>
        </div>
      </fieldset>
      <label className="full">
        Provenance: where each term comes from (required)
        <textarea value={draft.provenance} onChange={(e) => set('provenance', e.target.value)} rows={3} required maxLength={4000} />
      </label>
      <ErrorBanner error={error} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={saving} data-testid="save-instrument">{isNew ? 'Save instrument' : 'Save new version'}</button>
        <button type="button" className="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
