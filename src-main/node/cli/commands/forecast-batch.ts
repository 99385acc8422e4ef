import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError } from '../../../common/errors.ts';
import {
  BATCH_OUTPUT_HEADER,
  forecastBatchSeries,
  formatBatchRows,
  joinBatchInput,
  parseBatchMeta,
  parseBatchTrain,
} from '../../../common/forecast/batch.ts';
import { FORECAST_METHODS, type ForecastMethod, type TransformKind } from '../../../common/forecast/methods.ts';
import { UsageError } from '../usage-error.ts';
import type { Command } from './shared.ts';

export const forecastBatchCommand: Command = {
  usage: `forecast-batch --train TRAIN.csv --meta META.csv --out OUT.csv [--method ${FORECAST_METHODS.join('|')}]
                     [--transform none|log|box-cox] [--seed N]
      Forecasts every series of a long-format file (series_id,t,value; meta: series_id,frequency,horizon)
      and writes series_id,h,mean,lo80,hi80,lo95,hi95. Stable interface, used by bench/forecast.`,
  run: forecastBatch,
};

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new DomainError('not-found', `cannot read ${what} file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function forecastBatch(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      train: { type: 'string' },
      meta: { type: 'string' },
      out: { type: 'string' },
      method: { type: 'string', default: 'auto' },
      transform: { type: 'string', default: 'none' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  if (!values.train || !values.meta || !values.out) throw new UsageError('forecast-batch needs --train, --meta and --out');
  const method = values.method as ForecastMethod;
  if (!(FORECAST_METHODS as readonly string[]).includes(method)) throw new UsageError(`--method must be one of ${FORECAST_METHODS.join(', ')}`);
  const transform = values.transform as TransformKind;
  if (!['none', 'log', 'box-cox'].includes(transform)) throw new UsageError('--transform must be none, log or box-cox');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new UsageError('--seed must be a whole number');

  const files = { meta: basename(values.meta), train: basename(values.train) };
  const meta = parseBatchMeta(readText(values.meta, 'meta'), files.meta);
  const train = parseBatchTrain(readText(values.train, 'train'), files.train);
  const series = joinBatchInput(meta, train, files);

  const started = performance.now();
  const chunks: string[] = [`${BATCH_OUTPUT_HEADER}\n`];
  for (const s of series) {
    try {
      chunks.push(formatBatchRows(forecastBatchSeries(s, { method, ...(transform !== 'none' ? { transform } : {}), ...(seed !== undefined ? { seed } : {}) })));
    } catch (error) {
      throw new DomainError('invalid-input', `series ${s.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  // Write beside the target and rename, so a failed run never leaves half a file.
  const temporary = `${values.out}.partial`;
  writeFileSync(temporary, chunks.join(''));
  renameSync(temporary, values.out);
  process.stderr.write(`${series.length} series forecast with ${method} in ${seconds.toFixed(2)} s → ${values.out}\n`);
  return 0;
}
