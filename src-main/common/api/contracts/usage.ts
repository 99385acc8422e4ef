import { z } from 'zod';
import { dashboardSchema, isoMonthSchema, usageReportRequestSchema, usageReportSchema } from '../schemas.ts';

/** Actuals: the usage report and the dashboard. */
export const usageContract = {
  'usage:report': { request: usageReportRequestSchema, response: usageReportSchema },
  'dashboard:get': {
    request: z.object({ fromMonth: isoMonthSchema.optional(), toMonth: isoMonthSchema.optional() }).strict(),
    response: dashboardSchema,
  },
} as const;
