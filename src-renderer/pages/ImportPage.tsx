import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { BRIDGE_KEY } from '../../src-main/common/api/bridge.ts';
import { call, transport, uploadFile, type UploadedFile } from '../api/client.ts';
import type { AppInfo } from '../app/App.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { ImportReportView } from '../components/ImportReportView.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import {
  choiceRequest,
  initialMapping,
  mappingOf,
  mappingProblems,
  notReadyReason,
  type Choice,
  type ChosenFile,
  type Preview,
} from '../components/import/chosen-file.ts';
import { FilePreview } from '../components/import/FilePreview.tsx';
import { ImportedFiles } from '../components/import/ImportedFiles.tsx';
import { ReconciliationView } from '../components/import/ReconciliationView.tsx';
import { useJob } from '../components/use-job.ts';
import './import-page.css';

/** The desktop bridge can turn dropped files into file ids (the page never sees their paths). */
type DropBridge = { registerDroppedFiles?: (files: File[]) => Promise<{ ok: boolean; value?: UploadedFile[]; error?: { message: string } }> };

type ImportItem = { fileId: string; name: string; choice: ReturnType<typeof choiceRequest> };

let nextKey = 0;

/**
 * Import invoices and usage exports: drop or pick many files; each is read at once and previewed — the format
 * recognised with its version and confidence, the first rows as the import will store them, the rows it would
 * reject — and can be read as another format or through a column mapping (saved for files with the same
 * columns). Then import (each file atomically), follow the progress, cancel, and read what happened to every
 * file. Below: the files imported so far, with undo, and the reconciliation of usage, cost and invoices.
 */
export function ImportPage({ info, dataVersion, onDataChanged }: { info: AppInfo; dataVersion: number; onDataChanged(): void }) {
  const [files, setFiles] = useState<ChosenFile[]>([]);
  const filesRef = useRef(files);
  filesRef.current = files;
  const [formats, setFormats] = useState<{ id: string; label: string }[]>([]);
  const [skipRejected, setSkipRejected] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const previewSeq = useRef(new Map<string, number>());
  const mappingTimers = useRef(new Map<string, number>());
  const uploads = useRef(new Map<string, AbortController>());
  // Files removed while waiting for their turn to upload.
  const removed = useRef(new Set<string>());
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  // The files of the last import, in report order: to import a rejected file again without its bad rows.
  const lastImport = useRef<ImportItem[]>([]);
  const job = useJob((status) => {
    const reports = status.result?.reports ?? [];
    if (reports.some((r) => r.status === 'imported')) onDataChanged();
    const done = new Set(
      lastImport.current.filter((_, i) => reports[i]?.status === 'imported' || reports[i]?.status === 'already-imported').map((f) => f.fileId),
    );
    setFiles((list) => list.filter((f) => !f.fileId || !done.has(f.fileId)));
    // Keyboard and screen-reader users land on what happened.
    window.setTimeout(() => resultsHeading.current?.focus(), 0);
  });

  useEffect(() => {
    call('imports:formats', {}).then(setFormats).catch(setError);
  }, []);

  const update = useCallback((key: string, patch: Partial<ChosenFile> | ((f: ChosenFile) => Partial<ChosenFile>)) => {
    setFiles((list) => list.map((f) => (f.key === key ? { ...f, ...(typeof patch === 'function' ? patch(f) : patch) } : f)));
  }, []);

  /** Reads the first rows again as `choice` says; an answer to an older request is ignored. */
  const readPreview = useCallback(
    async (key: string, fileId: string, choice: Choice): Promise<Preview | undefined> => {
      const seq = (previewSeq.current.get(key) ?? 0) + 1;
      previewSeq.current.set(key, seq);
      try {
        const preview = await call('imports:preview', {
          fileId,
          rows: 20,
          ...(choice.kind === 'format' ? { format: choice.format } : {}),
          ...(choice.kind === 'mapping' ? { mapping: mappingOf(choice.draft), ...(choice.save && choice.saveAs.trim() ? { mappingName: choice.saveAs.trim() } : {}) } : {}),
        });
        if (previewSeq.current.get(key) !== seq) return undefined;
        update(key, { preview, stage: 'ready', refreshing: false, error: undefined });
        return preview;
      } catch (e) {
        if (previewSeq.current.get(key) === seq) update(key, (f) => (f.preview ? { refreshing: false, error: e } : { stage: 'failed', refreshing: false, error: e }));
        return undefined;
      }
    },
    [update],
  );

  /** Uploads a file (serve mode), previews it, and opens the mapping editor when no format recognises it. */
  const prepare = useCallback(
    async (entry: ChosenFile) => {
      let fileId = entry.fileId;
      if (!fileId && entry.file) {
        if (removed.current.has(entry.key)) return;
        update(entry.key, { stage: 'uploading' });
        const controller = new AbortController();
        uploads.current.set(entry.key, controller);
        try {
          fileId = (await uploadFile(entry.file, (fraction) => update(entry.key, { uploaded: fraction }), controller.signal)).fileId;
        } catch (e) {
          // Removed while uploading: nothing to say.
          if (!controller.signal.aborted) update(entry.key, { stage: 'failed', error: e });
          return;
        } finally {
          uploads.current.delete(entry.key);
        }
      }
      if (!fileId) return;
      update(entry.key, { fileId, uploaded: 1, stage: 'reading' });
      const preview = await readPreview(entry.key, fileId, { kind: 'auto' });
      if (preview && preview.tables.some((t) => !t.chosen)) {
        const choice = initialMapping({ ...entry, fileId, preview });
        update(entry.key, (f) => (f.choice.kind === 'auto' ? { choice } : {}));
        if (mappingProblems(choice.draft).length === 0) void readPreview(entry.key, fileId, choice);
      }
    },
    [readPreview, update],
  );

  const enqueue = useCallback(
    (entries: ChosenFile[]) => {
      setFiles((list) => [...list, ...entries]);
      for (const entry of entries) queue.current = queue.current.then(() => prepare(entry)).catch(setError);
    },
    [prepare],
  );

  const newEntry = (name: string, sizeBytes: number, extra: Partial<ChosenFile>): ChosenFile => ({
    key: `file-${++nextKey}`,
    name,
    sizeBytes,
    uploaded: 0,
    stage: 'waiting',
    refreshing: false,
    choice: { kind: 'auto' },
    ...extra,
  });

  const addFiles = useCallback(
    async (dropped: File[]) => {
      setError(null);
      if (dropped.length === 0) return;
      if (transport === 'electron') {
        const bridge = (window as unknown as Record<string, DropBridge | undefined>)[BRIDGE_KEY];
        if (!bridge?.registerDroppedFiles) return;
        const result = await bridge.registerDroppedFiles(dropped);
        if (!result.ok) return setError(new Error(result.error?.message ?? 'The dropped files could not be read'));
        enqueue(result.value!.map((f) => newEntry(f.name, f.sizeBytes, { fileId: f.fileId, uploaded: 1 })));
        return;
      }
      enqueue(dropped.map((file) => newEntry(file.name, file.size, { file })));
    },
    [enqueue],
  );

  const pickFiles = async () => {
    if (transport === 'http') return input.current?.click();
    try {
      const picked = await call('files:pick', { purpose: 'import' });
      enqueue(picked.map((f) => newEntry(f.name, f.sizeBytes, { fileId: f.fileId, uploaded: 1 })));
    } catch (e) {
      setError(e);
    }
  };

  const choose = (key: string, choice: Choice) => {
    const before = filesRef.current.find((f) => f.key === key);
    update(key, { choice, error: undefined });
    if (!before?.fileId) return;
    const fileId = before.fileId;
    window.clearTimeout(mappingTimers.current.get(key));
    if (choice.kind === 'mapping') {
      if (mappingProblems(choice.draft).length > 0) return;
      update(key, { refreshing: true });
      mappingTimers.current.set(key, window.setTimeout(() => void readPreview(key, fileId, choice), 250));
      return;
    }
    update(key, { refreshing: true });
    void readPreview(key, fileId, choice);
  };

  const startImport = async (items: ImportItem[], skipRejectedRows: boolean) => {
    setError(null);
    if (items.length === 0) return;
    lastImport.current = items;
    const choices = items.flatMap((i) => (i.choice ? [i.choice] : []));
    await job.start(() => call('imports:start', { fileIds: items.map((i) => i.fileId), skipRejectedRows, ...(choices.length ? { choices } : {}) }));
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void addFiles([...event.dataTransfer.files]);
  };

  const reports = job.status?.result?.reports ?? [];
  const busy = job.running;
  const ready = files.filter((f) => notReadyReason(f) === null);
  const waiting = files.filter((f) => notReadyReason(f) !== null);
  const readingAny = files.some((f) => f.stage === 'waiting' || f.stage === 'uploading' || f.stage === 'reading' || f.refreshing);
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
        data-testid="dropzone"
      >
        <p>
          Drop invoices, usage exports and FX-rate files here — as many as you like — or{' '}
          <button type="button" className="button" onClick={() => void pickFiles()} disabled={busy} data-testid="choose-files">
            choose files…
          </button>
        </p>
        <p className="muted small">
          Recognised from their content: FOCUS 1.0–1.3; OpenAI usage and cost exports (API JSON, dashboard CSV);
          Anthropic usage and cost reports and Console CSVs; Azure cost details; AWS CUR; Google Cloud billing export;
          DeepSeek usage ZIP; Alibaba Cloud bill detail; FX rates (date, base, quote, rate). Any other CSV or XLSX: map
          its columns once. Each file imports whole or not at all; the same file twice adds nothing.
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
      </section>

      {files.length > 0 && (
        <section aria-label="Chosen files" className="chosen-files">
          <h2>Before importing</h2>
          {files.map((f) => (
            <FilePreview
              key={f.key}
              file={f}
              formats={formats}
              busy={busy}
              onChoice={(choice) => choose(f.key, choice)}
              onRemove={() => {
                removed.current.add(f.key);
                uploads.current.get(f.key)?.abort();
                setFiles((list) => list.filter((x) => x.key !== f.key));
              }}
            />
          ))}
          <div className="card import-actions">
            <label className="checkbox">
              <input type="checkbox" checked={skipRejected} onChange={(e) => setSkipRejected(e.target.checked)} />
              If a file has rows that cannot be read, import its good rows and list the others
            </label>
            <button
              type="button"
              className="button primary"
              onClick={() => void startImport(ready.map((f) => ({ fileId: f.fileId!, name: f.name, choice: choiceRequest(f) })), skipRejected)}
              disabled={busy || ready.length === 0 || readingAny}
              data-testid="start-import"
            >
              Import {ready.length} {ready.length === 1 ? 'file' : 'files'}
            </button>
            {waiting.length > 0 && (
              <p className="muted small" data-testid="waiting-files">
                Left for now: {waiting.map((f) => `${f.name} (${notReadyReason(f)})`).join('; ')}.
              </p>
            )}
          </div>
        </section>
      )}

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
          <h2 ref={resultsHeading} tabIndex={-1}>Import results</h2>
          {reports.map((report, i) => {
            const item = lastImport.current[i];
            return (
              <ImportReportView
                key={`${report.fileName}-${i}`}
                report={report}
                {...(item ? { onImportSkippingRejected: () => void startImport([item], true) } : {})}
              />
            );
          })}
        </section>
      )}

      <ImportedFiles workbookPath={info.workbookPath} dataVersion={dataVersion} onDataChanged={onDataChanged} />
      <ReconciliationView dataVersion={dataVersion} />
    </div>
  );
}
