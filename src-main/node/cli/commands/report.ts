import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { USAGE_DIMENSIONS, type UsageDimension } from '../../../common/api/schemas.ts';
import { DomainError } from '../../../common/errors.ts';
import { usageReportCsv, usageReportJson, usageReportTable } from '../../../common/usage/format-usage-report.ts';
import { UsageError } from '../usage-error.ts';
import { openWorkbookContext, value, type Command } from './shared.ts';

export const reportCommand: Command = {
  usage: `report usage [--workbook FILE] [--by month,provider,model,token-kind,cost-centre]
                     [--from YYYY-MM] [--to YYYY-MM] [--format table|csv|json]
      Tokens and cost per group and currency, with the base-currency equivalent.`,
  run: report,
};

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
  const context = openWorkbookContext(values.workbook);
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

