import type { Database } from 'better-sqlite3';
import type { UsageDimension } from '../../common/api/schemas.ts';
import type { IsoMonth } from '../../common/time/iso-date.ts';
import { readSettings } from '../workbook/settings-repo.ts';
import { missingRates, sumUsageBy, type MissingRate, type UsageGroupRow } from '../workbook/usage-lines-repo.ts';

export type UsageReport = {
  baseCurrency: string;
  by: UsageDimension[];
  rows: UsageGroupRow[];
  missingRates: MissingRate[];
};

/** Tokens and cost per group of `by` and original currency, with the base-currency equivalent. */
export function usageReport(
  db: Database,
  request: { by: UsageDimension[]; fromMonth?: string | undefined; toMonth?: string | undefined },
): UsageReport {
  const range = { fromMonth: request.fromMonth as IsoMonth | undefined, toMonth: request.toMonth as IsoMonth | undefined };
  return {
    baseCurrency: readSettings(db).baseCurrency,
    by: request.by,
    rows: sumUsageBy(db, request.by, range),
    missingRates: missingRates(db, range),
  };
}
