import { ownText } from '../fields.ts';

/**
 * A streaming CSV parser (RFC 4180 plus what exports do in practice): quoted fields with doubled quotes, line
 * breaks inside quotes, CRLF, LF or CR line ends (mixed in one file), `,` `;` or tab delimiters. Text arrives in
 * chunks; records are returned as soon as they are complete. Blank lines are skipped.
 *
 * Speed: the scanner jumps from one delimiter, quote or line end to the next with `indexOf` (a native search)
 * instead of looking at every character, and remembers the next position of each, so a line of forty fields
 * costs about forty searches; a quoted field is cut out once (its doubled quotes undone in one pass).
 */
export type CsvRecord = {
  fields: string[];
  /** 1-based physical line where the record starts (the header is line 1). */
  line: number;
};

export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
/** A record longer than this is not a bill line: the file is probably not CSV, or a quote is unbalanced. */
const MAX_RECORD_CHARS = 16 * 1024 * 1024;

/** Receives each record as soon as it is complete (its fields array is the record's own). */
export type RecordSink = (fields: string[], line: number) => void;

export type CsvParser = {
  /** Parses `text` appended to what is pending; returns the records completed by it. */
  push(text: string): CsvRecord[];
  /**
   * As `push`, handing each record to `sink` as soon as it is read instead of collecting them (so a record is
   * garbage as soon as the sink is done with it); returns how many there were.
   */
  pushEach(text: string, sink: RecordSink): number;
  /**
   * From the next piece of text on, gives the fields of columns outside `columns` as '' (records keep their
   * number of fields); undefined gives every field again. For a reader that knows which columns its mapper reads:
   * the others would be texts made for nothing (7 of the 40 a line of the import benchmark). Records that start
   * with a quote, or have one inside a plain field, are still read whole.
   */
  readOnly(columns: readonly number[] | undefined): void;
  /** Flushes the last record at the end of input. Throws `CsvSyntaxError` for an unterminated quote. */
  end(): CsvRecord[];
  /** The physical line where the next record starts (after `end`, one past the last line). */
  readonly nextLine: number;
};

/** Distinct quoted fields with doubled quotes remembered undone (see `unescapeQuotes`). */
const MAX_UNESCAPED = 4096;

/** Returned by the record scanner when the buffer ends inside a record (more text is needed). */
const INCOMPLETE = -1;

/** `firstLine`: the physical line number of the text's first line (a part of a file read from its middle). */
export function createCsvParser(delimiter: string, firstLine = 1): CsvParser {
  const delimChar = delimiter[0]!;
  const delim = delimiter.charCodeAt(0);
  let pending = '';
  let line = firstLine;
  // How many fields the last record had: the next one is likely the same (sizes its array once).
  let width = 8;
  // The columns to give (1) or leave empty (0), when the reader said (see `readOnly`); columns past its end are given.
  let wanted: Uint8Array | undefined;

  // The fields of buf[from, to) (which holds no quote or line break), as `buf.slice(from, to).split(delimiter)`
  // gives them, except that the unwanted ones are left empty.
  function cutWanted(buf: string, from: number, to: number, mask: Uint8Array): string[] {
    const fields = new Array<string>(width);
    const known = mask.length;
    let i = 0;
    let p = from;
    for (;;) {
      let q = buf.indexOf(delimChar, p);
      if (q === -1 || q > to) q = to;
      fields[i] = i < known && mask[i] === 0 ? '' : buf.slice(p, q);
      i++;
      if (q === to) break;
      p = q + 1;
    }
    if (fields.length !== i) fields.length = i;
    return fields;
  }

  // Parses complete records of buf from 0. Returns where the first incomplete record starts.
  function parse(buf: string, final: boolean, emit: RecordSink): number {
    const n = buf.length;
    // The next position (≥ the scan position) of a delimiter, LF, CR and quote; n when there is none.
    let nextDelim = -1;
    let nextLf = -1;
    let nextCr = -1;
    let nextQuote = -1;
    let pos = 0;
    while (pos < n) {
      const recordStart = pos;
      const recordLine = line;
      let linesInRecord = 0;
      let fields: string[];
      let count: number;
      // Most records sit on one line, and most of their fields (often all) are not quoted: the fields before the
      // first quote of the line are cut by one native split.
      if (nextLf < pos) nextLf = indexOrEnd(buf, '\n', pos, n);
      if (nextCr < pos) nextCr = indexOrEnd(buf, '\r', pos, n);
      if (nextQuote < pos) nextQuote = indexOrEnd(buf, '"', pos, n);
      const lineEnd = nextLf < nextCr ? nextLf : nextCr;
      if (lineEnd >= n && !final) return restart(recordStart, recordLine);
      if (nextQuote >= lineEnd) {
        if (lineEnd - recordStart > MAX_RECORD_CHARS) {
          throw new CsvSyntaxError('a record is longer than 16 MB; is a quote unbalanced?', recordLine);
        }
        if (lineEnd === pos) fields = [''];
        else if (wanted) fields = cutWanted(buf, pos, lineEnd, wanted);
        else fields = buf.slice(pos, lineEnd).split(delimChar);
        pos = lineEnd;
        if (pos >= n) {
          finish(fields, fields.length, recordLine, emit);
          return n;
        }
        if (buf.charCodeAt(pos) === CR) {
          if (pos + 1 >= n && !final) return restart(recordStart, recordLine);
          pos += buf.charCodeAt(pos + 1) === LF ? 2 : 1;
        } else pos++;
        finish(fields, fields.length, recordLine, emit);
        line++;
        continue;
      }
      if (nextQuote === pos) {
        fields = new Array<string>(width);
        count = 0;
      } else if (buf.charCodeAt(nextQuote - 1) === delim) {
        // The quote opens a field: the fields before it are plain. Split with the delimiter before the quote, whose
        // empty last piece holds the quoted field's place: appending it instead would grow the array (a copy of
        // ≈ 600 bytes a line for a 40-column file whose last field is quoted).
        fields = wanted ? cutWanted(buf, pos, nextQuote, wanted) : buf.slice(pos, nextQuote).split(delimChar);
        count = fields.length - 1;
        pos = nextQuote;
      } else {
        // A quote inside a plain field (kept as text): read the record field by field.
        fields = new Array<string>(width);
        count = 0;
      }
      for (;;) {
        if (pos >= n) {
          // Input ended right after a delimiter.
          if (!final) return restart(recordStart, recordLine);
          fields[count++] = '';
          finish(fields, count, recordLine, emit);
          line += linesInRecord;
          return n;
        }
        let c = buf.charCodeAt(pos);
        if (c === QUOTE) {
          // A quoted field: find its closing quote, skipping doubled quotes.
          let p = pos + 1;
          let doubled = false;
          let q: number;
          for (;;) {
            q = buf.indexOf('"', p);
            if (q === -1) {
              if (!final) return restart(recordStart, recordLine);
              throw new CsvSyntaxError('a quoted field is not closed before the end of the file', recordLine);
            }
            if (q + 1 >= n && !final) return restart(recordStart, recordLine);
            if (buf.charCodeAt(q + 1) === QUOTE) {
              doubled = true;
              p = q + 2;
              continue;
            }
            break;
          }
          let value = buf.slice(pos + 1, q);
          if (doubled) value = unescapeQuotes(value);
          if (nextLf < q) {
            // Line breaks inside the quotes count as physical lines.
            if (nextLf < pos) nextLf = indexOrEnd(buf, '\n', pos, n);
            while (nextLf < q) {
              linesInRecord++;
              nextLf = indexOrEnd(buf, '\n', nextLf + 1, n);
            }
          }
          pos = q + 1;
          // Text after the closing quote (e.g. `"$10,000.00" ` or `"a"b`) is kept, as spreadsheets do.
          if (pos < n) {
            c = buf.charCodeAt(pos);
            if (c !== delim && c !== LF && c !== CR) {
              if (nextDelim < pos) nextDelim = indexOrEnd(buf, delimChar, pos, n);
              if (nextLf < pos) nextLf = indexOrEnd(buf, '\n', pos, n);
              if (nextCr < pos) nextCr = indexOrEnd(buf, '\r', pos, n);
              const end = Math.min(nextDelim, nextLf, nextCr);
              if (end >= n && !final) return restart(recordStart, recordLine);
              value += buf.slice(pos, end);
              pos = end;
            }
          } else if (!final) return restart(recordStart, recordLine);
          fields[count++] = value;
        } else {
          if (nextDelim < pos) nextDelim = indexOrEnd(buf, delimChar, pos, n);
          if (nextLf < pos) nextLf = indexOrEnd(buf, '\n', pos, n);
          if (nextCr < pos) nextCr = indexOrEnd(buf, '\r', pos, n);
          const end = nextDelim < nextLf ? (nextDelim < nextCr ? nextDelim : nextCr) : nextLf < nextCr ? nextLf : nextCr;
          if (end >= n && !final) return restart(recordStart, recordLine);
          fields[count++] = buf.slice(pos, end);
          pos = end;
        }
        if (pos >= n) {
          finish(fields, count, recordLine, emit);
          line += linesInRecord;
          return n;
        }
        c = buf.charCodeAt(pos);
        if (c === delim) {
          pos++;
          continue;
        }
        if (c === CR) {
          if (pos + 1 >= n && !final) return restart(recordStart, recordLine);
          pos += buf.charCodeAt(pos + 1) === LF ? 2 : 1;
        } else {
          pos++;
        }
        finish(fields, count, recordLine, emit);
        line += linesInRecord + 1;
        break;
      }
      if (pos - recordStart > MAX_RECORD_CHARS) {
        throw new CsvSyntaxError('a record is longer than 16 MB; is a quote unbalanced?', recordLine);
      }
    }
    return pos;

    function restart(recordStart: number, recordLine: number): number {
      if (n - recordStart > MAX_RECORD_CHARS) {
        throw new CsvSyntaxError('a record is longer than 16 MB; is a quote unbalanced?', recordLine);
      }
      line = recordLine;
      return recordStart === 0 ? INCOMPLETE : recordStart;
    }
  }

  // Quoted fields with doubled quotes, undone: a JSON tags column repeats a few hundred texts over a million rows,
  // and undoing the quotes anew each time was ≈ 600 bytes of garbage a row (the cache also hands the same text
  // on, whose hash the mapper's own caches then find computed).
  const unescaped = new Map<string, string>();
  function unescapeQuotes(raw: string): string {
    let value = unescaped.get(raw);
    if (value === undefined) {
      // Both copied: the raw text is a slice of the chunk being parsed, and the result of `replaceAll` may be made
      // of slices of it; the cache must not keep the chunk alive.
      value = ownText(raw.replaceAll('""', '"'));
      if (unescaped.size >= MAX_UNESCAPED) unescaped.clear();
      unescaped.set(ownText(raw), value);
    }
    return value;
  }

  function finish(fields: string[], count: number, recordLine: number, emit: RecordSink): void {
    // A blank line is one empty field: not a record.
    if (count === 1 && fields[0] === '') return;
    if (fields.length !== count) fields.length = count;
    width = count;
    emit(fields, recordLine);
  }

  const collect = (out: CsvRecord[]): RecordSink => (fields, recordLine) => out.push({ fields, line: recordLine });
  let count = 0;
  const counting = (sink: RecordSink): RecordSink => (fields, recordLine) => {
    count++;
    sink(fields, recordLine);
  };

  // Parses `text` after the pending text, keeping what is left unfinished as the new pending text.
  function feed(text: string, sink: RecordSink): void {
    let buf = text;
    if (pending) {
      // The record the last piece left unfinished most likely ends at this piece's first line break: only that
      // much is joined to it. Joining the whole piece made V8 copy all of it into a new text at the first search
      // (the whole file copied once more: ≈ 600 bytes of garbage a line).
      const lf = text.indexOf('\n');
      if (lf === -1) buf = pending + text;
      else {
        const head = pending + text.slice(0, lf + 1);
        const consumed = parse(head, false, sink);
        const rest = text.slice(lf + 1);
        // Not finished there (a line break inside quotes): what is left of it is joined to the rest after all.
        if (consumed === head.length) buf = rest;
        else buf = (consumed === INCOMPLETE ? head : head.slice(consumed)) + rest;
      }
    }
    const consumed = parse(buf, false, sink);
    pending = consumed === INCOMPLETE ? buf : consumed < buf.length ? buf.slice(consumed) : '';
  }

  return {
    push(text) {
      const out: CsvRecord[] = [];
      feed(text, collect(out));
      return out;
    },
    pushEach(text, sink) {
      count = 0;
      feed(text, counting(sink));
      return count;
    },
    readOnly(columns) {
      if (!columns) {
        wanted = undefined;
        return;
      }
      const mask = new Uint8Array(Math.max(0, ...columns) + 1);
      for (const c of columns) if (c >= 0) mask[c] = 1;
      wanted = mask;
    },
    end() {
      const out: CsvRecord[] = [];
      if (pending) parse(pending, true, collect(out));
      pending = '';
      return out;
    },
    get nextLine() {
      return line;
    },
  };
}

function indexOrEnd(buf: string, char: string, from: number, n: number): number {
  const i = buf.indexOf(char, from);
  return i === -1 ? n : i;
}

/** Picks the delimiter of a header line: the most frequent of `,` `;` tab outside quotes (comma on a tie). */
export function sniffDelimiter(headerLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}
