import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { RequestOf, ResponseOf } from '../../../src-main/common/api/contract.ts';
import { segmentLabel } from '../../../src-main/common/forecast/token-forecast.ts';
import { policyHorizon } from '../../../src-main/common/hedging/policy.ts';
import { segmentCoverage, segmentOfFilter } from '../../../src-main/common/hedging/segment-coverage.ts';
import { call } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { formatMonth } from '../../format.ts';
import { ProposalView, type ProposalData } from './ProposalView.tsx';

type Policy = ResponseOf<'policies:list'>[number];
type Instrument = ResponseOf<'instruments:list'>[number];
type Run = ResponseOf<'forecast:runs'>[number];
type Mapping = ResponseOf<'exposures:list'>[number];
type Request = RequestOf<'proposals:build'>;

/**
 * Builds a hedge proposal: pick (or run) a saved forecast of the instrument's exposure, a policy, the instrument
 * and its mapping, the curve date, the ratio method and the simulation settings; the services compute the
 * proposal and its cost-at-risk; the preparer saves it with their name.
 */
export function ProposalBuilder({ dataVersion, onSaved }: { dataVersion: number; onSaved: (proposalId: number) => void }) {
  const [policies, setPolicies] = useState<Policy[]>([]);
  const [instruments, setInstruments] = useState<Instrument[]>([]);
  const [runs, setRuns] = useState<Run[]>([]);
  const [mappings, setMappings] = useState<Mapping[]>([]);
  const [dates, setDates] = useState<string[]>([]);
  const [policyId, setPolicyId] = useState<number | null>(null);
  const [code, setCode] = useState('');
  const [mappingId, setMappingId] = useState<number | null>(null);
  const [runId, setRunId] = useState<number | null>(null);
  const [curveDate, setCurveDate] = useState('');
  const [ratioMethod, setRatioMethod] = useState<'' | 'policy' | 'minimum-variance'>('');
  const [volatility, setVolatility] = useState<'index' | 'entered'>('index');
  const [sigma, setSigma] = useState('40');
  const [meanReversion, setMeanReversion] = useState('0');
  const [correlation, setCorrelation] = useState('0');
  const [paths, setPaths] = useState('10000');
  const [seed, setSeed] = useState('1');
  const [built, setBuilt] = useState<{ proposal: ProposalData; request: Request } | null>(null);
  const [busy, setBusy] = useState<'build' | 'forecast' | 'save' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [label, setLabel] = useState('');
  const [preparedBy, setPreparedBy] = useState('');
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([call('policies:list', {}), call('instruments:list', {}), call('forecast:runs', {})])
      .then(([p, i, r]) => {
        if (!live) return;
        setPolicies(p);
        setInstruments(i);
        setRuns(r);
        const policy = p[0];
        setPolicyId((current) => current ?? policy?.policyId ?? null);
        const allowed = i.filter((x) => !policy || policy.policy.allowedInstruments.length === 0 || policy.policy.allowedInstruments.includes(x.code));
        // The token future first when there is one: it hedges token spend directly.
        const preferred = allowed.find((x) => x.underlyingKind === 'token') ?? allowed[0] ?? i[0];
        setCode((current) => current || preferred?.code || '');
      })
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [dataVersion]);

  useEffect(() => {
    if (!code) return;
    let live = true;
    Promise.all([call('exposures:list', { code }), call('market:curve', { code })])
      .then(([m, curve]) => {
        if (!live) return;
        setMappings(m);
        setMappingId(null);
        setDates(curve.dates);
        setCurveDate(curve.dates[0] ?? '');
      })
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [code, dataVersion]);

  const policy = policies.find((p) => p.policyId === policyId);
  const instrument = instruments.find((i) => i.code === code);
  const chosenMapping = mappings.find((m) => m.mappingId === mappingId);

  /** How each saved run fits the chosen mapping, or the best of the instrument's mappings when none is chosen. */
  const fit = useMemo(() => {
    const candidates = chosenMapping ? [chosenMapping] : mappings;
    return new Map(
      runs.map((r) => {
        const coverages = candidates.map((m) => ({ m, c: segmentCoverage(r.segment, m.filter).coverage }));
        const exact = coverages.find((x) => x.c === 'exact');
        const within = coverages.find((x) => x.c === 'within');
        const text = exact ? `matches “${exact.m.name}”` : within && chosenMapping ? `part of “${within.m.name}”` : 'does not fit this instrument’s mappings';
        return [r.runId, { ok: Boolean(exact || (within && chosenMapping)), text }];
      }),
    );
  }, [runs, mappings, chosenMapping]);

  // Select the newest run that fits, when the current one does not.
  useEffect(() => {
    if (runs.length === 0) return;
    if (runId !== null && fit.get(runId)?.ok) return;
    const best = runs.find((r) => fit.get(r.runId)?.ok);
    if (best) setRunId(best.runId);
    else if (runId === null) setRunId(runs[0]!.runId);
  }, [fit, runs, runId]);

  /** The segment a forecast can be run for: the chosen mapping's, or the only mapping's. */
  const forecastSegment = useMemo(() => {
    const mapping = chosenMapping ?? (mappings.length === 1 ? mappings[0] : mappings.find((m) => segmentOfFilter(m.filter)));
    return mapping ? segmentOfFilter(mapping.filter) : null;
  }, [chosenMapping, mappings]);

  const horizon = policy ? policyHorizon(policy.policy) : 12;

  const request = (): Request => {
    const simulation: Request['simulation'] = {
      meanReversion: Number(meanReversion),
      volumePriceCorrelation: Number(correlation),
      paths: Number(paths),
      seed: Number(seed),
    };
    if (volatility === 'entered') simulation.sigma = Number(sigma) / 100;
    return {
      forecastRunId: runId ?? 0,
      policyId: policyId ?? 0,
      instrumentCode: code,
      ...(mappingId !== null ? { mappingId } : {}),
      ...(curveDate ? { curveDate } : {}),
      ...(ratioMethod ? { ratioMethod } : {}),
      simulation,
    };
  };

  const build = async (event?: FormEvent) => {
    event?.preventDefault();
    setError(null);
    setSaved(null);
    setBusy('build');
    try {
      const req = request();
      setBuilt({ proposal: await call('proposals:build', req), request: req });
    } catch (e) {
      setBuilt(null);
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const runForecast = async () => {
    if (!forecastSegment) return;
    setError(null);
    setBusy('forecast');
    try {
      const result = await call('forecast:save', {
        segment: forecastSegment,
        horizon: Math.min(36, Math.max(horizon, 1)),
        label: `${segmentLabel(forecastSegment)} for ${code}`,
      } as RequestOf<'forecast:save'>);
      setRuns(await call('forecast:runs', {}));
      setRunId(result.runId);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!built) return;
    setError(null);
    setBusy('save');
    try {
      const result = await call('proposals:save', { ...built.request, label, preparedBy });
      setSaved(`Saved as proposal #${result.proposalId}: it is open under Saved proposals.`);
      // The saved proposal opens below; the builder is ready for the next variant.
      setBuilt(null);
      setLabel('');
      onSaved(result.proposalId!);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const allowed = (i: Instrument) => !policy || policy.policy.allowedInstruments.length === 0 || policy.policy.allowedInstruments.includes(i.code);
  return (
    <section className="card proposal-builder" aria-label="Build a proposal" data-testid="proposal-builder">
      <div className="card-head">
        <h2>Build a hedge proposal</h2>
        {instrument?.status === 'hypothetical' && <span className="pill pill-status-hypothetical">Hypothetical instrument</span>}
      </div>
      <form className="form" onSubmit={(e) => void build(e)}>
        <div className="form-grid">
          <label>
            Policy
            <select value={policyId ?? ''} onChange={(e) => setPolicyId(Number(e.target.value))} aria-label="Policy">
              {policies.map((p) => <option key={p.policyId} value={p.policyId}>{p.policy.name} (v{p.version})</option>)}
            </select>
          </label>
          <label>
            Instrument
            <select value={code} onChange={(e) => setCode(e.target.value)} aria-label="Instrument">
              {instruments.map((i) => (
                <option key={i.code} value={i.code}>
                  {i.code}{i.status === 'hypothetical' ? ' (hypothetical)' : ''}{allowed(i) ? '' : ' — not allowed by the policy'}
                </option>
              ))}
            </select>
          </label>
          <label>
            Exposure mapping
            <select value={mappingId ?? ''} onChange={(e) => setMappingId(e.target.value ? Number(e.target.value) : null)} aria-label="Exposure mapping">
              <option value="">The one matching the forecast</option>
              {mappings.map((m) => <option key={m.mappingId} value={m.mappingId}>{m.name}</option>)}
            </select>
          </label>
          <label className="wide">
            Forecast run
            <select value={runId ?? ''} onChange={(e) => setRunId(Number(e.target.value))} aria-label="Forecast run">
              {runs.length === 0 && <option value="">No saved forecast yet</option>}
              {runs.map((r) => (
                <option key={r.runId} value={r.runId}>
                  #{r.runId} {segmentLabel(r.segment)} — {r.horizon} months from {formatMonth(r.firstMonth)} — {fit.get(r.runId)?.text}
                </option>
              ))}
            </select>
          </label>
          <label>
            Curve date
            <select value={curveDate} onChange={(e) => setCurveDate(e.target.value)} aria-label="Curve date">
              {dates.length === 0 && <option value="">No settlement prices</option>}
              {dates.map((d) => <option key={d} value={d}>{d}</option>)}
            </select>
          </label>
          <label>
            Hedge ratio
            <select value={ratioMethod} onChange={(e) => setRatioMethod(e.target.value as typeof ratioMethod)} aria-label="Hedge ratio">
              <option value="">The policy’s method ({policy?.policy.ratioMethod === 'minimum-variance' ? 'minimum-variance' : 'policy target'})</option>
              <option value="policy">Policy target in each band</option>
              <option value="minimum-variance">Minimum-variance h*, kept in the band</option>
            </select>
          </label>
        </div>
        <div className="actions">
          <button type="button" className="button" disabled={!forecastSegment || busy !== null} onClick={() => void runForecast()} data-testid="run-forecast">
            {busy === 'forecast' ? 'Running the forecast…' : forecastSegment ? `Run and save a ${horizon}-month forecast of ${segmentLabel(forecastSegment)}` : 'Run a forecast (pick a one-segment mapping)'}
          </button>
        </div>
        <fieldset>
          <legend>Cost-at-risk simulation</legend>
          <div className="form-grid">
            <label>
              Volatility
              <select value={volatility} onChange={(e) => setVolatility(e.target.value as 'index' | 'entered')} aria-label="Volatility source">
                <option value="index">From the index history</option>
                <option value="entered">Entered</option>
              </select>
            </label>
            {volatility === 'entered' && <label>Volatility, % a year<input inputMode="decimal" value={sigma} onChange={(e) => setSigma(e.target.value)} aria-label="Volatility % a year" /></label>}
            <label>Mean reversion κ (per year, 0 = none)<input inputMode="decimal" value={meanReversion} onChange={(e) => setMeanReversion(e.target.value)} /></label>
            <label>Volume–price correlation (−1…1)<input inputMode="decimal" value={correlation} onChange={(e) => setCorrelation(e.target.value)} /></label>
            <label>Paths<input inputMode="numeric" value={paths} onChange={(e) => setPaths(e.target.value)} /></label>
            <label>Seed<input inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} /></label>
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy !== null || !runId || !policyId || !code} data-testid="build-proposal">
            {busy === 'build' ? 'Building…' : 'Build proposal'}
          </button>
        </div>
      </form>
      <ErrorBanner error={error} />
      {built && (
        <>
          <ProposalView proposal={built.proposal} />
          <form className="form save-proposal" onSubmit={(e) => void save(e)} data-testid="save-proposal-form">
            <h3>Save this proposal</h3>
            <p className="muted small">
              A saved proposal never changes: it keeps the forecast run, policy version, instrument version and curve date it used. Type your name as
              preparer; the app also records the OS account. Someone else approves it.
            </p>
            <div className="form-grid">
              <label className="wide">Label<input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} placeholder="e.g. November layers" /></label>
              <label>Prepared by (your name)<input value={preparedBy} onChange={(e) => setPreparedBy(e.target.value)} maxLength={100} required /></label>
            </div>
            <div className="actions">
              <button type="submit" className="button primary" disabled={busy !== null || !preparedBy.trim()} data-testid="save-proposal">
                {busy === 'save' ? 'Saving…' : 'Save proposal'}
              </button>
            </div>
          </form>
        </>
      )}
      {saved && (
        <p className="saved" role="status" data-testid="saved-status">
          {saved}
        </p>
      )}
    </section>
  );
}
