import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError } from '../../../common/errors.ts';
import { addMonths, isIsoMonth, monthOf, type IsoMonth } from '../../../common/time/iso-date.ts';
import { writeDemoFiles } from '../../demo/write-demo-files.ts';
import { DEFAULT_DEMO_SEED } from '../../services/handlers/app-handlers.ts';
import { systemClock } from '../../system-clock.ts';
import { UsageError } from '../usage-error.ts';
import { openWorkbookContext, value, type Command } from './shared.ts';

export const demoCommand: Command = {
  usage: `demo   [--workbook FILE] [--seed N] [--end-month YYYY-MM] [--export-dir DIR]
      Creates the demo organisation (30 months of AI usage from five providers, USD and CNY) in an empty
      workbook, by writing its export files and importing them. --export-dir keeps a copy of the files.`,
  run: demo,
};

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
      seed: seed ?? DEFAULT_DEMO_SEED,
      endMonth: (endMonth as IsoMonth | undefined) ?? previousMonth(),
    });
    for (const f of files.files) process.stdout.write(`wrote ${f.path}\n`);
  }
  const context = openWorkbookContext(values.workbook);
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

function previousMonth(): IsoMonth {
  return addMonths(monthOf(systemClock.today()), -1);
}
