import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { toChartUnits } from '../format.ts';
import { formatUnitPrice } from '../market-format.ts';

const COLOURS = ['#1f5fa8', '#d1495b', '#2e9d8f', '#8e6bbf', '#9a8a3a'];

/** Settlement prices of chosen contract months over time, with the index fixings for comparison. */
export function PriceHistoryChart({
  prices,
  fixings,
  months,
  currency,
  priceUnit,
}: {
  prices: { contractMonth: string; priceDate: string; priceMicros: number }[];
  fixings: { date: string; valueMicros: number }[];
  months: string[];
  currency: string;
  priceUnit: string;
}) {
  const firstPriceDate = prices.reduce<string | null>((min, p) => (min === null || p.priceDate < min ? p.priceDate : min), null);
  // The index from a little before the first settlement, so the futures can be read against it.
  const shownFixings = firstPriceDate ? fixings.filter((f) => f.date >= firstPriceDate) : fixings;
  const byDate = new Map<string, Record<string, number | string>>();
  const row = (date: string) => {
    let r = byDate.get(date);
    if (!r) byDate.set(date, (r = { date }));
    return r;
  };
  for (const f of shownFixings) row(f.date).index = toChartUnits(f.valueMicros);
  for (const p of prices) if (months.includes(p.contractMonth)) row(p.priceDate)[p.contractMonth] = toChartUnits(p.priceMicros);
  const rows = [...byDate.values()].sort((a, b) => (String(a.date) < String(b.date) ? -1 : 1));
  return (
    <figure className="chart" aria-label="Price history" data-testid="chart-price-history">
      <figcaption>History: index fixings and settlement prices ({currency} per {priceUnit})</figcaption>
      {rows.length === 0 ? (
        <p className="muted empty-chart">No fixings or settlement prices yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="date" minTickGap={24} />
            <YAxis tickFormatter={(v: number) => formatUnitPrice(Math.round(v * 1e6), currency)} width={80} domain={['auto', 'auto']} />
            <Tooltip formatter={(value, name) => [formatUnitPrice(Math.round(Number(value) * 1e6), currency), name === 'index' ? 'Index' : `Contract ${String(name)}`]} />
            <Legend formatter={(value) => (value === 'index' ? 'Index fixing' : `Contract ${String(value)}`)} />
            <Line type="linear" dataKey="index" stroke="#5d6b7a" strokeWidth={1.5} dot={false} connectNulls isAnimationActive={false} />
            {months.map((m, i) => (
              <Line key={m} type="linear" dataKey={m} stroke={COLOURS[i % COLOURS.length]} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
