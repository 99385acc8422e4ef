import type { AppInfo } from '../app/App.tsx';
import { PolicyEditor } from './hedges/PolicyEditor.tsx';

/** Hedges: the hedge policy now; proposals built from a saved forecast, approval and the hedge book come next. */
export function HedgesPage({ info, dataVersion }: { info: AppInfo; dataVersion: number }) {
  return (
    <div className="hedges">
      <PolicyEditor baseCurrency={info.baseCurrency} dataVersion={dataVersion} />
      <section className="card coming" data-testid="coming">
        <p className="coming-badge">Coming in a later release</p>
        <p>
          Hedge proposals from a saved forecast run under this policy: contracts per month with a one-line explanation of
          every number, coverage against the policy band, cost-at-risk with and without the hedge, comparison side by
          side and approval by a second person; then the hedge book with mark-to-market, effectiveness tests and hedge
          memos.
        </p>
      </section>
    </div>
  );
}
