import { Worker } from 'node:worker_threads';
import { DomainError, type ErrorCode } from '../../common/errors.ts';
import { CsvSyntaxError } from './csv/csv-parser.ts';
import { cutAfter, type SplitPlan } from './csv/split-plan.ts';
import type { DelimitedHooks, DelimitedSummary, FilePart } from './delimited-producer.ts';
import type { LineBatch } from './line-batch.ts';
import { mergeTallies, sharedKeyFilter, type ProducerShared, type TableSetup } from './row-producer.ts';

/**
 * A `FilePart` as sent to a reader thread: a first part whose end is still being looked for says how far it may
 * read meanwhile (`readTo`); its end follows in a `cut` message (undefined: the file could not be cut, read it all).
 */
export type WireFilePart = Exclude<FilePart, { kind: 'first' }> | { kind: 'first'; end: number | { readTo: number }; bloom: SharedArrayBuffer };

/** The messages between `importFile` and the thread that reads a large delimited file (`import-worker.ts`). */
export type ToImportWorker =
  | { type: 'read'; path: string; shared: ProducerShared; inflight: number; part: WireFilePart | undefined }
  | { type: 'plan'; path: string; sizeBytes: number }
  | { type: 'cut'; end: number | undefined }
  | { type: 'setup'; setup: TableSetup }
  | { type: 'ack' };

export type FromImportWorker =
  | { type: 'planned'; plan: SplitPlan | undefined }
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

const YOUNG_GENERATION_MB = 6;

/** Batches a worker may send before the importing thread has written them. */
const INFLIGHT_BATCHES = 3;

/**
 * The worker script: the TypeScript source when running from source (CLI, tests, serve mode), the bundled
 * `import-worker.js` beside the bundle in the Electron build (an entry of electron.vite.config.ts).
 */
const WORKER_SCRIPT = new URL(import.meta.url.endsWith('.ts') ? './import-worker.ts' : './import-worker.js', import.meta.url);

/**
 * The two parts of a file cut in two did not meet where the plan said (an odd file: see `split-plan.ts`): the file
 * must be read again in one thread.
 */
export class SplitReadMismatch extends Error {}

/** From this size a delimited file is read by two threads, one part each (when it can be cut; see `planSplit`). */
export const SPLIT_THRESHOLD_BYTES = 64 * 1024 * 1024;

/** Reader threads that imports can share, one file after the other (a job of many files starts them once). */
export type ImportReaders = {
  /**
   * Reads a delimited file in reader threads, calling `hooks` in this thread as `produceDelimited` would: the
   * header (this thread answers with the setup), each batch (written here; each reader reads ahead at most three
   * batches), progress. With `split`, a file that can be cut is read in two parts by two threads at once (the
   * batches say which part they come from); the summary is the whole file's. A cancel (`hooks.signal`) stops the
   * threads at once and rejects with `cancelled`; rejects with `SplitReadMismatch` when the parts did not meet.
   * `split` may also be the cut to use instead of the one `planSplit` finds (tests of a wrong cut).
   */
  produce(path: string, shared: ProducerShared, hooks: DelimitedHooks, split?: boolean | SplitPlan): Promise<DelimitedSummary>;
  /** Stops the reader threads (a later `produce` starts new ones). */
  close(): void;
};

/**
 * Reader threads being stopped, in any `ImportReaders`: a new thread starts only once they have stopped (starting a
 * worker while another terminates can crash Node: nodejs/node#56312, seen here as a rare SIGSEGV in the tests).
 */
let terminations: Promise<unknown> = Promise.resolve();

export function createImportReaders(): ImportReaders {
  const threads: (Worker | undefined)[] = [undefined, undefined];
  let busy = false;
  const stop = (): void => {
    for (let i = 0; i < threads.length; i++) {
      const stopping = threads[i]?.terminate();
      if (stopping) terminations = Promise.all([terminations, stopping.catch(() => undefined)]);
      threads[i] = undefined;
    }
  };
  // A small young generation (6 MB): measured on the million-line benchmark, 4–8 MB read as fast as 32 MB (16 MB
  // and more were slower with two readers: the collector's work no longer fits the processor's caches) and keep
  // the two readers' memory ≈ 100 MB lower.
  const thread = (part: 0 | 1): Worker => (threads[part] ??= new Worker(WORKER_SCRIPT, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }));
  return {
    async produce(path, shared, hooks, split = false) {
      if (busy) throw new Error('the import reader threads are already reading a file');
      busy = true;
      try {
        await terminations;
        if (split === false) return await readParts(path, shared, hooks, undefined);
        // The second thread looks for the cut, then reads the part after it; the first reads its part meanwhile,
        // up to where the cut is looked for (it is always after that: see `cutAfter`), and this one writes.
        return await readParts(path, shared, hooks, split === true ? planIn(thread(1), path, shared.sizeBytes) : split);
      } finally {
        busy = false;
      }
    },
    close: stop,
  };

  /** Has the thread look for the cut of a file (see `planSplit`). */
  function planIn(t: Worker, path: string, sizeBytes: number): Promise<SplitPlan | undefined> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromImportWorker): void => {
        if (message.type === 'planned') settle(() => resolve(message.plan));
        else if (message.type === 'error') settle(() => reject(deserializeError(message.error)));
      };
      const onError = (error: Error): void => settle(() => reject(error));
      const onExit = (code: number): void => settle(() => reject(new Error(`the import reader thread stopped unexpectedly (exit code ${code})`)));
      const settle = (then: () => void): void => {
        t.off('message', onMessage);
        t.off('error', onError);
        t.off('exit', onExit);
        then();
      };
      t.on('message', onMessage);
      t.on('error', onError);
      t.on('exit', onExit);
      t.ref();
      t.postMessage({ type: 'plan', path, sizeBytes } satisfies ToImportWorker);
    });
  }

  /**
   * Reads the file in one thread (`planned` undefined) or in two parts: `planned` is the cut, or the search for it
   * (which may find none: the first thread then reads the whole file).
   */
  function readParts(
    path: string,
    shared: ProducerShared,
    hooks: DelimitedHooks,
    planned: SplitPlan | Promise<SplitPlan | undefined> | undefined,
  ): Promise<DelimitedSummary> {
    return new Promise<DelimitedSummary>((resolve, reject) => {
      const bloom = planned ? sharedKeyFilter(shared.sizeBytes) : undefined;
      // The cut once known (undefined until then, and when the file is read in one thread).
      let plan: SplitPlan | undefined = planned instanceof Promise ? undefined : planned;
      // The first part's header and setup, once the first thread has read it (the second part needs both).
      let headerRead: { header: string[]; delimiter: string; setup: TableSetup } | undefined;
      const startLaterPart = (): void => {
        if (!plan || !headerRead) return;
        const { header, delimiter, setup } = headerRead;
        headerRead = undefined;
        // The plan counted with the delimiter sniffed from the same header line; another one means it is wrong.
        if (delimiter !== plan.delimiter) throw new SplitReadMismatch('the reader found another delimiter than the plan');
        const later = { start: plan.offset, firstLine: plan.nextLine, header, delimiter: plan.delimiter };
        start(1, { kind: 'later', later, setup, rowOffset: plan.records, bloom: bloom! });
      };
      const summaries: (DelimitedSummary | undefined)[] = [undefined, undefined];
      const bytesRead = [0, 0];
      const detach: (() => void)[] = [];
      let running = 0;
      let settled = false;
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        hooks.signal?.removeEventListener('abort', onAbort);
        for (const off of detach) off();
        // A thread still reading (or one this thread failed to answer) cannot be reused.
        if (running > 0) stop();
        else for (const t of threads) t?.unref();
        settle();
      };
      const fail = (error: unknown): void => finish(() => reject(error));
      const onAbort = (): void => fail(new DomainError('cancelled', 'Import cancelled'));
      const doneAll = (): void => {
        const [first, later] = summaries;
        if (!first || (plan && !later)) return;
        if (!plan || !later) return finish(() => resolve(first));
        if (first.records !== plan.records || first.nextLine !== plan.nextLine) {
          return fail(new SplitReadMismatch(`the first part ended at record ${first.records}, line ${first.nextLine}; the plan said ${plan.records}, ${plan.nextLine}`));
        }
        finish(() =>
          resolve({
            sizeBytes: first.sizeBytes + later.sizeBytes,
            records: first.records + later.records,
            nextLine: later.nextLine,
            tally: mergeTallies(first.tally, later.tally),
            original: { sizeBytes: first.original.sizeBytes + later.original.sizeBytes, redacted: first.original.redacted },
          }),
        );
      };

      const start = (part: 0 | 1, filePart: WireFilePart | undefined): void => {
        const t = thread(part);
        t.ref();
        running++;
        const send = (message: ToImportWorker): void => t.postMessage(message);
        const onMessage = (message: FromImportWorker): void => {
          if (settled) return;
          try {
            switch (message.type) {
              case 'header': {
                const setup = hooks.onHeader(message.header, message.samples, message.delimiter);
                if (setup instanceof Promise) throw new Error('the header hook of a threaded import must answer at once');
                send({ type: 'setup', setup });
                if (part === 0 && planned) {
                  headerRead = { header: message.header, delimiter: message.delimiter, setup };
                  startLaterPart();
                }
                break;
              }
              case 'batch': {
                const waiting = hooks.onBatch(message.batch, [], message.original, part);
                if (waiting) throw new Error('the batch hook of a threaded import must write at once');
                send({ type: 'ack' });
                break;
              }
              case 'progress':
                bytesRead[part] = message.bytesRead;
                hooks.onProgress?.(bytesRead[0]! + bytesRead[1]!);
                break;
              case 'done':
                running--;
                summaries[part] = message.summary;
                doneAll();
                break;
              case 'error': {
                running--;
                const error = deserializeError(message.error);
                // A syntax error in a part may come from a wrong cut: reading the file in one thread tells.
                fail(plan && error instanceof CsvSyntaxError ? new SplitReadMismatch(error.message) : error);
                break;
              }
            }
          } catch (error) {
            fail(error);
          }
        };
        const onError = (error: Error): void => fail(error);
        const onExit = (code: number): void => fail(new Error(`the import reader thread stopped unexpectedly (exit code ${code})`));
        t.on('message', onMessage);
        t.on('error', onError);
        t.on('exit', onExit);
        detach.push(() => {
          t.off('message', onMessage);
          t.off('error', onError);
          t.off('exit', onExit);
        });
        send({ type: 'read', path, shared, inflight: INFLIGHT_BATCHES, part: filePart });
      };

      // Handled before anything can settle the read (a cancel), so that a failed search is never left unhandled.
      if (planned instanceof Promise) {
        planned.then(
          (found) => {
            if (settled) return;
            plan = found;
            threads[0]?.postMessage({ type: 'cut', end: found?.offset } satisfies ToImportWorker);
            try {
              startLaterPart();
            } catch (error) {
              fail(error);
            }
          },
          (error: unknown) => fail(error),
        );
      }
      if (hooks.signal?.aborted) return onAbort();
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      if (!planned) return start(0, undefined);
      if (!(planned instanceof Promise)) return start(0, { kind: 'first', end: planned.offset, bloom: bloom! });
      start(0, { kind: 'first', end: { readTo: cutAfter(shared.sizeBytes) }, bloom: bloom! });
    });
  }
}

/** Reads one delimited file in reader threads of its own (see `ImportReaders.produce`). */
export async function produceDelimitedInWorker(
  path: string,
  shared: ProducerShared,
  hooks: DelimitedHooks,
  split: boolean | SplitPlan = false,
): Promise<DelimitedSummary> {
  const readers = createImportReaders();
  try {
    return await readers.produce(path, shared, hooks, split);
  } finally {
    readers.close();
  }
}
