import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../src-main/common/api/contract.ts';
import { addMonths, type IsoMonth } from '../../src-main/common/time/iso-date.ts';
import { call } from '../api/client.ts';
import type { AppInfo } from '../app/App.tsx';
import { EffectivePriceChart } from '../charts/EffectivePriceChart.tsx';
import { SpendByProviderChart } from '../charts/SpendByProviderChart.tsx';
import { TokensByKindChart } from '../charts/TokensByKindChart.tsx';
import { ForecastOutlook } from './ForecastOutlook.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { Kpi } from '../components/Kpi.tsx';
import { formatMoney, formatMonth, formatPercent, formatPricePerMTok, formatTokens } from '../format.ts';
import { WelcomePanel } from './WelcomePanel.tsx';

type Dashboard = ResponseOf<'dashboard:get'>;
type Range = 'all' | '12';

/** Actuals at a glance: spend by provider, tokens by kind, effective price, totals in the base currency. */
export function DashboardPage({ info, dataVersion, onDataChanged }: { info: AppInfo; dataVersion: number; onDataChanged(): void }) {
  const [range, setRange] = useState<Range>('all');
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (info.isEmpty) return;
    let live = true;
    const load = async () => {
      const all = await call('dashboard:get', {});
      if (range === '12' && all.months.length > 12) {
        const fromMonth = addMonths(all.months[all.months.length - 1] as IsoMonth, -11);
        return call('dashboard:get', { fromMonth });
      }
      return all;
    };
    load()
      .then((d) => live && setData(d))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [info.isEmpty, dataVersion, range]);

  if (info.isEmpty) return <WelcomePanel onDataChanged={onDataChanged} />;
  if (error) return <ErrorBanner error={error} />;
  if (!data) return <p className="muted" aria-live="polite">Loading…</p>;
  if (data.months.length === 0) {
    return <p className="card">The workbook has import batches but no AI usage lines yet. Import usage exports on the Import page.</p>;
  }

  const currency = data.baseCurrency;
  const last = data.months[data.months.length - 1]!;
  const previous = data.months[data.months.length - 2];
  const spendIn = (month: string | undefined) =>
    data.spendByProvider.filter((p) => p.month === month).reduce((sum, p) => sum + p.costBaseMicros, 0);
  const tokensIn = (month: string) => data.tokensByKind.filter((t) => t.month === month).reduce((sum, t) => sum + t.tokens, 0);
  const lastSpend = spendIn(last);
  const previousSpend = previous ? spendIn(previous) : 0;
  const lastPrice = data.effectivePrice[data.effectivePrice.length - 1]?.pricePerMTokMicros ?? null;

  return (
    <div className="dashboard">
      <div className="toolbar">
        <label>
          Period{' '}
          <select value={range} onChange={(e) => setRange(e.target.value as Range)} aria-label="Period shown">
            <option value="all">All months ({formatMonth(data.months[0]!)} – {formatMonth(last)})</option>
            <option value="12">Last 12 months</option>
          </select>
        </label>
      </div>
      {data.missingRates.length > 0 && (
        <div className="banner banner-warning" role="status">
          Some amounts are not in {currency} because an FX rate is missing:{' '}
          {data.missingRates.map((m) => `${m.lines} ${m.currency} lines from ${m.fromDate} to ${m.toDate}`).join('; ')}.
          Import FX rates on the Import page; these lines are left out of the {currency} figures.
        </div>
      )}
      <section className="kpis" aria-label="Key figures">
        <Kpi
          testId="kpi-total-spend"
          label={`Total spend (${currency})`}
          value={formatMoney(data.totals.costBaseMicros, currency)}
          note={`${formatMonth(data.months[0]!)} – ${formatMonth(last)}`}
        />
        <Kpi
          testId="kpi-last-month"
          label={`Spend in ${formatMonth(last)}`}
          value={formatMoney(lastSpend, currency)}
          note={previous && previousSpend !== 0 ? `${formatPercent(lastSpend / previousSpend - 1)} on ${formatMonth(previous)}` : undefined}
        />
        <Kpi testId="kpi-tokens" label={`Tokens in ${formatMonth(last)}`} value={formatTokens(tokensIn(last))} note={`${formatTokens(data.totals.tokens)} in the period`} />
        <Kpi
          testId="kpi-price"
          label="Effective price per 1M tokens"
          value={lastPrice === null ? '—' : formatPricePerMTok(lastPrice, currency)}
          note={`in ${formatMonth(last)}`}
        />
      </section>
      {data.totals.costByCurrency.length > 1 && (
        <p className="muted" data-testid="spend-by-currency">
          Billed in {data.totals.costByCurrency.map((c) => formatMoney(c.costMicros, c.currency)).join(' and ')}.
        </p>
      )}
      <section className="card">
        <SpendByProviderChart data={data.spendByProvider} providers={data.providers} months={data.months} currency={currency} />
      </section>
      <ForecastOutlook dataVersion={dataVersion} currency={currency} />
      <div className="grid-2">
        <section className="card">
          <TokensByKindChart data={data.tokensByKind} months={data.months} />
        </section>
        <section className="card">
          <EffectivePriceChart data={data.effectivePrice} currency={currency} />
        </section>
      </div>
    </div>
  );
}
