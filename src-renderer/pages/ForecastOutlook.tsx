import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../src-main/common/api/contract.ts';
import { call } from '../api/client.ts';
import { FanChart } from '../charts/FanChart.tsx';
import { formatMoney, formatMonth } from '../format.ts';
import { chartOf } from './ForecastPage.tsx';

/**
 * The dashboard's outlook: total spend for the next 12 months (automatic method, no overlays) as a fan chart, with
 * the expected total. Means add up over months; quantiles do not, so only the mean is summed.
 */
export function ForecastOutlook({ dataVersion, currency }: { dataVersion: number; currency: string }) {
  const [view, setView] = useState<ResponseOf<'forecast:run'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('forecast:run', { horizon: 12, backtest: false })
      .then((v) => live && setView(v))
      .catch((e: unknown) => live && setProblem(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [dataVersion]);

  if (problem) return <p className="card muted" data-testid="dashboard-forecast">No forecast yet: {problem}</p>;
  if (!view) return <p className="card muted" aria-live="polite">Forecasting the next 12 months…</p>;
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
