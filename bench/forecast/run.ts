// Forecast accuracy and speed benchmark, M4 definitions (see src-main/common/forecast/metrics.ts).
//
//   node_modules/.bin/node bench/forecast/run.ts [--subset monthly-dev,daily-dev,m4-weekly] [--method auto]
//        [--baselines naive2,snaive,naive,theta,ets,combination] [--split 2] [--forecasts OUT.csv] [--train-holdout [--holdout-back 2]]
//
// For each subset of ../shared/datasets/subsets it reads train.csv and meta.csv through the same code as the
// `forecast-batch` command, forecasts every series single-threaded in this process (timed: wall clock and CPU),
// writes bench/data/<subset>-<method>.csv in the batch output format, and scores it against test.csv: mean
// sMAPE, mean MASE (seasonal period m of meta.csv), OWA against Naive2, coverage of the 80 % and 95 % intervals
// and MSIS (95 %). --forecasts scores an existing batch output file (any forecaster's) instead of running one.
// --split k also scores k consecutive slices of meta.csv's rows (a uniform random order) to show the spread.
// Benchmarks never fail a build: they print their figures.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  BATCH_OUTPUT_HEADER,
  forecastBatchSeries,
  formatBatchRows,
  joinBatchInput,
  parseBatchMeta,
  parseBatchTrain,
  type BatchForecastRow,
  type BatchSeries,
} from '../../src-main/common/forecast/batch.ts';
import { FORECAST_METHODS, type ForecastMethod } from '../../src-main/common/forecast/methods.ts';
import { coverage, mase, maseScale, msis, owa, smape } from '../../src-main/common/forecast/metrics.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PUBLISHED = join(ROOT, '..', 'shared', 'reference', 'm4-published-scores.csv');
const M3_PUBLISHED = join(ROOT, '..', 'shared', 'datasets', 'm3', 'M3-monthly-published-forecasts.csv');
/** Our method names for the M4 benchmark rows of m4-published-scores.csv. */
const OFFICIAL_NAMES: Record<string, string> = { Naive: 'naive', sNaive: 'snaive', Naive2: 'naive2', SES: 'ses', Holt: 'holt', Damped: 'damped', Theta: 'theta' };
const SUBSETS = join(ROOT, '..', 'shared', 'datasets', 'subsets');
const OUT_DIR = join(ROOT, 'bench', 'data');

const { values: options } = parseArgs({
  options: {
    subset: { type: 'string', default: 'monthly-dev,daily-dev,m4-weekly' },
    method: { type: 'string', default: 'auto' },
    baselines: { type: 'string', default: 'naive2,snaive' },
    split: { type: 'string', default: '2' },
    forecasts: { type: 'string' },
    data: { type: 'string', default: SUBSETS },
    // Score on the last `horizon` values of each training series instead of test.csv (forecasting from an earlier
    // origin): a check that touches no test value at all.
    'train-holdout': { type: 'boolean', default: false },
    // With --train-holdout: score on the k-th last horizon of each training series (2 = an origin 2 horizons back).
    'holdout-back': { type: 'string', default: '1' },
  },
});

type Scores = { series: number; smape: number; mase: number; cov80: number; cov95: number; msis: number };
type Run = { rows: Map<string, BatchForecastRow[]>; wallSeconds: number; cpuSeconds: number };

function loadSubset(name: string) {
  const dir = join(options.data, name);
  const meta = parseBatchMeta(readFileSync(join(dir, 'meta.csv'), 'utf8'), 'meta.csv');
  const series = joinBatchInput(meta, parseBatchTrain(readFileSync(join(dir, 'train.csv'), 'utf8'), 'train.csv'));
  if (options['train-holdout']) {
    const back = Number(options['holdout-back']);
    if (!Number.isInteger(back) || back < 1) throw new Error('--holdout-back must be a whole number from 1');
    const test = new Map<string, { values: number[] }>();
    const shortened = series.map((s) => {
      const end = s.values.length - (back - 1) * s.horizon;
      test.set(s.id, { values: s.values.slice(end - s.horizon, end) });
      return { ...s, values: s.values.slice(0, end - s.horizon) };
    });
    return { series: shortened, test };
  }
  const test = parseBatchTrain(readFileSync(join(dir, 'test.csv'), 'utf8'), 'test.csv');
  return { series, test };
}

function runMethod(series: BatchSeries[], method: ForecastMethod): Run {
  const rows = new Map<string, BatchForecastRow[]>();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const s of series) rows.set(s.id, forecastBatchSeries(s, { method }));
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rows, wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function readForecastFile(path: string): Map<string, BatchForecastRow[]> {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  if (lines[0] !== BATCH_OUTPUT_HEADER) throw new Error(`${path}: header must be ${BATCH_OUTPUT_HEADER}`);
  const rows = new Map<string, BatchForecastRow[]>();
  lines.slice(1).forEach((line, i) => {
    const [seriesId, h, mean, lo80, hi80, lo95, hi95] = line.split(',');
    const row = { seriesId: seriesId!, h: Number(h), mean: Number(mean), lo80: Number(lo80), hi80: Number(hi80), lo95: Number(lo95), hi95: Number(hi95) };
    if (Object.values(row).some((v) => typeof v === 'number' && !Number.isFinite(v))) throw new Error(`${path}:line ${i + 2}: not a number`);
    if (!rows.has(row.seriesId)) rows.set(row.seriesId, []);
    rows.get(row.seriesId)!.push(row);
  });
  return rows;
}

function score(series: BatchSeries[], test: Map<string, { values: number[] }>, rows: Map<string, BatchForecastRow[]>): Scores {
  const total = { series: 0, smape: 0, mase: 0, cov80: 0, cov95: 0, msis: 0 };
  for (const s of series) {
    const actual = test.get(s.id)?.values;
    const forecast = rows.get(s.id);
    if (!actual || !forecast) throw new Error(`series ${s.id}: missing ${actual ? 'forecast' : 'test values'}`);
    if (forecast.length < s.horizon || actual.length < s.horizon) throw new Error(`series ${s.id}: fewer than ${s.horizon} steps`);
    const y = actual.slice(0, s.horizon);
    const f = forecast.slice().sort((a, b) => a.h - b.h).slice(0, s.horizon);
    const scale = maseScale(s.values, s.period);
    total.series++;
    total.smape += smape(y, f.map((r) => r.mean));
    total.mase += mase(y, f.map((r) => r.mean), scale);
    total.cov80 += coverage(y, f.map((r) => r.lo80), f.map((r) => r.hi80));
    total.cov95 += coverage(y, f.map((r) => r.lo95), f.map((r) => r.hi95));
    total.msis += msis(y, f.map((r) => r.lo95), f.map((r) => r.hi95), scale);
  }
  const n = total.series;
  return { series: n, smape: total.smape / n, mase: total.mase / n, cov80: total.cov80 / n, cov95: total.cov95 / n, msis: total.msis / n };
}

const pad = (text: string, width: number) => text.padEnd(width);
function line(label: string, s: Scores, naive2: Scores, run?: { wallSeconds: number; cpuSeconds: number }): string {
  const o = owa(s, naive2);
  const time = run ? `${run.wallSeconds.toFixed(2).padStart(7)} ${run.cpuSeconds.toFixed(2).padStart(7)}` : '';
  return `${pad(label, 28)} ${String(s.series).padStart(5)} ${s.smape.toFixed(3).padStart(7)} ${s.mase.toFixed(3).padStart(6)} ${o.toFixed(4).padStart(6)} ${s.cov80.toFixed(3).padStart(6)} ${s.cov95.toFixed(3).padStart(6)} ${s.msis.toFixed(3).padStart(7)} ${time}`;
}
const HEADER = `${pad('method', 28)} ${'series'.padStart(5)} ${'sMAPE'.padStart(7)} ${'MASE'.padStart(6)} ${'OWA'.padStart(6)} ${'cov80'.padStart(6)} ${'cov95'.padStart(6)} ${'MSIS'.padStart(7)} ${'wall s'.padStart(7)} ${'CPU s'.padStart(7)}`;

const method = options.method as ForecastMethod;
if (!(FORECAST_METHODS as readonly string[]).includes(method)) throw new Error(`--method must be one of ${FORECAST_METHODS.join(', ')}`);
const baselines = options.baselines.split(',').map((b) => b.trim()).filter(Boolean) as ForecastMethod[];
mkdirSync(OUT_DIR, { recursive: true });
console.log(
  `Forecast benchmark — node ${process.version}, single thread, method ${options.forecasts ? options.forecasts : method}` +
    (options['train-holdout'] ? ' — scored on the last horizon of each TRAINING series (test.csv unused)' : ''),
);
if (options['train-holdout'] && options.forecasts) throw new Error('--train-holdout runs the method itself; it cannot score a --forecasts file');

for (const subset of options.subset.split(',').map((s) => s.trim())) {
  const { series, test } = loadSubset(subset);
  const naive2Run = runMethod(series, 'naive2');
  const naive2 = score(series, test, naive2Run.rows);
  const main = options.forecasts ? { rows: readForecastFile(options.forecasts), wallSeconds: Number.NaN, cpuSeconds: Number.NaN } : runMethod(series, method);
  if (!options.forecasts && !options['train-holdout']) {
    const out = join(OUT_DIR, `${subset}-${method}.csv`);
    writeFileSync(out, BATCH_OUTPUT_HEADER + '\n' + [...main.rows.values()].map(formatBatchRows).join(''));
  }
  console.log(`\n${subset}: ${series.length} series, horizon ${series[0]!.horizon}, m = ${series[0]!.period}`);
  console.log(HEADER);
  console.log(line(options.forecasts ? 'forecasts file' : method, score(series, test, main.rows), naive2, options.forecasts ? undefined : main));
  for (const baseline of baselines) {
    const run = baseline === 'naive2' ? naive2Run : runMethod(series, baseline);
    console.log(line(baseline, score(series, test, run.rows), naive2, run));
  }
  if (subset === 'monthly-dev' && existsSync(M3_PUBLISHED) && !options['train-holdout']) {
    // The original M3 submissions' point forecasts for these series, scored the same way (no intervals).
    const published = new Map<string, Map<string, number[]>>();
    for (const line of readFileSync(M3_PUBLISHED, 'utf8').trim().split('\n').slice(1)) {
      const [id, name, step, v] = line.split(',');
      if (!published.has(name!)) published.set(name!, new Map());
      const byId = published.get(name!)!;
      if (!byId.has(id!)) byId.set(id!, []);
      byId.get(id!)![Number(step) - 1] = Number(v);
    }
    console.log('M3 submissions (point forecasts from the competition, OWA against the same Naive2):');
    for (const [name, byId] of published) {
      const rows = new Map<string, BatchForecastRow[]>();
      for (const s of series) {
        const f = byId.get(s.id) ?? [];
        rows.set(s.id, f.map((mean, k) => ({ seriesId: s.id, h: k + 1, mean, lo80: mean, hi80: mean, lo95: mean, hi95: mean })));
      }
      const sc = score(series, test, rows);
      console.log(`  ${pad(name, 12)} sMAPE ${sc.smape.toFixed(3)}  MASE ${sc.mase.toFixed(3)}  OWA ${owa(sc, naive2).toFixed(4)}`);
    }
  }
  if (subset === 'm4-weekly' && existsSync(PUBLISHED) && !options['train-holdout']) {
    // The whole M4 Weekly set: our implementations of the M4 benchmarks against the organisers' published scores.
    console.log('M4 Weekly, official point scores (sMAPE / MASE) next to this code:');
    for (const line of readFileSync(PUBLISHED, 'utf8').trim().split('\n').slice(1)) {
      const [table, name, frequency, officialSmape, officialMase] = line.split(',');
      const ours = OFFICIAL_NAMES[name!];
      if (table !== 'point' || frequency !== 'Weekly' || !ours) continue;
      const mine = score(series, test, (ours === 'naive2' ? naive2Run : runMethod(series, ours as ForecastMethod)).rows);
      console.log(`  ${pad(name!, 8)} official ${officialSmape} / ${officialMase}   this code ${mine.smape.toFixed(3)} / ${mine.mase.toFixed(3)}`);
    }
  }
  const parts = Number(options.split);
  if (parts > 1) {
    const size = Math.ceil(series.length / parts);
    for (let k = 0; k < parts; k++) {
      const slice = series.slice(k * size, (k + 1) * size);
      const sliceNaive2 = score(slice, test, naive2Run.rows);
      console.log(line(`${options.forecasts ? 'file' : method} rows ${k * size + 1}–${k * size + slice.length}`, score(slice, test, main.rows), sliceNaive2));
    }
  }
}
