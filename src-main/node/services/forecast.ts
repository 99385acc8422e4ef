import type { Database } from 'better-sqlite3';
import type { ParsedRequestOf, ResponseOf } from '../../common/api/contract.ts';
import { DomainError } from '../../common/errors.ts';
import { FORECAST_METHODS } from '../../common/forecast/methods.ts';
import {
  forecastSegment,
  segmentLabel,
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
  const { forecast, ...extra } = computeForecast(db, clock, request);
  return { ...forecast, ...extra };
}

function computeForecast(
  db: Database,
  clock: Clock,
  request: ParsedRequestOf<'forecast:run'>,
): { forecast: SegmentForecast; baseCurrency: string; droppedPartialMonth: string | null; linesWithoutRate: number } {
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
  let forecast;
  try {
    forecast = forecastSegment({
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
    });
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('no usage')) throw new DomainError('not-found', error.message);
    throw error;
  }
  return {
    forecast,
    baseCurrency: readSettings(db).baseCurrency,
    droppedPartialMonth: range.droppedPartial ?? null,
    linesWithoutRate: countLinesWithoutRate(db, segment, range),
  };
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
  const label = request.label || `${segmentLabel(view.segment)} — ${view.method}`;
  const runId = db.transaction(() => {
    const id = insertForecastRun(db, {
      forecast: view,
      label,
      createdAtMs: clock.now(),
      createdBy: actor,
      baseCurrency,
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
  return { runId, run: loadForecastRun(db, runId) };
}
