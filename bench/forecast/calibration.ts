// Interval calibration on a backtest, as the workbook forecasts use it, checked on M3 monthly training data.
//
//   node_modules/.bin/node bench/forecast/calibration.ts [--subset monthly-dev] [--keep 30] [--limit 700]
//        [--variants separate:0.25,separate:0.5,symmetric:0.25,separate:0.25:pooled]
//
// For every series of the subset, only train.csv is read (test.csv never): the last 6 training months are held out;
// on the months before them (the last `--keep` of them, 0 = all, to mimic a workbook's short history) the `auto`
// method runs the workbook's rolling-origin backtest (12 origins, up to 6 months ahead, at least 12 months of
// training), the intervals are calibrated on it (src-main/common/forecast/calibration.ts) and the forecast of the 6
// held-out months is scored before and after calibration: coverage of the 80 % and 95 % intervals, the shares
// below P10 and above P90, and the mean interval score of the 80 % and 95 % intervals (Gneiting & Raftery 2007,
// scaled by the series' last held-out value; lower is better), with the share of series whose score improved.
// It also prints the backtest's own coverage before and after its calibration checked without hindsight.
// Benchmarks never fail a build: they print their figures.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { rollingOriginRun } from '../../src-main/common/forecast/backtest.ts';
import { joinBatchInput, parseBatchMeta, parseBatchTrain } from '../../src-main/common/forecast/batch.ts';
import {
  calibrateFromBacktest,
  calibrateQuantiles,
  coverageCheck,
  factorsAtStep,
  type CalibrationOptions,
  type CalibrationSample,
  type CoverageCheck,
} from '../../src-main/common/forecast/calibration.ts';
import { QUANTILE_PROBABILITIES, type ForecastDistribution } from '../../src-main/common/forecast/distribution.ts';
import { forecastSeries } from '../../src-main/common/forecast/methods.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: options } = parseArgs({
  options: {
    subset: { type: 'string', default: 'monthly-dev' },
    keep: { type: 'string', default: '30' },
    limit: { type: 'string', default: '100000' },
    variants: { type: 'string', default: 'separate:0.25,separate:0.5,symmetric:0.25,separate:0.25:pooled' },
    data: { type: 'string', default: join(ROOT, '..', 'shared', 'datasets', 'subsets') },
  },
});

const HELD_OUT = 6;
const keep = Number(options.keep);
const dir = join(options.data, options.subset);
const series = joinBatchInput(parseBatchMeta(readFileSync(join(dir, 'meta.csv'), 'utf8')), parseBatchTrain(readFileSync(join(dir, 'train.csv'), 'utf8'))).slice(
  0,
  Number(options.limit),
);

type Case = { samples: CalibrationSample[]; final: ForecastDistribution; check: number[] };
const cases: Case[] = [];
const cpu0 = process.cpuUsage();
for (const s of series) {
  const check = s.values.slice(-HELD_OUT);
  let history = s.values.slice(0, -HELD_OUT);
  if (keep > 0) history = history.slice(-keep);
  const cache = new Map<string, ForecastDistribution>();
  const forecaster = (training: number[], steps: number) => {
    const key = `${training.length}:${steps}`;
    if (!cache.has(key)) cache.set(key, forecastSeries({ values: training, period: s.period, horizon: steps, method: 'auto' }));
    return cache.get(key)!;
  };
  const run = rollingOriginRun(history, s.period, forecaster, { origins: 12, horizon: HELD_OUT, minimumTraining: 12 });
  if (run.samples.length === 0) continue;
  cases.push({ samples: run.samples, final: forecaster(history, HELD_OUT), check });
}
const cpu = process.cpuUsage(cpu0);
console.log(
  `Calibration on a backtest — ${options.subset}, ${cases.length} series, histories of ${keep > 0 ? `the last ${keep}` : 'all'} training months before the last ${HELD_OUT}; ` +
    `method auto; ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU`,
);

const P = QUANTILE_PROBABILITIES;
const at = (p: number) => P.indexOf(p as (typeof P)[number]);
/** Interval score of the 80 % and 95 % intervals (width plus 2/α times the miss). */
function intervalScore(y: number, q: ArrayLike<number>): number {
  const score = (lo: number, hi: number, alpha: number) => hi - lo + (2 / alpha) * Math.max(0, lo - y) + (2 / alpha) * Math.max(0, y - hi);
  return score(q[at(0.1)]!, q[at(0.9)]!, 0.2) + score(q[at(0.025)]!, q[at(0.975)]!, 0.05);
}
const fmt = (c: CoverageCheck) => `${c.coverage80.toFixed(3)} / ${c.coverage95.toFixed(3)}  <P10 ${c.belowP10.toFixed(3)} >P90 ${c.aboveP90.toFixed(3)}`;

function evaluate(calibrationOptions: CalibrationOptions | null) {
  const held: { actual: number; quantiles: number[] }[] = [];
  const backtestBefore: CoverageCheck[] = [];
  const backtestAfter: CoverageCheck[] = [];
  let score = 0;
  let count = 0;
  const perSeries: number[] = [];
  for (const c of cases) {
    const calibration = calibrationOptions ? calibrateFromBacktest(c.samples, calibrationOptions) : null;
    if (calibration) {
      backtestBefore.push(calibration.before);
      backtestAfter.push(calibration.after);
    }
    let seriesScore = 0;
    const scale = Math.abs(c.check[c.check.length - 1]!) || 1;
    c.check.forEach((y, h) => {
      const raw = P.map((_, k) => c.final.quantiles[k]![h]!);
      const q = calibration ? calibrateQuantiles(raw, factorsAtStep(calibration.steps, h + 1)) : raw;
      held.push({ actual: y, quantiles: q });
      seriesScore += intervalScore(y, q) / scale;
    });
    score += seriesScore;
    count += c.check.length;
    perSeries.push(seriesScore);
  }
  const pool = (checks: CoverageCheck[]): CoverageCheck => {
    const n = checks.reduce((a, c) => a + c.forecasts, 0);
    const mean = (key: keyof CoverageCheck) => checks.reduce((a, c) => a + c[key] * c.forecasts, 0) / n;
    return { forecasts: n, coverage80: mean('coverage80'), coverage95: mean('coverage95'), belowP10: mean('belowP10'), aboveP90: mean('aboveP90') };
  };
  return { held: coverageCheck(held), score: score / count, perSeries, backtest: calibrationOptions ? { before: pool(backtestBefore), after: pool(backtestAfter) } : null };
}

const base = evaluate(null);
console.log(`\n${'variant'.padEnd(30)} held-out 6 months: cov80 / cov95, tails          interval score   series better   backtest (without hindsight) after`);
console.log(`${'model as it is'.padEnd(30)} ${fmt(base.held)}   ${base.score.toFixed(4)}`);
for (const text of options.variants.split(',')) {
  const [sides, prior, pooled] = text.split(':');
  const variant: CalibrationOptions = { sides: sides === 'symmetric' ? 'symmetric' : 'separate', priorScale: Number(prior), perStep: pooled !== 'pooled' };
  const r = evaluate(variant);
  const better = r.perSeries.filter((v, i) => v < base.perSeries[i]! - 1e-12).length / r.perSeries.length;
  console.log(`${text.padEnd(30)} ${fmt(r.held)}   ${r.score.toFixed(4)}           ${better.toFixed(2)}   ${fmt(r.backtest!.after)} (before ${fmt(r.backtest!.before)})`);
}
