import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { DomainError } from '../../../common/errors.ts';
import { createCsvParser, sniffDelimiter, type CsvParser, type CsvRecord } from './csv-parser.ts';
import { detectEncoding, type TextEncoding } from './text-decoding.ts';

export type DelimitedFileInfo = {
  encoding: TextEncoding;
  delimiter: ',' | ';' | '\t';
  header: string[];
};

export type ReadResult = DelimitedFileInfo & { sha256: string; sizeBytes: number; records: number };

export type ReadHandlers = {
  /**
   * Called once with the header and the first data records (up to 200, for content-based detection; they are
   * delivered again through `onRecords`); may throw to stop reading (e.g. an unrecognised format).
   */
  onHeader(info: DelimitedFileInfo, samples: readonly CsvRecord[]): void;
  /** Each raw chunk of the file, after the header was seen (for keeping a compressed copy). */
  onChunk?(chunk: Buffer): void;
  /** Called with each batch of data records, in order. Runs synchronously so a batch is written in one go. */
  onRecords(records: CsvRecord[]): void;
  onProgress?(bytesRead: number): void;
  signal?: AbortSignal;
};

const CHUNK_BYTES = 1 << 20;

/**
 * Streams a delimited text file (CSV, semicolon CSV, tab-separated UTF-16 from Excel) through `handlers`,
 * hashing the raw bytes on the way. Memory stays bounded by the chunk size, whatever the file size.
 */
export async function readDelimitedFile(path: string, handlers: ReadHandlers): Promise<ReadResult> {
  const hash = createHash('sha256');
  let decoder: TextDecoder | undefined;
  let parser: CsvParser | undefined;
  let info: DelimitedFileInfo | undefined;
  let headText = '';
  let bytes = 0;
  let records = 0;
  let infoEncoding: TextEncoding | undefined;
  let infoDelimiter: ',' | ';' | '\t' | undefined;
  const earlyChunks: Buffer[] = [];

  const deliver = (batch: CsvRecord[]): void => {
    if (batch.length === 0) return;
    let start = 0;
    if (!info) {
      const first = batch[0]!;
      const header = first.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
      info = { encoding: infoEncoding!, delimiter: infoDelimiter!, header };
      handlers.onHeader(info, batch.slice(1, 201));
      start = 1;
    }
    const data = start === 0 ? batch : batch.slice(start);
    records += data.length;
    if (data.length > 0) handlers.onRecords(data);
  };

  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (handlers.signal?.aborted) throw new DomainError('cancelled', 'Import cancelled');
      hash.update(chunk);
      bytes += chunk.length;
      if (!decoder) {
        const detected = detectEncoding(chunk);
        infoEncoding = detected.encoding;
        decoder = new TextDecoder(detected.encoding, { fatal: false });
      }
      const text = decoder.decode(chunk, { stream: true });
      if (!parser) {
        headText += text;
        const firstBreak = headText.search(/\r|\n/);
        if (firstBreak === -1 && headText.length < CHUNK_BYTES * 4) {
          earlyChunks.push(chunk);
          continue;
        }
        infoDelimiter = sniffDelimiter(firstBreak === -1 ? headText : headText.slice(0, firstBreak));
        parser = createCsvParser(infoDelimiter);
        deliver(parser.push(headText));
        headText = '';
        for (const early of earlyChunks) handlers.onChunk?.(early);
        earlyChunks.length = 0;
        handlers.onChunk?.(chunk);
      } else {
        deliver(parser.push(text));
        handlers.onChunk?.(chunk);
      }
      handlers.onProgress?.(bytes);
    }
    const tail = decoder ? decoder.decode() : '';
    if (!parser) {
      headText += tail;
      infoEncoding ??= 'utf-8';
      infoDelimiter = sniffDelimiter(headText.split(/\r|\n/)[0] ?? '');
      parser = createCsvParser(infoDelimiter);
      deliver(parser.push(headText));
      for (const early of earlyChunks) handlers.onChunk?.(early);
    } else if (tail) {
      deliver(parser.push(tail));
    }
    deliver(parser.end());
  } finally {
    stream.destroy();
  }
  if (!info) throw new DomainError('invalid-input', 'the file is empty: no header row');
  return { ...info, sha256: hash.digest('hex'), sizeBytes: bytes, records };
}

/** Hashes a whole file (for formats that are not read as a stream of rows). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}
