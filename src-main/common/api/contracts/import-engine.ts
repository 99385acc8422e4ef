import { z } from 'zod';
import { currencySchema, isoMonthSchema, microsSchema, tokensSchema } from '../schemas.ts';

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

export const importEngineContract = {
  'imports:preview': {
    request: z.object({ fileId: z.string().min(1), rows: z.number().int().min(1).max(100).default(20) }).strict(),
    response: z.object({
      fileName: z.string(),
      container: z.string(),
      tables: z.array(
        z.object({
          entry: z.string(),
          header: z.array(z.string()),
          rows: z.array(z.array(z.string())),
          numberStyle: z.string(),
          detected: z.array(z.object({ format: z.string(), label: z.string(), version: z.string(), confidence: z.number() })),
          savedMapping: z.string().nullable(),
        }),
      ),
    }),
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
        z.object({ provider: z.string(), invoiceRef: z.string(), currency: currencySchema, linesMicros: microsSchema, totalMicros: microsSchema.nullable(), differenceMicros: microsSchema.nullable() }),
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
