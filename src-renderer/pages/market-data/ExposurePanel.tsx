import { useEffect, useState, type FormEvent } from 'react';
import type { ResponseOf } from '../../../src-main/common/api/contract.ts';
import { TOKEN_KINDS, type TokenKind } from '../../../src-main/common/usage/usage-line.ts';
import { providerDisplayName } from '../../../src-main/common/usage/providers.ts';
import { call } from '../../api/client.ts';
import { BasisChart } from '../../charts/BasisChart.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { TOKEN_KIND_LABELS } from '../../format.ts';

type Mapping = ResponseOf<'exposures:list'>[number];
type Basis = ResponseOf<'market:basis'>;
type Instrument = ResponseOf<'instruments:list'>[number];

const EMPTY = { name: '', providers: [] as string[], costCentres: [] as string[], models: '', tokenKinds: [] as TokenKind[], factor: '', note: '' };

/**
 * Which usage an instrument hedges (exposure mappings, with the tokens → contract units conversion), and the basis
 * that results: the organisation's effective price per contract unit against the index, with the
 * minimum-variance hedge ratio of their monthly changes and its R².
 */
export function ExposurePanel({ instrument, dataVersion }: { instrument: Instrument; dataVersion: number }) {
  const [mappings, setMappings] = useState<Mapping[]>([]);
  const [basis, setBasis] = useState<Basis | null>(null);
  const [choices, setChoices] = useState<{ providers: string[]; costCentres: string[]; models: string[] }>({ providers: [], costCentres: [], models: [] });
  const [form, setForm] = useState(EMPTY);
  const [editing, setEditing] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    Promise.all([call('exposures:list', { code: instrument.code }), call('market:basis', { code: instrument.code })])
      .then(([m, b]) => {
        if (!live) return;
        setMappings(m);
        setBasis(b);
      })
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [instrument.code, instrument.version, dataVersion, version]);

  useEffect(() => {
    Promise.all([call('usage:report', { by: ['provider', 'model'] }), call('usage:report', { by: ['cost-centre'] })])
      .then(([pm, cc]) =>
        setChoices({
          providers: [...new Set(pm.rows.map((r) => r.keys[0]!))].sort(),
          models: [...new Set(pm.rows.filter((r) => r.tokens > 0).map((r) => r.keys[1]!))].sort(),
          costCentres: [...new Set(cc.rows.map((r) => r.keys[0]!))].sort(),
        }),
      )
      .catch(setError);
  }, [dataVersion]);

  const toggle = <T,>(list: T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

  const edit = (m: Mapping | null) => {
    setError(null);
    setEditing(m?.mappingId ?? null);
    setForm(
      m
        ? { name: m.name, providers: m.filter.providers, costCentres: m.filter.costCentres, models: m.filter.models.join(', '), tokenKinds: m.filter.tokenKinds as TokenKind[], factor: m.contractUnitsPerToken, note: m.note }
        : { ...EMPTY, factor: instrument.underlyingKind === 'token' ? '0.000001' : '' },
    );
    setOpen(true);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await call('exposures:save', {
        ...(editing !== null ? { mappingId: editing } : {}),
        mapping: {
          instrumentCode: instrument.code,
          name: form.name,
          filter: { providers: form.providers, costCentres: form.costCentres, models: form.models.split(/[,;]+/).map((s) => s.trim()).filter(Boolean), tokenKinds: form.tokenKinds },
          contractUnitsPerToken: form.factor,
          note: form.note,
        },
      });
      setOpen(false);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
  };

  const remove = async (m: Mapping) => {
    if (!window.confirm(`Remove the exposure mapping "${m.name}"?`)) return;
    try {
      await call('exposures:delete', { mappingId: m.mappingId });
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
  };

  const ratio = basis?.hedgeRatio ?? null;
  return (
    <section className="card" aria-label="Exposure and basis" data-testid="exposure-panel">
      <h2>What this instrument hedges</h2>
      {mappings.length === 0 ? (
        <p className="muted">No exposure mapping yet: say which usage this instrument hedges and how tokens convert into {instrument.quantityUnit}.</p>
      ) : (
        <table className="table compact" data-testid="exposure-mappings">
          <thead>
            <tr><th scope="col">Mapping</th><th scope="col">Usage</th><th scope="col">{instrument.quantityUnit} per token</th><th scope="col">Note</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {mappings.map((m) => (
              <tr key={m.mappingId}>
                <td>{m.name}</td>
                <td>{describeFilter(m)}</td>
                <td><code>{m.contractUnitsPerToken}</code></td>
                <td className="small">{m.note}</td>
                <td>
                  <button type="button" className="link" onClick={() => edit(m)}>edit</button>
                  <button type="button" className="link" onClick={() => void remove(m)}>remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!open && <button type="button" className="button" onClick={() => edit(null)} data-testid="add-mapping">Add exposure mapping</button>}
      {open && (
        <form className="form mapping-form" onSubmit={submit} aria-label="Exposure mapping">
          <div className="form-grid">
            <label className="wide">Name<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required maxLength={200} /></label>
            <label>
              {instrument.quantityUnit} per token (exact decimal)
              <input value={form.factor} onChange={(e) => setForm({ ...form, factor: e.target.value })} required placeholder="0.000001" />
            </label>
          </div>
          <fieldset className="dimensions">
            <legend>Providers (none ticked = all)</legend>
            {choices.providers.map((p) => (
              <label key={p} className="checkbox"><input type="checkbox" checked={form.providers.includes(p)} onChange={() => setForm({ ...form, providers: toggle(form.providers, p) })} />{providerDisplayName(p)}</label>
            ))}
          </fieldset>
          <fieldset className="dimensions">
            <legend>Cost centres (none ticked = all)</legend>
            {choices.costCentres.map((c) => (
              <label key={c} className="checkbox"><input type="checkbox" checked={form.costCentres.includes(c)} onChange={() => setForm({ ...form, costCentres: toggle(form.costCentres, c) })} />{c}</label>
            ))}
          </fieldset>
          <fieldset className="dimensions">
            <legend>Token kinds (none ticked = all token kinds)</legend>
            {TOKEN_KINDS.filter((k) => k !== 'other').map((k) => (
              <label key={k} className="checkbox"><input type="checkbox" checked={form.tokenKinds.includes(k)} onChange={() => setForm({ ...form, tokenKinds: toggle(form.tokenKinds, k) })} />{TOKEN_KIND_LABELS[k]}</label>
            ))}
          </fieldset>
          <label className="full">
            Models (comma-separated; empty = all)
            <input list="known-models" value={form.models} onChange={(e) => setForm({ ...form, models: e.target.value })} />
            <datalist id="known-models">{choices.models.map((m) => <option key={m} value={m} />)}</datalist>
          </label>
          <label className="full">Why this conversion (for the hedge memo)<textarea rows={2} value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} maxLength={2000} /></label>
          <div className="actions">
            <button type="submit" className="button primary">Save mapping</button>
            <button type="button" className="button" onClick={() => setOpen(false)}>Cancel</button>
          </div>
        </form>
      )}
      <ErrorBanner error={error} />
      {basis && basis.mappings > 0 && (
        <>
          <BasisChart points={basis.points} currency={basis.currency} quantityUnit={basis.quantityUnit} />
          {basis.missingFx.length > 0 && (
            <p className="banner banner-warning">
              Some costs could not be converted into {basis.currency}: no FX rate for {basis.missingFx.map((m) => `${m.currency} on ${m.days} days`).join(', ')}.
            </p>
          )}
          {ratio ? (
            <div className={`banner ${ratio.effective ? 'banner-ok' : 'banner-warning'}`} data-testid="basis-ratio">
              Minimum-variance hedge ratio from {ratio.observations} monthly changes: <strong>h* = {ratio.hStar.toFixed(3)}</strong>, R² ={' '}
              <strong>{ratio.r2.toFixed(3)}</strong> (ρ = {ratio.rho.toFixed(3)}).{' '}
              {ratio.effective
                ? 'R² ≥ 0.8: a regression effectiveness test would pass on this history.'
                : `R² < 0.8: a conventional regression effectiveness test would fail — the hedge would leave ${Math.round((1 - ratio.r2) * 100)} % of your price variance (basis risk).`}
            </div>
          ) : (
            <p className="muted">No hedge ratio yet: {basis.reason}.</p>
          )}
        </>
      )}
    </section>
  );
}

function describeFilter(m: Mapping): string {
  const parts = [
    m.filter.providers.length ? m.filter.providers.map(providerDisplayName).join(', ') : 'all providers',
    m.filter.models.length ? m.filter.models.join(', ') : null,
    m.filter.costCentres.length ? m.filter.costCentres.join(', ') : null,
    m.filter.tokenKinds.length ? m.filter.tokenKinds.map((k) => TOKEN_KIND_LABELS[k]).join(', ') : 'all token kinds',
  ];
  return parts.filter(Boolean).join(' · ');
}
