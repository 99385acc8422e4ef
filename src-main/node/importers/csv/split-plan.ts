import { open } from 'node:fs/promises';
import { sniffDelimiter } from './csv-parser.ts';
import { detectEncoding } from './text-decoding.ts';

/**
 * Where a large delimited file can be cut so that two threads read about one half each: the start of the first
 * record that begins after `cutAfter` (a little after the middle of the file), with how many data records and
 * physical lines come before it (the second thread numbers its rows and lines from there). Found by scanning the
 * first part's bytes the way `createCsvParser` reads them (a quote opens a field only at its start; doubled quotes
 * inside; text after a closing quote and quotes inside plain fields are literal; line breaks inside quotes belong
 * to the field; blank lines are not records). The first thread checks the figures when it reaches the cut: if
 * they differ, the file is read again in one thread (`SplitReadMismatch`), so an odd file is never read wrongly,
 * only more slowly.
 */
export type SplitPlan = {
  /** Byte offset of the second part (the first byte after a line break ending a record). */
  offset: number;
  /** Data records (the header not counted) before the offset. */
  records: number;
  /** The physical line number (1-based) at the offset. */
  nextLine: number;
  delimiter: ',' | ';' | '\t';
};

const READ_BYTES = 1 << 20;
/** Scanned as Latin-1 text 64 KiB at a time (see `TEXT_BYTES` in read-delimited-file.ts: larger texts search slowly). */
const TEXT_BYTES = 64 * 1024;
/** A record longer than this: give up cutting (the reader will say what is wrong with the file). */
const MAX_RECORD_CHARS = 16 * 1024 * 1024;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * The first part's share of the file. A little more than half: the second thread first looks for the cut (it
 * starts reading ≈ 1 s after the first on the 2-core benchmark machine), and with the cut at the middle the first
 * thread finished 0.7–0.9 s before the second, while two threads read 1 % of the benchmark file in ≈ 0.16 s.
 */
const FIRST_PART_SHARE = 0.525;

/**
 * Where the cut of a file of `sizeBytes` is looked for: a plan's offset is always after this offset, so the first
 * part's reader can read up to it while the plan is being made.
 */
export function cutAfter(sizeBytes: number): number {
  return Math.floor(sizeBytes * FIRST_PART_SHARE);
}

/**
 * The plan for a UTF-8 (or ASCII) file of `sizeBytes`, or undefined when it cannot be cut (another encoding —
 * whose quotes and line breaks are not single bytes — no record end after `cutAfter`, no data before it).
 */
export async function planSplit(path: string, sizeBytes: number): Promise<SplitPlan | undefined> {
  const target = cutAfter(sizeBytes);
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    const first = await file.read(buffer, 0, READ_BYTES, 0);
    if (first.bytesRead === 0 || detectEncoding(buffer.subarray(0, first.bytesRead)).encoding !== 'utf-8') return undefined;
    // The delimiter as the reader will sniff it, from the first line (the header).
    const head = buffer.toString('latin1', 0, first.bytesRead);
    const firstBreak = head.search(/\r|\n/);
    if (firstBreak === -1) return undefined;
    const delimiter = sniffDelimiter(head.slice(0, firstBreak));
    // The reader drops a byte-order mark at the start.
    let base = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    const scanner = createRecordScanner(delimiter, target, base);
    let bytesRead = first.bytesRead;
    let chunkStart = 0;
    for (;;) {
      for (let at = base - chunkStart; at < bytesRead; at += TEXT_BYTES) {
        const end = Math.min(bytesRead, at + TEXT_BYTES);
        const cut = scanner.push(buffer.toString('latin1', at, end), chunkStart + end >= sizeBytes);
        if (cut === GIVE_UP) return undefined;
        if (cut) return cut.offset < sizeBytes ? { ...cut, delimiter } : undefined;
      }
      chunkStart += bytesRead;
      base = chunkStart;
      if (chunkStart >= sizeBytes) return undefined;
      ({ bytesRead } = await file.read(buffer, 0, READ_BYTES, chunkStart));
      if (bytesRead === 0) return undefined;
    }
  } finally {
    await file.close();
  }
}

const GIVE_UP = 'give up';

type Cut = { offset: number; records: number; nextLine: number };

/**
 * Reads records from text pieces, keeping only counts: returns the cut (offset, records and line after the first
 * record end past `target`) once found, `GIVE_UP`, or undefined for more text. Jumps from quote to line break with
 * `indexOf`, as the parser does; a record cut by the end of a piece is scanned again with the next piece. Exported
 * for its tests.
 */
export function createRecordScanner(delimiter: string, target: number, startAt: number) {
  const delim = delimiter.charCodeAt(0);
  let pending = '';
  // Offset in the file of the pending text's first character (in bytes: Latin-1 keeps one character per byte).
  let pendingAt = startAt;
  let records = 0;
  let line = 1;
  return {
    // The whole piece joined to an unfinished record, unlike `createCsvParser`, which joins only the piece's first
    // line (V8 copies the joined text): here, once per file, that copy costs ≈ 15 ms of the ≈ 250 ms scan.
    push: (piece: string, final: boolean): Cut | typeof GIVE_UP | undefined => scan(pending ? pending + piece : piece, final),
  };

  function scan(text: string, final: boolean): Cut | typeof GIVE_UP | undefined {
    const n = text.length;
    let nextQuote = -1;
    let nextLf = -1;
    let nextCr = -1;
    let pos = 0;
    // Where the first record not yet complete starts.
    let done = 0;
    const find = (char: string, from: number): number => {
      const i = text.indexOf(char, from);
      return i === -1 ? n : i;
    };
    records: while (pos < n) {
      const recordStart = pos;
      let innerLines = 0;
      for (;;) {
        if (nextQuote < pos) nextQuote = find('"', pos);
        if (nextLf < pos) nextLf = find('\n', pos);
        if (nextCr < pos) nextCr = find('\r', pos);
        const lineEnd = nextLf < nextCr ? nextLf : nextCr;
        if (nextQuote < lineEnd) {
          const q = nextQuote;
          // A quote opens a field only at its start; elsewhere it is a character of the field.
          if (q !== recordStart && text.charCodeAt(q - 1) !== delim) {
            pos = q + 1;
            continue;
          }
          let close = q + 1;
          for (;;) {
            close = text.indexOf('"', close);
            if (close === -1 || close + 1 >= n) {
              if (final && close !== -1) break;
              break records; // the record goes on in the next piece (or the file ends inside quotes)
            }
            if (text.charCodeAt(close + 1) !== QUOTE) break;
            close += 2;
          }
          while (nextLf < close) {
            innerLines++;
            nextLf = find('\n', nextLf + 1);
          }
          pos = close + 1;
          continue;
        }
        if (lineEnd >= n) break records;
        let next = lineEnd + 1;
        if (text.charCodeAt(lineEnd) === CR) {
          if (next >= n && !final) break records; // an LF may follow in the next piece
          if (text.charCodeAt(next) === LF) next++;
        }
        const blank =
          lineEnd === recordStart ||
          (lineEnd === recordStart + 2 && text.charCodeAt(recordStart) === QUOTE && text.charCodeAt(recordStart + 1) === QUOTE);
        if (!blank) records++;
        line += 1 + innerLines;
        pos = done = next;
        if (pendingAt + pos > target && records > 1) return { offset: pendingAt + pos, records: records - 1, nextLine: line };
        break;
      }
    }
    if (n - done > MAX_RECORD_CHARS) return GIVE_UP;
    pending = done < n ? text.slice(done) : '';
    pendingAt += done;
    return undefined;
  }
}
