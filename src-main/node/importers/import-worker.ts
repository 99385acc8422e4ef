import { parentPort, workerData } from 'node:worker_threads';
import { produceDelimited } from './delimited-producer.ts';
import { serializeError, type ImportWorkerData, type ToImportWorker, type FromImportWorker } from './import-worker-protocol.ts';
import type { TableSetup } from './row-producer.ts';

/**
 * Entry of the thread that reads a large delimited file for `importFile`: it parses, maps and packs the rows and
 * compresses the original, while the importing thread writes the batches it sends into the workbook. At most
 * `inflight` batches are unacknowledged at a time, so neither thread's memory grows with the file.
 */
const { path, shared, inflight } = workerData as ImportWorkerData;
const port = parentPort!;
let credits = inflight;
const waiting: (() => void)[] = [];
let onSetup: ((setup: TableSetup) => void) | undefined;

port.on('message', (message: ToImportWorker) => {
  if (message.type === 'ack') {
    credits++;
    waiting.shift()?.();
  } else if (message.type === 'setup') onSetup?.(message.setup);
});

const post = (message: FromImportWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

// No top-level await: the Electron build bundles this worker as CommonJS.
async function main(): Promise<void> {
  try {
    const summary = await produceDelimited(path, shared, {
      onHeader: (header, samples, delimiter) =>
        new Promise<TableSetup>((resolve) => {
          onSetup = resolve;
          post({ type: 'header', header, samples, delimiter });
        }),
      onBatch: (batch, transfer, original) => {
        post({ type: 'batch', batch, original }, transfer);
        if (--credits > 0) return undefined;
        return new Promise<void>((resolve) => waiting.push(resolve));
      },
      onProgress: (bytesRead) => post({ type: 'progress', bytesRead }),
    });
    post({ type: 'done', summary });
  } catch (error) {
    post({ type: 'error', error: serializeError(error) });
  }
}

void main();
