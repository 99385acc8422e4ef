import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { generateFocusFile } from '../../bench/import/generate.js';
import type { WorkerMessage } from '../../src-main/node/jobs/job-types.ts';
import { WORKER_THRESHOLD_BYTES } from '../../src-main/node/importers/import-file.ts';
import { SPLIT_THRESHOLD_BYTES } from '../../src-main/node/importers/import-worker-protocol.ts';
import { openWorkbook } from '../../src-main/node/workbook/open-workbook.ts';
import { testClock } from '../support/clock.ts';
import { NODE22, ROOT } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const BUILT_JOB_WORKER = join(ROOT, 'out/main/job-worker.js');
const BUILT_CLI = join(ROOT, 'out/main/cli.js');

/**
 * The desktop app runs the bundled workers of `out/main` (CommonJS, built by electron-vite), not the sources the
 * other tests run; Electron cannot start here, so this runs the bundled job worker under Node: an import of a file
 * large enough to be read by the bundled reader thread (`import-worker.js`) must work the same.
 */
describe('the built workers (electron-vite output)', () => {
  it('import a large file through the bundled job worker and its reader thread', async () => {
    if (!existsSync(BUILT_JOB_WORKER)) throw new Error(`${BUILT_JOB_WORKER} is missing: run "npm run build" (npm test does)`);
    const dir = tempDir();
    const csv = join(dir, 'focus-large.csv');
    await generateFocusFile(csv, 20_000);
    expect(statSync(csv).size).toBeGreaterThan(WORKER_THRESHOLD_BYTES);
    const workbookPath = join(dir, 'built.sqlite');
    openWorkbook(workbookPath, { clock: testClock }).close();

    const messages: WorkerMessage[] = [];
    await new Promise<void>((resolve, reject) => {
      const worker = new Worker(BUILT_JOB_WORKER, {
        workerData: { workbookPath, actor: 'test', spec: { kind: 'import', files: [{ path: csv, name: 'focus-large.csv' }], skipRejectedRows: false } },
      });
      worker.on('message', (m: WorkerMessage) => messages.push(m));
      worker.on('error', reject);
      worker.on('exit', () => resolve());
    });
    const last = messages.at(-1)!;
    expect(last.type, JSON.stringify(last)).toBe('done');
    if (last.type !== 'done') return;
    const report = last.result.reports[0]!;
    expect([report.status, report.counts.read, report.counts.imported]).toEqual(['imported', 20_000, 20_000]);
    const db = openWorkbook(workbookPath, { clock: testClock });
    expect(db.prepare('SELECT count(*) FROM usage_lines').pluck().get()).toBe(20_000);
    db.close();
  });

  it('import a file large enough for two reader threads through the built command line (as bench/import runs it)', async () => {
    if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run "npm run build" (npm test does)`);
    const dir = tempDir();
    const csv = join(dir, 'focus-two-parts.csv');
    const lines = 120_000;
    await generateFocusFile(csv, lines);
    expect(statSync(csv).size).toBeGreaterThan(SPLIT_THRESHOLD_BYTES);
    const workbookPath = join(dir, 'built-cli.sqlite');

    const run = spawnSync(NODE22, [BUILT_CLI, 'import', '--workbook', workbookPath, csv], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`focus-two-parts.csv: ${lines} lines imported from ${lines} rows.`);
    const db = openWorkbook(workbookPath, { clock: testClock });
    expect(db.prepare('SELECT count(*), count(DISTINCT source_row), min(source_row), max(source_row) FROM usage_lines').raw().get()).toEqual([lines, lines, 1, lines]);
    // Read in two parts: the second part's compressed original is stored after the first's (see createOriginalWriter).
    expect(db.prepare('SELECT count(*) FROM import_file_chunks WHERE seq >= 1000000000').pluck().get()).toBeGreaterThan(0);
    db.close();
  });
});
