import type { Database } from 'better-sqlite3';
import type { ParsedRequestOf, ResponseOf } from '../../common/api/contract.ts';
import { DomainError } from '../../common/errors.ts';
import { FORECAST_METHODS } from '../../common/forecast/methods.ts';
import {
  forecastSegmentSteps,
  segmentLabel,
  type SegmentForecastInput,
  type ExposureSegment,
  type ForecastOverlay,
  type PricePath,
  type SegmentDimension,
  type SegmentForecast,
} from '../../common/forecast/token-forecast.ts';
import type { Clock } from '../../common/time/clock.ts';
import { appendAudit } from '../workbook/audit-log-repo.ts';
import { historyRange, segmentHistories, segmentValues } from '../workbook/forecast-history-repo.ts';
import { insertForecastRun, loadForecastRun, type ForecastRun } from '../workbook/forecast-runs-repo.ts';
import { readSettings } from '../workbook/settings-repo.ts';

/** The dimension the total is reconciled with: hedges are usually placed per provider. */
const TOTAL_RECONCILED_WITH: SegmentDimension = 'provider';

export function forecastSegments(db: Database, clock: Clock): ResponseOf<'forecast:segments'> {
  const range = historyRange(db, clock.today());
  return {
    baseCurrency: readSettings(db).baseCurrency,
    historyFrom: range?.from ?? null,
    historyTo: range?.to ?? null,
    dimensions: segmentValues(db),
    methods: [...FORECAST_METHODS],
  };
}

/** Forecasts one segment from the workbook's usage (nothing is saved). */
export function runForecast(db: Database, clock: Clock, request: ParsedRequestOf<'forecast:run'>): ResponseOf<'forecast:run'> {
  const prepared = prepareForecast(db, clock, request);
  return viewOf(prepared, withNotFound(() => runSteps(forecastSegmentSteps(prepared.input))));
}

/** A forecast view and, when the job saved it, the run's id: what a forecast job returns. */
export type ForecastJobResult = { view: ForecastView; runId: number | null };

/** A segment forecast with what the page shows beside it. */
type ForecastView = SegmentForecast & { baseCurrency: string; droppedPartialMonth: string | null; linesWithoutRate: number };

/**
 * The forecast job: reads the history (one query, not interruptible), forecasts one series or backtest origin at
 * a time, letting other work run between them, reports progress and stops at the next step when cancelled
 * (returning null); with `save`, saves the run as `forecast:save` does. A large workbook with many segments takes
 * several seconds (docs/forecasting.md).
 */
export async function runForecastJob(
  db: Database,
  clock: Clock,
  actor: string,
  request: ParsedRequestOf<'forecast:start'>,
  context: { signal: AbortSignal; onProgress(fraction: number, message: string): void },
): Promise<ForecastJobResult | null> {
  context.onProgress(0, 'Reading the usage history');
  const prepared = prepareForecast(db, clock, request);
  const steps = forecastSegmentSteps(prepared.input);
  let forecast: SegmentForecast | undefined;
  for (;;) {
    if (context.signal.aborted) return null;
    const step = withNotFound(() => steps.next());
    if (step.done) {
      forecast = step.value;
      break;
    }
    context.onProgress(0.05 + (0.9 * step.value.done) / step.value.total, step.value.message);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const view = viewOf(prepared, forecast);
  if (!request.save) return { view, runId: null };
  context.onProgress(0.97, 'Saving the run');
  return { view, runId: storeRun(db, clock, actor, view, request, request.label) };
}

type PreparedForecast = { input: SegmentForecastInput; baseCurrency: string; droppedPartialMonth: string | null; linesWithoutRate: number };

function prepareForecast(db: Database, clock: Clock, request: ParsedRequestOf<'forecast:run'>): PreparedForecast {
  const segment = request.segment as ExposureSegment;
  const range = historyRange(db, clock.today());
  if (!range) throw new DomainError('not-found', 'There is no complete month of usage to forecast from yet: import usage first.');
  const dimension = segment.dimension === 'total' ? TOTAL_RECONCILED_WITH : segment.dimension;
  const histories = segmentHistories(db, dimension, range);
  if (segment.dimension !== 'total' && !histories.values.some((v) => v.value === segment.value)) {
    throw new DomainError('not-found', `No usage for ${segmentLabel(segment)} in ${range.from} … ${range.to}.`, [
      { path: 'segment.value', message: `no usage for "${segment.value}"` },
    ]);
  }
  return {
    input: {
      segment,
      total: histories.total,
      siblings: histories.values,
      reconcileWith: dimension,
      lastMonth: range.to,
      settings: {
        method: request.method,
        horizon: request.horizon,
        seed: request.seed,
        overlays: request.overlays as ForecastOverlay[],
        pricePath: request.pricePath as PricePath,
        transform: request.transform,
      },
      backtest: request.backtest,
    },
    baseCurrency: readSettings(db).baseCurrency,
    droppedPartialMonth: range.droppedPartial ?? null,
    linesWithoutRate: countLinesWithoutRate(db, segment, range),
  };
}

/** Runs the forecast's steps to the end (the synchronous path of the API and the CLI). */
function runSteps(steps: Generator<unknown, SegmentForecast, void>): SegmentForecast {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

function viewOf(prepared: PreparedForecast, forecast: SegmentForecast): ForecastView {
  return { ...forecast, baseCurrency: prepared.baseCurrency, droppedPartialMonth: prepared.droppedPartialMonth, linesWithoutRate: prepared.linesWithoutRate };
}

function computeForecast(db: Database, clock: Clock, request: ParsedRequestOf<'forecast:run'>): { forecast: SegmentForecast; baseCurrency: string } {
  const prepared = prepareForecast(db, clock, request);
  return { forecast: withNotFound(() => runSteps(forecastSegmentSteps(prepared.input))), baseCurrency: prepared.baseCurrency };
}

/** The engine's "no usage for …" (a segment without usage in the history) as a not-found error. */
function withNotFound<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('no usage')) throw new DomainError('not-found', error.message);
    throw error;
  }
}

function countLinesWithoutRate(db: Database, segment: ExposureSegment, range: { from: string; to: string }): number {
  const filter = segment.dimension === 'total' ? '' : ` AND ${segment.dimension} = ?`;
  const params: string[] = [`${range.from}-01`, `${range.to}-31`];
  if (segment.dimension !== 'total') params.push(segment.value);
  return (
    db
      .prepare(
        `SELECT count(*) FROM usage_lines WHERE charge_kind = 'usage' AND token_kind <> 'other' AND cost_base_micros IS NULL
           AND usage_date >= ? AND usage_date <= ?${filter}`,
      )
      .pluck()
      .get(...params) as number
  );
}

/** Runs the forecast and saves it as an immutable run, recorded in the audit log. */
export function saveForecast(
  db: Database,
  clock: Clock,
  actor: string,
  request: ParsedRequestOf<'forecast:save'>,
): { runId: number; run: ForecastRun } {
  const { forecast: view, baseCurrency } = computeForecast(db, clock, request);
  const runId = storeRun(db, clock, actor, { ...view, baseCurrency }, request, request.label);
  return { runId, run: loadForecastRun(db, runId) };
}

/** Saves a computed forecast as an immutable run with an audit-log entry; returns its id. */
function storeRun(
  db: Database,
  clock: Clock,
  actor: string,
  view: SegmentForecast & { baseCurrency: string },
  request: ParsedRequestOf<'forecast:run'>,
  labelText: string,
): number {
  const label = labelText || `${segmentLabel(view.segment)} — ${view.method}`;
  return db.transaction(() => {
    const id = insertForecastRun(db, {
      forecast: view,
      label,
      createdAtMs: clock.now(),
      createdBy: actor,
      baseCurrency: view.baseCurrency,
      settings: {
        seed: request.seed,
        overlays: request.overlays as ForecastOverlay[],
        pricePath: request.pricePath as PricePath,
        transform: request.transform,
        reconciliation: view.reconciliation,
      },
    });
    appendAudit(db, {
      atMs: clock.now(),
      actor,
      action: 'forecast.save',
      entity: 'forecast_run',
      entityId: String(id),
      before: null,
      after: { label, segment: view.segment, method: view.method, model: view.model, horizon: request.horizon },
    });
    return id;
  })();
}
