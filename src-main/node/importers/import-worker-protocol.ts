import { Worker } from 'node:worker_threads';
import { DomainError, type ErrorCode } from '../../common/errors.ts';
import { CsvSyntaxError } from './csv/csv-parser.ts';
import type { DelimitedHooks, DelimitedSummary } from './delimited-producer.ts';
import type { LineBatch } from './line-batch.ts';
import type { ProducerShared, TableSetup } from './row-producer.ts';

/** The messages between `importFile` and the thread that reads a large delimited file (`import-worker.ts`). */
export type ImportWorkerData = { path: string; shared: ProducerShared; inflight: number };

export type ToImportWorker = { type: 'setup'; setup: TableSetup } | { type: 'ack' };

export type FromImportWorker =
  | { type: 'header'; header: string[]; samples: string[][]; delimiter: string }
  | { type: 'batch'; batch: LineBatch | null; original: Buffer[] }
  | { type: 'progress'; bytesRead: number }
  | { type: 'done'; summary: DelimitedSummary }
  | { type: 'error'; error: SerializedError };

type SerializedError =
  | { kind: 'csv'; message: string; line: number }
  | { kind: 'domain'; code: ErrorCode; message: string }
  | { kind: 'other'; message: string; stack: string | undefined };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof CsvSyntaxError) return { kind: 'csv', message: error.message, line: error.line };
  if (error instanceof DomainError) return { kind: 'domain', code: error.code, message: error.message };
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'other', message: e.message, stack: e.stack };
}

function deserializeError(error: SerializedError): Error {
  if (error.kind === 'csv') return new CsvSyntaxError(error.message, error.line);
  if (error.kind === 'domain') return new DomainError(error.code, error.message);
  const e = new Error(error.message);
  if (error.stack) e.stack = error.stack;
  return e;
}

/** Batches a worker may send before the importing thread has written them. */
const INFLIGHT_BATCHES = 3;

/**
 * The worker script: the TypeScript source when running from source (CLI, tests, serve mode), the bundled
 * `import-worker.js` beside the bundle in the Electron build (an entry of electron.vite.config.ts).
 */
const WORKER_SCRIPT = new URL(import.meta.url.endsWith('.ts') ? './import-worker.ts' : './import-worker.js', import.meta.url);

/**
 * Reads a delimited file in a worker thread, calling `hooks` in this thread as `produceDelimited` would: the
 * header (this thread answers with the setup), each batch (written here; the worker reads ahead at most three
 * batches), progress. A cancel (`hooks.signal`) stops the worker at once and rejects with `cancelled`.
 */
export function produceDelimitedInWorker(path: string, shared: ProducerShared, hooks: DelimitedHooks): Promise<DelimitedSummary> {
  return new Promise((resolve, reject) => {
    const data: ImportWorkerData = { path, shared, inflight: INFLIGHT_BATCHES };
    // A young generation of 64 MB: a batch in flight dies young instead of being promoted and collected later.
    const worker = new Worker(WORKER_SCRIPT, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      hooks.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    const onAbort = (): void => finish(() => reject(new DomainError('cancelled', 'Import cancelled')));
    if (hooks.signal?.aborted) return onAbort();
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    const send = (message: ToImportWorker): void => worker.postMessage(message);
    worker.on('message', (message: FromImportWorker) => {
      if (settled) return;
      try {
        switch (message.type) {
          case 'header': {
            const setup = hooks.onHeader(message.header, message.samples, message.delimiter);
            if (setup instanceof Promise) throw new Error('the header hook of a worker import must answer at once');
            send({ type: 'setup', setup });
            break;
          }
          case 'batch': {
            const waiting = hooks.onBatch(message.batch, [], message.original);
            if (waiting) throw new Error('the batch hook of a worker import must write at once');
            send({ type: 'ack' });
            break;
          }
          case 'progress':
            hooks.onProgress?.(message.bytesRead);
            break;
          case 'done':
            finish(() => resolve(message.summary));
            break;
          case 'error':
            finish(() => reject(deserializeError(message.error)));
            break;
        }
      } catch (error) {
        finish(() => reject(error));
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the import reader thread stopped unexpectedly (exit code ${code})`))));
  });
}
