import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMonth, toChartUnits } from '../format.ts';
import { formatUnitPrice } from '../market-format.ts';

/** The organisation's effective price per contract unit against the monthly average of the index. */
export function BasisChart({
  points,
  currency,
  quantityUnit,
}: {
  points: { month: string; effectivePriceMicros: number | null; indexMicros: number | null }[];
  currency: string;
  quantityUnit: string;
}) {
  const rows = points.map((p) => ({
    month: p.month,
    effective: p.effectivePriceMicros === null ? null : toChartUnits(p.effectivePriceMicros),
    index: p.indexMicros === null ? null : toChartUnits(p.indexMicros),
  }));
  return (
    <figure className="chart" aria-label="Basis" data-testid="chart-basis">
      <figcaption>Your effective price vs the index ({currency} per {quantityUnit}, monthly)</figcaption>
      {rows.length === 0 ? (
        <p className="muted empty-chart">No usage matches this instrument’s exposure mappings.</p>
      ) : (
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="month" tickFormatter={formatMonth} minTickGap={16} />
            <YAxis tickFormatter={(v: number) => formatUnitPrice(Math.round(v * 1e6), currency)} width={80} domain={[0, 'auto']} />
            <Tooltip formatter={(value, name) => [formatUnitPrice(Math.round(Number(value) * 1e6), currency), name === 'effective' ? 'Your effective price' : 'Index (monthly average)']} labelFormatter={(l) => formatMonth(String(l))} />
            <Legend formatter={(value) => (value === 'effective' ? 'Your effective price' : 'Index, monthly average')} />
            <Line type="monotone" dataKey="effective" stroke="#d1495b" strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
            <Line type="monotone" dataKey="index" stroke="#1f5fa8" strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
