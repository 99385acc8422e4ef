import { useCallback, useEffect, useState } from 'react';
import type { ResponseOf } from '../../src-main/common/api/contract.ts';
import { call } from '../api/client.ts';
import { formatInteger, formatMoney } from '../format.ts';
import { ErrorBanner } from './ErrorBanner.tsx';

type Batches = ResponseOf<'imports:batches'>;
type Reconciliation = ResponseOf<'reconciliation:get'>;

/**
 * Import batches with undo (a batch and everything it added is removed; the batches it had replaced come back),
 * and the reconciliation of usage (volume) sources against cost (money) sources and of invoice totals against
 * line sums.
 */
export function ImportEnginePanel({ dataVersion, onDataChanged }: { dataVersion: number; onDataChanged(): void }) {
  const [batches, setBatches] = useState<Batches>([]);
  const [reconciliation, setReconciliation] = useState<Reconciliation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    try {
      setBatches(await call('imports:batches', {}));
      setReconciliation(await call('reconciliation:get', {}));
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, dataVersion]);

  const undo = async (batchId: number, fileName: string) => {
    if (!window.confirm(`Undo import #${batchId} (${fileName})? Its lines are removed; any import it replaced comes back.`)) return;
    try {
      const result = await call('imports:undo', { batchId });
      setMessage(`Undid #${batchId} (${fileName}): ${result.linesRemoved} lines removed, ${result.linesRestored} restored.`);
      onDataChanged();
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <section className="card">
        <h2>Import batches</h2>
        {error ? <ErrorBanner error={error} /> : null}
        {message ? <p role="status">{message}</p> : null}
        {batches.length === 0 ? (
          <p className="muted">No import batches.</p>
        ) : (
          <table className="table" data-testid="import-batches">
            <thead>
              <tr>
                <th scope="col">#</th><th scope="col">File</th><th scope="col">Format</th><th scope="col" className="num">Confidence</th>
                <th scope="col" className="num">Lines</th><th scope="col">State</th><th scope="col">Undo</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.batchId}>
                  <td>{b.batchId}</td>
                  <td>{b.fileName}</td>
                  <td>{b.format} {b.formatVersion}</td>
                  <td className="num">{Math.round(b.confidence * 100)} %</td>
                  <td className="num">{formatInteger(b.lines)}</td>
                  <td>{b.state === 'superseded' ? `replaced by #${b.supersededBy}` : 'active'}</td>
                  <td>
                    <button type="button" onClick={() => void undo(b.batchId, b.fileName)} aria-label={`Undo import ${b.batchId}`}>
                      Undo
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {reconciliation && (reconciliation.usageVsCost.length > 0 || reconciliation.invoices.length > 0) ? (
        <section className="card" data-testid="reconciliation">
          <h2>Reconciliation</h2>
          {reconciliation.usageVsCost.length > 0 ? (
            <table className="table">
              <caption>Usage sources against cost sources (tokens are counted once: from the cost source where it has them)</caption>
              <thead>
                <tr><th scope="col">Provider</th><th scope="col">Month</th><th scope="col" className="num">Tokens (usage)</th><th scope="col" className="num">Tokens (cost)</th><th scope="col" className="num">Cost</th></tr>
              </thead>
              <tbody>
                {reconciliation.usageVsCost.map((r) => (
                  <tr key={`${r.provider}-${r.month}`}>
                    <td>{r.provider}</td><td>{r.month}</td><td className="num">{formatInteger(r.volumeTokens)}</td>
                    <td className="num">{formatInteger(r.costTokens)}</td><td className="num">{r.currency ? formatMoney(r.costMicros, r.currency) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {reconciliation.invoices.length > 0 ? (
            <table className="table">
              <caption>Invoice totals against line sums</caption>
              <thead>
                <tr><th scope="col">Provider</th><th scope="col">Invoice</th><th scope="col" className="num">Lines</th><th scope="col" className="num">Invoice total</th><th scope="col" className="num">Difference</th></tr>
              </thead>
              <tbody>
                {reconciliation.invoices.map((r) => (
                  <tr key={`${r.provider}-${r.invoiceRef}`}>
                    <td>{r.provider}</td><td>{r.invoiceRef}</td><td className="num">{formatMoney(r.linesMicros, r.currency)}</td>
                    <td className="num">{r.totalMicros === null ? 'not entered' : formatMoney(r.totalMicros, r.currency)}</td>
                    <td className="num">{r.differenceMicros === null ? '—' : formatMoney(r.differenceMicros, r.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
