import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCsvParser, CsvSyntaxError, sniffDelimiter, type CsvRecord } from '../../src-main/node/importers/csv/csv-parser.ts';
import { readDelimitedFile } from '../../src-main/node/importers/csv/read-delimited-file.ts';
import { detectEncoding } from '../../src-main/node/importers/csv/text-decoding.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();

function parseAll(text: string, delimiter = ',', chunks: string[] = [text]): CsvRecord[] {
  const parser = createCsvParser(delimiter);
  return [...chunks.flatMap((c) => parser.push(c)), ...parser.end()];
}

const fields = (records: CsvRecord[]) => records.map((r) => r.fields);

describe('createCsvParser', () => {
  it('reads quoted fields with doubled quotes, delimiters and line breaks inside', () => {
    const text = 'a,b,c\n"x, y","say ""hi""","two\nlines"\n';
    expect(fields(parseAll(text))).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
    ]);
  });

  it('reads CRLF, LF and CR line ends mixed in one file, and skips blank lines', () => {
    expect(fields(parseAll('h1,h2\r\n1,2\n\n3,4\r5,6'))).toEqual([['h1', 'h2'], ['1', '2'], ['3', '4'], ['5', '6']]);
  });

  it('keeps the doubled-quote JSON of FOCUS Tags columns', () => {
    const [record] = parseAll('"{""project"": ""p1""}",x\n');
    expect(record!.fields).toEqual(['{"project": "p1"}', 'x']);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(fields(parseAll('a,,c,\n'))).toEqual([['a', '', 'c', '']]);
  });

  it('gives the same records and line numbers however the text is cut into chunks', () => {
    const text =
      'id,"note",amount\r\n1,"a ""quoted"", multi\r\nline",1.50\r\n2,plain,-0.25\r\n3,"",7\r\n' +
      '4,x,"{""cost-centre"":""R&D""}"\n5,"y ""z""","w"\r"m\nl",q\n6,last,"{""a"":1}"';
    const whole = parseAll(text);
    expect(whole.map((r) => r.line)).toEqual([1, 2, 4, 5, 6, 7, 8, 10]);
    expect(whole[5]!.fields).toEqual(['5', 'y "z"', 'w']);
    expect(whole[6]!.fields).toEqual(['m\nl', 'q']);
    expect(whole[7]!.fields).toEqual(['6', 'last', '{"a":1}']);
    for (let cut = 0; cut <= text.length; cut++) {
      for (let cut2 = cut; cut2 <= text.length; cut2 += 3) {
        expect(parseAll(text, ',', [text.slice(0, cut), text.slice(cut, cut2), text.slice(cut2)])).toEqual(whole);
      }
    }
  });

  it('gives only the columns it is told to read, keeping every record its number of fields', () => {
    const text = 'a,b,c,d\n1,2,3,4\n5,,7,"{""x"":8}"\n"q",10,11,12\n13,14\n15,16,17,18,19\n';
    const parser = createCsvParser(',');
    const header = parser.push(text.slice(0, 8));
    parser.readOnly([1, 3]);
    const rest = [...parser.push(text.slice(8)), ...parser.end()];
    expect(fields([...header, ...rest])).toEqual([
      ['a', 'b', 'c', 'd'],
      ['', '2', '', '4'],
      ['', '', '', '{"x":8}'],
      // A record that starts with a quote is read field by field, whole.
      ['q', '10', '11', '12'],
      ['', '14'],
      // Columns past the last one named are given.
      ['', '16', '', '18', '19'],
    ]);
    parser.readOnly(undefined);
    expect(fields([...parser.push('1,2,3,4\n'), ...parser.end()])).toEqual([['1', '2', '3', '4']]);
  });

  it('reports the physical line where each record starts', () => {
    const records = parseAll('h\n"a\nb"\nc\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('fails with the line of a quote that is never closed', () => {
    expect(() => parseAll('h1,h2\n1,2\n3,"unclosed\n')).toThrow(CsvSyntaxError);
    try {
      parseAll('h1,h2\n1,2\n3,"unclosed\n');
    } catch (error) {
      expect((error as CsvSyntaxError).line).toBe(3);
    }
  });

  it('reads semicolon and tab delimiters', () => {
    expect(fields(parseAll('a;b\n1,5;2\n', ';'))).toEqual([['a', 'b'], ['1,5', '2']]);
    expect(fields(parseAll('a\tb\n1\t2\n', '\t'))).toEqual([['a', 'b'], ['1', '2']]);
  });
});

describe('sniffDelimiter', () => {
  it('picks the delimiter of a header line, ignoring quoted text', () => {
    expect(sniffDelimiter('BilledCost,BillingCurrency,"Tags; JSON"')).toBe(',');
    expect(sniffDelimiter('Datum;Betrag;Währung')).toBe(';');
    expect(sniffDelimiter('date\tbase\tquote\trate')).toBe('\t');
  });
});

describe('detectEncoding', () => {
  it('recognises byte-order marks and BOM-less UTF-16', () => {
    expect(detectEncoding(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(Uint8Array.from([0xff, 0xfe, 0x61, 0]))).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(detectEncoding(Uint8Array.from([0xfe, 0xff, 0, 0x61]))).toEqual({ encoding: 'utf-16be', bomLength: 2 });
    expect(detectEncoding(Buffer.from('date,base,quote,rate\n', 'utf16le')).encoding).toBe('utf-16le');
    expect(detectEncoding(Buffer.from('date,base,quote,rate\n', 'utf8')).encoding).toBe('utf-8');
  });
});

describe('readDelimitedFile', () => {
  const collect = async (path: string) => {
    const rows: string[][] = [];
    let header: string[] = [];
    const result = await readDelimitedFile(path, { onHeader: (info) => (header = info.header), onRecords: (r) => rows.push(...r.map((x) => x.fields)) });
    return { header, rows, result };
  };

  it('reads an Excel "Unicode text" file: UTF-16 LE with BOM, tab-separated, CRLF', async () => {
    const path = join(tempDir(), 'excel.txt');
    const text = 'date\tbase\tquote\trate\r\n2026-10-30\tUSD\tCNY\t7,1234\r\n';
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const { header, rows, result } = await collect(path);
    expect(result.encoding).toBe('utf-16le');
    expect(result.delimiter).toBe('\t');
    expect(header).toEqual(['date', 'base', 'quote', 'rate']);
    expect(rows).toEqual([['2026-10-30', 'USD', 'CNY', '7,1234']]);
  });

  it('strips a UTF-8 byte-order mark from the first header and hashes the raw bytes', async () => {
    const path = join(tempDir(), 'bom.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('BilledCost,Currency\n1,USD\n')]));
    const { header, result } = await collect(path);
    expect(header).toEqual(['BilledCost', 'Currency']);
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.records).toBe(1);
  });

  it('reads a file larger than one chunk with multi-byte characters across chunk edges', async () => {
    const path = join(tempDir(), 'big.csv');
    const lines = ['name,amount'];
    for (let i = 0; i < 60_000; i++) lines.push(`"模型 ${i}, ¥",${i}.5`);
    writeFileSync(path, lines.join('\n'));
    const { rows } = await collect(path);
    expect(rows).toHaveLength(60_000);
    expect(rows[59_999]).toEqual(['模型 59999, ¥', '59999.5']);
  });

  it('reads the first part of a file while its cut is being found: to the middle, then to the cut or to the end', async () => {
    const path = join(tempDir(), 'parts.csv');
    const lines = ['name,amount'];
    for (let i = 0; i < 120_000; i++) lines.push(`"模型 ${i}, ¥",${i}.5`);
    const bytes = Buffer.from(lines.join('\n'));
    writeFileSync(path, bytes);
    const middle = Math.floor(bytes.length / 2);
    // The cut: the start of the first line after the middle (a character is cut by the middle itself, most likely).
    const cut = bytes.indexOf(10, middle) + 1;
    const firstPart = async (end: Parameters<typeof readDelimitedFile>[1]['end']) => {
      const rows: string[][] = [];
      const result = await readDelimitedFile(path, { onHeader: () => undefined, onRecords: (r) => rows.push(...r.map((x) => x.fields)), end });
      return { rows, records: result.records, sizeBytes: result.sizeBytes };
    };
    const later = <T,>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 20));

    const known = await firstPart(cut);
    expect(known.sizeBytes).toBe(cut);
    expect(known.rows.at(-1)).toEqual([`模型 ${known.records - 1}, ¥`, `${known.records - 1}.5`]);
    expect(await firstPart({ readTo: middle, end: later(cut) })).toEqual(known);
    // No cut found: the first thread reads the whole file.
    const whole = await firstPart({ readTo: middle, end: later(undefined) });
    expect(whole).toEqual(await firstPart(undefined));
    expect(whole.records).toBe(120_000);
    // A cut before what was read already cannot be honoured.
    await expect(firstPart({ readTo: middle, end: later(middle - 10) })).rejects.toThrow(/before/);
  });

  it('says the file is empty when there is no header', async () => {
    const path = join(tempDir(), 'empty.csv');
    writeFileSync(path, '');
    await expect(collect(path)).rejects.toThrow(/empty/);
  });
});
