import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { ResponseOf } from '../../../src-main/common/api/contract.ts';
import { describeUndo } from '../../../src-main/common/imports/undo-summary.ts';
import { call } from '../../api/client.ts';
import { formatBytes, formatInteger } from '../../format.ts';
import { ErrorBanner } from '../ErrorBanner.tsx';
import { confidenceLevel } from './chosen-file.ts';

type Batch = ResponseOf<'imports:batches'>[number];

/**
 * The files imported so far (import batches): how each was read, what it added, whether a newer export replaced
 * it; and undo, which removes a batch and everything it added and brings back what it had replaced. Undo asks
 * first, saying what it will remove, and then says what it removed.
 */
export function ImportedFiles({ workbookPath, dataVersion, onDataChanged }: { workbookPath: string; dataVersion: number; onDataChanged(): void }) {
  const [batches, setBatches] = useState<Batch[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [undoing, setUndoing] = useState(false);
  const [message, setMessage] = useState('');
  const confirmButton = useRef<HTMLButtonElement>(null);
  const undoButtons = useRef(new Map<number, HTMLButtonElement>());

  const load = useCallback(() => {
    call('imports:batches', {}).then(setBatches).catch(setError);
  }, []);
  useEffect(load, [load, dataVersion]);
  useEffect(() => {
    if (confirming !== null) confirmButton.current?.focus();
  }, [confirming]);

  const cancel = (batchId: number) => {
    setConfirming(null);
    undoButtons.current.get(batchId)?.focus();
  };

  const undo = async (batch: Batch) => {
    setUndoing(true);
    setError(null);
    try {
      const result = await call('imports:undo', { batchId: batch.batchId });
      setMessage(describeUndo(result));
      setConfirming(null);
      onDataChanged();
      load();
    } catch (e) {
      setError(e);
    } finally {
      setUndoing(false);
    }
  };

  const byId = new Map((batches ?? []).map((b) => [b.batchId, b]));
  return (
    <section className="card" aria-labelledby="imported-files-heading">
      <h2 id="imported-files-heading">Imported files</h2>
      <ErrorBanner error={error} />
      <p role="status" className={message ? 'undo-message' : 'visually-hidden'} data-testid="undo-message">{message}</p>
      {batches === null ? (
        <p className="muted">Loading…</p>
      ) : batches.length === 0 ? (
        <p className="muted">Nothing imported yet into {workbookPath}.</p>
      ) : (
        <div className="scroll-x">
          <table className="table" data-testid="batches">
            <thead>
              <tr>
                <th scope="col">#</th><th scope="col">File</th><th scope="col">Read as</th><th scope="col" className="num">Confidence</th>
                <th scope="col">Imported</th><th scope="col" className="num">Rows</th><th scope="col" className="num">Lines now</th>
                <th scope="col" className="num">Already there</th><th scope="col" className="num">Skipped</th><th scope="col" className="num">Rejected</th>
                <th scope="col">State</th><th scope="col"><span className="visually-hidden">Undo</span></th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <BatchRows
                  key={b.batchId}
                  batch={b}
                  byId={byId}
                  confirming={confirming === b.batchId}
                  undoing={undoing}
                  confirmButton={confirmButton}
                  undoButton={(el) => {
                    if (el) undoButtons.current.set(b.batchId, el);
                    else undoButtons.current.delete(b.batchId);
                  }}
                  onAsk={() => {
                    setMessage('');
                    setConfirming(b.batchId);
                  }}
                  onCancel={() => cancel(b.batchId)}
                  onConfirm={() => void undo(b)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function BatchRows({
  batch: b,
  byId,
  confirming,
  undoing,
  confirmButton,
  undoButton,
  onAsk,
  onCancel,
  onConfirm,
}: {
  batch: Batch;
  byId: Map<number, Batch>;
  confirming: boolean;
  undoing: boolean;
  confirmButton: RefObject<HTMLButtonElement | null>;
  undoButton(el: HTMLButtonElement | null): void;
  onAsk(): void;
  onCancel(): void;
  onConfirm(): void;
}) {
  const c = b.counts;
  const format = b.formatLabel || b.format;
  const replaced = b.replacedBatches.filter((r) => byId.get(r.batchId)?.supersededBy === b.batchId);
  return (
    <>
      <tr className={b.state === 'superseded' ? 'superseded' : undefined} data-batch={b.batchId}>
        <td>{b.batchId}</td>
        <td title={`SHA-256 ${b.sha256} · ${formatBytes(b.sizeBytes)}`}>{b.fileName}</td>
        <td>
          {format}
          {b.formatVersion && b.formatVersion !== '1' ? <span className="muted"> · {b.formatVersion}</span> : null}
        </td>
        <td className="num"><span className={`confidence-text confidence-${confidenceLevel(b.confidence)}`}>{Math.round(b.confidence * 100)} %</span></td>
        <td>{new Date(b.importedAtMs).toLocaleString()}</td>
        <td className="num">{formatInteger(c.read)}</td>
        <td className="num">{b.format === 'fx-rates' ? `${formatInteger(c.imported)} rates` : formatInteger(b.lines)}</td>
        <td className="num">{formatInteger(c.duplicate)}</td>
        <td className="num">{formatInteger(c.skipped)}</td>
        <td className="num">{formatInteger(c.rejected)}</td>
        <td>
          {b.state === 'superseded' ? `replaced by #${b.supersededBy}` : 'active'}
          {replaced.length > 0 && <div className="muted small">replaces {replaced.map((r) => `#${r.batchId}`).join(', ')}</div>}
          {b.restated > 0 && <div className="muted small">{formatInteger(b.restated)} lines restated</div>}
        </td>
        <td>
          <button type="button" className="button small-button" ref={undoButton} onClick={onAsk} disabled={undoing} aria-label={`Undo import ${b.batchId} (${b.fileName})`} aria-expanded={confirming}>
            Undo…
          </button>
        </td>
      </tr>
      {confirming && (
        <tr className="confirm-row">
          <td colSpan={12}>
            <div
              className="confirm"
              role="group"
              aria-label={`Confirm undo of import ${b.batchId}`}
              onKeyDown={(e) => {
                if (e.key === 'Escape') onCancel();
              }}
            >
              <p>
                Undo import #{b.batchId} ({b.fileName})? This removes the {formatInteger(b.lines)} lines it holds now
                {b.format.includes('fx-rates') ? ' and the FX rates it added' : ''}
                {b.restated > 0 ? `, puts back the earlier figures of the ${formatInteger(b.restated)} lines it restated` : ''}
                {replaced.length > 0 ? `, and brings back ${replaced.map((r) => `#${r.batchId} (${r.fileName})`).join(', ')}, which it had replaced` : ''}.
                The audit log keeps a record of the undo.
              </p>
              <div className="actions">
                <button type="button" className="button danger" ref={confirmButton} onClick={onConfirm} disabled={undoing} data-testid="confirm-undo">
                  Undo import #{b.batchId}
                </button>
                <button type="button" className="button" onClick={onCancel} disabled={undoing}>
                  Keep it
                </button>
              </div>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
