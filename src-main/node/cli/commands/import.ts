import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError } from '../../../common/errors.ts';
import { UsageError } from '../usage-error.ts';
import { openWorkbookContext, value, type Command } from './shared.ts';

export const importCommand: Command = {
  usage: `import [--workbook FILE] [--skip-rejected] FILE...
      Imports invoices and usage exports (FOCUS 1.0–1.3 CSV) and FX rates (CSV: date,base,quote,rate).
      A file with rejected rows is not imported unless --skip-rejected is given.`,
  run: importFiles,
};

async function importFiles(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { workbook: { type: 'string' }, 'skip-rejected': { type: 'boolean', default: false } },
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
    const status = await context.jobs.wait(jobId);
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
    if (failures) {
      process.stderr.write(`tokenhedge: ${failures} of ${positionals.length} files were not imported\n`);
      return 1;
    }
    return 0;
  } finally {
    context.close();
  }
}

