import type { ReactNode } from 'react';

/** A section that a later release fills: says what it will do, so nobody mistakes it for a broken page. */
export function ComingPage({ children }: { children: ReactNode }) {
  return (
    <section className="card coming" data-testid="coming">
      <p className="coming-badge">Coming in a later release</p>
      <p>{children}</p>
      <p className="muted">Until then, the Dashboard, Import, Reports and Settings sections work on this workbook.</p>
    </section>
  );
}
