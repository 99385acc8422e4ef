import { useEffect, useMemo, useRef, useState } from 'react';
import type { RequestOf, ResponseOf } from '../../src-main/common/api/contract.ts';
import { addMonths, type IsoMonth } from '../../src-main/common/time/iso-date.ts';
import { call } from '../api/client.ts';
import type { AppInfo } from '../app/App.tsx';
import { FanChart, type FanPoint } from '../charts/FanChart.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { useJob, type JobStatus } from '../components/use-job.ts';
import { formatMoney, formatMoneyCompact, formatMonth, formatPricePerMTok, formatTokens, toChartUnits } from '../format.ts';
import { WelcomePanel } from './WelcomePanel.tsx';

type Segments = ResponseOf<'forecast:segments'>;
type View = ResponseOf<'forecast:run'>;
type RunRequest = RequestOf<'forecast:run'>;
type Overlay = NonNullable<RunRequest['overlays']>[number];
type Dimension = 'total' | 'provider' | 'model' | 'token_kind' | 'cost_centre';
type Measure = 'spend' | 'tokens' | 'price';

const DIMENSION_LABELS: Record<Dimension, string> = {
  total: 'Total',
  provider: 'Provider',
  model: 'Model',
  token_kind: 'Token kind',
  cost_centre: 'Cost centre',
};

const METHOD_LABELS: Record<string, string> = {
  auto: 'Automatic (ETS + Theta, weighted)',
  combination: 'ETS + Theta (equal weights)',
  ets: 'ETS (automatic, AICc)',
  theta: 'Theta',
  damped: 'Damped trend',
  holt: "Holt's linear trend",
  ses: 'Simple exponential smoothing',
  'hw-additive': 'Holt-Winters additive',
  'hw-multiplicative': 'Holt-Winters multiplicative',
  naive2: 'Naive2 (seasonally adjusted)',
  snaive: 'Seasonal naive',
  naive: 'Naive (last month)',
};

function percent(x: number): string {
  return `${(x * 100).toFixed(0)} %`;
}

/**
 * Forecast of one exposure segment: history and forecast as a fan chart, the method and its backtest on this
 * workbook's history, overlays (launches, price changes), a price path, and saving the run as an immutable
 * snapshot for hedge proposals.
 */
export function ForecastPage({ info, dataVersion, onDataChanged }: { info: AppInfo; dataVersion: number; onDataChanged(): void }) {
  const [segments, setSegments] = useState<Segments | null>(null);
  const [dimension, setDimension] = useState<Dimension>('total');
  const [value, setValue] = useState('');
  const [method, setMethod] = useState('auto');
  const [horizon, setHorizon] = useState(12);
  const [overlays, setOverlays] = useState<Overlay[]>([]);
  const [fixedPrice, setFixedPrice] = useState('');
  const [measure, setMeasure] = useState<Measure>('spend');
  const [view, setView] = useState<View | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [label, setLabel] = useState('');
  const [saved, setSaved] = useState<number | null>(null);
  const [runs, setRuns] = useState<ResponseOf<'forecast:runs'>>([]);

  useEffect(() => {
    if (info.isEmpty) return;
    call('forecast:segments', {}).then(setSegments).catch(setError);
    call('forecast:runs', {}).then(setRuns).catch(setError);
  }, [info.isEmpty, dataVersion]);

  const values = segments && dimension !== 'total' ? segments.dimensions[dimension] : [];
  const segmentValue = dimension === 'total' ? null : values.includes(value) ? value : (values[0] ?? null);
  const pricePerMTokMicros = fixedPrice.trim() === '' ? null : Math.round(Number(fixedPrice) * 1_000_000);
  const priceInvalid = pricePerMTokMicros !== null && !(Number.isFinite(pricePerMTokMicros) && pricePerMTokMicros >= 0);

  const request = useMemo((): RunRequest | null => {
    if (!segments?.historyTo) return null;
    if (dimension !== 'total' && segmentValue === null) return null;
    const firstMonth = addMonths(segments.historyTo as IsoMonth, 1);
    return {
      segment: dimension === 'total' ? { dimension: 'total', value: null } : { dimension, value: segmentValue! },
      method: method as RunRequest['method'],
      horizon,
      overlays,
      pricePath:
        pricePerMTokMicros === null || priceInvalid ? { kind: 'history' } : { kind: 'fixed', steps: [{ fromMonth: firstMonth, pricePerMTokMicros }] },
    };
  }, [segments, dimension, segmentValue, method, horizon, overlays, pricePerMTokMicros, priceInvalid]);

  // Forecasting runs as a job (progress, cancel; several seconds on a large workbook). A new request replaces the
  // job still running; the finished job's view (and saved run) is fetched by its id.
  const job = useJob((status: JobStatus) => {
    if (status.kind !== 'forecast' || status.state !== 'succeeded') return;
    call('forecast:job-result', { jobId: status.jobId })
      .then((result) => {
        setView(result.view);
        setError(null);
        if (result.runId !== null) {
          // The confirmation and the list of saved runs appear together, so the new run is in the list it names.
          const runId = result.runId;
          return call('forecast:runs', {}).then((list) => {
            setRuns(list);
            setSaved(runId);
          });
        }
      })
      .catch(setError);
  });
  const { start, cancel: cancelJob } = job;
  const running = job.running;
  const jobError = job.error ?? (job.status?.state === 'failed' ? new Error(job.status.error?.message ?? 'The forecast failed') : null);
  const cancelRef = useRef(cancelJob);
  cancelRef.current = cancelJob;

  useEffect(() => {
    if (!request) return;
    setSaved(null);
    // Choices made in quick succession (dimension, value, method) start one job, not one each.
    const timer = window.setTimeout(() => {
      cancelRef.current();
      void start(() => call('forecast:start', request));
    }, 300);
    return () => window.clearTimeout(timer);
  }, [request, start]);
  // Leaving the page stops the forecast still running.
  useEffect(() => () => cancelRef.current(), []);

  if (info.isEmpty) return <WelcomePanel onDataChanged={onDataChanged} />;
  if (segments && !segments.historyTo) {
    return <p className="card">There is no complete month of usage to forecast from yet. Import usage exports on the Import page.</p>;
  }

  const save = () => {
    if (!request) return;
    setSaved(null);
    void start(() => call('forecast:start', { ...request, save: true, label }));
  };

  const currency = view?.baseCurrency ?? segments?.baseCurrency ?? info.baseCurrency;
  const chart = view ? chartOf(view, measure, currency) : null;

  return (
    <div className="forecast">
      <div className="toolbar forecast-toolbar">
        <label>
          Segment{' '}
          <select aria-label="Segment dimension" value={dimension} onChange={(e) => setDimension(e.target.value as Dimension)} data-testid="segment-dimension">
            {(Object.keys(DIMENSION_LABELS) as Dimension[]).map((d) => (
              <option key={d} value={d}>
                {DIMENSION_LABELS[d]}
              </option>
            ))}
          </select>
        </label>
        {dimension !== 'total' && (
          <select aria-label="Segment value" value={segmentValue ?? ''} onChange={(e) => setValue(e.target.value)} data-testid="segment-value">
            {values.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        )}
        <label>
          Method{' '}
          <select aria-label="Method" value={method} onChange={(e) => setMethod(e.target.value)} data-testid="method">
            {(segments?.methods ?? ['auto']).map((m) => (
              <option key={m} value={m}>
                {METHOD_LABELS[m] ?? m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Horizon{' '}
          <select aria-label="Horizon in months" value={horizon} onChange={(e) => setHorizon(Number(e.target.value))}>
            {[6, 12, 18, 24, 36].map((h) => (
              <option key={h} value={h}>
                {h} months
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBanner error={error ?? jobError} />
      {running && job.status && (
        <div className="actions" data-testid="forecast-progress">
          <ProgressBar fraction={job.status.progress.fraction} label={job.status.progress.message} />
          <button type="button" className="button" onClick={cancelJob}>
            Cancel
          </button>
        </div>
      )}
      {job.status?.state === 'cancelled' && <p className="muted small">Forecast cancelled{view ? ': showing the previous one.' : '.'}</p>}
      {!view && !error && !jobError && job.status?.state !== 'cancelled' && <p className="muted" aria-live="polite">Forecasting…</p>}
      {view && chart && (
        <>
          <section className="card">
            <div className="measure-tabs" role="group" aria-label="Quantity shown">
              {(['spend', 'tokens', 'price'] as const).map((m) => (
                <button key={m} type="button" className={`button${m === measure ? ' primary' : ''}`} aria-pressed={m === measure} onClick={() => setMeasure(m)}>
                  {m === 'spend' ? `Spend (${currency})` : m === 'tokens' ? 'Token volume' : 'Price per 1M tokens'}
                </button>
              ))}
              {running && <span className="muted small" aria-live="polite">Updating…</span>}
            </div>
            <FanChart points={chart.points} caption={chart.caption} format={chart.format} testId="forecast-fan-chart" />
          </section>
          <div className="grid-2">
            <section className="card" data-testid="forecast-method">
              <h2>Method and accuracy on your history</h2>
              <dl className="facts">
                <div>
                  <dt>Method</dt>
                  <dd>{METHOD_LABELS[view.method] ?? view.method}</dd>
                </div>
                <div>
                  <dt>Model</dt>
                  <dd data-testid="forecast-model">{view.model}</dd>
                </div>
                <div>
                  <dt>History</dt>
                  <dd>
                    {formatMonth(view.history[0]!.month)} – {formatMonth(view.history[view.history.length - 1]!.month)} ({view.history.length} months)
                    {view.droppedPartialMonth ? `; ${formatMonth(view.droppedPartialMonth)} left out as incomplete` : ''}
                  </dd>
                </div>
                {(['tokens', 'spend'] as const).map((what) => {
                  const b = view.backtest[what];
                  return (
                    <div key={what}>
                      <dt>Backtest ({what === 'tokens' ? 'volume' : 'spend'})</dt>
                      <dd data-testid={`backtest-${what}`}>
                        {b.available
                          ? `sMAPE ${b.smape.toFixed(1)} %, MASE ${b.mase.toFixed(2)}; 80 % interval held ${percent(b.coverage80)}, 95 % held ${percent(b.coverage95)}, below P10 ${percent(b.belowP10)} — ${b.forecasts} forecasts from ${b.origins} origins, up to ${b.horizon} months ahead`
                          : b.reason}
                      </dd>
                    </div>
                  );
                })}
                <CalibrationFacts calibration={view.calibration} />
              </dl>
              <p className="muted small">{view.reconciliation}</p>
              {view.notes.length > 0 && (
                <ul className="warnings small">
                  {view.notes.map((n, i) => (
                    <li key={i}>{n}</li>
                  ))}
                </ul>
              )}
              {view.linesWithoutRate > 0 && (
                <p className="warnings small">{view.linesWithoutRate} usage lines have no FX rate to {currency}: they count in volume, not in price and spend.</p>
              )}
            </section>
            <section className="card">
              <h2>Overlays and price</h2>
              <OverlayEditor firstMonth={view.months[0]!.month} overlays={overlays} onChange={setOverlays} />
              <label className="price-path">
                Price per 1M tokens ({currency}), blank = from history{' '}
                <input
                  type="number"
                  min="0"
                  step="any"
                  value={fixedPrice}
                  onChange={(e) => setFixedPrice(e.target.value)}
                  aria-invalid={priceInvalid}
                  placeholder={formatPricePerMTok(view.months[0]!.pricePerMTokMicros.p50, currency)}
                />
              </label>
            </section>
          </div>
          <section className="card">
            <h2>Save this forecast</h2>
            <p className="muted small">A saved run is an immutable snapshot: hedge proposals and memos refer to it by its number.</p>
            <div className="actions">
              <input aria-label="Label of the saved run" placeholder="Label, e.g. FY27 budget" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} />
              <button type="button" className="button primary" onClick={save} disabled={running || !request} data-testid="save-run">
                Save run
              </button>
              {saved !== null && (
                <span className="saved" role="status" data-testid="saved-run">
                  Saved as run {saved}
                </span>
              )}
            </div>
            {runs.length > 0 && (
              <table className="table compact" data-testid="saved-runs">
                <thead>
                  <tr>
                    <th>Run</th>
                    <th>Saved</th>
                    <th>Label</th>
                    <th>Segment</th>
                    <th>Method</th>
                    <th>Months</th>
                  </tr>
                </thead>
                <tbody>
                  {runs.map((r) => (
                    <tr key={r.runId}>
                      <td>{r.runId}</td>
                      <td>{new Date(r.createdAtMs).toLocaleString()}</td>
                      <td>{r.label}</td>
                      <td>{r.segment.dimension === 'total' ? 'Total' : `${DIMENSION_LABELS[r.segment.dimension]}: ${r.segment.value}`}</td>
                      <td>{r.method}</td>
                      <td>
                        {formatMonth(r.firstMonth)} + {r.horizon}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="card">
            <h2>Forecast by month</h2>
            <table className="table compact" data-testid="forecast-table">
              <thead>
                <tr>
                  <th>Month</th>
                  <th className="num">Tokens P10</th>
                  <th className="num">P50</th>
                  <th className="num">P90</th>
                  <th className="num">Price / 1M (P50)</th>
                  <th className="num">Spend P10</th>
                  <th className="num">Mean</th>
                  <th className="num">P90</th>
                </tr>
              </thead>
              <tbody>
                {view.months.map((m) => (
                  <tr key={m.month}>
                    <td>{formatMonth(m.month)}</td>
                    <td className="num">{formatTokens(m.tokens.p10)}</td>
                    <td className="num">{formatTokens(m.tokens.p50)}</td>
                    <td className="num">{formatTokens(m.tokens.p90)}</td>
                    <td className="num">{formatPricePerMTok(m.pricePerMTokMicros.p50, currency)}</td>
                    <td className="num">{formatMoney(m.spendMicros.p10, currency)}</td>
                    <td className="num">{formatMoney(m.spendMicros.mean, currency)}</td>
                    <td className="num">{formatMoney(m.spendMicros.p90, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}

type Calibration = View['calibration'];
type IntervalCalibration = NonNullable<Calibration['tokens']>;

const times = (x: number) => `×${x.toFixed(2)}`;

/** "upper ×1.29 / lower ×0.70 at 1 month, … from 6 months on": the 80 % factors at the first, middle and last step. */
function factorsText(c: IntervalCalibration): string {
  const steps = c.steps;
  const unchanged = steps.every((f) => [f.lower80, f.upper80, f.lower95, f.upper95].every((x) => Math.abs(x - 1) < 0.005));
  if (unchanged) return 'unchanged: your backtest supports the model’s own intervals';
  const picks = [...new Set([1, Math.ceil(steps.length / 2), steps.length])].map((h) => steps[h - 1]!);
  return picks
    .map((f) => `upper ${times(f.upper80)} / lower ${times(f.lower80)} ${f.step === steps.length ? `from ${f.step} month${f.step > 1 ? 's' : ''} on` : `at ${f.step} month${f.step > 1 ? 's' : ''}`}`)
    .join(', ');
}

/**
 * How the intervals were calibrated on the backtest, so the user knows how far to trust them: the factors by which
 * each side of the 80 % interval was stretched (above 1) or narrowed, and the backtest's coverage before and after.
 */
function CalibrationFacts({ calibration }: { calibration: Calibration }) {
  return (
    <>
      {(['tokens', 'spend'] as const).map((what) => {
        const c = calibration[what];
        return (
          <div key={what}>
            <dt>Intervals ({what === 'tokens' ? 'volume' : 'spend'})</dt>
            <dd data-testid={`calibration-${what}`}>
              {c
                ? `Calibrated on your backtest (${c.forecasts} forecasts from ${c.origins} origins), 80 % interval ${factorsText(c)}. It held ${percent(c.before.coverage80)} of actuals (below P10 ${percent(c.before.belowP10)}, above P90 ${percent(c.before.aboveP90)}); calibrated, checked without hindsight, ${percent(c.after.coverage80)} (95 %: ${percent(c.before.coverage95)} → ${percent(c.after.coverage95)}).`
                : 'As the model made them (no backtest).'}
            </dd>
          </div>
        );
      })}
      <div>
        <dt>Price uncertainty</dt>
        <dd data-testid="calibration-price">
          {calibration.price.source === 'user path'
            ? 'None: your price path is taken as exact.'
            : calibration.price.shifts.length > 0
              ? `Monthly moves of ${(calibration.price.monthlyMove * 100).toFixed(1)} % and the ${calibration.price.shifts.length} price-level shifts of your history (${calibration.price.shifts.map((x) => `${x > 0 ? '+' : '−'}${Math.round(Math.abs(x) * 100)} %`).join(', ')}) at the rate they occurred.`
              : `Monthly moves of ${(calibration.price.monthlyMove * 100).toFixed(1)} %; no price-level shift in your history, so a price cut is not in the intervals: add it as an overlay.`}
        </dd>
      </div>
    </>
  );
}

/** The fan chart's points for one measure: actuals for the history, quantiles for the forecast. */
export function chartOf(view: View, measure: Measure, currency: string): { points: FanPoint[]; caption: string; format(v: number): string } {
  const history = view.history.slice(-36);
  if (measure === 'tokens') {
    return {
      caption: 'Token volume per month: actual, forecast P50 and P10–P90',
      format: (v) => formatTokens(v),
      points: [
        ...history.map((m) => ({ month: m.month, actual: m.tokens })),
        ...view.months.map((m) => ({ month: m.month, p10: m.tokens.p10, p25: m.tokens.p25, p50: m.tokens.p50, p75: m.tokens.p75, p90: m.tokens.p90 })),
      ],
    };
  }
  if (measure === 'price') {
    return {
      caption: `Price per 1M tokens (${currency}): effective price, forecast P50 and P10–P90`,
      format: (v) => formatPricePerMTok(Math.round(v * 1_000_000), currency),
      points: [
        ...history.map((m) => ({ month: m.month, actual: m.pricedTokens > 0 ? (m.costBaseMicros / m.pricedTokens) : undefined })),
        ...view.months.map((m) => ({
          month: m.month,
          p10: toChartUnits(m.pricePerMTokMicros.p10),
          p25: toChartUnits(m.pricePerMTokMicros.p25),
          p50: toChartUnits(m.pricePerMTokMicros.p50),
          p75: toChartUnits(m.pricePerMTokMicros.p75),
          p90: toChartUnits(m.pricePerMTokMicros.p90),
        })),
      ],
    };
  }
  return {
    caption: `Spend per month (${currency}): actual, forecast P50 and P10–P90`,
    format: (v) => formatMoneyCompact(Math.round(v * 1_000_000), currency),
    points: [
      ...history.map((m) => ({ month: m.month, actual: toChartUnits(m.costBaseMicros) })),
      ...view.months.map((m) => ({
        month: m.month,
        p10: toChartUnits(m.spendMicros.p10),
        p25: toChartUnits(m.spendMicros.p25),
        p50: toChartUnits(m.spendMicros.p50),
        p75: toChartUnits(m.spendMicros.p75),
        p90: toChartUnits(m.spendMicros.p90),
      })),
    ],
  };
}

/** Launches (tokens per month from a month, with a ramp) and price changes (percent from a month). */
function OverlayEditor({ firstMonth, overlays, onChange }: { firstMonth: string; overlays: Overlay[]; onChange(o: Overlay[]): void }) {
  const [kind, setKind] = useState<'launch' | 'price-change'>('launch');
  const [fromMonth, setFromMonth] = useState(firstMonth);
  const [amount, setAmount] = useState('');
  const [ramp, setRamp] = useState('3');
  const number = Number(amount);
  const valid = amount.trim() !== '' && Number.isFinite(number) && (kind === 'launch' ? number >= 0 : number > -100);
  const add = () => {
    if (!valid) return;
    onChange([
      ...overlays,
      kind === 'launch'
        ? { kind, label: `Launch from ${fromMonth}`, fromMonth, tokensPerMonth: Math.round(number * 1_000_000), rampMonths: Math.max(1, Math.round(Number(ramp) || 1)) }
        : { kind, label: `Price ${number > 0 ? '+' : ''}${number} % from ${fromMonth}`, fromMonth, percent: number },
    ]);
    setAmount('');
  };
  return (
    <div className="overlays" data-testid="overlays">
      {overlays.length > 0 && (
        <ul className="chosen">
          {overlays.map((o, i) => (
            <li key={i}>
              {o.kind === 'launch'
                ? `Launch: +${formatTokens(o.tokensPerMonth)} tokens a month from ${formatMonth(o.fromMonth)}, ramp ${o.rampMonths ?? 1} months`
                : `Price change: ${o.percent > 0 ? '+' : ''}${o.percent} % from ${formatMonth(o.fromMonth)}`}{' '}
              <button type="button" className="link" onClick={() => onChange(overlays.filter((_, j) => j !== i))} aria-label={`Remove overlay ${i + 1}`}>
                remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="overlay-form">
        <select aria-label="Overlay kind" value={kind} onChange={(e) => setKind(e.target.value as 'launch' | 'price-change')}>
          <option value="launch">Launch (adds tokens)</option>
          <option value="price-change">Price change (%)</option>
        </select>
        <input aria-label="From month" type="month" value={fromMonth} min={firstMonth} onChange={(e) => setFromMonth(e.target.value)} />
        <input
          aria-label={kind === 'launch' ? 'Million tokens per month' : 'Percent change'}
          type="number"
          step="any"
          placeholder={kind === 'launch' ? 'M tokens / month' : '−20 = 20 % cut'}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
        />
        {kind === 'launch' && <input aria-label="Ramp months" type="number" min="1" max="36" value={ramp} onChange={(e) => setRamp(e.target.value)} />}
        <button type="button" className="button" onClick={add} disabled={!valid}>
          Add overlay
        </button>
      </div>
    </div>
  );
}
