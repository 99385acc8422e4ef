import { Worker } from 'node:worker_threads';
import { DomainError, type ErrorCode } from '../../common/errors.ts';
import { CsvSyntaxError } from './csv/csv-parser.ts';
import type { DelimitedHooks, DelimitedSummary } from './delimited-producer.ts';
import type { LineBatch } from './line-batch.ts';
import type { ProducerShared, TableSetup } from './row-producer.ts';

/** The messages between `importFile` and the thread that reads a large delimited file (`import-worker.ts`). */
export type ToImportWorker =
  | { type: 'read'; path: string; shared: ProducerShared; inflight: number }
  | { type: 'setup'; setup: TableSetup }
  | { type: 'ack' };

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

/** A reader thread that imports can share, one file after the other (a job of many files starts it once). */
export type ImportReaders = {
  /**
   * Reads a delimited file in the reader thread, calling `hooks` in this thread as `produceDelimited` would: the
   * header (this thread answers with the setup), each batch (written here; the reader reads ahead at most three
   * batches), progress. A cancel (`hooks.signal`) stops the thread at once and rejects with `cancelled`.
   */
  produce(path: string, shared: ProducerShared, hooks: DelimitedHooks): Promise<DelimitedSummary>;
  /** Stops the reader thread (a later `produce` starts a new one). */
  close(): void;
};

export function createImportReaders(): ImportReaders {
  let worker: Worker | undefined;
  let busy = false;
  const stop = (): void => {
    void worker?.terminate();
    worker = undefined;
  };
  return {
    produce(path, shared, hooks) {
      if (busy) return Promise.reject(new Error('the import reader thread is already reading a file'));
      // A young generation of 32 MB: a batch in flight dies young instead of being promoted and collected later.
      const thread = (worker ??= new Worker(WORKER_SCRIPT, { resourceLimits: { maxYoungGenerationSizeMb: 32 } }));
      thread.ref();
      busy = true;
      return new Promise<DelimitedSummary>((resolve, reject) => {
        let settled = false;
        const finish = (settle: () => void, healthy: boolean): void => {
          if (settled) return;
          settled = true;
          busy = false;
          hooks.signal?.removeEventListener('abort', onAbort);
          thread.off('message', onMessage);
          thread.off('error', onError);
          thread.off('exit', onExit);
          if (healthy) thread.unref();
          else if (worker === thread) stop();
          settle();
        };
        const onAbort = (): void => finish(() => reject(new DomainError('cancelled', 'Import cancelled')), false);
        const onError = (error: Error): void => finish(() => reject(error), false);
        const onExit = (code: number): void =>
          finish(() => reject(new Error(`the import reader thread stopped unexpectedly (exit code ${code})`)), false);
        const send = (message: ToImportWorker): void => thread.postMessage(message);
        const onMessage = (message: FromImportWorker): void => {
          if (settled) return;
          try {
            switch (message.type) {
              case 'header': {
                const setup = hooks.onHeader(message.header, message.samples, message.delimiter);
                if (setup instanceof Promise) throw new Error('the header hook of a threaded import must answer at once');
                send({ type: 'setup', setup });
                break;
              }
              case 'batch': {
                const waiting = hooks.onBatch(message.batch, [], message.original);
                if (waiting) throw new Error('the batch hook of a threaded import must write at once');
                send({ type: 'ack' });
                break;
              }
              case 'progress':
                hooks.onProgress?.(message.bytesRead);
                break;
              case 'done':
                finish(() => resolve(message.summary), true);
                break;
              case 'error':
                finish(() => reject(deserializeError(message.error)), true);
                break;
            }
          } catch (error) {
            // This thread failed while the reader waits for an answer: the reader cannot be reused.
            finish(() => reject(error), false);
          }
        };
        if (hooks.signal?.aborted) return onAbort();
        hooks.signal?.addEventListener('abort', onAbort, { once: true });
        thread.on('message', onMessage);
        thread.on('error', onError);
        thread.on('exit', onExit);
        send({ type: 'read', path, shared, inflight: INFLIGHT_BATCHES });
      });
    },
    close: stop,
  };
}

/** Reads one delimited file in a reader thread of its own (see `ImportReaders.produce`). */
export async function produceDelimitedInWorker(path: string, shared: ProducerShared, hooks: DelimitedHooks): Promise<DelimitedSummary> {
  const readers = createImportReaders();
  try {
    return await readers.produce(path, shared, hooks);
  } finally {
    readers.close();
  }
}
