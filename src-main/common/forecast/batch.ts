import { DomainError, type Issue } from '../errors.ts';
import { quantileAt } from './distribution.ts';
import { forecastSeries, type ForecastMethod, type TransformKind } from './methods.ts';

/**
 * The batch interface used for benchmarking (`forecast-batch`): long-format CSV in, one row per series and step
 * out. Formats (those of shared/datasets/subsets):
 * - train: `series_id,t,value` — t consecutive integers per series, value a finite number;
 * - meta: `series_id,frequency,horizon,…` — frequency the seasonal period m, horizon the number of steps;
 * - out: `series_id,h,mean,lo80,hi80,lo95,hi95` for h = 1…horizon, series in meta order.
 */
export type BatchSeries = { id: string; period: number; horizon: number; values: number[] };
export type BatchForecastRow = { seriesId: string; h: number; mean: number; lo80: number; hi80: number; lo95: number; hi95: number };

const MAX_ISSUES = 20;

function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length > 0 && lines[0]!.charCodeAt(0) === 0xfeff) lines[0] = lines[0]!.slice(1);
  return lines;
}

function fields(line: string): string[] {
  return line.split(',').map((f) => {
    const t = f.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replaceAll('""', '"') : t;
  });
}

function columnIndex(header: string[], name: string, file: string, issues: Issue[]): number {
  const index = header.findIndex((h) => h.toLowerCase() === name);
  if (index < 0) issues.push({ path: `${file}:line 1`, message: `missing column "${name}" (header: ${header.join(',')})` });
  return index;
}

function fail(file: string, issues: Issue[]): never {
  const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  throw new DomainError('invalid-input', `${file}: ${shown.join('; ')}${more}`, issues.slice(0, MAX_ISSUES));
}

/** Parses meta.csv: series in file order with their period and horizon. */
export function parseBatchMeta(text: string, file = 'meta.csv'): { id: string; period: number; horizon: number; line: number }[] {
  const lines = splitLines(text);
  const issues: Issue[] = [];
  if (lines.length === 0) fail(file, [{ path: `${file}:line 1`, message: 'the file is empty' }]);
  const header = fields(lines[0]!);
  const idCol = columnIndex(header, 'series_id', file, issues);
  const freqCol = columnIndex(header, 'frequency', file, issues);
  const horizonCol = columnIndex(header, 'horizon', file, issues);
  if (issues.length > 0) fail(file, issues);
  const seen = new Map<string, number>();
  const result: { id: string; period: number; horizon: number; line: number }[] = [];
  for (let i = 1; i < lines.length && issues.length < MAX_ISSUES; i++) {
    if (lines[i]!.trim() === '') continue;
    const f = fields(lines[i]!);
    const lineNo = i + 1;
    const id = f[idCol] ?? '';
    const where = `${file}:line ${lineNo}${id ? ` (series ${id})` : ''}`;
    if (!id) {
      issues.push({ path: where, message: 'series_id is empty' });
      continue;
    }
    const period = Number(f[freqCol]);
    const horizon = Number(f[horizonCol]);
    if (!Number.isInteger(period) || period < 1 || period > 366) {
      issues.push({ path: where, message: `frequency "${f[freqCol] ?? ''}" is not a whole number from 1 to 366` });
      continue;
    }
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > 1000) {
      issues.push({ path: where, message: `horizon "${f[horizonCol] ?? ''}" is not a whole number from 1 to 1000` });
      continue;
    }
    if (seen.has(id)) {
      issues.push({ path: where, message: `series ${id} is listed twice (first on line ${seen.get(id)})` });
      continue;
    }
    seen.set(id, lineNo);
    result.push({ id, period, horizon, line: lineNo });
  }
  if (issues.length > 0) fail(file, issues);
  if (result.length === 0) fail(file, [{ path: `${file}:line 2`, message: 'no series listed' }]);
  return result;
}

/** Parses train.csv into one value array per series (ordered by t, which must run without gaps). */
export function parseBatchTrain(text: string, file = 'train.csv'): Map<string, { values: number[]; firstLine: number }> {
  const lines = splitLines(text);
  const issues: Issue[] = [];
  if (lines.length === 0) fail(file, [{ path: `${file}:line 1`, message: 'the file is empty' }]);
  const header = fields(lines[0]!);
  const idCol = columnIndex(header, 'series_id', file, issues);
  const tCol = columnIndex(header, 't', file, issues);
  const valueCol = columnIndex(header, 'value', file, issues);
  if (issues.length > 0) fail(file, issues);
  const points = new Map<string, { t: number; value: number; line: number }[]>();
  for (let i = 1; i < lines.length && issues.length < MAX_ISSUES; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const f = fields(raw);
    const lineNo = i + 1;
    const id = f[idCol] ?? '';
    const where = `${file}:line ${lineNo}${id ? ` (series ${id})` : ''}`;
    if (!id) {
      issues.push({ path: where, message: 'series_id is empty' });
      continue;
    }
    const tText = f[tCol] ?? '';
    const t = Number(tText);
    if (tText === '' || !Number.isInteger(t)) {
      issues.push({ path: where, message: `t "${tText}" is not a whole number` });
      continue;
    }
    const valueText = f[valueCol] ?? '';
    const value = Number(valueText);
    if (valueText === '') {
      issues.push({ path: where, message: `value is missing at t=${t} (fill gaps before forecasting)` });
      continue;
    }
    if (!Number.isFinite(value)) {
      issues.push({ path: where, message: `value "${valueText}" is not a number` });
      continue;
    }
    let list = points.get(id);
    if (!list) points.set(id, (list = []));
    list.push({ t, value, line: lineNo });
  }
  if (issues.length > 0) fail(file, issues);
  const result = new Map<string, { values: number[]; firstLine: number }>();
  for (const [id, list] of points) {
    list.sort((a, b) => a.t - b.t);
    for (let k = 1; k < list.length && issues.length < MAX_ISSUES; k++) {
      const previous = list[k - 1]!;
      const current = list[k]!;
      if (current.t === previous.t) {
        issues.push({ path: `${file}:line ${current.line} (series ${id})`, message: `t=${current.t} appears twice (also line ${previous.line})` });
      } else if (current.t !== previous.t + 1) {
        issues.push({ path: `${file}:line ${current.line} (series ${id})`, message: `t jumps from ${previous.t} to ${current.t}: values are missing` });
      }
    }
    result.set(id, { values: list.map((p) => p.value), firstLine: Math.min(...list.map((p) => p.line)) });
  }
  if (issues.length > 0) fail(file, issues);
  return result;
}

/** Matches meta and train: every meta series needs training values, and every training series a meta row. */
export function joinBatchInput(
  meta: ReturnType<typeof parseBatchMeta>,
  train: ReturnType<typeof parseBatchTrain>,
  files = { meta: 'meta.csv', train: 'train.csv' },
): BatchSeries[] {
  const issues: Issue[] = [];
  const ids = new Set(meta.map((m) => m.id));
  for (const m of meta) {
    if (!train.has(m.id)) issues.push({ path: `${files.meta}:line ${m.line} (series ${m.id})`, message: `no values for series ${m.id} in ${files.train}` });
  }
  for (const [id, t] of train) {
    if (!ids.has(id)) issues.push({ path: `${files.train}:line ${t.firstLine} (series ${id})`, message: `series ${id} is not listed in ${files.meta}` });
  }
  if (issues.length > 0) fail(issues[0]!.path.split(':')[0]!, issues);
  return meta.map((m) => ({ id: m.id, period: m.period, horizon: m.horizon, values: train.get(m.id)!.values }));
}

export type BatchOptions = { method: ForecastMethod; transform?: TransformKind; seed?: number };

/** Forecasts one series for the batch output. */
export function forecastBatchSeries(series: BatchSeries, options: BatchOptions): BatchForecastRow[] {
  const forecast = forecastSeries({
    values: series.values,
    period: series.period,
    horizon: series.horizon,
    method: options.method,
    ...(options.transform ? { transform: options.transform } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const lo80 = quantileAt(forecast, 0.1);
  const hi80 = quantileAt(forecast, 0.9);
  const lo95 = quantileAt(forecast, 0.025);
  const hi95 = quantileAt(forecast, 0.975);
  return forecast.mean.map((mean, k) => ({ seriesId: series.id, h: k + 1, mean, lo80: lo80[k]!, hi80: hi80[k]!, lo95: lo95[k]!, hi95: hi95[k]! }));
}

export const BATCH_OUTPUT_HEADER = 'series_id,h,mean,lo80,hi80,lo95,hi95';

export function formatBatchRows(rows: BatchForecastRow[]): string {
  return rows.map((r) => `${csvField(r.seriesId)},${r.h},${r.mean},${r.lo80},${r.hi80},${r.lo95},${r.hi95}\n`).join('');
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
