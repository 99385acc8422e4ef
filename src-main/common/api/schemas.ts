import { z } from 'zod';
import { ERROR_CODES } from '../errors.ts';
import { isCurrencyCode } from '../money/currency.ts';
import { isIsoDate, isIsoMonth } from '../time/iso-date.ts';
import { CHARGE_KINDS, TOKEN_KINDS } from '../usage/usage-line.ts';

/** Whole micros (see money/micros.ts): plain safe integers across the API. */
export const microsSchema = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer of micros');
export const tokensSchema = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer count of tokens');
export const currencySchema = z.string().refine((s): boolean => isCurrencyCode(s), 'must be an ISO 4217 code such as USD');
export const isoDateSchema = z.string().refine((s): boolean => isIsoDate(s), 'must be a date YYYY-MM-DD');
export const isoMonthSchema = z.string().refine((s): boolean => isIsoMonth(s), 'must be a month YYYY-MM');
export const tokenKindSchema = z.enum(TOKEN_KINDS as [string, ...string[]]);
export const chargeKindSchema = z.enum(CHARGE_KINDS as [string, ...string[]]);

export const apiErrorSchema = z.object({
  code: z.enum(ERROR_CODES as [string, ...string[]]),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** The grouping dimensions of usage reports; the CSV column of each is its name with "-" → "_". */
export const USAGE_DIMENSIONS = ['month', 'provider', 'model', 'token-kind', 'cost-centre'] as const;
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];
export const usageDimensionSchema = z.enum(USAGE_DIMENSIONS);

export const appInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'serve', 'direct']),
  workbookPath: z.string(),
  schemaVersion: z.number().int(),
  organisationName: z.string(),
  baseCurrency: currencySchema,
  usageLineCount: z.number().int(),
  /** True until the workbook holds any imported data: the UI then offers the demo organisation. */
  isEmpty: z.boolean(),
});

export const settingsUpdateSchema = z
  .object({
    organisationName: z.string().trim().min(1).max(200).optional(),
    baseCurrency: currencySchema.optional(),
  })
  .strict();

/** A file the services may read: registered by a native dialog (Electron), an upload (serve) or the CLI. */
export const fileRefSchema = z.object({ fileId: z.string(), name: z.string(), sizeBytes: z.number().int() });

export const jobStartedSchema = z.object({ jobId: z.string() });

export const rowRejectionSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  reason: z.string(),
});

export const importCountsSchema = z.object({
  read: z.number().int(),
  imported: z.number().int(),
  duplicate: z.number().int(),
  skipped: z.number().int(),
  rejected: z.number().int(),
});

export const importStatusSchema = z.enum(['imported', 'already-imported', 'rejected', 'failed', 'cancelled']);

/** What happened to one file. `rejections` lists at most the first 200 rejected rows; `counts.rejected` has them all. */
export const importReportSchema = z.object({
  fileName: z.string(),
  status: importStatusSchema,
  message: z.string(),
  format: z.string(),
  formatVersion: z.string(),
  batchId: z.number().int().nullable(),
  counts: importCountsSchema,
  skippedReasons: z.array(z.object({ reason: z.string(), rows: z.number().int() })),
  rejections: z.array(rowRejectionSchema),
  warnings: z.array(z.string()),
  costByCurrency: z.array(z.object({ currency: currencySchema, costMicros: microsSchema })),
  tokens: tokensSchema,
  confidence: z.number().optional(),
  formatLabel: z.string().optional(),
  numberStyle: z.string().optional(),
  restated: z.number().int().optional(),
  replacedBatches: z.array(z.object({ batchId: z.number().int(), fileName: z.string(), lines: z.number().int() })).optional(),
});

export const importJobResultSchema = z.object({ reports: z.array(importReportSchema) });

export const jobStatusSchema = z.object({
  jobId: z.string(),
  kind: z.enum(['import', 'demo', 'forecast']),
  state: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  progress: z.object({ fraction: z.number().min(0).max(1), message: z.string() }),
  result: importJobResultSchema.nullable(),
  error: apiErrorSchema.nullable(),
});

export const importBatchSchema = z.object({
  batchId: z.number().int(),
  fileName: z.string(),
  sha256: z.string(),
  format: z.string(),
  formatVersion: z.string(),
  importedAtMs: z.number().int(),
  counts: importCountsSchema,
});

export const fxRateSchema = z.object({
  rateDate: isoDateSchema,
  base: currencySchema,
  quote: currencySchema,
  /** Exact decimal text: 1 `base` = `rate` `quote`. */
  rate: z.string(),
  source: z.string(),
});

export const missingRateSchema = z.object({
  currency: currencySchema,
  fromDate: isoDateSchema,
  toDate: isoDateSchema,
  lines: z.number().int(),
});

export const usageReportRequestSchema = z
  .object({
    by: z.array(usageDimensionSchema).max(5).refine((d) => new Set(d).size === d.length, 'dimensions must not repeat'),
    fromMonth: isoMonthSchema.optional(),
    toMonth: isoMonthSchema.optional(),
  })
  .strict();

export const usageReportSchema = z.object({
  baseCurrency: currencySchema,
  by: z.array(usageDimensionSchema),
  rows: z.array(
    z.object({
      /** One value per dimension, in the order of `by`. */
      keys: z.array(z.string()),
      tokens: tokensSchema,
      currency: currencySchema,
      costMicros: microsSchema,
      /** Null when an FX rate is missing for some line of the group (see `missingRates`). */
      costBaseMicros: microsSchema.nullable(),
    }),
  ),
  missingRates: z.array(missingRateSchema),
});

export const dashboardSchema = z.object({
  baseCurrency: currencySchema,
  months: z.array(isoMonthSchema),
  providers: z.array(z.string()),
  spendByProvider: z.array(z.object({ month: isoMonthSchema, provider: z.string(), costBaseMicros: microsSchema })),
  tokensByKind: z.array(z.object({ month: isoMonthSchema, tokenKind: tokenKindSchema, tokens: tokensSchema })),
  /** Cost of token lines per one million tokens, in base-currency micros; null in a month without tokens. */
  effectivePrice: z.array(z.object({ month: isoMonthSchema, pricePerMTokMicros: microsSchema.nullable() })),
  totals: z.object({
    costBaseMicros: microsSchema,
    tokens: tokensSchema,
    lines: z.number().int(),
    costByCurrency: z.array(z.object({ currency: currencySchema, costMicros: microsSchema })),
  }),
  missingRates: z.array(missingRateSchema),
});
