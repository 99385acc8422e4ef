import type { CurrencyCode } from '../money/currency.ts';
import type { Micros } from '../money/micros.ts';
import type { EpochMs, IsoDate } from '../time/iso-date.ts';

/**
 * What a token line measures. Providers price these differently (cache reads at a tenth of input, output at
 * four to eight times input), so forecasts and hedges keep them apart.
 * - `input`: prompt tokens not served from a cache
 * - `cache_read`: prompt tokens served from a prompt cache
 * - `cache_write`: prompt tokens written to a prompt cache
 * - `output`: generated tokens, including reasoning/thinking tokens
 * - `other`: anything not a token count (requests, storage, GPU hours, a tax line)
 */
export type TokenKind = 'input' | 'cache_read' | 'cache_write' | 'output' | 'other';
export const TOKEN_KINDS: readonly TokenKind[] = ['input', 'cache_read', 'cache_write', 'output', 'other'];

/** What kind of charge a line is (FOCUS ChargeCategory plus fees). Signs are kept: credits are negative. */
export type ChargeKind = 'usage' | 'purchase' | 'tax' | 'credit' | 'adjustment' | 'fee';
export const CHARGE_KINDS: readonly ChargeKind[] = ['usage', 'purchase', 'tax', 'credit', 'adjustment', 'fee'];

/**
 * One measured line of AI usage, as every importer produces it. Money stays in its original currency;
 * base-currency amounts are derived with dated FX rates and never overwrite `costMicros`.
 */
export type UsageLine = {
  /** 1-based data row in the source file (header excluded), so every line can be traced back. */
  sourceRow: number;
  periodStartMs: EpochMs;
  /** Exclusive end, as in FOCUS. */
  periodEndMs: EpochMs;
  /** UTC date of `periodStartMs`; lines are grouped by this date and its month. */
  usageDate: IsoDate;
  /** Canonical provider id: who serves the model to us ("openai", "azure", "deepseek"). */
  provider: string;
  /** Canonical model family ("gpt-4o", "claude-sonnet-4"), or the cleaned source text when unknown. */
  model: string;
  /** The model text exactly as in the source (meter name, SKU, usage type). */
  modelRaw: string;
  tokenKind: TokenKind;
  chargeKind: ChargeKind;
  /** Signed count of tokens; 0 for lines that are not token counts. */
  tokens: number;
  /** Signed cost in `currency`, as billed. */
  costMicros: Micros;
  currency: CurrencyCode;
  costCentre: string;
  providerAccount: string;
  project: string;
  /** Where in the source a line without a plain data row comes from: `data[3].results[1]`, `cost-2026-01.csv:12`. */
  sourceRef?: string | undefined;
  /** `cost` for sources that bill money (with or without tokens), `volume` for usage-only sources (tokens, no money). */
  measure?: LineMeasure | undefined;
  /** Pricing tier(s), `;`-joined: `batch`, `priority`, `global`, `data_zone`, `off_peak`, `0-200k`… */
  pricingTier?: string | undefined;
  invoiceId?: string | undefined;
  /** The billing period the source assigns the line to (exclusive end), when it states one. */
  billingPeriodStartMs?: EpochMs | undefined;
  billingPeriodEndMs?: EpochMs | undefined;
};

/** Whether a line's source reports money (`cost`) or only volume (`volume`); see reconciliation. */
export type LineMeasure = 'cost' | 'volume';
