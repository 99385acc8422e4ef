import { useEffect, useState, type FormEvent } from 'react';
import type { ResponseOf } from '../../src-main/common/api/contract.ts';
import { call } from '../api/client.ts';
import type { AppInfo } from '../app/App.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { ImportRulesPanel } from './settings/ImportRulesPanel.tsx';

type FxList = ResponseOf<'fx:list'>;

const COMMON_CURRENCIES = ['USD', 'EUR', 'GBP', 'CNY', 'JPY', 'CHF', 'CAD', 'AUD', 'SGD', 'HKD', 'INR', 'KRW', 'SEK', 'NOK', 'DKK'];

/** The workbook's organisation name and base currency, the import rules (cost centres, model names), where it is, and its FX rates. */
export function SettingsPage({ info, onSaved }: { info: AppInfo; onSaved(): void }) {
  const [name, setName] = useState(info.organisationName);
  const [currency, setCurrency] = useState(info.baseCurrency);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fx, setFx] = useState<FxList | null>(null);

  useEffect(() => {
    call('fx:list', { limit: 20 }).then(setFx).catch(setError);
  }, [info]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    try {
      await call('settings:update', { organisationName: name, baseCurrency: currency });
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div>
      <form className="card form" onSubmit={submit}>
        <h2>Organisation</h2>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <label>
          Base currency (reports, dashboards and hedges are shown in it)
          <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {[...new Set([info.baseCurrency, ...COMMON_CURRENCIES])].map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <button type="submit" className="button primary">Save</button>
        {saved && <span className="saved" role="status">Saved.</span>}
        <ErrorBanner error={error} />
      </form>
      <ImportRulesPanel />
      <section className="card">
        <h2>Workbook</h2>
        <dl className="facts">
          <div><dt>File</dt><dd><code>{info.workbookPath}</code></dd></div>
          <div><dt>Schema version</dt><dd>{info.schemaVersion}</dd></div>
          <div><dt>Usage lines</dt><dd>{info.usageLineCount.toLocaleString()}</dd></div>
          <div><dt>TokenHedge</dt><dd>{info.version} ({info.mode === 'serve' ? 'serve mode' : 'desktop'})</dd></div>
        </dl>
      </section>
      <section className="card">
        <h2>FX rates</h2>
        {fx && fx.total === 0 && <p className="muted">No FX rates yet. Import a CSV with columns date, base, quote, rate on the Import page.</p>}
        {fx && fx.total > 0 && (
          <>
            <p className="muted">{fx.total.toLocaleString()} rates; the latest:</p>
            <table className="table compact">
              <thead><tr><th scope="col">Date</th><th scope="col">Pair</th><th scope="col" className="num">Rate</th><th scope="col">Source</th></tr></thead>
              <tbody>
                {fx.rates.map((r) => (
                  <tr key={`${r.rateDate}-${r.base}-${r.quote}`}>
                    <td>{r.rateDate}</td><td>1 {r.base} = … {r.quote}</td><td className="num">{r.rate}</td><td>{r.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}
