import { createHash } from 'node:crypto';
import { formatScaled } from '../../../common/money/decimal.ts';
import type { IsoDate, IsoMonth } from '../../../common/time/iso-date.ts';
import type { DemoStream } from '../demo-organisation.ts';

/** The token directions the demo prices separately. */
export type DemoKind = 'input' | 'cacheRead' | 'cacheWrite' | 'output';

/**
 * One day of one stream's tokens of one direction, and the list price that applied (per 1M tokens, in micros of
 * the provider's currency: $2.50 → 2_500_000). The provider export writers turn these into their own formats.
 */
export type DemoUsage = {
  stream: DemoStream;
  month: IsoMonth;
  /** 0-based month of the demo period. */
  monthIndex: number;
  date: IsoDate;
  kind: DemoKind;
  tokens: number;
  pricePerMTokMicros: number;
};

/** A file the demo writes: its name and content. */
export type DemoExport = { name: string; data: string | Buffer };

/**
 * The exact cost of `tokens` at `pricePerMTokMicros`, as decimal text in currency units with `extraScale` more
 * decimal places (2 for cents). Never rounded: the importers round once, as they would a provider's figure.
 */
export function exactCostText(tokens: number | bigint, pricePerMTokMicros: number, extraScale = 0): string {
  return trimDecimal(formatScaled(BigInt(tokens) * BigInt(pricePerMTokMicros), 12 - extraScale));
}

/** The exact cost in units of 10⁻¹² of the currency (sum these, then format with `formatScaled(…, 12)`). */
export function exactCostPico(tokens: number, pricePerMTokMicros: number): bigint {
  return BigInt(tokens) * BigInt(pricePerMTokMicros);
}

/** "12.3400" → "12.34", "5.000" → "5". */
export function trimDecimal(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** A quantity written in blocks of `per` tokens ("1K" units): exact decimal text. */
export function blocksText(tokens: number, per: number): string {
  return trimDecimal(formatScaled(BigInt(tokens), Math.round(Math.log10(per))));
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A stable, realistic-looking identifier (`proj_…`, `wrkspc_01…`) derived from a name: the same on every run. */
export function demoId(prefix: string, name: string, length: number, alphabet = BASE62): string {
  const key = `${prefix}\u0000${name}\u0000${length}\u0000${alphabet}`;
  const known = ids.get(key);
  if (known !== undefined) return known;
  const bytes = createHash('sha256').update(`northwind:${prefix}:${name}`).digest();
  let out = '';
  for (let i = 0; out.length < length; i++) out += alphabet[bytes[i % bytes.length]! % alphabet.length];
  if (ids.size > 100_000) ids.clear();
  ids.set(key, prefix + out);
  return prefix + out;
}
const ids = new Map<string, string>();

/** A GUID-shaped identifier derived from a name (Azure meter and subscription ids). */
export function demoGuid(name: string): string {
  const known = ids.get(`guid\u0000${name}`);
  if (known !== undefined) return known;
  const hex = createHash('sha256').update(`northwind:guid:${name}`).digest('hex');
  const guid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  ids.set(`guid\u0000${name}`, guid);
  return guid;
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Delimited text with a header; CRLF line ends as Windows tools write them. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, string>[], options: { bom?: boolean } = {}): string {
  const out = [columns.map(csvField).join(',')];
  for (const row of rows) out.push(columns.map((c) => csvField(row[c] ?? '')).join(','));
  return (options.bom ? '\uFEFF' : '') + out.join('\r\n') + '\r\n';
}

/** Groups items by a key, keeping the order in which keys first appear. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
