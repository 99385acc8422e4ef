import { parseDecimal } from '../../../common/money/decimal.ts';
import { tokenKindFromText } from '../../../common/usage/token-kind-text.ts';
import type { TokenKind } from '../../../common/usage/usage-line.ts';
import { cell, currencyOf, DAY_MS, pseudonym, readDateTime, readNumber, wholeUnits } from '../fields.ts';
import { headerIndex, normaliseColumnName, type FormatDefinition, type MappedLine, type MapperContext, type RowMapper, type RowOutcome } from '../row-outcome.ts';
import { bucketDay, lines, mapped, money, reject, share } from './line-builder.ts';

/**
 * Anthropic exports — shared/reference/invoice-formats.md §3 and §9.3:
 * - `anthropic-usage`: the Messages usage report JSON (input fields disjoint: uncached + cache read + cache writes).
 * - `anthropic-cost`: the cost report JSON, whose `amount` is in **cents** as a decimal string ("123.45" = $1.2345).
 * - `anthropic-console-usage` / `anthropic-console-cost`: the Console CSV exports, every header generation:
 *   one `usage_input_tokens_cache_write` column (older) or 5m/1h columns; cost export with or without
 *   `context_window`, `cost_type`, `list_price_usd`, `inference_geo`, `speed`, `api_key_id`. `api_key` is the
 *   key's name (personal data): it is hashed in the stored copy and never kept on lines. Dates are days (+1 day).
 */
const names = (header: readonly string[]) => new Set(header.map(normaliseColumnName));

export const anthropicUsageFormat: FormatDefinition = {
  id: 'anthropic-usage',
  label: 'Anthropic usage report (JSON)',
  detect(header) {
    const n = names(header);
    if (!n.has('startingat') || !n.has('uncachedinputtokens')) return undefined;
    return { version: 'usage-report', confidence: 0.8 + 0.2 * share(n, ['cachereadinputtokens', 'outputtokens', 'cachecreationephemeral5minputtokens']) };
  },
  createMapper: usageReportMapper,
};

export const anthropicCostFormat: FormatDefinition = {
  id: 'anthropic-cost',
  label: 'Anthropic cost report (JSON, amounts in cents)',
  detect(header) {
    const n = names(header);
    if (!n.has('startingat') || !n.has('amount') || !n.has('currency')) return undefined;
    return { version: 'cost-report', confidence: 0.8 + 0.2 * share(n, ['description', 'costtype', 'tokentype', 'model']) };
  },
  createMapper: costReportMapper,
};

export const anthropicConsoleUsageFormat: FormatDefinition = {
  id: 'anthropic-console-usage',
  label: 'Anthropic Console usage export (CSV)',
  detect(header) {
    const n = names(header);
    if (!n.has('usagedateutc') || !n.has('usageinputtokensnocache')) return undefined;
    const version = n.has('usageinputtokenscachewrite5m') ? '2025+ (5m/1h cache writes)' : '2024 (one cache-write column)';
    return { version, confidence: 0.85 + 0.15 * share(n, ['modelversion', 'usageoutputtokens', 'usageinputtokenscacheread']) };
  },
  createMapper: consoleUsageMapper,
};

export const anthropicConsoleCostFormat: FormatDefinition = {
  id: 'anthropic-console-cost',
  label: 'Anthropic Console cost export (CSV)',
  detect(header) {
    const n = names(header);
    if (!n.has('usagedateutc') || !n.has('costusd')) return undefined;
    const version = n.has('listpriceusd') ? '2026' : n.has('costtype') ? '2025-12' : '2024-12';
    return { version, confidence: 0.85 + 0.15 * share(n, ['model', 'tokentype', 'workspace']) };
  },
  createMapper: consoleCostMapper,
};

const TOKEN_TYPES: Record<string, TokenKind> = {
  uncached_input_tokens: 'input',
  input_no_cache: 'input',
  output_tokens: 'output',
  output: 'output',
  cache_read_input_tokens: 'cache_read',
  input_cache_read: 'cache_read',
  'cache_creation.ephemeral_5m_input_tokens': 'cache_write',
  'cache_creation.ephemeral_1h_input_tokens': 'cache_write',
  input_cache_write_5m: 'cache_write',
  input_cache_write_1h: 'cache_write',
  input_cache_write: 'cache_write',
};

function tier(...parts: string[]): string {
  return parts.map((p) => p.trim().toLowerCase().replace(/\s+/g, '').replace('≤', '<=')).filter((p) => p && p !== 'standard' && p !== 'not_available').join(';');
}

function bucket(get: (i: number) => string, start: number, end: number, context: MapperContext) {
  const s = readDateTime(get(start), context.style);
  const e = get(end) ? readDateTime(get(end), context.style) : s === undefined ? undefined : s + DAY_MS;
  return { s, e };
}

function usageReportMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = {
    start: col('starting_at'), end: col('ending_at'), model: col('model'), workspace: col('workspace_id'), apiKey: col('api_key_id'),
    tier: col('service_tier'), window: col('context_window'), geo: col('inference_geo'), speed: col('speed'), account: col('account_id'),
  };
  const counts: [string, TokenKind, string][] = [
    ['uncached_input_tokens', 'input', ''],
    ['cache_read_input_tokens', 'cache_read', ''],
    ['cache_creation.ephemeral_5m_input_tokens', 'cache_write', '5m'],
    ['cache_creation.ephemeral_1h_input_tokens', 'cache_write', '1h'],
    ['cache_creation_input_tokens', 'cache_write', ''],
    ['output_tokens', 'output', ''],
  ];
  const countCols = countColumns(counts, col);
  return {
    mapRow(fields, row, ref) {
      const get = (i: number) => cell(fields, i);
      const { s, e } = bucket(get, c.start, c.end, context);
      if (s === undefined) return reject('starting_at', `"${get(c.start)}" is not a date/time`);
      if (e === undefined || e < s) return reject('ending_at', `"${get(c.end)}" is not a date/time after starting_at`);
      const out = countedLines(countCols, get, context, ({ name, kind, ttl }, n) =>
        mapped(
          'anthropic-usage',
          {
            row, ref, startMs: s, endMs: e, provider: 'anthropic', modelRaw: get(c.model) || 'all models', tokenKind: kind, chargeKind: 'usage',
            tokens: n, costMicros: 0, currency: 'USD', costCentre: '', account: get(c.account), project: get(c.workspace) || 'default workspace',
            measure: 'volume', tier: tier(get(c.tier), get(c.window), get(c.geo), get(c.speed), ttl ? `cache_${ttl}` : ''), keyPeriod: bucketDay(s),
          },
          [name, get(c.apiKey)],
          false,
        ),
      );
      return Array.isArray(out) ? lines(out, 'empty bucket (no tokens)') : out;
    },
  };
}

function costReportMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = {
    start: col('starting_at'), end: col('ending_at'), amount: col('amount'), currency: col('currency'), description: col('description'),
    costType: col('cost_type'), tokenType: col('token_type'), model: col('model'), tier: col('service_tier'), window: col('context_window'),
    geo: col('inference_geo'), workspace: col('workspace_id'),
  };
  return {
    mapRow(fields, row, ref) {
      const get = (i: number) => cell(fields, i);
      const { s, e } = bucket(get, c.start, c.end, context);
      if (s === undefined) return reject('starting_at', `"${get(c.start)}" is not a date/time`);
      if (e === undefined || e < s) return reject('ending_at', `"${get(c.end)}" is not a date/time after starting_at`);
      const amountText = get(c.amount);
      const cents = parseDecimal(amountText);
      if (!cents) return reject('amount', `"${amountText}" is not a decimal amount in cents`);
      const currency = currencyOf(get(c.currency) || 'USD');
      if (!currency) return reject('currency', `"${get(c.currency)}" is not an ISO currency code`);
      // Cents to currency units: the same digits two places further right, exactly.
      const costMicros = money({ units: cents.units, scale: cents.scale + 2 }, `amount on row ${row}`);
      const costType = get(c.costType).toLowerCase();
      const kind = costType && costType !== 'tokens' ? 'other' : (TOKEN_TYPES[get(c.tokenType)] ?? tokenKindFromText(get(c.description)) ?? 'other');
      const modelRaw = get(c.model) || get(c.description).replace(/\s+usage\b.*$/i, '') || 'all models';
      return lines(
        [
          mapped(
            'anthropic-cost',
            {
              row, ref, startMs: s, endMs: e, provider: 'anthropic', modelRaw, tokenKind: kind, chargeKind: costMicros < 0 ? 'credit' : 'usage',
              tokens: 0, costMicros, currency, costCentre: '', account: '', project: get(c.workspace) || 'default workspace', measure: 'cost',
              tier: tier(get(c.tier), get(c.window), get(c.geo), costType !== 'tokens' ? costType : '', /1h/.test(get(c.tokenType)) ? 'cache_1h' : /5m/.test(get(c.tokenType)) ? 'cache_5m' : ''),
              keyPeriod: bucketDay(s),
            },
            [get(c.description), get(c.tokenType), costType],
            false,
          ),
        ],
        'empty cost line',
      );
    },
  };
}

function consoleUsageMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = {
    date: col('usage_date_utc'), model: col('model_version', 'model'), apiKey: col('api_key'), workspace: col('workspace'),
    usageType: col('usage_type'), window: col('context_window'), geo: col('inference_geo'), speed: col('speed'),
  };
  const counts: [string, TokenKind, string][] = [
    ['usage_input_tokens_no_cache', 'input', ''],
    ['usage_input_tokens_cache_read', 'cache_read', ''],
    ['usage_input_tokens_cache_write_5m', 'cache_write', '5m'],
    ['usage_input_tokens_cache_write_1h', 'cache_write', '1h'],
    ['usage_input_tokens_cache_write', 'cache_write', ''],
    ['usage_output_tokens', 'output', ''],
  ];
  const countCols = countColumns(counts, col);
  return {
    personalColumns: [c.apiKey].filter((i) => i >= 0),
    mapRow(fields, row) {
      const get = (i: number) => cell(fields, i);
      const start = readDateTime(get(c.date), context.style);
      if (start === undefined) return reject('usage_date_utc', `"${get(c.date)}" is not a date`);
      const out = countedLines(countCols, get, context, ({ name, kind, ttl }, n) =>
        mapped(
          'anthropic-console-usage',
          {
            row, startMs: start, endMs: start + DAY_MS, provider: 'anthropic', modelRaw: get(c.model) || 'unknown', tokenKind: kind,
            chargeKind: 'usage', tokens: n, costMicros: 0, currency: 'USD', costCentre: '', account: '', project: get(c.workspace) || 'Default',
            measure: 'volume', tier: tier(get(c.usageType) === 'message' ? '' : get(c.usageType), get(c.window), get(c.geo), get(c.speed), ttl ? `cache_${ttl}` : ''),
          },
          [name, pseudonym(get(c.apiKey))],
          false,
        ),
      );
      return Array.isArray(out) ? lines(out, 'row without tokens') : out;
    },
  };
}

function consoleCostMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = {
    date: col('usage_date_utc'), model: col('model'), workspace: col('workspace'), apiKey: col('api_key'), apiKeyId: col('api_key_id'),
    usageType: col('usage_type'), tokenType: col('token_type'), cost: col('cost_usd'), window: col('context_window'), costType: col('cost_type'),
    geo: col('inference_geo'), speed: col('speed'),
  };
  return {
    personalColumns: [c.apiKey].filter((i) => i >= 0),
    mapRow(fields, row) {
      const get = (i: number) => cell(fields, i);
      const start = readDateTime(get(c.date), context.style);
      if (start === undefined) return reject('usage_date_utc', `"${get(c.date)}" is not a date`);
      const costText = get(c.cost);
      const cost = readNumber(costText, context.style);
      if (!cost) return reject('cost_usd', `"${costText}" is not a number`);
      const costMicros = money(cost, `cost_usd on row ${row}`);
      const tokenType = get(c.tokenType);
      const costType = get(c.costType).toLowerCase();
      const kind = costType && costType !== 'token' && costType !== 'tokens' ? 'other' : (TOKEN_TYPES[tokenType] ?? tokenKindFromText(tokenType) ?? 'other');
      return lines(
        [
          mapped(
            'anthropic-console-cost',
            {
              row, startMs: start, endMs: start + DAY_MS, provider: 'anthropic', modelRaw: get(c.model) || 'unknown', tokenKind: kind,
              chargeKind: costMicros < 0 ? 'credit' : 'usage', tokens: 0, costMicros, currency: 'USD', costCentre: '', account: '',
              project: get(c.workspace) || 'Default', measure: 'cost',
              tier: tier(get(c.usageType) === 'message' ? '' : get(c.usageType), get(c.window), get(c.geo), get(c.speed), /1h/.test(tokenType) ? 'cache_1h' : /5m/.test(tokenType) ? 'cache_5m' : ''),
            },
            [tokenType, costType, get(c.apiKeyId) || pseudonym(get(c.apiKey))],
            false,
          ),
        ],
        'empty cost line',
      );
    },
  };
}

/** A token-count column of a usage export: its name, the direction it counts, the cache lifetime, its index. */
type CountColumn = { name: string; kind: TokenKind; ttl: string; i: number };

/** The count columns of `counts` ([name, direction, cache lifetime]) that the header has. */
function countColumns(counts: readonly [string, TokenKind, string][], col: (name: string) => number): CountColumn[] {
  return counts.map(([name, kind, ttl]) => ({ name, kind, ttl, i: col(name) })).filter((x) => x.i >= 0);
}

/**
 * One volume line per count column with a positive count (`line` makes it; empty and zero counts make none), or
 * the rejection naming the column of a count that is not a whole number of tokens.
 */
function countedLines(
  counts: readonly CountColumn[],
  get: (i: number) => string,
  context: MapperContext,
  line: (column: CountColumn, tokens: number) => MappedLine,
): MappedLine[] | RowOutcome {
  const out: MappedLine[] = [];
  for (const column of counts) {
    const text = get(column.i);
    if (!text) continue;
    const v = readNumber(text, context.style);
    const n = v ? wholeUnits(v) : undefined;
    if (n === undefined || n < 0) return reject(column.name, `"${text}" is not a count of tokens`);
    if (n > 0) out.push(line(column, n));
  }
  return out;
}
