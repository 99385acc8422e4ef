// The two halves of an import measured on their own, in one thread each, to see which one limits the pipeline:
// - reader: read, hash, decode, parse, map, pack and compress the original (what the reader thread does);
// - writer: write the packed lines into a new workbook, commit included (what the importing thread does).
// Prints CPU microseconds per line for each. Usage: node bench/import/halves.ts FILE.csv [lines-cap]
// (FILE as made by run.js; the writer half keeps all batches in memory, so use up to ~300,000 lines.)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fixedClock } from '../../src-main/common/time/clock.ts';
import { createLineBatchDictionary, type LineBatch } from '../../src-main/node/importers/line-batch.ts';
import { insertPendingBatch } from '../../src-main/node/workbook/import-batches-repo.ts';
import { createLineWriter } from '../../src-main/node/workbook/import-writer.ts';
import { openWorkbook } from '../../src-main/node/workbook/open-workbook.ts';
import { readAsFocus } from './read-as-focus.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: node bench/import/halves.ts FILE.csv');
const clock = fixedClock(Date.UTC(2026, 10, 24));
const cpu = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

const batches: LineBatch[] = [];
let lines = 0;
const readStart = process.cpuUsage();
const readWall = performance.now();
await readAsFocus(file, (batch) => {
  batches.push(batch);
  lines += batch.count;
});
const readerCpu = cpu(readStart);
const readerWall = (performance.now() - readWall) / 1000;

const path = join(tmpdir(), `tokenhedge-halves-${process.pid}.sqlite`);
const db = openWorkbook(path, { clock });
db.pragma('cache_size = -65536');
db.pragma('temp_store = MEMORY');
const writeStart = process.cpuUsage();
const writeWall = performance.now();
db.exec('BEGIN IMMEDIATE');
const batchId = insertPendingBatch(db, { fileName: 'bench.csv', sizeBytes: 1, format: 'focus', formatVersion: '1.2', importedAtMs: clock.now() });
const writer = createLineWriter(db, batchId);
const dictionary = createLineBatchDictionary();
const results = new Uint8Array(8192);
for (const batch of batches) writer.write(batch, dictionary.apply(batch), results);
db.exec('COMMIT');
db.close();
const writerCpu = cpu(writeStart);
const writerWall = (performance.now() - writeWall) / 1000;
for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });

console.log(
  JSON.stringify(
    {
      lines,
      reader: { seconds: Number(readerWall.toFixed(2)), cpuSeconds: Number(readerCpu.toFixed(2)), cpuMicrosPerLine: Number(((readerCpu * 1e6) / lines).toFixed(2)) },
      writer: { seconds: Number(writerWall.toFixed(2)), cpuSeconds: Number(writerCpu.toFixed(2)), cpuMicrosPerLine: Number(((writerCpu * 1e6) / lines).toFixed(2)) },
    },
    null,
    2,
  ),
);
