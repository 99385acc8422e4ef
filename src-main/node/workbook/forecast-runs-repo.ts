import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import type { Backtest } from '../../common/forecast/backtest.ts';
import {
  QUANTILE_KEYS,
  type ExposureSegment,
  type ForecastCalibration,
  type ForecastMonth,
  type ForecastOverlay,
  type PricePath,
  type QuantileSet,
  type SegmentForecast,
  type UsageMonth,
} from '../../common/forecast/token-forecast.ts';
import type { ForecastMethod, TransformKind } from '../../common/forecast/methods.ts';
import type { IsoMonth } from '../../common/time/iso-date.ts';

/**
 * A saved forecast run: an immutable snapshot of one segment's forecast, as hedge sizing (issue 5) and memos use
 * it. Per future month: token volume (whole tokens), price per million tokens and spend (base-currency micros),
 * each as mean and quantiles P2.5 … P97.5 (`QuantileSet`: p10 is P10). See docs/forecasting.md.
 */
export type ForecastRun = {
  runId: number;
  createdAtMs: number;
  createdBy: string;
  label: string;
  segment: ExposureSegment;
  method: ForecastMethod;
  model: string;
  baseCurrency: string;
  horizon: number;
  settings: SavedSettings;
  history: { fromMonth: IsoMonth; toMonth: IsoMonth; months: UsageMonth[] };
  months: ForecastMonth[];
  backtest: { tokens: Backtest; spend: Backtest };
  /** How the intervals were calibrated on the backtest (absent in runs saved before engine 2). */
  calibration?: ForecastCalibration;
  reconciliation: string;
  notes: string[];
  engineVersion: string;
};

export type SavedSettings = { seed: number; overlays: ForecastOverlay[]; pricePath: PricePath; transform: TransformKind; reconciliation: string };

export type ForecastRunSummary = Pick<ForecastRun, 'runId' | 'createdAtMs' | 'createdBy' | 'label' | 'segment' | 'method' | 'model' | 'horizon'> & {
  firstMonth: IsoMonth;
  historyTo: IsoMonth;
};

/**
 * Bumped when the engine's results for the same input would change. 2: `auto` combines its members as a mixture,
 * intervals calibrated on the backtest, price-level shifts in the price uncertainty.
 */
export const FORECAST_ENGINE_VERSION = 'forecast-engine 2';

const COLUMNS = ['q025', 'q050', 'q100', 'q200', 'q250', 'q300', 'q400', 'q500', 'q600', 'q700', 'q750', 'q800', 'q900', 'q950', 'q975'] as const;
const MEASURES = [
  ['tokens', 'tokens'],
  ['price_per_mtok_micros', 'pricePerMTokMicros'],
  ['spend_micros', 'spendMicros'],
] as const;

type RunRow = {
  run_id: number;
  created_at_ms: number;
  created_by: string;
  label: string;
  segment_dimension: string;
  segment_value: string | null;
  method: string;
  model: string;
  base_currency: string;
  history_from: string;
  history_to: string;
  horizon: number;
  settings_json: string;
  history_json: string;
  backtest_json: string;
  notes_json: string;
  engine_version: string;
};

function checkedInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new DomainError('money-out-of-range', `${what} is not a safe whole number: ${value}`);
  return value;
}

/** Saves a forecast as a new run in one transaction; returns its id. */
export function insertForecastRun(
  db: Database,
  run: { forecast: SegmentForecast; label: string; createdAtMs: number; createdBy: string; baseCurrency: string; settings: SavedSettings },
): number {
  const f = run.forecast;
  if (f.history.length === 0 || f.months.length === 0) throw new DomainError('invalid-input', 'a forecast run needs history and at least one month');
  const insertRun = db.prepare(
    `INSERT INTO forecast_runs (created_at_ms, created_by, label, segment_dimension, segment_value, method, model, base_currency,
       history_from, history_to, horizon, settings_json, history_json, backtest_json, notes_json, engine_version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMonth = db.prepare(
    `INSERT INTO forecast_run_months (run_id, month, measure, mean, ${COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ${COLUMNS.map(() => '?').join(', ')})`,
  );
  return db.transaction(() => {
    const result = insertRun.run(
      run.createdAtMs,
      run.createdBy,
      run.label,
      f.segment.dimension,
      f.segment.value,
      f.method,
      f.model,
      run.baseCurrency,
      f.history[0]!.month,
      f.history[f.history.length - 1]!.month,
      f.months.length,
      JSON.stringify(run.settings),
      JSON.stringify(f.history),
      JSON.stringify(f.backtest),
      // notes_json holds the run's explanations: notes, reconciliation and (engine 2) the calibration.
      JSON.stringify({ notes: f.notes, reconciliation: f.reconciliation, calibration: f.calibration }),
      FORECAST_ENGINE_VERSION,
    );
    const runId = Number(result.lastInsertRowid);
    for (const month of f.months) {
      for (const [measure, field] of MEASURES) {
        const set = month[field];
        insertMonth.run(runId, month.month, measure, checkedInteger(set.mean, `${measure} mean`), ...QUANTILE_KEYS.map((k) => checkedInteger(set[k], `${measure} ${k}`)));
      }
    }
    return runId;
  })();
}

function summaryOf(row: RunRow): Omit<ForecastRunSummary, 'firstMonth' | 'historyTo'> {
  return {
    runId: row.run_id,
    createdAtMs: row.created_at_ms,
    createdBy: row.created_by,
    label: row.label,
    segment: segmentOf(row),
    method: row.method as ForecastMethod,
    model: row.model,
    horizon: row.horizon,
  };
}

function segmentOf(row: RunRow): ExposureSegment {
  return row.segment_dimension === 'total'
    ? { dimension: 'total', value: null }
    : ({ dimension: row.segment_dimension, value: row.segment_value ?? '' } as ExposureSegment);
}

/**
 * One saved run with its months, or a `not-found` error. This is the function hedge sizing uses: for each future
 * month the volume, price and spend quantiles of the run's segment, plus method, creation time and history.
 */
export function loadForecastRun(db: Database, runId: number): ForecastRun {
  const row = db.prepare('SELECT * FROM forecast_runs WHERE run_id = ?').get(runId) as RunRow | undefined;
  if (!row) throw new DomainError('not-found', `forecast run ${runId} does not exist`);
  const monthRows = db.prepare('SELECT * FROM forecast_run_months WHERE run_id = ? ORDER BY month, measure').all(runId) as Record<string, number | string>[];
  const months = new Map<string, ForecastMonth>();
  for (const r of monthRows) {
    const month = r.month as IsoMonth;
    let entry = months.get(month);
    if (!entry) {
      entry = { month, tokens: undefined!, pricePerMTokMicros: undefined!, spendMicros: undefined! } as ForecastMonth;
      months.set(month, entry);
    }
    const set = { mean: r.mean as number } as QuantileSet;
    QUANTILE_KEYS.forEach((key, k) => {
      set[key] = r[COLUMNS[k]!] as number;
    });
    const field = MEASURES.find(([m]) => m === r.measure)![1];
    entry[field] = set;
  }
  const extra = JSON.parse(row.notes_json) as { notes: string[]; reconciliation: string; calibration?: ForecastCalibration };
  return {
    ...summaryOf(row),
    baseCurrency: row.base_currency,
    settings: JSON.parse(row.settings_json) as SavedSettings,
    history: { fromMonth: row.history_from as IsoMonth, toMonth: row.history_to as IsoMonth, months: JSON.parse(row.history_json) as UsageMonth[] },
    months: [...months.values()],
    backtest: JSON.parse(row.backtest_json) as { tokens: Backtest; spend: Backtest },
    ...(extra.calibration ? { calibration: extra.calibration } : {}),
    reconciliation: extra.reconciliation,
    notes: extra.notes,
    engineVersion: row.engine_version,
  };
}

/** Saved runs, newest first. */
export function listForecastRuns(db: Database, limit = 200): ForecastRunSummary[] {
  const rows = db.prepare('SELECT * FROM forecast_runs ORDER BY run_id DESC LIMIT ?').all(limit) as RunRow[];
  const firstMonth = db.prepare('SELECT MIN(month) FROM forecast_run_months WHERE run_id = ?').pluck();
  return rows.map((row) => ({
    ...summaryOf(row),
    firstMonth: (firstMonth.get(row.run_id) as IsoMonth | null) ?? (row.history_to as IsoMonth),
    historyTo: row.history_to as IsoMonth,
  }));
}
