import { useEffect, useRef, useState } from 'react';
import type { ResponseOf } from '../../src-main/common/api/contract.ts';
import { call } from '../api/client.ts';
import { FanChart } from '../charts/FanChart.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { useJob } from '../components/use-job.ts';
import { formatMoney, formatMonth } from '../format.ts';
import { chartOf } from './ForecastPage.tsx';

/**
 * The dashboard's outlook: total spend for the next 12 months (automatic method, no overlays) as a fan chart, with
 * the expected total. Means add up over months; quantiles do not, so only the mean is summed.
 */
export function ForecastOutlook({ dataVersion, currency }: { dataVersion: number; currency: string }) {
  const [view, setView] = useState<ResponseOf<'forecast:run'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const say = (e: unknown) => setProblem(e instanceof Error ? e.message : String(e));
  // The same calibrated forecast as the Forecast page (with its backtest), as a job: on a large workbook it takes
  // seconds and must not hold up the app.
  const job = useJob((status) => {
    if (status.state === 'failed') return setProblem(status.error?.message ?? 'the forecast failed');
    if (status.state !== 'succeeded') return;
    call('forecast:job-result', { jobId: status.jobId })
      .then((result) => setView(result.view))
      .catch(say);
  });
  const { start } = job;
  const cancelRef = useRef(job.cancel);
  cancelRef.current = job.cancel;

  useEffect(() => {
    setProblem(null);
    cancelRef.current();
    void start(() => call('forecast:start', { horizon: 12 }));
  }, [dataVersion, start]);
  useEffect(() => () => cancelRef.current(), []);

  if (problem || job.error) return <p className="card muted" data-testid="dashboard-forecast">No forecast yet: {problem ?? (job.error instanceof Error ? job.error.message : String(job.error))}</p>;
  if (!view) {
    return (
      <div className="card muted" aria-live="polite">
        <p>Forecasting the next 12 months…</p>
        {job.running && job.status && <ProgressBar fraction={job.status.progress.fraction} label={job.status.progress.message} />}
      </div>
    );
  }
  const expected = view.months.reduce((sum, m) => sum + m.spendMicros.mean, 0);
  const chart = chartOf({ ...view, history: view.history.slice(-24) }, 'spend', view.baseCurrency);
  return (
    <section className="card" data-testid="dashboard-forecast">
      <FanChart points={chart.points} caption={`Spend forecast, next 12 months (${currency})`} format={chart.format} testId="dashboard-fan-chart" height={260} />
      <p className="muted small">
        Expected spend {formatMonth(view.months[0]!.month)} – {formatMonth(view.months[view.months.length - 1]!.month)}:{' '}
        <strong data-testid="dashboard-forecast-total">{formatMoney(expected, view.baseCurrency)}</strong> ({view.model}). See the Forecast page for
        segments, overlays and the backtest.
      </p>
    </section>
  );
}
