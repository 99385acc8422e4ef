import { readDelimitedFile, type LaterPart, type PendingEnd } from './csv/read-delimited-file.ts';
import type { LineBatch } from './line-batch.ts';
import { createCompressor, csvLine } from './original-file.ts';
import { createRowProducer, redactFields, type ProducerShared, type ProducerTally, type TableSetup } from './row-producer.ts';

/** How the reading of a delimited file talks to the importing thread (directly, or through worker messages). */
export type DelimitedHooks = {
  signal?: AbortSignal | undefined;
  /** The header and the first rows: returns how to read the table (the importing thread decides, seeing the workbook). */
  onHeader(header: string[], samples: string[][], delimiter: string): TableSetup | Promise<TableSetup>;
  /**
   * A batch of lines (`null` at the end, for the last pieces of the stored original) and the compressed pieces
   * of the original file made since the last call. Reading waits for a returned promise (back-pressure).
   * `part`: which part of a file read in two parts the batch comes from (its own text dictionary and original).
   */
  onBatch(batch: LineBatch | null, transfer: ArrayBuffer[], original: Buffer[], part?: 0 | 1): void | Promise<void>;
  onProgress?(bytesRead: number): void;
};

/**
 * One of the two parts of a file cut in two (see `split-plan.ts`), each read by a thread of its own. Both share one
 * filter of the natural keys seen (`bloom`, shared memory), so a line repeated across the parts brings its key
 * material like any repeat. The first part's end may still be being looked for when its reading starts.
 */
export type FilePart =
  | { kind: 'first'; end: number | PendingEnd; bloom: SharedArrayBuffer }
  | { kind: 'later'; later: LaterPart; setup: TableSetup; rowOffset: number; bloom: SharedArrayBuffer };

export type DelimitedSummary = {
  /** Bytes read from the file. */
  sizeBytes: number;
  /** Data records read, and the physical line after the last (to check a cut; see `FilePart`). */
  records: number;
  nextLine: number;
  tally: ProducerTally;
  /** The stored copy: its size before compression and whether personal data was replaced by hashes. */
  original: { sizeBytes: number; redacted: boolean };
};

/**
 * Reads a delimited text file (streamed, whatever its size): maps its rows into batches of lines and compresses
 * the original (or, when the format names personal-data columns, a copy with those columns hashed). Runs in a
 * worker thread for a large file, in the importing thread otherwise. The file's SHA-256 is not made here: the
 * importing thread makes it meanwhile (`sha256OfFile`), taking that work off the reader, which limits the speed.
 */
export async function produceDelimited(path: string, shared: ProducerShared, hooks: DelimitedHooks, part?: FilePart): Promise<DelimitedSummary> {
  const producer = createRowProducer(shared, part?.bloom);
  const rowOffset = part?.kind === 'later' ? part.rowOffset : 0;
  let redact: readonly number[] = [];
  let columnsRead: readonly number[] | undefined;
  let delimiter = ',';
  let storedSize = 0;
  let redactedText = '';
  const compressed: Buffer[] = [];
  let compressor: ReturnType<typeof createCompressor> | undefined;
  const send = async (all: boolean): Promise<void> => {
    for (const { batch, transfer } of producer.take(all)) {
      const waiting = hooks.onBatch(batch, transfer, compressed.splice(0, compressed.length));
      if (waiting) await waiting;
    }
  };
  const beginTable = async (header: string[], setup: TableSetup, withHeaderLine: boolean): Promise<void> => {
    const mapper = producer.beginTable(header, setup);
    redact = mapper.personalColumns ?? [];
    columnsRead = mapper.columnsRead;
    compressor = createCompressor((chunk) => compressed.push(chunk));
    if (redact.length > 0 && withHeaderLine) {
      const line = Buffer.from(csvLine(header, delimiter));
      storedSize += line.length;
      await compressor.write(line);
    }
  };
  try {
    if (part?.kind === 'later') {
      delimiter = part.later.delimiter;
      await beginTable(part.later.header, part.setup, false);
    }
    const read = await readDelimitedFile(path, {
      signal: hooks.signal,
      hashFile: false,
      onProgress: hooks.onProgress,
      // A copy with personal data hashed is made from all the fields.
      columnsToRead: () => (redact.length === 0 ? columnsRead : undefined),
      end: part?.kind === 'first' ? part.end : undefined,
      laterPart: part?.kind === 'later' ? part.later : undefined,
      onHeader: async (info, samples) => {
        delimiter = info.delimiter;
        const setup = await hooks.onHeader(info.header, samples.map((s) => s.fields), info.delimiter);
        await beginTable(info.header, setup, true);
      },
      onChunk: (chunk) => {
        if (redact.length > 0 || !compressor) return undefined;
        storedSize += chunk.length;
        return compressor.write(chunk);
      },
      onRecord: (fields, line) => {
        producer.record(fields, rowOffset + producer.read + 1, line);
        if (redact.length > 0) redactedText += csvLine(redactFields(fields, redact), delimiter);
      },
      afterChunk: async () => {
        if (redactedText) {
          const bytes = Buffer.from(redactedText);
          redactedText = '';
          storedSize += bytes.length;
          await compressor!.write(bytes);
        }
        await send(false);
      },
    });
    await send(true);
    await compressor?.end();
    compressor = undefined;
    const waiting = hooks.onBatch(null, [], compressed.splice(0, compressed.length));
    if (waiting) await waiting;
    return {
      sizeBytes: read.sizeBytes,
      records: read.records,
      nextLine: read.nextLine,
      tally: producer.tally(),
      original: { sizeBytes: storedSize, redacted: redact.length > 0 },
    };
  } finally {
    compressor?.destroy();
  }
}
