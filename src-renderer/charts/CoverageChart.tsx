import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMonth } from '../format.ts';

export type CoveragePoint = {
  month: string;
  /** Hedged share of the P50 after rounding and limits (0–1). */
  effective: number;
  /** The ratio applied: the policy target or the minimum-variance ratio kept in the band. */
  ratio: number;
  band: { minRatio: number; maxRatio: number } | null;
  /** The hedgeable quantile as a share of the P50: no hedge may go above it. */
  cap: number;
};

const pct = (fraction: number) => Math.round(fraction * 10_000) / 100;
const NAMES: Record<string, string> = { effective: 'Hedged (effective)', ratio: 'Ratio applied', min: 'Band low', max: 'Band high', cap: 'Hedgeable cap' };

/** Coverage per contract month against the policy band: bars for the hedged share of the P50, lines for the band, the ratio and the cap. */
export function CoverageChart({ points, quantile }: { points: CoveragePoint[]; quantile: string }) {
  const rows = points.map((p) => ({
    month: p.month,
    effective: pct(p.effective),
    ratio: pct(p.ratio),
    min: p.band ? pct(p.band.minRatio) : null,
    max: p.band ? pct(p.band.maxRatio) : null,
    cap: pct(Math.min(1, p.cap)),
  }));
  const outside = points.filter((p) => p.band && p.effective > 0 && (p.effective < p.band.minRatio - 1e-9 || p.effective > p.band.maxRatio + 1e-9)).length;
  return (
    <figure className="chart" aria-label="Coverage against the policy band" data-testid="chart-coverage">
      <figcaption>
        Coverage of the P50 by month against the policy band (%){outside > 0 ? ` — ${outside} month${outside > 1 ? 's' : ''} outside the band` : ''}
      </figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tickFormatter={formatMonth} minTickGap={8} />
          <YAxis domain={[0, 100]} unit=" %" width={56} />
          <Tooltip labelFormatter={(l) => formatMonth(String(l))} formatter={(v, n) => [v === null ? '—' : `${Number(v)} %`, NAMES[String(n)] ?? String(n)]} />
          <Legend formatter={(v) => (String(v) === 'cap' ? `${quantile.toUpperCase()} cap` : NAMES[String(v)] ?? String(v))} />
          <Bar dataKey="effective" fill="#1f5fa8" isAnimationActive={false} />
          <Line type="step" dataKey="max" stroke="#9fb0c4" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line type="step" dataKey="min" stroke="#9fb0c4" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line type="step" dataKey="ratio" stroke="#14243a" strokeDasharray="5 4" dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="cap" stroke="#d1495b" strokeDasharray="2 3" dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
