import { call } from '../api/client.ts';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { useJob } from '../components/use-job.ts';

/** First run: the workbook is empty. Offer the demo organisation, or importing the organisation's own files. */
export function WelcomePanel({ onDataChanged }: { onDataChanged(): void }) {
  const job = useJob((status) => {
    if (status.state === 'succeeded') onDataChanged();
  });
  const failed = job.status?.result?.reports.filter((r) => r.status !== 'imported') ?? [];
  return (
    <section className="card welcome" data-testid="welcome">
      <h2>Welcome to TokenHedge</h2>
      <p>
        This workbook is empty. Import your organisation’s AI invoices and usage exports, or explore TokenHedge with a
        demo organisation: Northwind Robotics, 30 months of daily usage of twelve models from five providers, billed in
        US dollars and Chinese yuan — with growth, price cuts and a product launch.
      </p>
      <div className="actions">
        <button type="button" className="button primary" disabled={job.running} onClick={() => job.start(() => call('demo:create', {}))}>
          Load the demo organisation
        </button>
        <a className="button" href="#/import">Import my own files</a>
      </div>
      {job.status && job.running && (
        <div className="job">
          <ProgressBar fraction={job.status.progress.fraction} label={job.status.progress.message} />
          <button type="button" className="button" onClick={job.cancel}>Cancel</button>
        </div>
      )}
      {job.status?.state === 'failed' && <ErrorBanner error={new Error(job.status.error?.message ?? 'The demo could not be created')} />}
      {failed.length > 0 && <ErrorBanner error={new Error(failed.map((r) => r.message).join(' '))} />}
      <ErrorBanner error={job.error} />
    </section>
  );
}
