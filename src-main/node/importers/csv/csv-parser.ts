/**
 * A streaming CSV parser (RFC 4180 plus what exports do in practice): quoted fields with doubled quotes, line
 * breaks inside quotes, CRLF, LF or CR line ends (mixed in one file), `,` `;` or tab delimiters. Text arrives in
 * chunks; records are returned as soon as they are complete. Blank lines are skipped.
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

export type CsvParser = {
  /** Parses `text` appended to what is pending; returns the records completed by it. */
  push(text: string): CsvRecord[];
  /** Flushes the last record at the end of input. Throws `CsvSyntaxError` for an unterminated quote. */
  end(): CsvRecord[];
};

export function createCsvParser(delimiter: string): CsvParser {
  const delim = delimiter.charCodeAt(0);
  let pending = '';
  let line = 1;

  // Parses complete records of buf from pos. Returns where the first incomplete record starts.
  function parse(buf: string, final: boolean, out: CsvRecord[]): number {
    let pos = 0;
    const n = buf.length;
    while (pos < n) {
      const recordStart = pos;
      const recordLine = line;
      let linesInRecord = 0;
      const fields: string[] = [];
      for (;;) {
        if (pos >= n) {
          // Input ended right after a delimiter.
          if (!final) return restart(recordStart, recordLine);
          fields.push('');
          finish(fields, recordLine, out);
          line += linesInRecord;
          return n;
        }
        let c = buf.charCodeAt(pos);
        if (c === QUOTE) {
          let value = '';
          let p = pos + 1;
          for (;;) {
            const q = buf.indexOf('"', p);
            if (q === -1) {
              if (!final) return restart(recordStart, recordLine);
              throw new CsvSyntaxError('a quoted field is not closed before the end of the file', recordLine);
            }
            if (q + 1 >= n && !final) return restart(recordStart, recordLine);
            if (buf.charCodeAt(q + 1) === QUOTE) {
              value += buf.slice(p, q + 1);
              p = q + 2;
              continue;
            }
            value += buf.slice(p, q);
            linesInRecord += countLineBreaks(buf, pos, q);
            pos = q + 1;
            break;
          }
          // Text after the closing quote (e.g. `"$10,000.00" ` or `"a"b`) is kept, as spreadsheets do.
          let p2 = pos;
          while (p2 < n) {
            c = buf.charCodeAt(p2);
            if (c === delim || c === LF || c === CR) break;
            p2++;
          }
          if (p2 >= n && !final) return restart(recordStart, recordLine);
          if (p2 > pos) value += buf.slice(pos, p2);
          pos = p2;
          fields.push(value);
        } else {
          let p = pos;
          while (p < n) {
            c = buf.charCodeAt(p);
            if (c === delim || c === LF || c === CR) break;
            p++;
          }
          if (p >= n && !final) return restart(recordStart, recordLine);
          fields.push(buf.slice(pos, p));
          pos = p;
        }
        if (pos >= n) {
          finish(fields, recordLine, out);
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
        finish(fields, recordLine, out);
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
      return recordStart;
    }
  }

  return {
    push(text) {
      const buf = pending ? pending + text : text;
      const out: CsvRecord[] = [];
      const consumed = parse(buf, false, out);
      pending = consumed < buf.length ? buf.slice(consumed) : '';
      return out;
    },
    end() {
      const out: CsvRecord[] = [];
      if (pending) parse(pending, true, out);
      pending = '';
      return out;
    },
  };
}

function finish(fields: string[], line: number, out: CsvRecord[]): void {
  // A blank line is one empty field: not a record.
  if (fields.length === 1 && fields[0] === '') return;
  out.push({ fields, line });
}

function countLineBreaks(buf: string, from: number, to: number): number {
  let count = 0;
  for (let i = buf.indexOf('\n', from); i !== -1 && i < to; i = buf.indexOf('\n', i + 1)) count++;
  return count;
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
