import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ResponseOf } from '../../../common/api/contract.ts';
import { DomainError } from '../../../common/errors.ts';
import { FORECAST_METHODS, type ForecastMethod } from '../../../common/forecast/methods.ts';
import { QUANTILE_KEYS, SEGMENT_DIMENSIONS, segmentLabel, type ExposureSegment, type ForecastMonth } from '../../../common/forecast/token-forecast.ts';

/** A forecast month as the API returns it (months as plain strings). */
type MonthView = Omit<ForecastMonth, 'month'> & { month: string };
import { formatMicros } from '../../../common/money/micros.ts';
import { UsageError } from '../usage-error.ts';
import { openWorkbookContext, value, type Command } from './shared.ts';

export const forecastCommand: Command = {
  usage: `forecast run [--workbook FILE] [--segment total|provider=NAME|model=NAME|token_kind=KIND|cost_centre=NAME]
                     [--method auto|ets|theta|…] [--horizon 12] [--save [--label TEXT]] [--format table|csv|json]
  npm run cli -- forecast runs|show RUN_ID [--workbook FILE] [--format table|csv|json]
      Forecasts monthly token volume, price per million tokens and spend of a segment with P10–P90 intervals and a
      backtest on the workbook's own history; --save keeps it as an immutable run (the id is printed).`,
  run: forecast,
};

function parseSegment(text: string): ExposureSegment {
  if (text === 'total') return { dimension: 'total', value: null };
  const [dimension, ...rest] = text.split('=');
  const name = rest.join('=');
  if (!(SEGMENT_DIMENSIONS as readonly string[]).includes(dimension ?? '') || !name) {
    throw new UsageError(`--segment must be total or one of ${SEGMENT_DIMENSIONS.map((d) => `${d}=NAME`).join(', ')}`);
  }
  return { dimension: dimension as ExposureSegment['dimension'], value: name } as ExposureSegment;
}

const CSV_HEADER = ['month', 'measure', 'mean', ...QUANTILE_KEYS].join(',');

function csvRows(months: MonthView[]): string {
  const lines = [CSV_HEADER];
  for (const m of months) {
    for (const [measure, set] of [
      ['tokens', m.tokens],
      ['price_per_mtok_micros', m.pricePerMTokMicros],
      ['spend_micros', m.spendMicros],
    ] as const) {
      lines.push([m.month, measure, set.mean, ...QUANTILE_KEYS.map((k) => set[k])].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

function table(
  view: { segment: ExposureSegment; model: string; method: string; months: MonthView[]; backtest: ResponseOf<'forecast:run'>['backtest']; calibration?: { summary: string } },
  currency: string,
): string {
  const millions = (tokens: number) => (tokens / 1e6).toFixed(1);
  const money = (micros: number) => formatMicros(Math.round(micros / 10_000) * 10_000, 2);
  const lines = [
    `${segmentLabel(view.segment)} — ${view.method}: ${view.model}`,
    `month     tokens P10 (M)  P50 (M)  P90 (M)   price/MTok   spend P10 (${currency})   P50   P90`,
  ];
  for (const m of view.months) {
    lines.push(
      [
        m.month,
        millions(m.tokens.p10).padStart(16),
        millions(m.tokens.p50).padStart(8),
        millions(m.tokens.p90).padStart(8),
        formatMicros(m.pricePerMTokMicros.p50, 4).padStart(12),
        money(m.spendMicros.p10).padStart(18),
        money(m.spendMicros.p50),
        money(m.spendMicros.p90),
      ].join(' '),
    );
  }
  for (const [what, b] of [
    ['tokens', view.backtest.tokens],
    ['spend', view.backtest.spend],
  ] as const) {
    lines.push(
      b.available
        ? `backtest (${what}, ${b.origins} origins, ${b.forecasts} forecasts up to ${b.horizon} months): sMAPE ${b.smape.toFixed(1)} %, MASE ${b.mase.toFixed(2)}, 80 % coverage ${(b.coverage80 * 100).toFixed(0)} %, 95 % coverage ${(b.coverage95 * 100).toFixed(0)} %`
        : `backtest (${what}): ${b.reason}`,
    );
  }
  lines.push(view.calibration ? `calibration: ${view.calibration.summary}` : 'calibration: none recorded (run saved before engine 2: intervals as the model made them)');
  return lines.join('\n') + '\n';
}

async function forecast(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'run' && action !== 'runs' && action !== 'show') throw new UsageError(`unknown forecast action "${action ?? ''}" (run, runs, show)`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      workbook: { type: 'string' },
      segment: { type: 'string', default: 'total' },
      method: { type: 'string', default: 'auto' },
      horizon: { type: 'string', default: '12' },
      save: { type: 'boolean', default: false },
      label: { type: 'string', default: '' },
      format: { type: 'string', default: 'table' },
    },
    allowPositionals: action === 'show',
    strict: true,
  });
  const format = values.format;
  if (format !== 'table' && format !== 'csv' && format !== 'json') throw new UsageError('--format must be table, csv or json');
  const method = values.method as ForecastMethod;
  if (!(FORECAST_METHODS as readonly string[]).includes(method)) throw new UsageError(`--method must be one of ${FORECAST_METHODS.join(', ')}`);
  const horizon = Number(values.horizon);
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 36) throw new UsageError('--horizon must be a whole number of months from 1 to 36');
  const request = { segment: parseSegment(values.segment), method, horizon };
  const runId = action === 'show' ? Number(positionals[0]) : 0;
  if (action === 'show' && (!Number.isInteger(runId) || runId < 1)) throw new UsageError('forecast show needs a run id');
  if (values.workbook && !existsSync(values.workbook)) throw new DomainError('not-found', `Workbook not found: ${values.workbook}`);
  const context = openWorkbookContext(values.workbook);
  try {
    if (action === 'runs') {
      const runs = value(await context.call('forecast:runs', {}));
      if (format === 'json') process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
      else {
        process.stdout.write('run_id,created,segment,method,horizon,first_month,label\n');
        for (const r of runs) {
          process.stdout.write(`${r.runId},${new Date(r.createdAtMs).toISOString()},${segmentLabel(r.segment)},${r.method},${r.horizon},${r.firstMonth},${JSON.stringify(r.label)}\n`);
        }
      }
      return 0;
    }
    if (action === 'show') {
      const run = value(await context.call('forecast:get-run', { runId }));
      process.stdout.write(format === 'json' ? JSON.stringify(run, null, 2) + '\n' : format === 'csv' ? csvRows(run.months) : table(run, run.baseCurrency));
      return 0;
    }
    if (values.save) {
      const saved = value(await context.call('forecast:save', { ...request, label: values.label }));
      process.stdout.write(format === 'json' ? JSON.stringify(saved.run, null, 2) + '\n' : format === 'csv' ? csvRows(saved.run.months) : table(saved.run, saved.run.baseCurrency));
      process.stderr.write(`saved as forecast run ${saved.runId}\n`);
    } else {
      const view = value(await context.call('forecast:run', request));
      process.stdout.write(format === 'json' ? JSON.stringify(view, null, 2) + '\n' : format === 'csv' ? csvRows(view.months) : table(view, view.baseCurrency));
    }
    return 0;
  } finally {
    context.close();
  }
}
