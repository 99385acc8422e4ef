import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMonth, formatTokens, TOKEN_KIND_COLOURS, TOKEN_KIND_LABELS } from '../format.ts';

type Point = { month: string; tokenKind: string; tokens: number };
const KINDS = ['input', 'cache_read', 'cache_write', 'output'] as const;

/** Tokens per month, stacked by kind (input, cached input, cache write, output). */
export function TokensByKindChart({ data, months }: { data: Point[]; months: string[] }) {
  const present = KINDS.filter((k) => data.some((d) => d.tokenKind === k && d.tokens !== 0));
  const rows = months.map((month) => {
    const row: Record<string, number | string> = { month };
    for (const k of present) row[k] = 0;
    for (const point of data) if (point.month === month) row[point.tokenKind] = point.tokens;
    return row;
  });
  if (present.length === 0) {
    return (
      <figure className="chart" aria-label="Tokens by kind" data-testid="chart-tokens-by-kind">
        <figcaption>Tokens by kind</figcaption>
        <p className="muted empty-chart">No token counts in this period: the imported lines are charges without token quantities.</p>
      </figure>
    );
  }
  return (
    <figure className="chart" aria-label="Tokens by kind" data-testid="chart-tokens-by-kind">
      <figcaption>Tokens by kind</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <AreaChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tickFormatter={formatMonth} minTickGap={16} />
          <YAxis tickFormatter={(v: number) => formatTokens(v)} width={56} />
          <Tooltip formatter={(value, name) => [formatTokens(Number(value)), TOKEN_KIND_LABELS[String(name)] ?? String(name)]} labelFormatter={(l) => formatMonth(String(l))} />
          <Legend formatter={(value) => TOKEN_KIND_LABELS[String(value)] ?? String(value)} />
          {present.map((k) => (
            <Area key={k} type="monotone" dataKey={k} stackId="tokens" stroke={TOKEN_KIND_COLOURS[k]} fill={TOKEN_KIND_COLOURS[k]} isAnimationActive={false} />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}
