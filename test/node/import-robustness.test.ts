import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src-main/node/demo/random.ts';
import { importFile } from '../../src-main/node/importers/import-file.ts';
import { openWorkbook } from '../../src-main/node/workbook/open-workbook.ts';
import { testClock } from '../support/clock.ts';
import { FIXTURES, NODE22, ROOT } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const counts = (db: ReturnType<typeof openWorkbook>) =>
  db.prepare('SELECT (SELECT count(*) FROM usage_lines) AS lines, (SELECT count(*) FROM import_batches) AS batches, (SELECT count(*) FROM import_file_chunks) AS chunks').get() as {
    lines: number;
    batches: number;
    chunks: number;
  };

/** Valid files of several formats, small enough to corrupt thousands of times. */
const SEEDS = [
  join(FIXTURES, 'formats', 'azure-openai-ea.csv'),
  join(FIXTURES, 'formats', 'aws-cur2-bedrock.csv'),
  join(FIXTURES, 'formats', 'anthropic-cost-report.json'),
  join(FIXTURES, 'formats', 'gcp-vertex.jsonl'),
  join(FIXTURES, 'formats', 'openai-cost-dashboard.csv'),
  join(FIXTURES, 'openai-cookbook-usage-api', 'costs_group_by_line_item_head.csv'),
];

function corrupt(bytes: Buffer, random: () => number): Buffer {
  const pick = Math.floor(random() * 6);
  const at = Math.floor(random() * bytes.length);
  switch (pick) {
    case 0: // cut
      return bytes.subarray(0, at);
    case 1: { // shuffled bytes
      const copy = Buffer.from(bytes);
      for (let i = 0; i < 8; i++) {
        const a = Math.floor(random() * copy.length);
        const b = Math.floor(random() * copy.length);
        [copy[a], copy[b]] = [copy[b]!, copy[a]!];
      }
      return copy;
    }
    case 2: { // a wrong type: a number replaced by text
      const text = bytes.toString('utf8');
      const numbers = [...text.matchAll(/\d+(\.\d+)?/g)];
      const m = numbers[Math.floor(random() * numbers.length)];
      return m ? Buffer.from(text.slice(0, m.index) + 'twelve' + text.slice(m.index! + m[0].length)) : bytes;
    }
    case 3: { // duplicated header
      const text = bytes.toString('utf8');
      const nl = text.indexOf('\n');
      return nl > 0 ? Buffer.from(text.slice(0, nl + 1) + text) : bytes;
    }
    case 4: { // random garbage inserted
      const junk = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 20) }, () => Math.floor(random() * 256)));
      return Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]);
    }
    default: { // a quote opened and never closed
      return Buffer.concat([bytes.subarray(0, at), Buffer.from('"'), bytes.subarray(at)]);
    }
  }
}

describe('import robustness', () => {
  it('ends every one of 2,400 random corruptions of valid files in a clear report or a clean import, never a crash or a partial write', async () => {
    const random = seededRandom(20_261_124);
    const seeds = SEEDS.map((path) => readFileSync(path));
    const dir = tempDir();
    const db = openWorkbook(join(dir, 'fuzz.sqlite'), { clock: testClock });
    for (let i = 0; i < 2_400; i++) {
      const seed = seeds[i % seeds.length]!;
      const path = join(dir, `case-${i % 10}.dat`);
      writeFileSync(path, corrupt(seed, random));
      const before = counts(db);
      const report = await importFile(db, { path, name: `case-${i}` }, { clock: testClock, actor: 'fuzz' });
      const after = counts(db);
      expect(report.message.length, `case ${i}`).toBeGreaterThan(0);
      if (report.status === 'imported') {
        expect(after.batches, `case ${i}`).toBe(before.batches + 1);
        // Undo so that later cases start from the same workbook.
        db.prepare('DELETE FROM import_batches WHERE batch_id = ?').run(report.batchId);
      } else {
        expect(report.message, `case ${i}`).toMatch(new RegExp(`^case-${i}`));
        expect(after, `case ${i}: ${report.message}`).toEqual(before);
      }
      expect(db.inTransaction).toBe(false);
    }
    db.close();
  });

  it('leaves nothing of a file in the workbook when the importing process is killed part-way', async () => {
    const dir = tempDir();
    const workbook = join(dir, 'crash.sqlite');
    const line = readFileSync(join(FIXTURES, 'formats', 'azure-openai-ea.csv'), 'utf8').split('\n');
    const body = [line[0]!];
    for (let i = 0; i < 60_000; i++) body.push(line[1]!.replace('rg-content', `rg-${i}`));
    const big = join(dir, 'big.csv');
    writeFileSync(big, body.join('\n'));
    openWorkbook(workbook, { clock: testClock }).close();
    const child = spawn(NODE22, [join(ROOT, 'test/support/crash-import-child.ts'), workbook, big], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('halfway')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    await new Promise((resolve) => child.once('exit', resolve).once('close', resolve));
    expect(output).toContain('halfway');
    expect(output).not.toContain('finished');
    const db = openWorkbook(workbook, { clock: testClock });
    expect(counts(db)).toEqual({ lines: 0, batches: 0, chunks: 0 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
