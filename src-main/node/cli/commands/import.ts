import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RequestOf } from '../../../common/api/contract.ts';
import { columnMappingSchema } from '../../../common/api/contracts/import-engine.ts';
import { DomainError } from '../../../common/errors.ts';
import { FORMATS } from '../../importers/formats.ts';
import { UsageError } from '../usage-error.ts';
import { openWorkbookContext, value, type Command } from './shared.ts';

export const importCommand: Command = {
  usage: `import [--workbook FILE] [--skip-rejected] [--progress] [--format NAME | --mapping FILE.json [--save-mapping NAME]] FILE...
      Imports invoices and usage exports (FOCUS 1.0–1.3, OpenAI, Anthropic, Azure, AWS CUR, Google Cloud, DeepSeek,
      Alibaba Cloud; CSV, JSON, ZIP, XLSX) and FX rates (CSV: date,base,quote,rate). The format is detected from
      the content; --format reads every file as NAME instead (see "imports formats"); --mapping reads them through
      a column mapping (JSON: {"date":"Day","cost":"Amount","currency":{"fixed":"EUR"},…}), saved under
      --save-mapping for files with the same header. A file with rejected rows is not imported unless
      --skip-rejected is given. Progress goes to stderr (always on a terminal, with --progress otherwise);
      Ctrl-C cancels: the file being read is not imported, the files finished before it stay imported.`,
  run: importFiles,
};

async function importFiles(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      workbook: { type: 'string' },
      'skip-rejected': { type: 'boolean', default: false },
      progress: { type: 'boolean', default: false },
      format: { type: 'string' },
      mapping: { type: 'string' },
      'save-mapping': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw new UsageError('import needs at least one file');
  for (const file of positionals) {
    if (!existsSync(file)) throw new DomainError('not-found', `${file}: no such file`);
  }
  if (values.format && values.mapping) throw new UsageError('give either --format or --mapping, not both');
  if (values['save-mapping'] && !values.mapping) throw new UsageError('--save-mapping needs --mapping');
  if (values.format && values.format !== 'auto' && !FORMATS.some((f) => f.id === values.format)) {
    throw new UsageError(`--format: unknown format "${values.format}" (formats: ${FORMATS.map((f) => f.id).join(', ')})`);
  }
  const mapping = values.mapping ? readMapping(values.mapping) : undefined;
  const context = openWorkbookContext(values.workbook);
  try {
    const fileIds = positionals.map((file) => context.files.register(resolve(file), basename(file)).fileId);
    const { jobId } = value(
      await context.call('imports:start', {
        fileIds,
        skipRejectedRows: values['skip-rejected'],
        ...(values.format ? { format: values.format } : {}),
        ...(mapping ? { mapping } : {}),
        ...(values['save-mapping'] ? { saveMappingAs: values['save-mapping'] } : {}),
      }),
    );
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
      if (r.format !== 'unknown') {
        process.stdout.write(`  read as ${r.formatLabel || r.format}${r.formatVersion ? ` (${r.formatVersion})` : ''}, ${Math.round(r.confidence * 100)}% confident\n`);
      }
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

function readMapping(path: string): RequestOf<'imports:start'>['mapping'] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--mapping: ${path} is not a readable JSON file (${(error as Error).message})`);
  }
  const parsed = columnMappingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--mapping: ${path}: ${issue.path.join('.') || '(mapping)'}: ${issue.message}`);
  }
  return parsed.data;
}
