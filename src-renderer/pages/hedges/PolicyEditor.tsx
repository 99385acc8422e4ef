import { useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ResponseOf } from '../../../src-main/common/api/contract.ts';
import { CONTRACT_ROUNDINGS, type ContractRounding } from '../../../src-main/common/hedging/contracts.ts';
import { DEFAULT_POLICY, policyHorizon, policyIssues, type RatioMethod, type SavedHedgePolicy } from '../../../src-main/common/hedging/policy.ts';
import { microsFromDecimalText } from '../../../src-main/common/money/micros.ts';
import { call } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { microsToInput } from '../../market-format.ts';

type PolicyRecord = ResponseOf<'policies:list'>[number];
type Instrument = ResponseOf<'instruments:list'>[number];

/** A bucket as typed: percentages as text, so half-typed values can be edited. */
type BucketRow = { fromPeriod: string; toPeriod: string; minRatio: string; ratio: string; maxRatio: string };

const QUANTILES = ['p5', 'p10', 'p20', 'p25', 'p50'];
const ROUNDING_LABELS: Record<ContractRounding, string> = { floor: 'Down (never more than the target)', nearest: 'To the nearest contract', ceil: 'Up' };

const pct = (r: number) => String(Math.round(r * 10_000) / 100);
const toRows = (p: SavedHedgePolicy): BucketRow[] =>
  p.buckets.map((b) => ({ fromPeriod: String(b.fromPeriod), toPeriod: String(b.toPeriod), minRatio: pct(b.minRatio), ratio: pct(b.ratio), maxRatio: pct(b.maxRatio) }));

/**
 * The hedge policy: ratio bands by horizon with a target in each, the forecast quantile that caps the hedge,
 * contract rounding, the ratio method, limits and allowed instruments. Checked as it is typed; saving a change
 * writes a new version, which later proposals refer to.
 */
export function PolicyEditor({ baseCurrency, dataVersion }: { baseCurrency: string; dataVersion: number }) {
  const [records, setRecords] = useState<PolicyRecord[]>([]);
  const [instruments, setInstruments] = useState<Instrument[]>([]);
  const [base, setBase] = useState<SavedHedgePolicy>(DEFAULT_POLICY);
  const [name, setName] = useState(DEFAULT_POLICY.name);
  const [rows, setRows] = useState<BucketRow[]>(toRows(DEFAULT_POLICY));
  const [quantile, setQuantile] = useState(DEFAULT_POLICY.quantile);
  const [rounding, setRounding] = useState<ContractRounding>(DEFAULT_POLICY.rounding);
  const [ratioMethod, setRatioMethod] = useState<RatioMethod>(DEFAULT_POLICY.ratioMethod);
  const [maxContracts, setMaxContracts] = useState('');
  const [marginBudget, setMarginBudget] = useState('');
  const [allowed, setAllowed] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  const load = (p: SavedHedgePolicy) => {
    setBase(p);
    setName(p.name);
    setRows(toRows(p));
    setQuantile(p.quantile);
    setRounding(p.rounding);
    setRatioMethod(p.ratioMethod);
    setMaxContracts(p.limits.maxContracts === null ? '' : String(p.limits.maxContracts));
    setMarginBudget(p.limits.marginBudgetMicros === null ? '' : microsToInput(p.limits.marginBudgetMicros));
    setAllowed(p.allowedInstruments);
    setSaved(null);
    setError(null);
  };

  useEffect(() => {
    let live = true;
    Promise.all([call('policies:list', {}), call('instruments:list', {})])
      .then(([list, inst]) => {
        if (!live) return;
        setRecords(list);
        setInstruments(inst);
        if (reload === 0 && list[0]) load(list[0].policy);
      })
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
    // `load` is stable in effect: it only sets state.
  }, [dataVersion, reload]);

  /** The policy as typed, or the parse problems of the fields that are not numbers. */
  const parsed = useMemo(() => {
    const issues: { path: string; message: string }[] = [];
    const num = (text: string, path: string, scale = 1) => {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value)) {
        issues.push({ path, message: `"${text}" is not a number` });
        return NaN;
      }
      return Math.round((value / scale) * 1e6) / 1e6;
    };
    let budget: number | null = null;
    if (marginBudget.trim()) {
      try {
        budget = microsFromDecimalText(marginBudget.replace(/,/g, ''));
      } catch {
        issues.push({ path: 'limits.marginBudget', message: `"${marginBudget}" is not an amount` });
      }
    }
    const policy: SavedHedgePolicy = {
      name,
      buckets: rows.map((r, i) => ({
        fromPeriod: num(r.fromPeriod, `buckets[${i}].fromPeriod`),
        toPeriod: num(r.toPeriod, `buckets[${i}].toPeriod`),
        minRatio: num(r.minRatio, `buckets[${i}].minRatio`, 100),
        ratio: num(r.ratio, `buckets[${i}].ratio`, 100),
        maxRatio: num(r.maxRatio, `buckets[${i}].maxRatio`, 100),
      })),
      quantile,
      rounding,
      ratioMethod,
      limits: { maxContracts: maxContracts.trim() ? num(maxContracts, 'limits.maxContracts') : null, marginBudgetMicros: budget },
      allowedInstruments: allowed,
    };
    return { policy, issues: issues.length ? issues : policyIssues(policy, { requireBands: true }) };
  }, [name, rows, quantile, rounding, ratioMethod, maxContracts, marginBudget, allowed]);

  const save = async () => {
    setError(null);
    setSaved(null);
    try {
      const result = await call('policies:save', { policy: parsed.policy });
      setSaved(result.created ? `Saved as version ${result.record.version}.` : `No change: version ${result.record.version} is current.`);
      setBase(result.record.policy);
      setReload((r) => r + 1);
    } catch (e) {
      setError(e);
    }
  };

  const setRow = (i: number, key: keyof BucketRow, value: string) => setRows((list) => list.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  const addRow = () =>
    setRows((list) => {
      const last = list[list.length - 1];
      const from = last ? Number(last.toPeriod) + 1 : 1;
      return [...list, { fromPeriod: String(from), toPeriod: String(from + 2), minRatio: '0', ratio: '10', maxRatio: '20' }];
    });

  const chart = useMemo(() => {
    const horizon = Number.isFinite(policyHorizon(parsed.policy)) ? Math.min(60, policyHorizon(parsed.policy)) : 0;
    return Array.from({ length: horizon }, (_, k) => {
      const b = parsed.policy.buckets.find((x) => k + 1 >= x.fromPeriod && k + 1 <= x.toPeriod);
      return { period: k + 1, min: b ? b.minRatio * 100 : null, target: b ? b.ratio * 100 : null, max: b ? b.maxRatio * 100 : null };
    });
  }, [parsed.policy]);

  // A policy not saved yet can always be saved; a saved one once it differs from its latest version.
  const savedVersion = records.find((r) => r.policy.name === parsed.policy.name.trim());
  const dirty = !savedVersion || canonical(parsed.policy) !== canonical(savedVersion.policy);
  return (
    <section className="card policy-editor" aria-label="Hedge policy" data-testid="policy-editor">
      <div className="card-head">
        <h2>Hedge policy</h2>
        <label>
          Policy{' '}
          <select
            aria-label="Saved policies"
            value={records.find((r) => r.policy.name === base.name) ? base.name : ''}
            onChange={(e) => {
              const record = records.find((r) => r.policy.name === e.target.value);
              load(record ? record.policy : { ...DEFAULT_POLICY, name: 'New policy' });
            }}
          >
            {records.map((r) => <option key={r.policyId} value={r.policy.name}>{r.policy.name} (v{r.version})</option>)}
            <option value="">New policy…</option>
          </select>
        </label>
      </div>
      <div className="form">
      <div className="form-grid">
        <label className="wide">Name<input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} /></label>
        <label>
          Hedge at most the forecast's
          <select value={quantile} onChange={(e) => setQuantile(e.target.value)}>
            {QUANTILES.map((q) => <option key={q} value={q}>{q.toUpperCase()} (exceeded {100 - Number(q.slice(1))} % of the time)</option>)}
          </select>
        </label>
        <label>
          Round contracts
          <select value={rounding} onChange={(e) => setRounding(e.target.value as ContractRounding)}>
            {CONTRACT_ROUNDINGS.map((r) => <option key={r} value={r}>{ROUNDING_LABELS[r]}</option>)}
          </select>
        </label>
        <label>
          Hedge ratio
          <select value={ratioMethod} onChange={(e) => setRatioMethod(e.target.value as RatioMethod)}>
            <option value="policy">The policy's target in each band</option>
            <option value="minimum-variance">Minimum-variance h*, kept inside each band</option>
          </select>
        </label>
        <label>Most contracts in a proposal<input inputMode="numeric" value={maxContracts} onChange={(e) => setMaxContracts(e.target.value)} placeholder="no limit" /></label>
        <label>Initial margin budget ({baseCurrency})<input inputMode="decimal" value={marginBudget} onChange={(e) => setMarginBudget(e.target.value)} placeholder="no limit" /></label>
      </div>
      </div>
      <table className="table compact buckets" data-testid="policy-buckets">
        <caption className="muted small">Ratio bands by horizon, as % of the P50 forecast; periods count from 1 = the first month after the proposal date.</caption>
        <thead>
          <tr><th scope="col">From period</th><th scope="col">To period</th><th scope="col">Band low %</th><th scope="col">Target %</th><th scope="col">Band high %</th><th scope="col"><span className="visually-hidden">Remove</span></th></tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {(['fromPeriod', 'toPeriod', 'minRatio', 'ratio', 'maxRatio'] as const).map((key) => (
                <td key={key}>
                  <input inputMode="decimal" size={5} aria-label={`Bucket ${i + 1} ${key}`} value={r[key]} onChange={(e) => setRow(i, key, e.target.value)} />
                </td>
              ))}
              <td><button type="button" className="link" onClick={() => setRows((list) => list.filter((_, j) => j !== i))} aria-label={`Remove bucket ${i + 1}`}>remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button" onClick={addRow}>Add bucket</button>
      <fieldset className="dimensions">
        <legend>Allowed instruments (none ticked = any)</legend>
        {instruments.length === 0 && <span className="muted">No instruments yet: define them on the Market data page.</span>}
        {instruments.map((i) => (
          <label key={i.code} className="checkbox">
            <input type="checkbox" checked={allowed.includes(i.code)} onChange={() => setAllowed((a) => (a.includes(i.code) ? a.filter((c) => c !== i.code) : [...a, i.code]))} />
            {i.code}{i.status === 'hypothetical' ? ' (hypothetical)' : ''}
          </label>
        ))}
      </fieldset>
      {chart.length > 0 && (
        <figure className="chart" aria-label="Policy bands" data-testid="chart-policy-bands">
          <figcaption>Hedge ratio band and target by period (% of P50)</figcaption>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={chart} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="period" />
              <YAxis domain={[0, 100]} unit=" %" width={56} />
              <Tooltip formatter={(v, n) => [`${Number(v)} %`, n === 'target' ? 'Target' : n === 'min' ? 'Band low' : 'Band high']} labelFormatter={(l) => `Period ${String(l)}`} />
              <Legend formatter={(v) => (v === 'target' ? 'Target' : v === 'min' ? 'Band low' : 'Band high')} />
              <Line type="stepAfter" dataKey="max" stroke="#9fb0c4" dot={false} isAnimationActive={false} />
              <Line type="stepAfter" dataKey="target" stroke="#1f5fa8" strokeWidth={2} dot={false} isAnimationActive={false} />
              <Line type="stepAfter" dataKey="min" stroke="#9fb0c4" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </figure>
      )}
      {parsed.issues.length > 0 && (
        <div className="banner banner-warning" role="status" data-testid="policy-issues">
          This policy cannot be saved yet:
          <ul>{parsed.issues.map((i, k) => <li key={k}><code>{i.path}</code>: {i.message}</li>)}</ul>
        </div>
      )}
      <ErrorBanner error={error} />
      <div className="actions">
        <button type="button" className="button primary" disabled={parsed.issues.length > 0 || !dirty} onClick={() => void save()} data-testid="save-policy">
          Save policy
        </button>
        {saved && <span className="saved" role="status">{saved}</span>}
      </div>
    </section>
  );
}

/** The same policy always prints the same, whatever order its keys were built in. */
function canonical(p: SavedHedgePolicy): string {
  return JSON.stringify([
    p.name.trim(),
    [...p.buckets].sort((a, b) => a.fromPeriod - b.fromPeriod).map((b) => [b.fromPeriod, b.toPeriod, b.minRatio, b.ratio, b.maxRatio]),
    p.quantile,
    p.rounding,
    p.ratioMethod,
    p.limits.maxContracts,
    p.limits.marginBudgetMicros,
    [...p.allowedInstruments].sort(),
  ]);
}
