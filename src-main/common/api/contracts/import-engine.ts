import { z } from 'zod';
import { currencySchema, importCountsSchema, isoMonthSchema, microsSchema, tokensSchema } from '../schemas.ts';

/** Import preview, batch undo, reconciliation and import rules (issue 3). */
const fixed = z.object({ fixed: z.string() }).strict();
export const columnMappingSchema = z
  .object({
    date: z.string().min(1),
    endDate: z.string().optional(),
    cost: z.string().optional(),
    tokens: z.string().optional(),
    tokensPerUnit: z.number().int().positive().optional(),
    currency: z.union([z.string(), fixed]).optional(),
    provider: z.union([z.string(), fixed]).optional(),
    model: z.string().optional(),
    tokenKind: z.union([z.string(), z.object({ fixed: z.enum(['input', 'cache_read', 'cache_write', 'output', 'other']) }).strict()]).optional(),
    chargeKind: z.string().optional(),
    costCentre: z.string().optional(),
    project: z.string().optional(),
    account: z.string().optional(),
  })
  .strict();

const formatMatchSchema = z.object({ format: z.string(), label: z.string(), version: z.string(), confidence: z.number() });

/** A line as the import would store it (before de-duplication), for the preview. */
const trialLineSchema = z.object({
  row: z.number().int(),
  ref: z.string().nullable(),
  usageDate: z.string(),
  provider: z.string(),
  model: z.string(),
  modelRaw: z.string(),
  tokenKind: z.string(),
  chargeKind: z.string(),
  tokens: tokensSchema,
  costMicros: microsSchema,
  currency: z.string(),
  costCentre: z.string(),
  project: z.string(),
  measure: z.enum(['cost', 'volume']),
});

/** A column mapping as the API carries it (see importers/formats/custom-mapping.ts). */
export type ColumnMappingSpec = z.infer<typeof columnMappingSchema>;

export const importEngineContract = {
  'imports:preview': {
    request: z
      .object({
        fileId: z.string().min(1),
        rows: z.number().int().min(1).max(100).default(20),
        /** Read the file as this format instead of the detected one (the override the import will use). */
        format: z.string().max(60).optional(),
        /** Read the file through this column mapping (the mapping wizard), to show the rows as they would import. */
        mapping: columnMappingSchema.optional(),
        /** The name the mapping will be saved under (shown as the format's label). */
        mappingName: z.string().max(200).optional(),
      })
      .strict(),
    response: z.object({
      fileName: z.string(),
      container: z.string(),
      tables: z.array(
        z.object({
          entry: z.string(),
          header: z.array(z.string()),
          rows: z.array(z.array(z.string())),
          numberStyle: z.string(),
          detected: z.array(formatMatchSchema),
          /** The name of a column mapping saved for this exact header, and the mapping itself. */
          savedMapping: z.string().nullable(),
          savedColumnMapping: columnMappingSchema.nullable(),
          /** How the import would read this table (the override, the mapping, the best detection or the saved mapping), or null. */
          chosen: formatMatchSchema.nullable(),
          /** The first rows read as the import would read them: the lines they become, and the rows it would reject. */
          trial: z.object({
            /** Rows read to find the first `rows` lines (rows of other services are skipped on the way). */
            rowsScanned: z.number().int(),
            lines: z.array(trialLineSchema),
            rejections: z.array(z.object({ row: z.number().int(), ref: z.string().nullable(), column: z.string(), reason: z.string() })),
            /** Rows that give no usage line, counted by reason (other services, empty buckets, FX rates). */
            skipped: z.array(z.object({ reason: z.string(), rows: z.number().int() })),
            /** Why the table cannot be read at all with the chosen format or mapping (e.g. a mapped column is missing). */
            error: z.string().nullable(),
          }),
        }),
      ),
    }),
  },
  'imports:formats': {
    request: z.object({}).strict(),
    response: z.array(z.object({ id: z.string(), label: z.string() })),
  },
  'imports:undo': {
    request: z.object({ batchId: z.number().int() }).strict(),
    response: z.object({ batchId: z.number().int(), fileName: z.string(), linesRemoved: z.number().int(), linesRestored: z.number().int(), ratesRemoved: z.number().int(), restoredBatches: z.array(z.number().int()) }),
  },
  'imports:batches': {
    request: z.object({}).strict(),
    response: z.array(
      z.object({
        batchId: z.number().int(),
        fileName: z.string(),
        format: z.string(),
        formatVersion: z.string(),
        importedAtMs: z.number().int(),
        state: z.enum(['active', 'superseded']),
        supersededBy: z.number().int().nullable(),
        confidence: z.number(),
        lines: z.number().int(),
        rowsRead: z.number().int(),
        counts: importCountsSchema,
        formatLabel: z.string(),
        numberStyle: z.string(),
        sizeBytes: z.number().int(),
        sha256: z.string(),
        /** Lines of this file that restated (replaced) earlier lines of the same bucket. */
        restated: z.number().int(),
        /** Earlier imports of the same scope and period this file replaced (undoing it brings them back). */
        replacedBatches: z.array(z.object({ batchId: z.number().int(), fileName: z.string(), lines: z.number().int() })),
      }),
    ),
  },
  'reconciliation:get': {
    request: z.object({}).strict(),
    response: z.object({
      /** Per provider and month: tokens of volume (usage) sources vs tokens and money of cost sources. */
      usageVsCost: z.array(
        z.object({ provider: z.string(), month: isoMonthSchema, volumeTokens: tokensSchema, costTokens: tokensSchema, currency: currencySchema.nullable(), costMicros: microsSchema }),
      ),
      /** Per invoice id found on lines (and invoices entered): the line sum beside the printed total. */
      invoices: z.array(
        z.object({
          provider: z.string(),
          invoiceRef: z.string(),
          /** The month the invoice bills (as entered; else the first month of its lines). */
          month: isoMonthSchema.nullable(),
          currency: currencySchema,
          linesMicros: microsSchema,
          totalMicros: microsSchema.nullable(),
          differenceMicros: microsSchema.nullable(),
        }),
      ),
    }),
  },
  'invoices:enter': {
    request: z.object({ provider: z.string().min(1), invoiceRef: z.string().min(1), month: isoMonthSchema, currency: currencySchema, totalMicros: microsSchema, includesTax: z.boolean().default(true) }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  'import-rules:get': {
    request: z.object({}).strict(),
    response: z.object({
      costCentreRules: z.array(z.object({ priority: z.number().int(), field: z.enum(['project', 'provider_account', 'provider', 'model', 'cost_centre']), pattern: z.string(), costCentre: z.string() })),
      modelAliases: z.array(z.object({ alias: z.string(), canonical: z.string() })),
    }),
  },
  'import-rules:set': {
    request: z
      .object({
        costCentreRules: z.array(z.object({ priority: z.number().int(), field: z.enum(['project', 'provider_account', 'provider', 'model', 'cost_centre']), pattern: z.string().min(1), costCentre: z.string().min(1) }).strict()).optional(),
        modelAliases: z.array(z.object({ alias: z.string().min(1), canonical: z.string().min(1) }).strict()).optional(),
      })
      .strict(),
    response: z.object({ linesChanged: z.number().int() }),
  },
} as const;
