import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { generateFocusFile } from '../../bench/import/generate.js';
import type { WorkerMessage } from '../../src-main/node/jobs/job-types.ts';
import { WORKER_THRESHOLD_BYTES } from '../../src-main/node/importers/import-file.ts';
import { openWorkbook } from '../../src-main/node/workbook/open-workbook.ts';
import { testClock } from '../support/clock.ts';
import { ROOT } from '../support/paths.ts';
import { useTempDir } from '../support/temp.ts';

const tempDir = useTempDir();
const BUILT_JOB_WORKER = join(ROOT, 'out/main/job-worker.js');

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
});
