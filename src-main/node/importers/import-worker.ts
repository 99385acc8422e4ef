import { parentPort } from 'node:worker_threads';
import { planSplit } from './csv/split-plan.ts';
import { produceDelimited, type FilePart } from './delimited-producer.ts';
import { serializeError, type FromImportWorker, type ToImportWorker, type WireFilePart } from './import-worker-protocol.ts';
import type { ProducerShared, TableSetup } from './row-producer.ts';

/**
 * Entry of a thread that reads large delimited files for `importFile`, one after the other (or one part of a very
 * large file, while a second such thread reads the other part): it parses, maps and packs the rows and compresses
 * the original, while the importing thread writes the batches it sends into the workbook. At most `inflight`
 * batches are unacknowledged at a time, so neither thread's memory grows with the file. The second thread of a
 * file cut in two first looks for the cut (`plan`).
 */
const port = parentPort!;
let credits = 0;
const waiting: (() => void)[] = [];
let onSetup: ((setup: TableSetup) => void) | undefined;
// The end of a first part whose cut was still being looked for when reading began (see `WireFilePart`).
let onCut: ((end: number | undefined) => void) | undefined;

port.on('message', (message: ToImportWorker) => {
  switch (message.type) {
    case 'read':
      void read(message.path, message.shared, message.inflight, message.part);
      break;
    case 'ack':
      credits++;
      waiting.shift()?.();
      break;
    case 'setup':
      onSetup?.(message.setup);
      break;
    case 'cut':
      onCut?.(message.end);
      break;
    case 'plan':
      planSplit(message.path, message.sizeBytes).then(
        (plan) => post({ type: 'planned', plan }),
        (error: unknown) => post({ type: 'error', error: serializeError(error) }),
      );
      break;
  }
});

const post = (message: FromImportWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

async function read(path: string, shared: ProducerShared, inflight: number, wirePart: WireFilePart | undefined): Promise<void> {
  credits = inflight;
  waiting.length = 0;
  let part: FilePart | undefined = wirePart as FilePart | undefined;
  if (wirePart?.kind === 'first' && typeof wirePart.end === 'object') {
    const end = new Promise<number | undefined>((resolve) => (onCut = resolve));
    part = { ...wirePart, end: { readTo: wirePart.end.readTo, end } };
  }
  try {
    const summary = await produceDelimited(path, shared, {
      onHeader: (header, samples, delimiter) =>
        new Promise<TableSetup>((resolve) => {
          onSetup = resolve;
          post({ type: 'header', header, samples, delimiter });
        }),
      onBatch: (batch, transfer, original) => {
        const joined = joinForTransfer(original);
        post({ type: 'batch', batch, original: joined ? [joined] : [] }, joined ? [...transfer, joined.buffer as ArrayBuffer] : transfer);
        if (--credits > 0) return undefined;
        return new Promise<void>((resolve) => waiting.push(resolve));
      },
      onProgress: (bytesRead) => post({ type: 'progress', bytesRead }),
    }, part);
    post({ type: 'done', summary });
  } catch (error) {
    post({ type: 'error', error: serializeError(error) });
  }
}

/**
 * The compressed pieces of the original made since the last batch, joined into one buffer of their own to be moved
 * to the importing thread. Each piece is a view into the compressor's 1 MB output buffer, and a message copies the
 * whole buffer of a view it carries (the receiving thread gets a copy of its own): the ≈ 9 pieces of one buffer
 * travel in ≈ 4 messages, so the 67 MB compressed original of the benchmark file crossed as ≈ 270 MB.
 */
function joinForTransfer(pieces: readonly Buffer[]): Buffer | undefined {
  if (pieces.length === 0) return undefined;
  let size = 0;
  for (const piece of pieces) size += piece.length;
  // Not from Node's shared pool of small buffers: the whole ArrayBuffer is handed over.
  const joined = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const piece of pieces) at += piece.copy(joined, at);
  return joined;
}
