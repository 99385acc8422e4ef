import { isAscii } from 'node:buffer';
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

export type ReadResult = DelimitedFileInfo & {
  sha256: string;
  sizeBytes: number;
  records: number;
  /** The physical line after the last record read (where a following part of the file starts). */
  nextLine: number;
};

/**
 * The second part of a file cut in two (see `split-plan.ts`): read from byte `start` to the end, as the rest of
 * a file whose header and delimiter are known; `onHeader` is not called, and line numbers go on from `firstLine`.
 */
export type LaterPart = { start: number; firstLine: number; header: string[]; delimiter: ',' | ';' | '\t' };

/**
 * The end of a first part that is not known yet (the cut is being looked for while the part is read): read up to
 * `readTo`, which the end is never before, then up to `end` once it settles (undefined: to the end of the file).
 */
export type PendingEnd = { readTo: number; end: Promise<number | undefined> };

export type ReadHandlers = {
  /**
   * Called once with the header and the first data records (up to 200, for content-based detection; they are
   * delivered again through `onRecords`); may throw to stop reading (e.g. an unrecognised format).
   * Reading waits for a promise returned by any handler (back-pressure), and stops when it rejects.
   */
  onHeader(info: DelimitedFileInfo, samples: readonly CsvRecord[]): unknown;
  /** Each raw chunk of the file, after the header was seen (for keeping a compressed copy). */
  onChunk?(chunk: Buffer): unknown;
  /** Called with each batch of data records, in order (unless `onRecord` is given). */
  onRecords?(records: CsvRecord[]): unknown;
  /**
   * Called with each data record as soon as it is read (instead of `onRecords`): no array of a chunk's records is
   * built, so a record is garbage as soon as it was handled. `afterChunk` follows each chunk's records.
   */
  onRecord?(fields: string[], line: number): void;
  afterChunk?(): unknown;
  onProgress?(bytesRead: number): void;
  /**
   * After `onHeader` (at the start, for a later part): the columns the records are read for; the parser may give
   * the other fields as '' (see `CsvParser.readOnly`). Undefined: every field.
   */
  columnsToRead?(): readonly number[] | undefined;
  signal?: AbortSignal;
  /** Hash the raw bytes (SHA-256, in `ReadResult.sha256`); default true. False leaves `sha256` empty. */
  hashFile?: boolean;
  /** Read only up to this byte offset (exclusive): the first part of a file cut in two. */
  end?: number | PendingEnd | undefined;
  /** Read the second part of a file cut in two instead of the file from its start. */
  laterPart?: LaterPart | undefined;
};

/** The file is read a megabyte at a time (hashed and compressed in those pieces)… */
const CHUNK_BYTES = 1 << 20;
/**
 * …and decoded and parsed 64 KiB at a time. Text of a larger piece lives in V8's large-object space, where the
 * parser's searches in a piece joined to the previous one's unfinished record became about thirty times slower
 * (measured: 8 s instead of 0.2 s of `indexOf` for 200,000 lines); at 64 KiB they stay in the ordinary heap.
 */
const TEXT_BYTES = 64 * 1024;
/** The header line must end within this many characters. */
const MAX_HEADER_CHARS = 4 << 20;
/** Data records handed over with the header, for content-based detection. */
const SAMPLE_RECORDS = 200;

/**
 * Streams a delimited text file (CSV, semicolon CSV, tab-separated UTF-16 from Excel) through `handlers`,
 * hashing the raw bytes on the way. Memory stays bounded by the chunk size, whatever the file size.
 */
export async function readDelimitedFile(path: string, handlers: ReadHandlers): Promise<ReadResult> {
  const hash = handlers.hashFile === false ? undefined : createHash('sha256');
  let decoder: ChunkDecoder | undefined;
  let parser: CsvParser | undefined;
  let info: DelimitedFileInfo | undefined;
  let headText = '';
  let bytes = 0;
  let records = 0;
  let infoEncoding: TextEncoding | undefined;
  let infoDelimiter: ',' | ';' | '\t' | undefined;
  const earlyChunks: Buffer[] = [];

  const deliver = async (batch: CsvRecord[]): Promise<void> => {
    if (batch.length === 0) return;
    let start = 0;
    if (!info) {
      const first = batch[0]!;
      const header = first.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
      info = { encoding: infoEncoding!, delimiter: infoDelimiter!, header };
      await handlers.onHeader(info, batch.slice(1, SAMPLE_RECORDS + 1));
      // The records already parsed (these samples) keep all their fields.
      parser!.readOnly(handlers.columnsToRead?.());
      start = 1;
    }
    const data = start === 0 ? batch : batch.slice(start);
    records += data.length;
    if (handlers.onRecord) {
      for (const r of data) handlers.onRecord(r.fields, r.line);
      await handlers.afterChunk?.();
    } else if (data.length > 0) await handlers.onRecords?.(data);
  };
  const deliverText = async (text: string): Promise<void> => {
    if (info && handlers.onRecord) {
      records += parser!.pushEach(text, handlers.onRecord);
      await handlers.afterChunk?.();
    } else await deliver(parser!.push(text));
  };
  const chunkDone = async (chunk: Buffer): Promise<void> => {
    const waiting = handlers.onChunk?.(chunk);
    if (waiting) await waiting;
  };

  // Before the header is handed over: the records and raw chunks read so far (the header comes with up to 200
  // sample records, so it waits for them).
  let early: CsvRecord[] = [];
  const handOver = async (): Promise<void> => {
    await deliver(early);
    early = [];
  };
  const readText = async (text: string): Promise<void> => {
    if (info) return deliverText(text);
    if (!parser) {
      headText += text;
      const firstBreak = headText.search(/\r|\n/);
      if (firstBreak === -1 && headText.length < MAX_HEADER_CHARS) return;
      infoDelimiter = sniffDelimiter(firstBreak === -1 ? headText : headText.slice(0, firstBreak));
      parser = createCsvParser(infoDelimiter);
      for (const r of parser.push(headText)) early.push(r);
      headText = '';
    } else {
      for (const r of parser.push(text)) early.push(r);
    }
    if (early.length > SAMPLE_RECORDS) await handOver();
  };
  const chunksDone = async (): Promise<void> => {
    for (const c of earlyChunks) await chunkDone(c);
    earlyChunks.length = 0;
  };

  const later = handlers.laterPart;
  if (later) {
    // The header, delimiter and encoding are the first part's; a byte-order mark can only be at the file's start.
    info = { encoding: 'utf-8', delimiter: later.delimiter, header: later.header };
    decoder = createChunkDecoder('utf-8', false);
    parser = createCsvParser(later.delimiter, later.firstLine);
    parser.readOnly(handlers.columnsToRead?.());
  }
  for await (const chunk of fileChunks(path, later?.start ?? 0, handlers.end)) {
    if (handlers.signal?.aborted) throw new DomainError('cancelled', 'Import cancelled');
    hash?.update(chunk);
    bytes += chunk.length;
    if (!decoder) {
      const detected = detectEncoding(chunk);
      infoEncoding = detected.encoding;
      decoder = createChunkDecoder(detected.encoding);
    }
    for (let at = 0; at < chunk.length; at += TEXT_BYTES) await readText(decoder.decode(chunk.subarray(at, at + TEXT_BYTES)));
    earlyChunks.push(chunk);
    if (info) await chunksDone();
    handlers.onProgress?.(bytes);
  }
  const tail = decoder ? decoder.end() : '';
  if (!parser) {
    headText += tail;
    infoEncoding ??= 'utf-8';
    infoDelimiter = sniffDelimiter(headText.split(/\r|\n/)[0] ?? '');
    parser = createCsvParser(infoDelimiter);
    for (const r of parser.push(headText)) early.push(r);
  } else if (tail) {
    if (info) await deliverText(tail);
    else for (const r of parser.push(tail)) early.push(r);
  }
  const last = parser.end();
  if (info) await deliver(last);
  else {
    for (const r of last) early.push(r);
    await handOver();
  }
  await chunksDone();
  if (!info) throw new DomainError('invalid-input', 'the file is empty: no header row');
  return { ...info, sha256: hash ? hash.digest('hex') : '', sizeBytes: bytes, records, nextLine: parser.nextLine };
}

/** The file's bytes from `start` to `end` (exclusive; undefined: the end of the file), a megabyte at a time. */
async function* fileChunks(path: string, start: number, end: number | PendingEnd | undefined): AsyncGenerator<Buffer> {
  if (typeof end !== 'object') return yield* rangeChunks(path, start, end);
  yield* rangeChunks(path, start, end.readTo);
  const settled = await end.end;
  if (settled !== undefined && settled < end.readTo) throw new Error(`the end of the part (${settled}) is before ${end.readTo}, which was read`);
  yield* rangeChunks(path, end.readTo, settled);
}

async function* rangeChunks(path: string, start: number, end: number | undefined): AsyncGenerator<Buffer> {
  if (end !== undefined && end <= start) return;
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, start, ...(end !== undefined ? { end: end - 1 } : {}) });
  try {
    yield* stream as AsyncIterable<Buffer>;
  } finally {
    stream.destroy();
  }
}

export type ChunkDecoder = { decode(chunk: Buffer): string; end(): string };

/**
 * Decodes a file chunk by chunk, as a streaming `TextDecoder` does (a UTF-8 byte-order mark at the start is
 * dropped, a character cut between two chunks is completed from the next, invalid bytes become U+FFFD). A UTF-8
 * chunk of plain ASCII — nearly every chunk of a bill — is read as Latin-1, which gives the same text about twenty
 * times faster than a UTF-8 decoder.
 */
export function createChunkDecoder(encoding: TextEncoding, fileStart = true): ChunkDecoder {
  if (encoding !== 'utf-8') {
    const decoder = new TextDecoder(encoding, { fatal: false });
    return { decode: (chunk) => decoder.decode(chunk, { stream: true }), end: () => decoder.decode() };
  }
  // The bytes of a character cut at the end of the previous chunk.
  let carry: Buffer | undefined;
  let atStart = fileStart;
  const decode = (bytes: Uint8Array): string => {
    if (bytes.length === 0) return '';
    // Only the file's first bytes can be a byte-order mark: a later U+FEFF is kept.
    const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: !atStart }).decode(bytes);
    atStart = false;
    return text;
  };
  return {
    decode(chunk) {
      let bytes = chunk;
      if (carry) {
        bytes = Buffer.concat([carry, chunk]);
        carry = undefined;
      } else if (isAscii(chunk)) {
        if (chunk.length > 0) atStart = false;
        return chunk.toString('latin1');
      }
      const cut = incompleteTail(bytes);
      if (cut > 0) {
        carry = Buffer.from(bytes.subarray(bytes.length - cut));
        bytes = bytes.subarray(0, bytes.length - cut);
      }
      return decode(bytes);
    },
    end() {
      const rest = carry;
      carry = undefined;
      return rest ? decode(rest) : '';
    },
  };
}

/**
 * How many bytes at the end of `bytes` start a UTF-8 character that the next bytes may complete: a lead byte
 * within the last three, followed only by continuation bytes, and fewer of them than the character needs.
 */
function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!;
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return back < size ? back : 0;
    }
  }
  return 0;
}

/**
 * Hashes a whole file (SHA-256) and counts its bytes. The import of a large delimited file hashes it this way in
 * the importing thread, which waits for the reader thread most of the time, while the reader thread parses.
 */
export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES, signal }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    sizeBytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}
