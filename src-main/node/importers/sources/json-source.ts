import { DomainError } from '../../../common/errors.ts';
import type { LoadedTable, TableRecord } from './table.ts';

/**
 * Parses JSON keeping every number as its exact source text ("0.003835980000000000000000000000" stays so, never a
 * binary float), then flattens it into one table:
 * - API pages and bucket lists (OpenAI usage/costs, Anthropic usage/cost reports): `{data:[bucket]}` or `[bucket]`,
 *   each bucket with `results` (or the older `result`) → one record per result, holding the bucket's scalar fields
 *   and the result's fields (nested objects as dotted names: `amount.value`, `cache_creation.ephemeral_5m_input_tokens`);
 *   its reference is the JSON pointer of the result: `data[3].results[1]`;
 * - any other array of objects (a GCP billing export saved as a JSON array) → one record per object (`[7]`).
 */
export function tableFromJsonText(text: string, entry = ''): LoadedTable {
  let value: unknown;
  try {
    value = JSON.parse(text, (_key, v, context?: { source?: string }) => (typeof v === 'number' && context?.source ? context.source : v));
  } catch (error) {
    throw new DomainError('invalid-input', `not valid JSON (${(error as Error).message})`);
  }
  const flat: { values: Map<string, string>; ref: string }[] = [];
  let prefix = '';
  let list: unknown = value;
  if (!Array.isArray(value) && value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const key = ['data', 'results', 'items', 'rows'].find((k) => Array.isArray(object[k]));
    if (!key) throw new DomainError('invalid-input', 'format not recognised: the JSON holds no list of records (expected an array, or an object with "data")');
    prefix = key;
    list = object[key];
  }
  if (!Array.isArray(list)) throw new DomainError('invalid-input', 'the JSON holds no list of records');
  list.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      throw new DomainError('invalid-input', `${prefix}[${i}] is not an object`);
    }
    const bucket = item as Record<string, unknown>;
    const resultsKey = Array.isArray(bucket.results) ? 'results' : Array.isArray(bucket.result) ? 'result' : undefined;
    if (resultsKey) {
      const scalars = new Map<string, string>();
      for (const [k, v] of Object.entries(bucket)) if (k !== resultsKey) flatten(k, v, scalars, true);
      (bucket[resultsKey] as unknown[]).forEach((result, j) => {
        const values = new Map(scalars);
        if (result && typeof result === 'object' && !Array.isArray(result)) {
          for (const [k, v] of Object.entries(result as Record<string, unknown>)) flatten(k, v, values, false);
        }
        flat.push({ values, ref: `${prefix}[${i}].${resultsKey}[${j}]` });
      });
    } else {
      const values = new Map<string, string>();
      for (const [k, v] of Object.entries(bucket)) flatten(k, v, values, false);
      flat.push({ values, ref: `${prefix}[${i}]` });
    }
  });
  return toTable(flat, 'json', entry);
}

/** JSON lines (a BigQuery export written as newline-delimited JSON): one record per line, referenced `line N`. */
export function tableFromJsonLines(text: string, entry = ''): LoadedTable {
  const flat: { values: Map<string, string>; ref: string }[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line, (_k, v, context?: { source?: string }) => (typeof v === 'number' && context?.source ? context.source : v));
    } catch (error) {
      throw new DomainError('invalid-input', `line ${i + 1} is not valid JSON (${(error as Error).message})`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DomainError('invalid-input', `line ${i + 1} is not a JSON object`);
    const values = new Map<string, string>();
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(k, v, values, false);
    flat.push({ values, ref: `line ${i + 1}` });
  });
  return toTable(flat, 'jsonl', entry);
}

function flatten(name: string, value: unknown, out: Map<string, string>, scalarsOnly: boolean): void {
  if (value === null || value === undefined) out.set(name, '');
  else if (Array.isArray(value)) {
    // Repeated records (GCP `credits`, labels) stay JSON text in one column; their mapper reads them.
    if (!scalarsOnly) out.set(name, JSON.stringify(value));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(`${name}.${k}`, v, out, scalarsOnly);
  } else out.set(name, String(value));
}

function toTable(flat: { values: Map<string, string>; ref: string }[], kind: 'json' | 'jsonl', entry: string): LoadedTable {
  const header: string[] = [];
  const seen = new Set<string>();
  for (const { values } of flat) {
    for (const k of values.keys()) {
      if (!seen.has(k)) {
        seen.add(k);
        header.push(k);
      }
    }
  }
  const records: TableRecord[] = flat.map(({ values, ref }, i) => ({
    fields: header.map((h) => values.get(h) ?? ''),
    row: i + 1,
    line: i + 1,
    ref,
  }));
  return { entry, kind, header, records };
}
