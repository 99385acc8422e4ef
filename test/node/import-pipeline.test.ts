import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IsoMonth } from '../../src-main/common/time/iso-date.ts';
import { decimalToMicros } from '../../src-main/common/money/micros.ts';
import { parseDecimal } from '../../src-main/common/money/decimal.ts';
import { writeDemoFiles } from '../../src-main/node/demo/write-demo-files.ts';
import { createChunkDecoder } from '../../src-main/node/importers/csv/read-delimited-file.ts';
import { createCsvParser } from '../../src-main/node/importers/csv/csv-parser.ts';
import { createRecordScanner, cutAfter, planSplit } from '../../src-main/node/importers/csv/split-plan.ts';
import { plainDecimalMicros } from '../../src-main/node/importers/fields.ts';
import { importFile, type ImportOptions, type ImportReport } from '../../src-main/node/importers/import-file.ts';
import { createImportReaders, SplitReadMismatch } from '../../src-main/node/importers/import-worker-protocol.ts';
import { decompress } from '../../src-main/node/importers/original-file.ts';
import { sniffContainer } from '../../src-main/node/importers/sources/load-tables.ts';
import { readOriginalChunks, volumeProviders } from '../../src-main/node/workbook/import-writer.ts';
import { openWorkbook, type Database } from '../../src-main/node/workbook/open-workbook.ts';
import { seededRandom } from '../../src-main/node/demo/random.ts';
import { testClock } from '../support/clock.ts';
import { FIXTURES, NODE22, ROOT } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const options: ImportOptions = { clock: testClock, actor: 'tester' };
const workbook = (): Database => openWorkbook(join(tempDir(), 'wb.sqlite'), { clock: testClock });

/** Every delimited text file under `dir` (the fixtures the format tests use). */
function textFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return textFiles(path);
    return /\.(csv|txt|tsv)$/i.test(name) && sniffContainer(path) === 'text' ? [path] : [];
  });
}

/**
 * Lines without their ids and keys, and apart the keys in order. Two reader threads write a file's lines
 * interleaved: other ids, and of identical lines in both parts, the one written first takes the first key.
 */
const linesAndKeys = (rows: unknown[]) => ({
  lines: rows.map((r) => ({ ...(r as Record<string, unknown>), line_id: undefined, natural_key: undefined })),
  keys: rows.map((r) => (r as { natural_key: Buffer }).natural_key.toString('hex')).sort(),
});

/** Everything an import leaves in the workbook, in a comparable form. */
function contents(db: Database) {
  return {
    lines: linesAndKeys(db.prepare('SELECT * FROM usage_lines ORDER BY batch_id, source_row, natural_key').all()),
    superseded: linesAndKeys(db.prepare('SELECT * FROM usage_lines_superseded ORDER BY superseded_by, batch_id, source_row, natural_key').all()),
    batches: db.prepare('SELECT batch_id, file_name, file_sha256, format, rows_read, rows_imported, rows_duplicate, rows_skipped, rows_rejected, report_json, state, superseded_by FROM import_batches ORDER BY batch_id').all(),
    scopes: db.prepare('SELECT * FROM import_scopes ORDER BY batch_id, scope, period_start_ms').all(),
    rejections: db.prepare('SELECT * FROM import_rejections ORDER BY batch_id, source_row').all(),
    originals: (db.prepare('SELECT batch_id FROM import_batches ORDER BY batch_id').pluck().all() as number[]).flatMap((id) =>
      readOriginalChunks(db, id).map((o) => ({ ...o.file, text: decompress(o.streams, o.file.compression).toString('latin1') })),
    ),
  };
}

/**
 * The files imported one after the other into a new workbook each way: read in the importing thread, in a reader
 * thread, and (`split`) in two parts by two reader threads whatever their size.
 */
async function importBoth(paths: readonly string[], extra: Partial<ImportOptions> = {}) {
  const results: { reports: ImportReport[]; contents: ReturnType<typeof contents>; laterParts: number }[] = [];
  for (const way of [{ readInWorker: false }, { readInWorker: true, splitRead: false }, { readInWorker: true, splitRead: true }]) {
    const db = workbook();
    const reports: ImportReport[] = [];
    // As a job does: the reader threads serve all the files.
    const readers = createImportReaders();
    for (const path of paths) reports.push(await importFile(db, { path, name: basename(path) }, { ...options, ...extra, ...way, readers }));
    readers.close();
    // Files whose second part was stored: read in two parts indeed (not read again in one thread).
    const laterParts = db.prepare('SELECT count(DISTINCT batch_id) FROM import_file_chunks WHERE seq >= 1000000000').pluck().get() as number;
    results.push({ reports, contents: contents(db), laterParts });
    db.close();
  }
  return { inThread: results[0]!, inWorker: results[1]!, split: results[2]! };
}

describe('reading a CSV in a worker thread', () => {
  it('imports exactly the same lines, reports and stored originals as reading it in the importing thread, for every CSV fixture', async () => {
    const paths = textFiles(FIXTURES);
    expect(paths.length).toBeGreaterThanOrEqual(30);
    // One workbook per way, the files imported one after the other (so duplicates and restatements count too).
    const { inThread, inWorker, split } = await importBoth(paths);
    expect(inThread.reports.filter((r) => r.status === 'imported').length).toBeGreaterThanOrEqual(25);
    expect(inWorker.reports).toEqual(inThread.reports);
    expect(inWorker.contents).toEqual(inThread.contents);
    expect(split.reports).toEqual(inThread.reports);
    expect(split.contents).toEqual(inThread.contents);
  });

  it('imports exactly the same lines as the importing thread for the demo organisation’s files', async () => {
    const demo = writeDemoFiles(tempDir(), { seed: 11, endMonth: '2026-10' as IsoMonth });
    const { inThread, inWorker, split } = await importBoth(demo.files.map((f) => f.path));
    expect(inThread.reports.every((r) => r.status === 'imported')).toBe(true);
    expect(inThread.contents.lines.lines.length).toBeGreaterThan(10_000);
    expect(inWorker.reports).toEqual(inThread.reports);
    expect(inWorker.contents).toEqual(inThread.contents);
    expect(split.reports).toEqual(inThread.reports);
    expect(split.contents).toEqual(inThread.contents);
    expect(split.laterParts).toBe(inThread.reports.filter((r) => r.fileName.endsWith('.csv')).length);
  });

  const focusHeader = 'BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ConsumedQuantity,ConsumedUnit,ProviderName,ServiceCategory,SkuMeter,SubAccountName';
  /** A token line of day `1 + day` of October 2026. */
  const focusRow = (i: number, day = i % 28) =>
    `${(i % 97) / 100},USD,Usage,2026-10-${String(1 + day).padStart(2, '0')}T00:00:00Z,,${1000 + i},Tokens,OpenAI,AI and Machine Learning,gpt-4o Input Tokens,p${i % 13}`;

  it('keeps identical rows far apart in one file as separate lines, and counts them as duplicates in an overlapping file', async () => {
    // 9,000 distinct rows, then the first 100 again (two batches later): 9,100 lines.
    const rows = Array.from({ length: 9_000 }, (_, i) => focusRow(i));
    const first = join(tempDir(), 'first.csv');
    writeFileSync(first, [focusHeader, ...rows, ...rows.slice(0, 100)].join('\n'));
    // An overlapping export of the first half of the month only (so it does not replace the first): the rows of
    // those days among 8,000–8,999, the rows of those days among 0–99 twice (as in the first file), 500 new rows.
    const firstHalf = (i: number) => i % 28 < 14;
    const again = [...rows.keys()].filter((i) => i >= 8_000 && firstHalf(i));
    const twice = [...rows.keys()].filter((i) => i < 100 && firstHalf(i));
    const fresh = Array.from({ length: 500 }, (_, k) => focusRow(20_000 + k, k % 14));
    const second = join(tempDir(), 'second.csv');
    writeFileSync(second, [focusHeader, ...[...again, ...twice, ...twice].map((i) => rows[i]!), ...fresh].join('\n'));
    const { inThread, inWorker, split } = await importBoth([first, second]);
    expect(inWorker.reports[0]!.counts).toMatchObject({ read: 9_100, imported: 9_100, duplicate: 0 });
    const repeated = again.length + 2 * twice.length;
    expect(inWorker.reports[1]!.counts).toMatchObject({ read: repeated + 500, imported: 500, duplicate: repeated });
    expect(inWorker.reports[1]!.replacedBatches).toEqual([]);
    expect(inWorker.contents.lines.lines).toHaveLength(9_600);
    expect(inWorker.contents).toEqual(inThread.contents);
    // Read in two parts, the first file's repeated rows are in the other part from their first copies.
    expect(split.laterParts).toBe(2);
    expect(split.reports).toEqual(inThread.reports);
    expect(split.contents).toEqual(inThread.contents);
  });

  it('keeps every line of a newer export that repeats identical rows when it replaces the older one', async () => {
    const rows = Array.from({ length: 9_000 }, (_, i) => focusRow(i));
    const first = join(tempDir(), 'first.csv');
    writeFileSync(first, [focusHeader, ...rows, ...rows.slice(0, 100)].join('\n'));
    // The newer export of the same accounts and month: 1,000 of the rows, the first 100 twice, 500 new rows.
    const second = join(tempDir(), 'second.csv');
    writeFileSync(second, [focusHeader, ...rows.slice(8_000), ...rows.slice(0, 100), ...rows.slice(0, 100), ...Array.from({ length: 500 }, (_, k) => focusRow(20_000 + k))].join('\n'));
    const { inThread, inWorker, split } = await importBoth([first, second]);
    expect(inWorker.reports[1]!.replacedBatches.map((b) => b.lines)).toEqual([9_100]);
    expect(inWorker.reports[1]!.counts).toMatchObject({ read: 1_700, imported: 1_700, duplicate: 0 });
    expect(inWorker.contents.lines.lines).toHaveLength(1_700);
    expect(inWorker.contents).toEqual(inThread.contents);
    expect(split.reports).toEqual(inThread.reports);
    expect(split.contents).toEqual(inThread.contents);
  });

  it('adds nothing of a file read in a worker thread when the import is cancelled part-way, and reads the next file afresh', async () => {
    const db = workbook();
    const readers = createImportReaders();
    const header = 'BilledCost,BillingCurrency,ChargePeriodStart,ConsumedQuantity,ConsumedUnit,ProviderName,ServiceCategory,SkuMeter';
    const path = join(tempDir(), 'big.csv');
    writeFileSync(path, [header, ...Array.from({ length: 100_000 }, (_, i) => `0.${i % 100},USD,2026-10-01,${i},Tokens,OpenAI,AI and Machine Learning,gpt-4o Output Tokens ${i}`)].join('\n'));
    const controller = new AbortController();
    const report = await importFile(db, { path, name: 'big.csv' }, {
      ...options,
      readInWorker: true,
      readers,
      signal: controller.signal,
      onProgress: (fraction) => {
        if (fraction > 0.2) controller.abort();
      },
    });
    expect(report.status).toBe('cancelled');
    expect(report.message).toMatch(/^big\.csv: import cancelled after \d+ rows; nothing was added/);
    const left = db.prepare('SELECT (SELECT count(*) FROM usage_lines) + (SELECT count(*) FROM import_batches) + (SELECT count(*) FROM import_file_chunks)').pluck().get();
    expect(left).toBe(0);
    expect(db.inTransaction).toBe(false);
    const next = await importFile(db, { path: join(FIXTURES, 'formats', 'azure-openai-ea.csv'), name: 'next.csv' }, { ...options, readInWorker: true, readers });
    readers.close();
    expect(next.status, next.message).toBe('imported');
  });

  it('cancels a file read in two parts while the second thread is still looking for the cut, and can read again', async () => {
    const header = 'BilledCost,BillingCurrency,ChargePeriodStart,ConsumedQuantity,ConsumedUnit,ProviderName,ServiceCategory,SkuMeter';
    const path = join(tempDir(), 'two-parts.csv');
    writeFileSync(path, [header, ...Array.from({ length: 50_000 }, (_, i) => `0.${i % 100},USD,2026-10-01,${i},Tokens,OpenAI,AI and Machine Learning,gpt-4o Output Tokens ${i}`)].join('\n'));
    const readers = createImportReaders();
    const controller = new AbortController();
    controller.abort();
    const shared = { fileName: 'two-parts.csv', sizeBytes: statSync(path).size, modelAliases: [], costCentreRules: [], fxRates: [], baseCurrency: 'USD' };
    const hooks = { signal: controller.signal, onHeader: () => { throw new Error('nothing should be read'); }, onBatch: () => undefined };
    await expect(readers.produce(path, shared, hooks, true)).rejects.toThrow(/cancelled/);
    // Stopping the threads ends the search for the cut with an error nobody waits for any more: it must not be an
    // unhandled rejection (vitest fails the run on one).
    readers.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const db = workbook();
    const report = await importFile(db, { path, name: 'two-parts.csv' }, { ...options, readInWorker: true, splitRead: true });
    expect([report.status, report.counts.imported]).toEqual(['imported', 50_000]);
    expect(db.prepare('SELECT count(*) FROM import_file_chunks WHERE seq >= 1000000000').pluck().get()).toBeGreaterThan(0);
  });

  it('fails with the same message in either thread for a file cut inside a quoted field', async () => {
    const path = join(tempDir(), 'cut.csv');
    const header = 'BilledCost,BillingCurrency,ChargePeriodStart,ServiceCategory,Tags';
    writeFileSync(path, [header, ...Array.from({ length: 50_000 }, (_, i) => `1.5,USD,2026-10-01,AI and Machine Learning,"{""n"": ${i}}"`), '2,USD,2026-10-02,AI and Machine Learning,"{""cut']. join('\n'));
    const { inThread, inWorker, split } = await importBoth([path]);
    expect(inThread.reports[0]!.status).toBe('failed');
    expect(inThread.reports[0]!.message).toMatch(/^cut\.csv line 50002: a quoted field is not closed/);
    expect(inWorker.reports).toEqual(inThread.reports);
    expect(inWorker.contents.batches).toEqual([]);
    expect(split.reports).toEqual(inThread.reports);
    expect(split.contents.batches).toEqual([]);
  });
});

describe('the fast paths of reading', () => {
  it('decodes UTF-8 chunk by chunk exactly as a streaming TextDecoder, whatever mix of ASCII, multi-byte, invalid bytes and marks', () => {
    const random = seededRandom(42);
    const pieces = [Buffer.from('plain,ascii,1.5\n'), Buffer.from('模型,¥,€\n'), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff]), Buffer.from([0xe6, 0xa8]), Buffer.from([0x80, 0x80]), Buffer.from('😀')];
    for (let round = 0; round < 500; round++) {
      const parts: Buffer[] = [];
      for (let i = 0; i < 1 + Math.floor(random() * 12); i++) parts.push(pieces[Math.floor(random() * pieces.length)]!);
      const bytes = Buffer.concat(parts);
      const expected = new TextDecoder('utf-8').decode(bytes);
      const decoder = createChunkDecoder('utf-8');
      let text = '';
      for (let at = 0; at < bytes.length; ) {
        const next = Math.min(bytes.length, at + 1 + Math.floor(random() * 9));
        text += decoder.decode(bytes.subarray(at, next));
        at = next;
      }
      text += decoder.end();
      expect(text, `case ${round}: ${bytes.toString('hex')}`).toBe(expected);
    }
  });

  it('reads a plain decimal to the same micros as the exact decimal path', () => {
    const random = seededRandom(7);
    const cases = ['0', '-0', '0.000000', '-0.0000005', '12', '12.5', '-12.345678', '999999999.999999', '1234567890.5', '0.0000015', '5.', '.5', '+3', '1e3', '00.10', '-', ''];
    for (let i = 0; i < 5_000; i++) {
      const whole = String(Math.floor(random() * 10 ** Math.floor(random() * 11)));
      const fraction = String(Math.floor(random() * 10 ** 9)).padStart(9, '0').slice(0, Math.floor(random() * 9));
      cases.push(`${random() < 0.3 ? '-' : ''}${whole}${fraction || random() < 0.5 ? `.${fraction}` : ''}`);
    }
    for (const text of cases) {
      const fast = plainDecimalMicros(text);
      if (fast === undefined) continue;
      const exact = parseDecimal(text);
      expect(exact, text).toBeDefined();
      expect(fast, text).toBe(decimalToMicros(exact!));
      expect(Object.is(fast, -0), text).toBe(false);
    }
    expect(plainDecimalMicros('12.345678')).toBe(12_345_678);
    expect(plainDecimalMicros('0.0000001')).toBeUndefined();
    expect(plainDecimalMicros('1234567890')).toBeUndefined();
  });

  it('parses CSV exactly as a character-by-character reading does, for 2,000 random texts cut at random places', () => {
    const random = seededRandom(99);
    const atoms = ['a', 'bc', '1.5', '', ' ', '"q"', '"x,y"', '"say ""hi"""', '"two\nlines"', '"a"b', 'x"y', '"', '\r\n', '\n', '\r', ',', ',', ',', '\n'];
    for (let round = 0; round < 2_000; round++) {
      let text = '';
      for (let i = 0; i < 1 + Math.floor(random() * 40); i++) text += atoms[Math.floor(random() * atoms.length)];
      let expected: ReturnType<typeof referenceParse> | string;
      try {
        expected = referenceParse(text);
      } catch (error) {
        expected = (error as Error).message;
      }
      const parser = createCsvParser(',');
      let got: { fields: string[]; line: number }[] | string = [];
      try {
        for (let at = 0; at < text.length; ) {
          const next = Math.min(text.length, at + 1 + Math.floor(random() * 7));
          got.push(...parser.push(text.slice(at, next)));
          at = next;
        }
        got.push(...parser.end());
      } catch (error) {
        got = (error as Error).message;
      }
      expect(got, JSON.stringify(text)).toEqual(expected);
    }
  });
});

describe('cutting a large CSV in two parts for two reader threads', () => {
  it('finds the same cut however the text comes in pieces (a large file is scanned 64 KiB at a time)', () => {
    const random = seededRandom(7);
    const atoms = ['a', 'bc', '"q"', '"x,y"', '"say ""hi"""', '"two\nlines"', '"\r\n"', '"a"b', 'x"y', '\r\n', '\n', '\r', ',', ',', '\n', '\n\n'];
    let found = 0;
    for (let round = 0; round < 2_000; round++) {
      let text = 'h1,h2\n';
      for (let i = 0; i < 2 + Math.floor(random() * 60); i++) text += atoms[Math.floor(random() * atoms.length)];
      const target = Math.floor(random() * text.length);
      const whole = createRecordScanner(',', target, 0).push(text, true);
      const scanner = createRecordScanner(',', target, 0);
      let inPieces: ReturnType<typeof scanner.push>;
      for (let at = 0; at < text.length; ) {
        const next = Math.min(text.length, at + 1 + Math.floor(random() * 9));
        inPieces = scanner.push(text.slice(at, next), next === text.length);
        at = next;
        if (inPieces) break;
      }
      expect(inPieces!, JSON.stringify(text)).toEqual(whole);
      if (whole && typeof whole === 'object') found++;
    }
    expect(found).toBeGreaterThan(500);
  });

  it('cuts 3,000 random CSV texts only between records, with the records and lines before the cut the parser counts', async () => {
    const random = seededRandom(2026);
    const atoms = ['a', 'bc', '1.5', '', ' ', '"q"', '"x,y"', '"say ""hi"""', '"two\nlines"', '"\r\n"', '""', '"a"b', 'x"y', '"', '\r\n', '\n', '\r', ',', ',', ',', '\n', '\n\n'];
    const path = join(tempDir(), 'cut.csv');
    let cut = 0;
    for (let round = 0; round < 3_000; round++) {
      let text = random() < 0.2 ? '\uFEFF' : '';
      for (let i = 0; i < 2 + Math.floor(random() * 60); i++) text += atoms[Math.floor(random() * atoms.length)];
      const bytes = Buffer.from(text);
      writeFileSync(path, bytes);
      const plan = await planSplit(path, bytes.length);
      if (!plan) continue;
      cut++;
      const body = text.replace(/^\uFEFF/, '');
      const offset = plan.offset - (bytes.length - Buffer.byteLength(body));
      const parse = (t: string, firstLine?: number) => {
        try {
          return referenceParse(t, firstLine);
        } catch (error) {
          return (error as Error).message;
        }
      };
      const first = parse(body.slice(0, offset));
      const later = parse(body.slice(offset), plan.nextLine);
      const whole = parse(body);
      const label = JSON.stringify(text);
      // After the offset the first thread reads up to while the cut is being found.
      expect(plan.offset, label).toBeGreaterThan(cutAfter(bytes.length));
      expect(typeof first, label).not.toBe('string');
      // The two parts read on their own give the file's records, numbered as in the file.
      expect(typeof later === 'string' ? later : [...(first as object[]), ...later], label).toEqual(whole);
      expect(plan.records, label).toBe((first as object[]).length - 1);
    }
    expect(cut).toBeGreaterThan(1_000);
  });

  it('reads a file in one thread instead when the parts do not meet where the cut said, and imports the same', async () => {
    const header = 'BilledCost,BillingCurrency,ChargePeriodStart,ConsumedQuantity,ConsumedUnit,ProviderName,ServiceCategory,SkuMeter,Tags';
    const path = join(tempDir(), 'tags.csv');
    // Tags with line breaks inside quotes: a cut at a line start that is not a record start reads garbage.
    const row = (i: number) =>
      `0.${(i % 90) + 10},USD,2026-10-${String(1 + (i % 28)).padStart(2, '0')},${i},Tokens,OpenAI,AI and Machine Learning,gpt-4o Input Tokens,"team: t${i % 7}\nowner: o${i}"`;
    writeFileSync(path, [header, ...Array.from({ length: 4_000 }, (_, i) => row(i))].join('\n'));
    const sizeBytes = statSync(path).size;
    const good = await planSplit(path, sizeBytes);
    expect(good).toBeDefined();
    // One line later: inside a quoted field (at its second line).
    const inside = { ...good!, offset: good!.offset + readFileSync(path).subarray(good!.offset).indexOf('\n') + 1 };
    const readers = createImportReaders();
    const shared = { fileName: 'tags.csv', sizeBytes, modelAliases: [], costCentreRules: [], fxRates: [], baseCurrency: 'USD' };
    const hooks = {
      onHeader: () => ({ format: 'focus', context: { fileName: 'tags.csv', style: { decimalMark: '.' as const, dateOrder: 'mdy' as const }, container: 'text' as const }, entry: '' }),
      onBatch: () => undefined,
    };
    await expect(readers.produce(path, shared, hooks, inside)).rejects.toThrow(SplitReadMismatch);
    readers.close();

    const imported = [];
    for (const splitRead of [false, inside]) {
      const db = workbook();
      const report = await importFile(db, { path, name: 'tags.csv' }, { ...options, readInWorker: true, splitRead });
      expect(report.status, report.message).toBe('imported');
      imported.push({ report, contents: contents(db) });
      db.close();
    }
    expect(imported[1]!.report.counts).toMatchObject({ read: 4_000, imported: 4_000 });
    expect(imported[1]).toEqual(imported[0]);
  });
});

/**
 * The CSV rules read one character at a time (the reference the fast parser must match): quoted fields with
 * doubled quotes and line breaks; text after a closing quote kept; a quote inside a plain field kept as text;
 * CRLF, LF or CR ends; blank lines skipped; records numbered by the physical line they start on.
 */
function referenceParse(text: string, firstLine = 1): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  let i = 0;
  let line = firstLine;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new Error('a quoted field is not closed before the end of the file');
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (text[i] === '\n') line++;
          value += text[i++];
        }
      }
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
      fields.push(value);
      if (text[i] === ',') {
        i++;
        if (i >= text.length) {
          fields.push('');
          break;
        }
        continue;
      }
      if (text[i] === '\r') i += text[i + 1] === '\n' ? 2 : 1;
      else if (text[i] === '\n') i++;
      if (i <= text.length) line++;
      break;
    }
    if (!(fields.length === 1 && fields[0] === '')) out.push({ fields, line: start });
  }
  return out;
}

void readFileSync;

describe('reconciling volume and cost sources after an import', () => {
  const volumeJson = () =>
    JSON.stringify([{ start_time: 1759276800, end_time: 1759363200, results: [{ object: 'organization.usage.completions.result', input_tokens: 1_534_392, output_tokens: 0, model: 'gpt-4o-2024-08-06' }] }]);
  const volumeLine = (db: Database) => db.prepare("SELECT tokens, tokens_source FROM usage_lines WHERE measure = 'volume'").get();

  it('still shadows the volume lines of a workbook written before the list of volume providers existed', async () => {
    const db = workbook();
    const usage = join(tempDir(), 'usage.json');
    writeFileSync(usage, volumeJson());
    await importFile(db, { path: usage, name: 'usage.json' }, options);
    expect(volumeProviders(db)).toEqual(new Set(['openai']));
    // As an older workbook: no list kept.
    db.prepare("DELETE FROM settings WHERE key = 'volume_providers'").run();
    await importFile(db, { path: join(FIXTURES, 'formats', 'openai-cost-dashboard.csv'), name: 'cost.csv' }, options);
    expect(volumeLine(db)).toEqual({ tokens: 0, tokens_source: 1_534_392 });
    expect(volumeProviders(db)).toEqual(new Set(['openai']));
  });

  it('keeps no provider in the list for a workbook of cost lines only', async () => {
    const db = workbook();
    await importFile(db, { path: join(FIXTURES, 'formats', 'openai-cost-dashboard.csv'), name: 'cost.csv' }, options);
    await importFile(db, { path: join(FIXTURES, 'formats', 'azure-openai-ea.csv'), name: 'azure.csv' }, options);
    expect(volumeProviders(db)).toEqual(new Set());
  });
});

describe('importing from the command line', () => {
  it('reports progress on stderr and rolls the file back when interrupted with Ctrl-C', async () => {
    const dir = tempDir();
    const workbook = join(dir, 'cli.sqlite');
    const path = join(dir, 'big.csv');
    const header = 'BilledCost,BillingCurrency,ChargePeriodStart,ConsumedQuantity,ConsumedUnit,ProviderName,ServiceCategory,SkuMeter,SubAccountName';
    writeFileSync(path, [header, ...Array.from({ length: 400_000 }, (_, i) => `0.${i % 100},USD,2026-10-01,${i},Tokens,OpenAI,AI and Machine Learning,gpt-4o Output Tokens,project-${i}`)].join('\n'));
    const child = spawn(NODE22, ['src-main/node/cli/main.ts', 'import', '--progress', '--workbook', workbook, path], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/^\s*\d+% Importing big\.csv/m.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    expect(stderr).toMatch(/^\s*\d+% Importing big\.csv \(1 of 1\)$/m);
    expect(code, stderr).toBe(130);
    expect(stdout).toMatch(/^big\.csv: import cancelled after \d+ rows; nothing was added\.$/m);
    const db = openWorkbook(workbook, { clock: testClock });
    const left = db.prepare('SELECT (SELECT count(*) FROM usage_lines) + (SELECT count(*) FROM import_batches) + (SELECT count(*) FROM import_file_chunks)').pluck().get();
    db.close();
    expect(left).toBe(0);
  });
});
