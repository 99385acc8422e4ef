import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError } from '../../../common/errors.ts';
import { describeUndo } from '../../../common/imports/undo-summary.ts';
import { FORMATS } from '../../importers/formats.ts';
import { formatMicros } from '../../../common/money/micros.ts';
import { UsageError } from '../usage-error.ts';
import { openWorkbookContext, value, type Command } from './shared.ts';

export const importsCommand: Command = {
  usage: `imports list    [--workbook FILE] [--format table|json]
  npm run cli -- imports undo    BATCH [--workbook FILE]
  npm run cli -- imports preview FILE [--workbook FILE] [--rows N] [--as FORMAT]
  npm run cli -- imports formats
      The imported files (batches) with their format, detection confidence, lines and state; undo a batch
      (removes everything it added and brings back the imports it had replaced); preview how a file would be
      read before importing it (detected formats with confidence, the first rows as lines, rejected rows);
      the formats "import --format" accepts.`,
  run: imports,
};

async function imports(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list':
      return list(rest);
    case 'undo':
      return undo(rest);
    case 'preview':
      return preview(rest);
    case 'formats':
      if (rest.length) throw new UsageError('imports formats takes no arguments');
      for (const f of FORMATS) process.stdout.write(`${f.id.padEnd(24)}${f.label}\n`);
      return 0;
    default:
      throw new UsageError(`imports needs list, undo, preview or formats${sub ? `, not "${sub}"` : ''}`);
  }
}

function existingWorkbook(path: string | undefined): string | undefined {
  if (path && !existsSync(path)) throw new DomainError('not-found', `Workbook not found: ${path}`);
  return path;
}

async function list(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { workbook: { type: 'string' }, format: { type: 'string', default: 'table' } }, strict: true });
  if (values.format !== 'table' && values.format !== 'json') throw new UsageError('--format must be table or json');
  const context = openWorkbookContext(existingWorkbook(values.workbook));
  try {
    const batches = value(await context.call('imports:batches', {}));
    if (values.format === 'json') {
      process.stdout.write(`${JSON.stringify(batches, null, 2)}\n`);
      return 0;
    }
    if (batches.length === 0) {
      process.stdout.write(`No files imported into ${context.workbookPath}.\n`);
      return 0;
    }
    const rows = batches.map((b) => [
      `#${b.batchId}`,
      new Date(b.importedAtMs).toISOString().slice(0, 16).replace('T', ' '),
      b.state === 'active' ? 'active' : `replaced by #${b.supersededBy}`,
      `${b.format} ${b.formatVersion}`.trim(),
      `${Math.round(b.confidence * 100)}%`,
      String(b.lines),
      String(b.counts.read),
      b.fileName,
    ]);
    process.stdout.write(table(['batch', 'imported (UTC)', 'state', 'format', 'confidence', 'lines', 'rows', 'file'], rows, [5, 6]));
    return 0;
  } finally {
    context.close();
  }
}

async function undo(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { workbook: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('imports undo needs one batch number (see "imports list")');
  const batchId = Number(positionals[0]!.replace(/^#/, ''));
  if (!Number.isSafeInteger(batchId) || batchId <= 0) throw new UsageError(`"${positionals[0]}" is not a batch number`);
  const context = openWorkbookContext(existingWorkbook(values.workbook));
  try {
    const undone = value(await context.call('imports:undo', { batchId }));
    process.stdout.write(`${describeUndo(undone)}\n`);
    return 0;
  } finally {
    context.close();
  }
}

async function preview(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { workbook: { type: 'string' }, rows: { type: 'string', default: '5' }, as: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('imports preview needs one file');
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1 || rows > 100) throw new UsageError('--rows must be a whole number from 1 to 100');
  const file = positionals[0]!;
  if (!existsSync(file)) throw new DomainError('not-found', `${file}: no such file`);
  const context = openWorkbookContext(existingWorkbook(values.workbook));
  try {
    const { fileId } = context.files.register(resolve(file), basename(file));
    const result = value(await context.call('imports:preview', { fileId, rows, ...(values.as ? { format: values.as } : {}) }));
    for (const t of result.tables) {
      process.stdout.write(`${result.fileName}${t.entry ? ` — ${t.entry}` : ''}: ${t.header.length} columns, ${t.numberStyle}\n`);
      if (t.detected.length === 0) process.stdout.write('  detected: no format recognises this header\n');
      for (const d of t.detected) process.stdout.write(`  detected: ${d.format} ${d.version} (${Math.round(d.confidence * 100)}% confident) — ${d.label}\n`);
      if (t.savedMapping) process.stdout.write(`  saved column mapping for this header: "${t.savedMapping}"\n`);
      if (t.chosen) process.stdout.write(`  would import as: ${t.chosen.format} ${t.chosen.version}\n`);
      if (t.trial.error) process.stdout.write(`  ${t.trial.error}\n`);
      for (const l of t.trial.lines) {
        process.stdout.write(
          `  row ${l.row}: ${l.usageDate} ${l.provider} ${l.model} ${l.tokenKind} ${l.tokens} tokens ${formatMicros(l.costMicros)} ${l.currency} → ${l.costCentre}${l.measure === 'volume' ? ' (usage only)' : ''}\n`,
        );
      }
      for (const s of t.trial.skipped) process.stdout.write(`  skipped ${s.rows} of the first ${t.trial.rowsScanned} rows: ${s.reason}\n`);
      for (const r of t.trial.rejections) process.stdout.write(`  rejected: ${r.reason}\n`);
    }
    return 0;
  } finally {
    context.close();
  }
}

function table(header: string[], rows: string[][], numeric: number[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : numeric.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
