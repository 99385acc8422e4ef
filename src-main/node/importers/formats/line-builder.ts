import type { CurrencyCode } from '../../../common/money/currency.ts';
import type { Decimal } from '../../../common/money/decimal.ts';
import { decimalToMicros, type Micros } from '../../../common/money/micros.ts';
import type { IsoDate } from '../../../common/time/iso-date.ts';
import { cleanModelText, recogniseModel } from '../../../common/usage/models.ts';
import type { ChargeKind, LineMeasure, TokenKind, UsageLine } from '../../../common/usage/usage-line.ts';
import { DAY_MS } from '../fields.ts';
import type { MappedLine, RowOutcome } from '../row-outcome.ts';

const dateCache = new Map<number, IsoDate>();
/** The UTC date of an instant, cached per day (a bill has few distinct days and many lines). */
export function usageDateOf(ms: number): IsoDate {
  const day = Math.floor(ms / DAY_MS);
  let date = dateCache.get(day);
  if (!date) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10) as IsoDate;
    if (dateCache.size > 100_000) dateCache.clear();
    dateCache.set(day, date);
  }
  return date;
}

const modelCache = new Map<string, string>();
/** The canonical model for a text of an export (recognised family, or the cleaned text). */
export function modelOf(raw: string): string {
  let model = modelCache.get(raw);
  if (model === undefined) {
    model = recogniseModel(raw) ?? cleanModelText(raw);
    if (modelCache.size > 50_000) modelCache.clear();
    modelCache.set(raw, model);
  }
  return model;
}

export type LineParts = {
  row: number;
  ref?: string | undefined;
  startMs: number;
  endMs: number;
  provider: string;
  modelRaw: string;
  model?: string;
  tokenKind: TokenKind;
  chargeKind: ChargeKind;
  tokens: number;
  costMicros: number;
  currency: string;
  costCentre: string;
  account: string;
  project: string;
  measure: LineMeasure;
  tier?: string;
  invoiceId?: string;
  billingPeriodStartMs?: number | undefined;
  billingPeriodEndMs?: number | undefined;
  /** What identifies the period in the key when not the exact start and end (API buckets: their UTC day). */
  keyPeriod?: string;
};

/**
 * A usage line and its natural key. `identity` lists what identifies the line in its source besides the common
 * fields; `withFigures` puts tokens and cost in the key (bills whose lines never restate), while API buckets
 * leave them out so a later export of the same bucket restates it.
 */
export function mapped(format: string, p: LineParts, identity: readonly (string | number)[], withFigures: boolean): MappedLine {
  const line: UsageLine = {
    sourceRow: p.row,
    periodStartMs: p.startMs,
    periodEndMs: p.endMs,
    usageDate: usageDateOf(p.startMs),
    provider: p.provider,
    model: p.model ?? modelOf(p.modelRaw),
    modelRaw: p.modelRaw,
    tokenKind: p.tokenKind,
    chargeKind: p.chargeKind,
    tokens: p.tokens,
    costMicros: p.costMicros as Micros,
    currency: p.currency as CurrencyCode,
    costCentre: p.costCentre || p.project || 'Unassigned',
    providerAccount: p.account,
    project: p.project,
    sourceRef: p.ref,
    measure: p.measure,
    pricingTier: p.tier ?? '',
    invoiceId: p.invoiceId,
    billingPeriodStartMs: p.billingPeriodStartMs,
    billingPeriodEndMs: p.billingPeriodEndMs,
  };
  const parts: (string | number)[] = [format, p.provider, p.account, p.project, p.keyPeriod ?? `${p.startMs}\u001f${p.endMs}`, p.modelRaw, p.tokenKind, p.tier ?? '', p.chargeKind, p.currency, ...identity];
  if (withFigures) parts.push(p.tokens, p.costMicros);
  return { line, keyMaterial: parts.join('\u001f') };
}

export function money(value: Decimal, what: string): number {
  return decimalToMicros(value, 'half-even', what);
}

export function reject(column: string, reason: string): RowOutcome {
  return { kind: 'reject', column, reason };
}

export function lines(list: MappedLine[], emptyReason: string, warning?: string): RowOutcome {
  return list.length === 0 ? { kind: 'skip', reason: emptyReason } : { kind: 'usage', lines: list, ...(warning ? { warning } : {}) };
}

/** A column's confidence contribution: share of `expected` names present in the normalised header. */
export function share(names: ReadonlySet<string>, expected: readonly string[]): number {
  return expected.filter((n) => names.has(n)).length / expected.length;
}

/** The key period of an API bucket: its UTC day, so a clipped (partial) bucket and the complete one match. */
export function bucketDay(startMs: number): string {
  return `day:${Math.floor(startMs / DAY_MS)}`;
}
