import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { providerDisplayName } from '../../src-main/common/usage/providers.ts';
import { colourFor, formatMoney, formatMoneyCompact, formatMonth, toChartUnits } from '../format.ts';

type Point = { month: string; provider: string; costBaseMicros: number };

/** Monthly spend in the base currency, stacked by provider. */
export function SpendByProviderChart({ data, providers, months, currency }: { data: Point[]; providers: string[]; months: string[]; currency: string }) {
  const rows = months.map((month) => {
    const row: Record<string, number | string> = { month };
    for (const p of providers) row[p] = 0;
    for (const point of data) if (point.month === month) row[point.provider] = toChartUnits(point.costBaseMicros);
    return row;
  });
  return (
    <figure className="chart" aria-label="Monthly spend by provider" data-testid="chart-spend-by-provider">
      <figcaption>Monthly spend by provider ({currency})</figcaption>
      <ResponsiveContainer width="100%" height={300}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tickFormatter={formatMonth} minTickGap={16} />
          <YAxis tickFormatter={(v: number) => formatMoneyCompact(v * 1_000_000, currency)} width={72} />
          <Tooltip
            formatter={(value, name) => [formatMoney(Math.round(Number(value) * 1_000_000), currency), providerDisplayName(String(name))]}
            labelFormatter={(label) => formatMonth(String(label))}
          />
          <Legend formatter={(value) => providerDisplayName(String(value))} />
          {providers.map((p, i) => (
            <Bar key={p} dataKey={p} stackId="spend" fill={colourFor(p, i)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
