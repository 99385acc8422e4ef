import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMonth, formatPricePerMTok, toChartUnits } from '../format.ts';

/** What one million tokens cost on average each month, across all models and kinds (base currency). */
export function EffectivePriceChart({ data, currency }: { data: { month: string; pricePerMTokMicros: number | null }[]; currency: string }) {
  const rows = data.map((d) => ({ month: d.month, price: d.pricePerMTokMicros === null ? null : toChartUnits(d.pricePerMTokMicros) }));
  if (rows.every((r) => r.price === null)) {
    return (
      <figure className="chart" aria-label="Effective price per million tokens" data-testid="chart-effective-price">
        <figcaption>Effective price per 1M tokens ({currency})</figcaption>
        <p className="muted empty-chart">No token usage lines to price in this period.</p>
      </figure>
    );
  }
  return (
    <figure className="chart" aria-label="Effective price per million tokens" data-testid="chart-effective-price">
      <figcaption>Effective price per 1M tokens ({currency})</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tickFormatter={formatMonth} minTickGap={16} />
          <YAxis tickFormatter={(v: number) => formatPricePerMTok(Math.round(v * 1_000_000), currency)} width={72} domain={[0, 'auto']} />
          <Tooltip formatter={(value) => [formatPricePerMTok(Math.round(Number(value) * 1_000_000), currency), 'per 1M tokens']} labelFormatter={(l) => formatMonth(String(l))} />
          <Line type="monotone" dataKey="price" stroke="#1f3a5f" strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
