import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMoney, formatMoneyCompact } from '../format.ts';

export type HistogramBin = { fromMicros: number; toMicros: number; unhedged: number; hedged: number };

/** The simulated distribution of total cost, unhedged and hedged, in shared bins: the hedge narrows it. */
export function CostHistogramChart({ bins, currency, paths }: { bins: HistogramBin[]; currency: string; paths: number }) {
  const rows = bins.map((b) => ({ mid: Math.round((b.fromMicros + b.toMicros) / 2), from: b.fromMicros, to: b.toMicros, unhedged: b.unhedged, hedged: b.hedged }));
  return (
    <figure className="chart" aria-label="Distribution of total cost with and without the hedge" data-testid="chart-cost-histogram">
      <figcaption>Total cost over the horizon, {paths.toLocaleString('en-US')} simulated paths ({currency})</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }} barGap={0} barCategoryGap={1}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="mid" tickFormatter={(v: number) => formatMoneyCompact(v, currency)} minTickGap={24} />
          <YAxis width={48} allowDecimals={false} />
          <Tooltip
            labelFormatter={(_, payload) => {
              const row = payload?.[0]?.payload as { from: number; to: number } | undefined;
              return row ? `${formatMoney(row.from, currency)} – ${formatMoney(row.to, currency)}` : '';
            }}
            formatter={(v, n) => [`${Number(v)} paths`, n === 'hedged' ? 'Hedged' : 'Unhedged']}
          />
          <Legend formatter={(v) => (v === 'hedged' ? 'Hedged' : 'Unhedged')} />
          <Bar dataKey="unhedged" fill="#b9c4d0" isAnimationActive={false} />
          <Bar dataKey="hedged" fill="#1f5fa8" fillOpacity={0.8} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
