import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { DomainError } from '../../../common/errors.ts';
import { createCsvParser, sniffDelimiter } from '../csv/csv-parser.ts';
import { detectEncoding } from '../csv/text-decoding.ts';
import { tableFromJsonLines, tableFromJsonText } from './json-source.ts';
import { cleanHeaderName, type ContainerKind, type LoadedTable } from './table.ts';
import { tableFromXlsx } from './xlsx-reader.ts';
import { readZip } from './zip-reader.ts';

/** JSON, JSON lines, ZIP and XLSX files are read whole; delimited text is streamed and has no such limit. */
export const MAX_WHOLE_FILE_BYTES = 512 * 1024 * 1024;

/** What kind of container a file is, from its first bytes (never from its name). */
export function sniffContainer(path: string): ContainerKind {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(64 * 1024);
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return sniffContainerOfBytes(head.subarray(0, n));
}

export function sniffContainerOfBytes(head: Buffer): ContainerKind {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) {
    return head.includes('xl/') || head.includes('[Content_Types].xml') ? 'xlsx' : 'zip';
  }
  const { encoding, bomLength } = detectEncoding(head);
  const text = new TextDecoder(encoding).decode(head.subarray(bomLength));
  const start = text.search(/\S/);
  if (start < 0) return 'text';
  const first = text[start];
  if (first === '[') return 'json';
  if (first === '{') {
    const lineEnd = text.indexOf('\n', start);
    if (lineEnd > 0) {
      const firstLine = text.slice(start, lineEnd).trim();
      const rest = text.slice(lineEnd).trimStart();
      if (rest.startsWith('{') && firstLine.endsWith('}')) {
        try {
          JSON.parse(firstLine);
          return 'jsonl';
        } catch {
          // one object spread over lines: plain JSON
        }
      }
    }
    return 'json';
  }
  return 'text';
}

/** Decodes a whole text buffer (BOM, UTF-16 sniffing as for streamed files). */
export function decodeText(bytes: Buffer): string {
  const { encoding, bomLength } = detectEncoding(bytes);
  return new TextDecoder(encoding).decode(bytes.subarray(bomLength));
}

/** Parses delimited text held in memory (a CSV inside a ZIP) into a table. */
export function tableFromDelimitedText(text: string, entry: string): LoadedTable {
  const firstBreak = text.search(/\r|\n/);
  const parser = createCsvParser(sniffDelimiter(firstBreak < 0 ? text : text.slice(0, firstBreak)));
  const all = [...parser.push(text), ...parser.end()];
  if (all.length === 0) throw new DomainError('invalid-input', `${entry || 'the file'} is empty: no header row`);
  const header = all[0]!.fields.map((f, i) => cleanHeaderName(f, i === 0));
  const records = all.slice(1).map((r, i) => ({ fields: r.fields, row: i + 1, line: r.line, ...(entry ? { ref: `${entry}:${i + 1}` } : {}) }));
  return { entry, kind: 'text', header, records };
}

/** Loads the tables of a file that is not streamed: JSON, JSON lines, ZIP of CSV files, XLSX. */
export function loadTables(path: string, kind: Exclude<ContainerKind, 'text'>, sizeBytes: number): { tables: LoadedTable[]; bytes: Buffer } {
  if (sizeBytes > MAX_WHOLE_FILE_BYTES) {
    throw new DomainError('invalid-input', `a ${kind.toUpperCase()} file over 512 MB cannot be read; export it as CSV instead`);
  }
  const bytes = readFileSync(path);
  switch (kind) {
    case 'json':
      return { tables: [tableFromJsonText(decodeText(bytes))], bytes };
    case 'jsonl':
      return { tables: [tableFromJsonLines(decodeText(bytes))], bytes };
    case 'xlsx':
      return { tables: [tableFromXlsx(readZip(bytes))], bytes };
    case 'zip': {
      const entries = readZip(bytes).filter((e) => !/(^|\/)(__MACOSX|\.)/.test(e.name));
      const tables: LoadedTable[] = [];
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const lower = e.name.toLowerCase();
        if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt')) tables.push(tableFromDelimitedText(decodeText(e.data), e.name));
        else if (lower.endsWith('.json')) tables.push(tableFromJsonText(decodeText(e.data), e.name));
      }
      if (tables.length === 0) throw new DomainError('invalid-input', 'the ZIP archive holds no CSV or JSON file');
      return { tables, bytes };
    }
  }
}
