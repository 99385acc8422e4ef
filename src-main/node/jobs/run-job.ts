import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../common/time/clock.ts';
import { writeDemoMarketData } from '../demo/demo-market-data.ts';
import { writeDemoFiles } from '../demo/write-demo-files.ts';
import { importFile, type ImportOptions, type ImportReport } from '../importers/import-file.ts';
import { createImportReaders } from '../importers/import-worker-protocol.ts';
import { replaceCostCentreRules } from '../workbook/import-settings-repo.ts';
import { runForecastJob } from '../services/forecast.ts';
import { writeSettings } from '../workbook/settings-repo.ts';
import type { ImportJobFile, JobResult, JobSpec } from './job-types.ts';

export type JobContext = {
  clock: Clock;
  actor: string;
  signal: AbortSignal;
  onProgress(fraction: number, message: string): void;
};

/**
 * Runs a job against an open workbook connection. Each file is imported atomically on its own, so a cancel
 * keeps the files finished before it and nothing of the file in progress.
 */
export async function runJob(db: Database, spec: JobSpec, context: JobContext): Promise<JobResult> {
  switch (spec.kind) {
    case 'import':
      return { reports: await importFiles(db, spec.files, spec.skipRejectedRows, context, { format: spec.format, mapping: spec.mapping, saveMappingAs: spec.saveMappingAs }) };
    case 'demo': {
      const folder = mkdtempSync(join(tmpdir(), 'tokenhedge-demo-'));
      try {
        context.onProgress(0, 'Writing the demo organisation’s export files');
        const demo = writeDemoFiles(folder, { seed: spec.seed, endMonth: spec.endMonth });
        // The organisation's cost-centre rules come first, as they would: exports name projects by id.
        db.transaction(() => replaceCostCentreRules(db, demo.costCentreRules))();
        const reports = await importFiles(db, demo.files, false, context);
        if (reports.every((r) => r.status === 'imported')) {
          writeSettings(db, { organisationName: demo.organisationName, baseCurrency: demo.baseCurrency });
          context.onProgress(1, 'Writing the demo instruments and market data');
          writeDemoMarketData(db, { seed: spec.seed, firstMonth: demo.firstMonth, lastMonth: demo.lastMonth, atMs: context.clock.now(), actor: context.actor });
        }
        return { reports };
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    }
    case 'forecast': {
      const forecast = await runForecastJob(db, context.clock, context.actor, spec.request, context);
      return forecast ? { reports: [], forecast } : { reports: [] };
    }
  }
}

async function importFiles(
  db: Database,
  files: ImportJobFile[],
  skipRejectedRows: boolean,
  context: JobContext,
  choice: Pick<ImportOptions, 'format' | 'mapping' | 'saveMappingAs'> = {},
): Promise<ImportReport[]> {
  const reports: ImportReport[] = [];
  // One reader thread for the job's large CSV files, started with the first (idle, it never keeps the process alive).
  const readers = createImportReaders();
  for (const [index, file] of files.entries()) {
    if (context.signal.aborted) break;
    const label = `Importing ${file.name} (${index + 1} of ${files.length})`;
    context.onProgress(index / files.length, label);
    // The file's own choice (from the preview) wins over the job's.
    const own = file.format || file.mapping ? file : choice;
    const report = await importFile(db, { path: file.path, name: file.name }, {
      clock: context.clock,
      actor: context.actor,
      skipRejectedRows,
      ...(own.format ? { format: own.format } : {}),
      ...(own.mapping ? { mapping: own.mapping } : {}),
      ...(own.saveMappingAs ? { saveMappingAs: own.saveMappingAs } : {}),
      signal: context.signal,
      readers,
      onProgress: (fraction) => context.onProgress((index + fraction) / files.length, label),
    });
    reports.push(report);
  }
  readers.close();
  context.onProgress(1, 'Done');
  return reports;
}
