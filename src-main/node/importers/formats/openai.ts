import { canonicalProvider } from '../../../common/usage/providers.ts';
import { tokenKindFromText } from '../../../common/usage/token-kind-text.ts';
import type { TokenKind } from '../../../common/usage/usage-line.ts';
import { cell, currencyOf, DAY_MS, readDateTime, readNumber, wholeUnits } from '../fields.ts';
import { headerIndex, normaliseColumnName, type FormatDefinition, type MappedLine, type MapperContext, type RowMapper } from '../row-outcome.ts';
import { bucketDay, lines, mapped, money, reject, share } from './line-builder.ts';

/**
 * OpenAI exports — shared/reference/invoice-formats.md §2 and §9.2:
 * - `openai-usage`: the Usage API (`/organization/usage/completions` and the other usage endpoints) as JSON
 *   pages or bucket lists, and the dashboard's Activity CSV, which has the same columns. Volume only.
 *   `input_tokens` includes cached and cache-write tokens; the modality fields are breakdowns, never added.
 * - `openai-costs`: the Costs API JSON (`amount.value` in dollars, lower-case currency, `line_item`, `quantity`,
 *   `quantity_unit`) and the dashboard's Cost CSV (`amount_value`, 30-digit decimals, `user_email`). Money.
 * Buckets are `[start, end)` UTC; a bucket that is not a whole day (the clipped first and last of a query) is
 * partial, and a later export of the same day restates it (the natural key leaves the figures out).
 */
const USAGE_FIELDS = ['inputtokens', 'outputtokens', 'nummodelrequests', 'inputcachedtokens'].map(normaliseColumnName);
const COST_FIELDS = ['amountvalue', 'lineitem', 'amountcurrency'];

function names(header: readonly string[]): Set<string> {
  return new Set(header.map(normaliseColumnName));
}

export const openaiUsageFormat: FormatDefinition = {
  id: 'openai-usage',
  label: 'OpenAI usage (Usage API JSON / Activity CSV)',
  detect(header, samples) {
    const n = names(header);
    if (!n.has('starttime') && !n.has('starttimeiso')) return undefined;
    if (!n.has('inputtokens') && !n.has('numinputtokens')) return undefined;
    const object = header.findIndex((h) => h === 'object');
    const isApi = object >= 0 && samples.some((s) => (s[object] ?? '').startsWith('organization.usage'));
    return { version: isApi ? 'usage-api' : 'activity-csv', confidence: Math.min(1, 0.7 + 0.3 * share(n, USAGE_FIELDS) + (isApi ? 0.1 : 0)) };
  },
  createMapper: createUsageMapper,
};

export const openaiCostsFormat: FormatDefinition = {
  id: 'openai-costs',
  label: 'OpenAI costs (Costs API JSON / Cost CSV)',
  detect(header, samples) {
    const n = names(header);
    if (!n.has('starttime') && !n.has('starttimeiso')) return undefined;
    if (!n.has('amountvalue')) return undefined;
    const object = header.findIndex((h) => h === 'object');
    const isApi = object >= 0 && samples.some((s) => s[object] === 'organization.costs.result');
    return { version: isApi ? 'costs-api' : 'cost-csv', confidence: Math.min(1, 0.75 + 0.25 * share(n, COST_FIELDS) + (isApi ? 0.1 : 0)) };
  },
  createMapper: createCostsMapper,
};

function period(get: (i: number) => string, c: { start: number; end: number; startIso: number; endIso: number }, context: MapperContext) {
  const startText = get(c.start) || get(c.startIso);
  const start = readDateTime(startText, context.style);
  const endText = get(c.end) || get(c.endIso);
  const end = endText ? readDateTime(endText, context.style) : start === undefined ? undefined : start + DAY_MS;
  return { start, end, startText, endText };
}

function tierOf(batch: string, serviceTier: string): string {
  const tiers: string[] = [];
  if (/^(true|1)$/i.test(batch)) tiers.push('batch');
  if (serviceTier && serviceTier !== 'default') tiers.push(serviceTier.toLowerCase());
  return tiers.join(';');
}

function createUsageMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = {
    start: col('start_time'), end: col('end_time'), startIso: col('start_time_iso'), endIso: col('end_time_iso'),
    input: col('input_tokens', 'n_context_tokens_total'), output: col('output_tokens', 'n_generated_tokens_total'),
    cached: col('input_cached_tokens'), cacheWrite: col('input_cache_write_tokens'), uncached: col('input_uncached_tokens'),
    model: col('model', 'snapshot_id'), project: col('project_id'), apiKey: col('api_key_id'), batch: col('batch'),
    serviceTier: col('service_tier'), org: col('organization_id'),
  };
  if (c.start < 0 && c.startIso < 0) throw new Error('openai usage needs start_time');
  return {
    mapRow(fields, row, ref) {
      const get = (i: number) => cell(fields, i);
      const { start, end, startText, endText } = period(get, c, context);
      if (start === undefined) return reject('start_time', `"${startText}" is not a date/time`);
      if (end === undefined || end < start) return reject('end_time', `"${endText}" is not a date/time after start_time`);
      const count = (i: number): number | 'bad' => {
        const text = get(i);
        if (!text) return 0;
        const value = readNumber(text, context.style);
        const n = value ? wholeUnits(value) : undefined;
        return n === undefined || n < 0 ? 'bad' : n;
      };
      const input = count(c.input);
      if (input === 'bad') return reject('input_tokens', `"${get(c.input)}" is not a count`);
      const output = count(c.output);
      if (output === 'bad') return reject('output_tokens', `"${get(c.output)}" is not a count`);
      const cached = count(c.cached);
      if (cached === 'bad') return reject('input_cached_tokens', `"${get(c.cached)}" is not a count`);
      const cacheWrite = count(c.cacheWrite);
      if (cacheWrite === 'bad') return reject('input_cache_write_tokens', `"${get(c.cacheWrite)}" is not a count`);
      const uncachedGiven = count(c.uncached);
      if (uncachedGiven === 'bad') return reject('input_uncached_tokens', `"${get(c.uncached)}" is not a count`);
      const uncached = get(c.uncached) ? uncachedGiven : input - cached - cacheWrite;
      if (uncached < 0) return reject('input_tokens', `${input} is less than its cached (${cached}) and cache-write (${cacheWrite}) parts`);
      const modelRaw = get(c.model) || 'all models';
      const project = get(c.project);
      const tier = tierOf(get(c.batch), get(c.serviceTier));
      const partial = (start % DAY_MS !== 0 || end - start !== DAY_MS) && end - start < DAY_MS;
      const out: MappedLine[] = [];
      const add = (kind: TokenKind, tokens: number) => {
        if (tokens === 0) return;
        out.push(
          mapped(
            'openai-usage',
            {
              row, ref, startMs: start, endMs: end, provider: 'openai', modelRaw, tokenKind: kind, chargeKind: 'usage', tokens,
              costMicros: 0, currency: 'USD', costCentre: '', account: get(c.org), project, measure: 'volume', tier,
              keyPeriod: bucketDay(start),
            },
            [get(c.apiKey)],
            false,
          ),
        );
      };
      add('input', uncached);
      add('cache_read', cached);
      add('cache_write', cacheWrite);
      add('output', output);
      return lines(out, 'empty bucket (no tokens)', partial ? 'partial bucket (not a whole day); a later export of that day will restate it' : undefined);
    },
  };
}

/** `ft-gpt-4o-2024-08-06, input`, `evals | gpt-4o-mini-2024-07-18, cached input`, `assistants api | file search`, `input_tokens`. */
export function parseLineItem(text: string): { model: string; kind: TokenKind; surface: string } {
  const m = /^(?:(?<surface>[^|]+?) \| )?(?<model>.+?), (?<kind>[a-z _-]+)$/i.exec(text.trim());
  if (m?.groups) {
    const kind = tokenKindFromText(m.groups.kind!) ?? 'other';
    return { model: m.groups.model!.replace(/^ft[-:]/, ''), kind, surface: (m.groups.surface ?? '').trim().toLowerCase() };
  }
  const simple = /^(input|output|cached_input|input_cached|cache_read|cache_write)(_tokens)?$/i.exec(text.trim());
  if (simple) return { model: 'all models', kind: tokenKindFromText(simple[1]!.replace('_', ' ')) ?? 'other', surface: '' };
  const surface = /^([^|]+?) \| (.+)$/.exec(text.trim());
  return { model: surface ? surface[2]!.trim() : text.trim() || 'unknown', kind: 'other', surface: surface ? surface[1]!.trim().toLowerCase() : '' };
}

function createCostsMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = {
    start: col('start_time'), end: col('end_time'), startIso: col('start_time_iso', 'start_datetime'), endIso: col('end_time_iso', 'end_datetime'),
    amount: col('amount.value', 'amount_value'), currency: col('amount.currency', 'amount_currency', 'currency'),
    lineItem: col('line_item'), project: col('project_id'), projectName: col('project_name'), apiKey: col('api_key_id'),
    quantity: col('quantity'), quantityUnit: col('quantity_unit'), org: col('organization_id'), email: col('user_email'),
  };
  const personalColumns = [c.email, col('api_key_name'), col('user_name')].filter((i) => i >= 0);
  return {
    personalColumns,
    mapRow(fields, row, ref) {
      const get = (i: number) => cell(fields, i);
      const { start, end, startText, endText } = period(get, c, context);
      if (start === undefined) return reject('start_time', `"${startText}" is not a date/time`);
      if (end === undefined || end < start) return reject('end_time', `"${endText}" is not a date/time after start_time`);
      const amountText = get(c.amount);
      if (!amountText) return { kind: 'skip', reason: 'empty bucket (no amount)' };
      const amount = readNumber(amountText, context.style);
      if (!amount) return reject('amount_value', `"${amountText}" is not a number`);
      const currency = currencyOf(get(c.currency) || 'usd');
      if (!currency) return reject('currency', `"${get(c.currency)}" is not an ISO currency code`);
      const item = parseLineItem(get(c.lineItem));
      let tokens = 0;
      const unit = get(c.quantityUnit).toLowerCase();
      if (get(c.quantity) && (unit === 'tokens' || unit === '1000_tokens' || unit === '1m_tokens')) {
        const q = readNumber(get(c.quantity), context.style);
        const n = q && wholeUnits(q, unit === 'tokens' ? 1n : unit === '1000_tokens' ? 1000n : 1_000_000n);
        if (n === undefined || !q) return reject('quantity', `"${get(c.quantity)}" is not a number`);
        tokens = n;
      }
      const costMicros = money(amount, `amount on row ${row}`);
      const tier = [item.surface.startsWith('batch') ? 'batch' : '', item.surface].filter(Boolean).join(';');
      return lines(
        [
          mapped(
            'openai-costs',
            {
              row, ref, startMs: start, endMs: end, provider: canonicalProvider('openai'), modelRaw: item.model,
              tokenKind: tokens || item.kind !== 'other' ? item.kind : 'other', chargeKind: costMicros < 0 ? 'credit' : 'usage',
              tokens: item.kind === 'other' ? 0 : tokens, costMicros, currency, costCentre: get(c.projectName),
              account: get(c.org), project: get(c.project), measure: 'cost', tier, keyPeriod: bucketDay(start),
            },
            [get(c.lineItem), get(c.apiKey)],
            false,
          ),
        ],
        'empty bucket',
      );
    },
  };
}
