import type { ReactNode } from 'react';

/** A headline figure with its label and a short note (the period, or the change against the month before). */
export function Kpi({ label, value, note, testId }: { label: string; value: ReactNode; note?: ReactNode; testId?: string }) {
  return (
    <div className="kpi" data-testid={testId}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {note !== undefined && <div className="kpi-note">{note}</div>}
    </div>
  );
}
