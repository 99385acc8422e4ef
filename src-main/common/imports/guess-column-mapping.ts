import type { ColumnMappingSpec } from '../api/contracts/import-engine.ts';
import { parseDecimal } from '../money/decimal.ts';
import { parseDateTimeToMs } from '../time/parse-date-time.ts';

/** A mapping being edited: the date may still be missing. */
export type MappingDraft = Omit<ColumnMappingSpec, 'date'> & { date: string };

type Field = 'date' | 'endDate' | 'cost' | 'tokens' | 'currency' | 'provider' | 'model' | 'tokenKind' | 'chargeKind' | 'costCentre' | 'project' | 'account';

/** Header words that name each field, most telling first. */
const NAMES: readonly [Field, RegExp][] = [
  ['endDate', /\b(end|until)\b/],
  ['date', /^(date|day|usage ?date|billing ?date|start ?date|start ?time|period ?start|timestamp|datum|fecha)$|\bdate\b|\bday\b|\bstart\b/],
  ['chargeKind', /\bcharge ?(kind|type|category)\b|\bline ?item ?type\b/],
  ['tokenKind', /\btoken ?(kind|type|direction)\b|\bdirection\b|^(kind|type)$/],
  ['currency', /\b(currency|curr|ccy|währung|devise|moneda)\b/],
  ['tokens', /\btokens?\b|\bquantity\b|\bvolume\b|\busage ?(amount|quantity)\b/],
  ['cost', /\b(cost|amount|spend|charge|billed|total|betrag|montant|importe)\b/],
  ['costCentre', /\bcost ?(cent(er|re)|unit)\b|\bdepartment\b|\bteam\b|\bbusiness ?unit\b/],
  ['provider', /\b(provider|vendor|supplier)\b/],
  ['model', /\b(model|sku|meter)\b/],
  ['project', /\b(project|workspace|application|app)\b/],
  ['account', /\b(account|subscription|organi[sz]ation|org)\b/],
];

const CURRENCY_IN_NAME = /\b(USD|EUR|GBP|CNY|JPY|CHF|CAD|AUD|INR|SGD|HKD|SEK|NOK|DKK|PLN|BRL|KRW)\b|[$€£¥]/;
const SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'CNY' };

/**
 * A first guess at a column mapping for a file no format recognises, from its header and first rows: names
 * that say what a column holds ("Day", "Amount (EUR)", "Model", "Tokens"), checked against the values (a date
 * column must hold dates, cost and tokens numbers). The user confirms or corrects it in the mapping editor.
 */
export function guessColumnMapping(header: readonly string[], rows: readonly (readonly string[])[]): MappingDraft {
  const used = new Set<number>();
  const found: Partial<Record<Field, number>> = {};
  const values = (i: number) => rows.map((r) => (r[i] ?? '').trim()).filter(Boolean);
  const mostly = (i: number, test: (v: string) => boolean) => {
    const v = values(i);
    return v.length === 0 || v.filter(test).length >= Math.ceil(v.length * 0.8);
  };
  const isDate = (v: string) => parseDateTimeToMs(v) !== undefined || parseDateTimeToMs(v, 'dmy') !== undefined;
  const isNumber = (v: string) => parseDecimal(v.replace(/[\s$€£¥,']/g, '').replace(/^\((.*)\)$/, '-$1')) !== undefined || /^-?[\d.\s]+,\d+$/.test(v);
  const fits: Partial<Record<Field, (i: number) => boolean>> = {
    date: (i) => mostly(i, isDate),
    endDate: (i) => mostly(i, isDate),
    cost: (i) => mostly(i, isNumber),
    tokens: (i) => mostly(i, isNumber),
  };
  for (const [field, pattern] of NAMES) {
    const i = header.findIndex((h, index) => !used.has(index) && pattern.test(h.trim().toLowerCase().replace(/[_\-./]+/g, ' ')) && (fits[field]?.(index) ?? true));
    if (i >= 0) {
      found[field] = i;
      used.add(i);
    }
  }
  if (found.date === undefined) {
    const i = header.findIndex((_, index) => !used.has(index) && values(index).length > 0 && mostly(index, isDate));
    if (i >= 0) found.date = i;
  }
  const name = (f: Field) => (found[f] === undefined ? undefined : header[found[f]!]);
  const draft: MappingDraft = { date: name('date') ?? '' };
  for (const f of ['endDate', 'cost', 'tokens', 'model', 'tokenKind', 'chargeKind', 'costCentre', 'project', 'account'] as const) {
    const n = name(f);
    if (n !== undefined) draft[f] = n;
  }
  const currency = name('currency');
  if (currency !== undefined) draft.currency = currency;
  else {
    const named = CURRENCY_IN_NAME.exec(name('cost') ?? '');
    if (named) draft.currency = { fixed: SYMBOLS[named[0]] ?? named[0] };
  }
  const provider = name('provider');
  if (provider !== undefined) draft.provider = provider;
  return draft;
}
