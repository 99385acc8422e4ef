import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMonth, toChartUnits } from '../format.ts';
import { formatUnitPrice } from '../market-format.ts';

/** The forward curve of one price date: settlement price per contract month. */
export function ForwardCurveChart({
  points,
  currency,
  priceUnit,
  priceDate,
  hypothetical,
}: {
  points: { contractMonth: string; priceMicros: number }[];
  currency: string;
  priceUnit: string;
  priceDate: string | null;
  hypothetical: boolean;
}) {
  const caption = `Forward curve${priceDate ? ` on ${priceDate}` : ''} (${currency} per ${priceUnit})${hypothetical ? ' — HYPOTHETICAL' : ''}`;
  if (points.length === 0) {
    return (
      <figure className="chart" aria-label="Forward curve" data-testid="chart-forward-curve">
        <figcaption>{caption}</figcaption>
        <p className="muted empty-chart">No settlement prices yet. Enter them in the grid below or import a CSV.</p>
      </figure>
    );
  }
  const rows = points.map((p) => ({ month: p.contractMonth, price: toChartUnits(p.priceMicros) }));
  return (
    <figure className="chart" aria-label="Forward curve" data-testid="chart-forward-curve">
      <figcaption>{caption}</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tickFormatter={formatMonth} minTickGap={8} />
          <YAxis tickFormatter={(v: number) => formatUnitPrice(Math.round(v * 1e6), currency)} width={80} domain={['auto', 'auto']} />
          <Tooltip formatter={(value) => [formatUnitPrice(Math.round(Number(value) * 1e6), currency), `per ${priceUnit}`]} labelFormatter={(l) => `Contract ${formatMonth(String(l))}`} />
          <Line type="linear" dataKey="price" stroke="#1f5fa8" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
