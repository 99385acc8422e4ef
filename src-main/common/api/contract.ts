import { z } from 'zod';
import {
  appInfoSchema,
  dashboardSchema,
  fileRefSchema,
  fxRateSchema,
  importBatchSchema,
  isoMonthSchema,
  jobStartedSchema,
  jobStatusSchema,
  settingsUpdateSchema,
  usageReportRequestSchema,
  usageReportSchema,
} from './schemas.ts';
import type { ChannelName } from './channels.ts';

const empty = z.object({}).strict();

/**
 * The one API between the page (or the CLI) and the services: channel → request and response schemas.
 * Channel names are `noun:verb`. Every transport validates the request against `request` before a handler
 * runs; handlers return data matching `response`.
 */
export const contract = {
  'app:info': { request: empty, response: appInfoSchema },
  'settings:update': { request: settingsUpdateSchema, response: appInfoSchema },
  'demo:create': {
    request: z.object({ seed: z.number().int().min(0).max(2 ** 31).optional(), endMonth: isoMonthSchema.optional() }).strict(),
    response: jobStartedSchema,
  },
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
  'usage:report': { request: usageReportRequestSchema, response: usageReportSchema },
  'dashboard:get': {
    request: z.object({ fromMonth: isoMonthSchema.optional(), toMonth: isoMonthSchema.optional() }).strict(),
    response: dashboardSchema,
  },
} as const satisfies Record<ChannelName, { request: z.ZodType; response: z.ZodType }>;

export type Channel = keyof typeof contract;
/** What a caller sends (defaults may be left out). */
export type RequestOf<C extends Channel> = z.input<(typeof contract)[C]['request']>;
/** What a handler receives (defaults filled in). */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof contract)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof contract)[C]['response']>;
