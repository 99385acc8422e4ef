import type { Database } from 'better-sqlite3';
import { divRound } from '../../common/money/rounding.ts';
import { monthRange, type IsoMonth } from '../../common/time/iso-date.ts';
import { TOKEN_KINDS, type TokenKind } from '../../common/usage/usage-line.ts';
import { readSettings } from '../workbook/settings-repo.ts';
import { countUsageLines, missingRates, monthlyTokenCost, monthlyTotals, sumUsageBy, type MissingRate } from '../workbook/usage-lines-repo.ts';

export type Dashboard = {
  baseCurrency: string;
  months: IsoMonth[];
  providers: string[];
  spendByProvider: { month: IsoMonth; provider: string; costBaseMicros: number }[];
  tokensByKind: { month: IsoMonth; tokenKind: TokenKind; tokens: number }[];
  effectivePrice: { month: IsoMonth; pricePerMTokMicros: number | null }[];
  totals: { costBaseMicros: number; tokens: number; lines: number; costByCurrency: { currency: string; costMicros: number }[] };
  missingRates: MissingRate[];
};

/**
 * The figures of the dashboard, all in the workbook's base currency: monthly spend by provider, tokens by kind,
 * the effective price per million tokens, and totals. Lines without an FX rate are left out of base-currency
 * figures and listed in `missingRates`.
 */
export function dashboard(db: Database, range: { fromMonth?: string | undefined; toMonth?: string | undefined }): Dashboard {
  const r = { fromMonth: range.fromMonth as IsoMonth | undefined, toMonth: range.toMonth as IsoMonth | undefined };
  const byProvider = monthlyTotals(db, 'provider', r);
  const byKind = monthlyTotals(db, 'token_kind', r);
  const tokenCost = monthlyTokenCost(db, r);
  const months = byProvider.length ? monthRange(byProvider[0]!.month, byProvider[byProvider.length - 1]!.month) : [];
  const providers = [...new Set(byProvider.map((row) => row.key))].sort();
  const byCurrency = sumUsageBy(db, [], r);
  const lineCount = countUsageLines(db);

  let totalCost = 0n;
  for (const row of byProvider) totalCost += BigInt(row.costBaseMicros);
  const totalTokens = byKind.filter((row) => row.key !== 'other').reduce((sum, row) => sum + row.tokens, 0);
  const priceByMonth = new Map(tokenCost.map((row) => [row.month, row]));

  return {
    baseCurrency: readSettings(db).baseCurrency,
    months,
    providers,
    spendByProvider: byProvider.map((row) => ({ month: row.month, provider: row.key, costBaseMicros: row.costBaseMicros })),
    tokensByKind: byKind
      .filter((row) => row.key !== 'other' && (TOKEN_KINDS as readonly string[]).includes(row.key))
      .map((row) => ({ month: row.month, tokenKind: row.key as TokenKind, tokens: row.tokens })),
    effectivePrice: months.map((month) => {
      const row = priceByMonth.get(month);
      if (!row || row.tokens <= 0) return { month, pricePerMTokMicros: null };
      // cost ÷ tokens × 1,000,000, rounded once.
      return { month, pricePerMTokMicros: Number(divRound(BigInt(row.costBaseMicros) * 1_000_000n, BigInt(row.tokens), 'half-even')) };
    }),
    totals: {
      costBaseMicros: Number(totalCost),
      tokens: totalTokens,
      lines: lineCount,
      costByCurrency: byCurrency.map((row) => ({ currency: row.currency, costMicros: row.costMicros })),
    },
    missingRates: missingRates(db, r),
  };
}
