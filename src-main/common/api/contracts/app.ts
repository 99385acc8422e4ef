import { z } from 'zod';
import { appInfoSchema, isoMonthSchema, jobStartedSchema, settingsUpdateSchema } from '../schemas.ts';

const empty = z.object({}).strict();

/** The workbook as a whole: what it is, its settings, the demo organisation. */
export const appContract = {
  'app:info': { request: empty, response: appInfoSchema },
  'settings:update': { request: settingsUpdateSchema, response: appInfoSchema },
  'demo:create': {
    request: z.object({ seed: z.number().int().min(0).max(2 ** 31).optional(), endMonth: isoMonthSchema.optional() }).strict(),
    response: jobStartedSchema,
  },
} as const;
