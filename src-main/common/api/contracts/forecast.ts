import { z } from 'zod';
import { FORECAST_METHODS } from '../../forecast/methods.ts';
import { QUANTILE_KEYS, SEGMENT_DIMENSIONS } from '../../forecast/token-forecast.ts';
import { currencySchema, isoMonthSchema, jobStartedSchema, microsSchema } from '../schemas.ts';

/** An exposure segment: the total (value null) or one value of provider, model, token kind or cost centre. */
export const segmentSchema = z.union([
  z.object({ dimension: z.literal('total'), value: z.null() }).strict(),
  z.object({ dimension: z.enum(SEGMENT_DIMENSIONS), value: z.string().min(1).max(200) }).strict(),
]);

export const overlaySchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('launch'),
      label: z.string().trim().max(200).default('Launch'),
      fromMonth: isoMonthSchema,
      /** Tokens added per month once the ramp is complete. */
      tokensPerMonth: z.number().int().min(0).max(1e15),
      rampMonths: z.number().int().min(1).max(36).default(1),
    })
    .strict(),
  z
    .object({
      kind: z.literal('price-change'),
      label: z.string().trim().max(200).default('Price change'),
      fromMonth: isoMonthSchema,
      /** −20 is a 20 % price cut. */
      percent: z.number().min(-99).max(1000),
    })
    .strict(),
]);

export const pricePathSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('history') }).strict(),
  z
    .object({
      kind: z.literal('fixed'),
      steps: z
        .array(z.object({ fromMonth: isoMonthSchema, pricePerMTokMicros: microsSchema.refine((v) => v >= 0, 'must not be negative') }).strict())
        .min(1)
        .max(120),
    })
    .strict(),
]);

export const forecastRunRequestSchema = z
  .object({
    segment: segmentSchema.default({ dimension: 'total', value: null }),
    method: z.enum(FORECAST_METHODS).default('auto'),
    horizon: z.number().int().min(1).max(36).default(12),
    overlays: z.array(overlaySchema).max(50).default([]),
    pricePath: pricePathSchema.default({ kind: 'history' }),
    transform: z.enum(['none', 'log', 'box-cox']).default('none'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(20240601),
    /** Skip the rolling-origin backtest (the dashboard's quick view). */
    backtest: z.boolean().default(true),
  })
  .strict();

const quantileSetSchema = z.object({ mean: z.number(), ...Object.fromEntries(QUANTILE_KEYS.map((k) => [k, z.number()])) } as {
  mean: z.ZodNumber;
} & Record<(typeof QUANTILE_KEYS)[number], z.ZodNumber>);

const usageMonthSchema = z.object({ month: isoMonthSchema, tokens: z.number(), costBaseMicros: microsSchema, pricedTokens: z.number() });

const backtestSchema = z.union([
  z.object({
    available: z.literal(true),
    origins: z.number().int(),
    forecasts: z.number().int(),
    horizon: z.number().int(),
    smape: z.number(),
    mase: z.number(),
    coverage80: z.number(),
    coverage95: z.number(),
    belowP10: z.number(),
  }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);

const coverageCheckSchema = z.object({
  forecasts: z.number().int(),
  coverage80: z.number(),
  coverage95: z.number(),
  belowP10: z.number(),
  aboveP90: z.number(),
});

/** Interval calibration on the backtest: per forecast step, each side's factor (1 = unchanged; see calibration.ts). */
const intervalCalibrationSchema = z.object({
  origins: z.number().int(),
  forecasts: z.number().int(),
  months: z.number().int(),
  steps: z.array(
    z.object({ step: z.number().int(), forecasts: z.number().int(), lower80: z.number(), upper80: z.number(), lower95: z.number(), upper95: z.number() }),
  ),
  before: coverageCheckSchema,
  after: coverageCheckSchema,
});

export const forecastCalibrationSchema = z.object({
  tokens: intervalCalibrationSchema.nullable(),
  spend: intervalCalibrationSchema.nullable(),
  price: z.object({ source: z.enum(['history', 'user path']), changes: z.number().int(), monthlyMove: z.number(), shifts: z.array(z.number()) }),
  summary: z.string(),
});

const forecastMonthSchema = z.object({
  month: isoMonthSchema,
  tokens: quantileSetSchema,
  pricePerMTokMicros: quantileSetSchema,
  spendMicros: quantileSetSchema,
});

export const segmentForecastSchema = z.object({
  segment: segmentSchema,
  method: z.enum(FORECAST_METHODS),
  model: z.string(),
  history: z.array(usageMonthSchema),
  months: z.array(forecastMonthSchema),
  backtest: z.object({ tokens: backtestSchema, spend: backtestSchema }),
  calibration: forecastCalibrationSchema,
  reconciliation: z.string(),
  notes: z.array(z.string()),
});

export const forecastViewSchema = segmentForecastSchema.extend({
  baseCurrency: currencySchema,
  /** A month left out of the history because its usage stops before its last day. */
  droppedPartialMonth: isoMonthSchema.nullable(),
  /** Lines without an FX rate to the base currency: counted in volume, not in price and spend. */
  linesWithoutRate: z.number().int(),
});

const savedSettingsSchema = z.object({
  seed: z.number().int(),
  overlays: z.array(overlaySchema),
  pricePath: pricePathSchema,
  transform: z.enum(['none', 'log', 'box-cox']),
  reconciliation: z.string(),
});

export const forecastRunSchema = z.object({
  runId: z.number().int(),
  createdAtMs: z.number().int(),
  createdBy: z.string(),
  label: z.string(),
  segment: segmentSchema,
  method: z.enum(FORECAST_METHODS),
  model: z.string(),
  baseCurrency: z.string(),
  horizon: z.number().int(),
  settings: savedSettingsSchema,
  history: z.object({ fromMonth: isoMonthSchema, toMonth: isoMonthSchema, months: z.array(usageMonthSchema) }),
  months: z.array(forecastMonthSchema),
  backtest: z.object({ tokens: backtestSchema, spend: backtestSchema }),
  /** How the intervals were calibrated (absent in runs saved before engine 2). */
  calibration: forecastCalibrationSchema.optional(),
  reconciliation: z.string(),
  notes: z.array(z.string()),
  engineVersion: z.string(),
});

export const forecastRunSummarySchema = forecastRunSchema
  .pick({ runId: true, createdAtMs: true, createdBy: true, label: true, segment: true, method: true, model: true, horizon: true })
  .extend({ firstMonth: isoMonthSchema, historyTo: isoMonthSchema });

/** Forecasting: segments, a forecast run (not saved), saving a run, and reading saved runs. */
export const forecastContract = {
  'forecast:segments': {
    request: z.object({}).strict(),
    response: z.object({
      baseCurrency: currencySchema,
      historyFrom: isoMonthSchema.nullable(),
      historyTo: isoMonthSchema.nullable(),
      dimensions: z.object(Object.fromEntries(SEGMENT_DIMENSIONS.map((d) => [d, z.array(z.string())])) as Record<(typeof SEGMENT_DIMENSIONS)[number], z.ZodArray<z.ZodString>>),
      methods: z.array(z.enum(FORECAST_METHODS)),
    }),
  },
  'forecast:run': { request: forecastRunRequestSchema, response: forecastViewSchema },
  'forecast:save': {
    request: forecastRunRequestSchema.extend({ label: z.string().trim().max(200).default('') }).strict(),
    response: z.object({ runId: z.number().int(), run: forecastRunSchema }),
  },
  'forecast:runs': { request: z.object({}).strict(), response: z.array(forecastRunSummarySchema) },
  /**
   * The same forecast as a job with progress and cancel (`jobs:get`, `jobs:cancel`); with `save` it is saved as a
   * run. `forecast:job-result` then returns the view (and the run id) of the finished job.
   */
  'forecast:start': {
    request: forecastRunRequestSchema.extend({ save: z.boolean().default(false), label: z.string().trim().max(200).default('') }).strict(),
    response: jobStartedSchema,
  },
  'forecast:job-result': {
    request: z.object({ jobId: z.string().min(1) }).strict(),
    response: z.object({ view: forecastViewSchema, runId: z.number().int().nullable() }),
  },
  'forecast:get-run': { request: z.object({ runId: z.number().int().min(1) }).strict(), response: forecastRunSchema },
} as const;
