import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { ResponseOf } from '../../src-main/common/api/contract.ts';
import { BRIDGE_KEY } from '../../src-main/common/api/bridge.ts';
import { call, transport, uploadFile, type UploadedFile } from '../api/client.ts';
import type { AppInfo } from '../app/App.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { ImportEnginePanel } from '../components/ImportEnginePanel.tsx';
import { ImportReportView } from '../components/ImportReportView.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { useJob } from '../components/use-job.ts';
import { formatBytes, formatInteger } from '../format.ts';

type Batch = ResponseOf<'imports:list'>[number];
type Chosen = { key: string; name: string; sizeBytes: number; fileId?: string; file?: File; uploaded: number };

/** The desktop bridge can turn dropped files into file ids (the page never sees their paths). */
type DropBridge = { registerDroppedFiles?: (files: File[]) => Promise<{ ok: boolean; value?: UploadedFile[]; error?: { message: string } }> };

/**
 * Import invoices and usage exports: pick or drop files, import them (each file atomically), follow the
 * progress, cancel, and read what happened to every file; below, the files imported so far.
 */
export function ImportPage({ info, dataVersion, onDataChanged }: { info: AppInfo; dataVersion: number; onDataChanged(): void }) {
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [skipRejected, setSkipRejected] = useState(false);
  const [batches, setBatches] = useState<Batch[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [dragging, setDragging] = useState(false);
  const [uploading, setUploading] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // The file ids of the last import, in report order, to import a rejected file again without its bad rows.
  const lastFileIds = useRef<string[]>([]);
  const job = useJob((status) => {
    if (status.result?.reports.some((r) => r.status === 'imported')) onDataChanged();
    setChosen([]);
  });

  useEffect(() => {
    call('imports:list', {}).then(setBatches).catch(setError);
  }, [dataVersion]);

  const addFiles = useCallback(async (files: File[]) => {
    setError(null);
    const bridge = (window as unknown as Record<string, DropBridge | undefined>)[BRIDGE_KEY];
    if (transport === 'electron') {
      if (!bridge?.registerDroppedFiles) return;
      const result = await bridge.registerDroppedFiles(files);
      if (!result.ok) return setError(new Error(result.error?.message ?? 'The dropped files could not be read'));
      setChosen((list) => [...list, ...result.value!.map((f) => ({ key: f.fileId, name: f.name, sizeBytes: f.sizeBytes, fileId: f.fileId, uploaded: 1 }))]);
      return;
    }
    setChosen((list) => [...list, ...files.map((file) => ({ key: `${file.name}-${file.size}-${Math.random()}`, name: file.name, sizeBytes: file.size, file, uploaded: 0 }))]);
  }, []);

  const pickFiles = async () => {
    if (transport === 'http') return input.current?.click();
    try {
      const files = await call('files:pick', { purpose: 'import' });
      setChosen((list) => [...list, ...files.map((f) => ({ key: f.fileId, name: f.name, sizeBytes: f.sizeBytes, fileId: f.fileId, uploaded: 1 }))]);
    } catch (e) {
      setError(e);
    }
  };

  const startImport = async (fileIds?: string[], skipRejectedRows = skipRejected) => {
    setError(null);
    let ids = fileIds;
    if (!ids) {
      setUploading(true);
      try {
        ids = [];
        for (const item of chosen) {
          if (item.fileId) {
            ids.push(item.fileId);
            continue;
          }
          const uploaded = await uploadFile(item.file!, (fraction) =>
            setChosen((list) => list.map((c) => (c.key === item.key ? { ...c, uploaded: fraction } : c))),
          );
          item.fileId = uploaded.fileId;
          ids.push(uploaded.fileId);
        }
      } catch (e) {
        setError(e);
        return;
      } finally {
        setUploading(false);
      }
    }
    const toImport = ids;
    lastFileIds.current = toImport;
    await job.start(() => call('imports:start', { fileIds: toImport, skipRejectedRows }));
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void addFiles([...event.dataTransfer.files]);
  };

  const reports = job.status?.result?.reports ?? [];
  const busy = uploading || job.running;
  return (
    <div className="import-page">
      <section
        className={`dropzone card${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        aria-label="Files to import"
      >
        <p>
          Drop invoices, usage exports and FX-rate files here, or{' '}
          <button type="button" className="button" onClick={pickFiles} disabled={busy} data-testid="choose-files">
            choose files…
          </button>
        </p>
        <p className="muted small">
          Read now: FOCUS 1.0–1.3 cost and usage CSV (AWS, Azure, Google Cloud, OCI and others export it), and FX rates
          as CSV with columns date, base, quote, rate. Each file imports whole or not at all; the same file twice adds
          nothing.
        </p>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            void addFiles([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        {chosen.length > 0 && (
          <>
            <ul className="chosen" aria-label="Chosen files">
              {chosen.map((c) => (
                <li key={c.key}>
                  <span>{c.name}</span> <span className="muted">{formatBytes(c.sizeBytes)}</span>
                  {transport === 'http' && uploading && c.uploaded < 1 && <span className="muted"> uploading {Math.round(c.uploaded * 100)} %</span>}
                  {!busy && (
                    <button type="button" className="link" aria-label={`Remove ${c.name}`} onClick={() => setChosen((l) => l.filter((x) => x.key !== c.key))}>
                      remove
                    </button>
                  )}
                </li>
              ))}
            </ul>
            <label className="checkbox">
              <input type="checkbox" checked={skipRejected} onChange={(e) => setSkipRejected(e.target.checked)} />
              If a file has rows that cannot be read, import its good rows and list the others
            </label>
            <button type="button" className="button primary" onClick={() => void startImport()} disabled={busy} data-testid="start-import">
              Import {chosen.length} {chosen.length === 1 ? 'file' : 'files'}
            </button>
          </>
        )}
      </section>

      {job.status && job.running && (
        <section className="card job" aria-live="polite">
          <ProgressBar fraction={job.status.progress.fraction} label={job.status.progress.message} />
          <button type="button" className="button" onClick={job.cancel} data-testid="cancel-import">Cancel</button>
        </section>
      )}
      <ErrorBanner error={error ?? job.error} />
      {job.status?.state === 'failed' && <ErrorBanner error={new Error(job.status.error?.message ?? 'Import failed')} />}

      {reports.length > 0 && (
        <section aria-label="Import results" className="reports">
          <h2>Import results</h2>
          {reports.map((report, i) => (
            <ImportReportView
              key={`${report.fileName}-${i}`}
              report={report}
              {...(lastFileIds.current[i] ? { onImportSkippingRejected: () => void startImport([lastFileIds.current[i]!], true) } : {})}
            />
          ))}
        </section>
      )}

      <section className="card">
        <h2>Imported files</h2>
        {batches.length === 0 ? (
          <p className="muted">Nothing imported yet into {info.workbookPath}.</p>
        ) : (
          <table className="table" data-testid="batches">
            <thead>
              <tr>
                <th scope="col">#</th><th scope="col">File</th><th scope="col">Format</th><th scope="col">Imported</th>
                <th scope="col" className="num">Rows</th><th scope="col" className="num">Added</th>
                <th scope="col" className="num">Duplicates</th><th scope="col" className="num">Skipped</th><th scope="col" className="num">Rejected</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.batchId}>
                  <td>{b.batchId}</td>
                  <td title={`SHA-256 ${b.sha256}`}>{b.fileName}</td>
                  <td>{b.format === 'focus' ? `FOCUS ${b.formatVersion}` : b.format}</td>
                  <td>{new Date(b.importedAtMs).toLocaleString()}</td>
                  <td className="num">{formatInteger(b.counts.read)}</td>
                  <td className="num">{formatInteger(b.counts.imported)}</td>
                  <td className="num">{formatInteger(b.counts.duplicate)}</td>
                  <td className="num">{formatInteger(b.counts.skipped)}</td>
                  <td className="num">{formatInteger(b.counts.rejected)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ImportEnginePanel dataVersion={dataVersion} onDataChanged={onDataChanged} />
    </div>
  );
}
