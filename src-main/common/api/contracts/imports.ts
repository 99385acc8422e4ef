import { z } from 'zod';
import { columnMappingSchema } from './import-engine.ts';
import { fileRefSchema, fxRateSchema, importBatchSchema, jobStartedSchema, jobStatusSchema } from '../schemas.ts';

const empty = z.object({}).strict();

/** Files, imports, the long jobs that run them, and FX rates. */
export const importsContract = {
  'files:pick': {
    request: z.object({ purpose: z.enum(['import']) }).strict(),
    response: z.array(fileRefSchema),
  },
  'imports:start': {
    request: z
      .object({
        fileIds: z.array(z.string().min(1)).min(1).max(500),
        /** Import the good rows of a file with rejected rows, leaving the listed bad rows out. */
        skipRejectedRows: z.boolean().default(false),
        /** Read every file as this format instead of the detected one ('auto' = detect). */
        format: z.string().max(60).optional(),
        /** The mapping wizard's column mapping, saved under `saveMappingAs` for files with the same header. */
        mapping: columnMappingSchema.optional(),
        saveMappingAs: z.string().min(1).max(200).optional(),
        /** Per file: its own format override or column mapping (the preview's choices), over the ones above. */
        choices: z
          .array(
            z
              .object({
                fileId: z.string().min(1),
                format: z.string().max(60).optional(),
                mapping: columnMappingSchema.optional(),
                saveMappingAs: z.string().min(1).max(200).optional(),
              })
              .strict(),
          )
          .max(500)
          .optional(),
      })
      .strict(),
    response: jobStartedSchema,
  },
  'imports:list': { request: empty, response: z.array(importBatchSchema) },
  'jobs:get': { request: z.object({ jobId: z.string().min(1) }).strict(), response: jobStatusSchema },
  'jobs:cancel': { request: z.object({ jobId: z.string().min(1) }).strict(), response: jobStatusSchema },
  'fx:list': {
    request: z.object({ limit: z.number().int().min(1).max(10_000).default(500) }).strict(),
    response: z.object({ total: z.number().int(), rates: z.array(fxRateSchema) }),
  },
} as const;
