import { existsSync, mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ApiResult } from '../../common/api/result.ts';
import { USAGE_DIMENSIONS, type UsageDimension } from '../../common/api/schemas.ts';
import { DomainError } from '../../common/errors.ts';
import { addMonths, isIsoMonth, monthOf, type IsoMonth } from '../../common/time/iso-date.ts';
import { openAppContext, type AppContext } from '../app-context.ts';
import { defaultWorkbookPath } from '../default-paths.ts';
import { writeDemoFiles } from '../demo/write-demo-files.ts';
import { startServer } from '../serve/serve.ts';
import { systemClock } from '../system-clock.ts';
import { packageVersion } from '../version.ts';
import { usageReportCsv, usageReportJson, usageReportTable } from '../../common/usage/format-usage-report.ts';
import { startApp } from './start-app.ts';
import { UsageError } from './usage-error.ts';

export const USAGE = `TokenHedge command line — every job of the app, headless.

  npm run cli -- demo   [--workbook FILE] [--seed N] [--end-month YYYY-MM] [--export-dir DIR]
      Creates the demo organisation (30 months of AI usage from five providers, USD and CNY) in an empty
      workbook, by writing its export files and importing them. --export-dir keeps the files.
  npm run cli -- import [--workbook FILE] [--skip-rejected] FILE...
      Imports invoices and usage exports (FOCUS 1.0–1.3 CSV) and FX rates (CSV: date,base,quote,rate).
      A file with rejected rows is not imported unless --skip-rejected is given.
  npm run cli -- report usage [--workbook FILE] [--by month,provider,model,token-kind,cost-centre]
                              [--from YYYY-MM] [--to YYYY-MM] [--format table|csv|json]
      Tokens and cost per group and currency, with the base-currency equivalent.
  npm run cli -- serve  [--workbook FILE] [--port N]
      Serves the app on http://127.0.0.1 with a per-run access token; open the printed URL in a browser.
  npm run cli -- start  [--workbook FILE]
      Starts the desktop app; where Electron cannot be installed, serve mode instead.

  --workbook defaults to ${defaultWorkbookPath()}
`;

/** Runs one command; returns the process exit code. */
export async function runCommand(command: string, args: string[]): Promise<number> {
  switch (command) {
    case 'demo':
      return demo(args);
    case 'import':
      return importCommand(args);
    case 'report':
      return report(args);
    case 'serve':
      return serve(args);
    case 'start':
      return startApp(args);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function open(workbook: string | undefined, jobs: 'in-process' | 'worker' = 'in-process'): AppContext {
  return openAppContext({
    workbookPath: resolve(workbook ?? defaultWorkbookPath()),
    mode: jobs === 'worker' ? 'serve' : 'direct',
    version: packageVersion(),
    clock: systemClock,
    jobs: jobs === 'worker' ? { mode: 'worker' } : { mode: 'in-process' },
  });
}

/** Unwraps an API result for the CLI: errors become a one-line DomainError. */
function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new DomainError(result.error.code, result.error.message);
  return result.value;
}

async function demo(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      workbook: { type: 'string' },
      seed: { type: 'string' },
      'end-month': { type: 'string' },
      'export-dir': { type: 'string' },
    },
    strict: true,
  });
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) throw new UsageError('--seed must be a whole number ≥ 0');
  const endMonth = values['end-month'];
  if (endMonth !== undefined && !isIsoMonth(endMonth)) throw new UsageError('--end-month must be a month YYYY-MM');
  if (values['export-dir']) {
    mkdirSync(values['export-dir'], { recursive: true });
    const files = writeDemoFiles(resolve(values['export-dir']), {
      seed: seed ?? 20_260_101,
      endMonth: (endMonth as IsoMonth | undefined) ?? previousMonth(),
    });
    for (const f of files.files) process.stdout.write(`wrote ${f.path}\n`);
  }
  const context = open(values.workbook);
  try {
    const { jobId } = value(await context.call('demo:create', { ...(seed !== undefined ? { seed } : {}), ...(endMonth ? { endMonth } : {}) }));
    const status = await context.jobs.wait(jobId);
    if (status.state !== 'succeeded') throw new DomainError('internal', status.error?.message ?? `demo ${status.state}`);
    const failed = status.result!.reports.filter((r) => r.status !== 'imported');
    for (const r of status.result!.reports) process.stdout.write(`${r.message}\n`);
    if (failed.length) throw new DomainError('internal', `demo files failed to import: ${failed.map((r) => r.message).join(' | ')}`);
    const info = value(await context.call('app:info', {}));
    process.stdout.write(`Demo workbook ready: ${info.workbookPath} (${info.organisationName}, ${info.usageLineCount} usage lines)\n`);
    return 0;
  } finally {
    context.close();
  }
}

async function importCommand(args: string[]): Promise<number> {
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
  const context = open(values.workbook);
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

async function report(args: string[]): Promise<number> {
  const [kind, ...rest] = args;
  if (kind !== 'usage') throw new UsageError(`unknown report "${kind ?? ''}" (reports: usage)`);
  const { values } = parseArgs({
    args: rest,
    options: {
      workbook: { type: 'string' },
      by: { type: 'string', default: 'month,provider' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'table' },
    },
    strict: true,
  });
  const by = values.by.split(',').map((d) => d.trim()).filter(Boolean);
  for (const d of by) {
    if (!(USAGE_DIMENSIONS as readonly string[]).includes(d)) {
      throw new UsageError(`--by: unknown dimension "${d}" (use ${USAGE_DIMENSIONS.join(', ')})`);
    }
  }
  const format = values.format;
  if (format !== 'table' && format !== 'csv' && format !== 'json') throw new UsageError('--format must be table, csv or json');
  if (values.workbook && !existsSync(values.workbook)) throw new DomainError('not-found', `Workbook not found: ${values.workbook}`);
  const context = open(values.workbook);
  try {
    const result = value(
      await context.call('usage:report', {
        by: by as UsageDimension[],
        ...(values.from ? { fromMonth: values.from } : {}),
        ...(values.to ? { toMonth: values.to } : {}),
      }),
    );
    const text = format === 'csv' ? usageReportCsv(result) : format === 'json' ? usageReportJson(result) : usageReportTable(result);
    process.stdout.write(text);
    if (format === 'csv') {
      for (const m of result.missingRates) {
        process.stderr.write(`warning: no FX rate ${m.currency}→${result.baseCurrency} for ${m.lines} lines from ${m.fromDate} to ${m.toDate}; cost_base left empty\n`);
      }
    }
    return 0;
  } finally {
    context.close();
  }
}

/** The built page that serve mode sends to the browser. */
export const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { workbook: { type: 'string' }, port: { type: 'string', default: '0' } },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a number from 0 to 65535');
  if (!existsSync(`${RENDERER_DIR}/index.html`)) {
    throw new DomainError('not-found', `The page is not built yet (${RENDERER_DIR}); run "npm run build" first.`);
  }
  const context = open(values.workbook, 'worker');
  const server = await startServer(context, { port, staticDir: RENDERER_DIR });
  process.stdout.write(
    `TokenHedge is serving ${context.workbookPath}\nOpen this address in your browser (it holds this run's access token):\n\n  ${server.url}\n\nPress Ctrl+C to stop.\n`,
  );
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  context.close();
  return 0;
}

function previousMonth(): IsoMonth {
  return addMonths(monthOf(systemClock.today()), -1);
}
