import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../common/time/clock.ts';
import { writeDemoMarketData } from '../demo/demo-market-data.ts';
import { writeDemoFiles } from '../demo/write-demo-files.ts';
import { importFile, type ImportOptions, type ImportReport } from '../importers/import-file.ts';
import { runForecastJob } from '../services/forecast.ts';
import { writeSettings } from '../workbook/settings-repo.ts';
import type { JobResult, JobSpec } from './job-types.ts';

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
  files: { path: string; name: string }[],
  skipRejectedRows: boolean,
  context: JobContext,
  choice: Pick<ImportOptions, 'format' | 'mapping' | 'saveMappingAs'> = {},
): Promise<ImportReport[]> {
  const reports: ImportReport[] = [];
  for (const [index, file] of files.entries()) {
    if (context.signal.aborted) break;
    const label = `Importing ${file.name} (${index + 1} of ${files.length})`;
    context.onProgress(index / files.length, label);
    const report = await importFile(db, file, {
      clock: context.clock,
      actor: context.actor,
      skipRejectedRows,
      ...(choice.format ? { format: choice.format } : {}),
      ...(choice.mapping ? { mapping: choice.mapping } : {}),
      ...(choice.saveMappingAs ? { saveMappingAs: choice.saveMappingAs } : {}),
      signal: context.signal,
      onProgress: (fraction) => context.onProgress((index + fraction) / files.length, label),
    });
    reports.push(report);
  }
  context.onProgress(1, 'Done');
  return reports;
}
