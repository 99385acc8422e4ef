import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError } from '../../../common/errors.ts';
import { UsageError } from '../usage-error.ts';
import { openWorkbookContext, value, type Command } from './shared.ts';

export const importCommand: Command = {
  usage: `import [--workbook FILE] [--skip-rejected] [--progress] FILE...
      Imports invoices and usage exports (FOCUS 1.0–1.3 CSV) and FX rates (CSV: date,base,quote,rate).
      A file with rejected rows is not imported unless --skip-rejected is given. Progress goes to stderr
      (always on a terminal, with --progress otherwise); Ctrl-C cancels: the file being read is not imported.`,
  run: importFiles,
};

async function importFiles(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { workbook: { type: 'string' }, 'skip-rejected': { type: 'boolean', default: false }, progress: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw new UsageError('import needs at least one file');
  for (const file of positionals) {
    if (!existsSync(file)) throw new DomainError('not-found', `${file}: no such file`);
  }
  const context = openWorkbookContext(values.workbook);
  try {
    const fileIds = positionals.map((file) => context.files.register(resolve(file), basename(file)).fileId);
    const { jobId } = value(await context.call('imports:start', { fileIds, skipRejectedRows: values['skip-rejected'] }));
    const stopReporting = reportProgress(jobId, values.progress || process.stderr.isTTY === true, context.jobs.get);
    // Ctrl-C cancels the job: the file being read is rolled back, the files finished before it stay imported.
    const cancel = (): void => void context.jobs.cancel(jobId);
    process.once('SIGINT', cancel);
    const status = await context.jobs.wait(jobId).finally(() => {
      process.off('SIGINT', cancel);
      stopReporting();
    });
    if (status.state === 'failed') throw new DomainError('internal', status.error?.message ?? 'import failed');
    let failures = 0;
    for (const r of status.result!.reports) {
      process.stdout.write(`${r.message}\n`);
      for (const s of r.skippedReasons.slice(0, 5)) process.stdout.write(`  skipped ${s.rows}: ${s.reason}\n`);
      for (const w of r.warnings) process.stdout.write(`  warning: ${w}\n`);
      for (const j of r.rejections.slice(0, 20)) process.stdout.write(`  rejected row ${j.row}: ${j.reason}\n`);
      if (r.counts.rejected > 20) process.stdout.write(`  … and ${r.counts.rejected - 20} more rejected rows\n`);
      if (r.status !== 'imported' && r.status !== 'already-imported') failures++;
    }
    if (status.state === 'cancelled') {
      process.stderr.write('tokenhedge: import cancelled\n');
      return 130;
    }
    if (failures) {
      process.stderr.write(`tokenhedge: ${failures} of ${positionals.length} files were not imported\n`);
      return 1;
    }
    return 0;
  } finally {
    context.close();
  }
}


/** Writes the job's progress to stderr twice a second (percent and message) while it runs, when `enabled`. */
function reportProgress(jobId: string, enabled: boolean, get: (jobId: string) => { progress: { fraction: number; message: string } }): () => void {
  if (!enabled) return () => {};
  let last = '';
  const timer = setInterval(() => {
    const { fraction, message } = get(jobId).progress;
    const line = `${(fraction * 100).toFixed(0).padStart(3)}% ${message}`;
    if (line !== last) process.stderr.write(`${line}\n`);
    last = line;
  }, 500);
  return () => clearInterval(timer);
}
