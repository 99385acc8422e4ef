import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMonth } from '../format.ts';

/** One month of a fan chart: the actual value (history) or the forecast quantiles (future), in display units. */
export type FanPoint = {
  month: string;
  actual?: number | undefined;
  p10?: number | undefined;
  p25?: number | undefined;
  p50?: number | undefined;
  p75?: number | undefined;
  p90?: number | undefined;
};

/**
 * History and forecast as a fan chart: the P10–P90 band (light), the P25–P75 band (darker), the P50 line and the
 * actuals. Values are plain display numbers (currency units or tokens); `format` writes them for axis and tooltip.
 */
export function FanChart({ points, caption, format, testId, height = 320 }: { points: FanPoint[]; caption: string; format(value: number): string; testId: string; height?: number }) {
  const rows = points.map((p) => ({
    month: p.month,
    actual: p.actual,
    median: p.p50,
    outer: p.p10 !== undefined && p.p90 !== undefined ? [p.p10, p.p90] : undefined,
    inner: p.p25 !== undefined && p.p75 !== undefined ? [p.p25, p.p75] : undefined,
  }));
  // The forecast starts from the last actual, so the P50 line joins the history.
  const lastActual = rows.findLastIndex((r) => r.actual !== undefined);
  if (lastActual >= 0 && lastActual + 1 < rows.length) {
    const a = rows[lastActual]!.actual!;
    rows[lastActual] = { ...rows[lastActual]!, median: a, outer: [a, a], inner: [a, a] };
  }
  return (
    <figure className="chart" aria-label={caption} data-testid={testId}>
      <figcaption>{caption}</figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tickFormatter={formatMonth} minTickGap={16} />
          <YAxis tickFormatter={(v: number) => format(v)} width={80} domain={[0, 'auto']} />
          <Tooltip
            labelFormatter={(label) => formatMonth(String(label))}
            formatter={(value, name) => {
              const text = Array.isArray(value) ? `${format(Number(value[0]))} – ${format(Number(value[1]))}` : format(Number(value));
              return [text, String(name)];
            }}
          />
          <Legend />
          <Area dataKey="outer" name="P10–P90" stroke="none" fill="#9cc3ea" fillOpacity={0.45} isAnimationActive={false} className="fan-p10-p90" />
          <Area dataKey="inner" name="P25–P75" stroke="none" fill="#5c98d6" fillOpacity={0.45} isAnimationActive={false} />
          <Line dataKey="median" name="P50" stroke="#1f5fa8" strokeDasharray="6 4" strokeWidth={2} dot={false} isAnimationActive={false} className="fan-p50" />
          <Line dataKey="actual" name="Actual" stroke="#14243a" strokeWidth={2} dot={false} isAnimationActive={false} className="fan-actual" />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
