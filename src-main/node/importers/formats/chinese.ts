import type { Decimal } from '../../../common/money/decimal.ts';
import { divRound } from '../../../common/money/rounding.ts';
import { parseDateTimeToMs, parseMonthToMs } from '../../../common/time/parse-date-time.ts';
import type { ChargeKind, TokenKind } from '../../../common/usage/usage-line.ts';
import { cell, currencyOf, DAY_MS, pseudonym, readDateTime, readNumber, wholeUnits } from '../fields.ts';
import { headerIndex, normaliseColumnName, type FormatDefinition, type MapperContext, type RowMapper } from '../row-outcome.ts';
import { bucketDay, lines, mapped, money, reject, share } from './line-builder.ts';

/**
 * Chinese providers — shared/reference/invoice-formats.md §5 and §9.7:
 * - DeepSeek's usage export is a ZIP of `amount-*.csv` (volume: `type`, `amount`, `price` in CNY per token) and
 *   `cost-*.csv` (money: `cost`, `currency`, `wallet_type`); each CSV is recognised on its own. The cost CSV names
 *   no token direction: read after the amount CSV of the same ZIP, its money is split over the directions of the
 *   bucket's tokens (amount × price) and carries those tokens, so the amount lines are reconciled against it; read
 *   alone, it is one line of kind `other` per bucket. The last bucket
 *   of an export ends at the end of its day although its data stop at export time: a later export restates it.
 *   Peak/off-peak is derived from the bucket's Beijing time (peak Mon–Fri 09:00–12:00, 14:00–18:00).
 * - Alibaba Cloud bill detail CSV (`BillingCycle`, `ProductCode`, `Item`, `PretaxAmount`…): Model Studio lines
 *   (ProductCode/ProductName mentioning Model Studio, 百炼, DashScope, sfm, Qwen); money in CNY unless stated.
 */
const names = (header: readonly string[]) => new Set(header.map(normaliseColumnName));

export const deepseekAmountFormat: FormatDefinition = {
  id: 'deepseek-amount',
  label: 'DeepSeek usage export: amount CSV (tokens)',
  detect(header) {
    const n = names(header);
    if (!n.has('type') || !n.has('amount') || !n.has('starttimeiso') || !n.has('model')) return undefined;
    return { version: 'amount', confidence: 0.8 + 0.2 * share(n, ['price', 'apikeyname', 'userid']) };
  },
  createMapper: deepseekAmountMapper,
};

export const deepseekCostFormat: FormatDefinition = {
  id: 'deepseek-cost',
  label: 'DeepSeek usage export: cost CSV (money)',
  detect(header) {
    const n = names(header);
    if (!n.has('cost') || !n.has('currency') || !n.has('starttimeiso') || !n.has('model')) return undefined;
    return { version: 'cost', confidence: 0.8 + 0.2 * share(n, ['wallettype', 'userid', 'endtimeiso']) };
  },
  createMapper: deepseekCostMapper,
};

const DEEPSEEK_TYPES: Record<string, TokenKind | 'requests'> = {
  input_cache_hit_tokens: 'cache_read',
  input_cache_miss_tokens: 'input',
  output_tokens: 'output',
  request_count: 'requests',
};

const BEIJING_MS = 8 * 3_600_000;
/** Peak or off-peak for a bucket starting at `ms`, by Beijing time (holidays are not known here: weekdays only). */
export function deepseekPeriodTier(startMs: number, endMs: number): string {
  if (endMs - startMs > 3_600_000) return '';
  const local = new Date(startMs + BEIJING_MS);
  const day = local.getUTCDay();
  const hour = local.getUTCHours();
  const peak = day >= 1 && day <= 5 && ((hour >= 9 && hour < 12) || (hour >= 14 && hour < 18));
  return peak ? 'peak' : 'off_peak';
}

function deepseekPeriod(get: (i: number) => string, start: number, end: number, context: MapperContext) {
  const s = readDateTime(get(start), context.style);
  const e = get(end) ? readDateTime(get(end), context.style) : s === undefined ? undefined : s + DAY_MS;
  return { s, e };
}

function deepseekAmountMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = {
    user: col('user_id'), start: col('start_time_iso'), end: col('end_time_iso'), model: col('model'), keyName: col('api_key_name'),
    key: col('api_key'), type: col('type'), price: col('price'), amount: col('amount'),
  };
  return {
    personalColumns: [c.keyName, c.key].filter((i) => i >= 0),
    mapRow(fields, row, ref) {
      const get = (i: number) => cell(fields, i);
      const { s, e } = deepseekPeriod(get, c.start, c.end, context);
      if (s === undefined) return reject('start_time_iso', `"${get(c.start)}" is not a date/time`);
      if (e === undefined || e < s) return reject('end_time_iso', `"${get(c.end)}" is not a date/time after the start`);
      const type = get(c.type);
      const kind = DEEPSEEK_TYPES[type];
      if (!kind) return reject('type', `"${type}" is not one of ${Object.keys(DEEPSEEK_TYPES).join(', ')}`);
      if (kind === 'requests') return { kind: 'skip', reason: 'request counts (not tokens)' };
      const q = readNumber(get(c.amount), context.style);
      const tokens = q ? wholeUnits(q) : undefined;
      if (tokens === undefined || tokens < 0) return reject('amount', `"${get(c.amount)}" is not a count of tokens`);
      if (tokens === 0) return { kind: 'skip', reason: 'zero tokens' };
      const price = get(c.price) ? readNumber(get(c.price), context.style) : undefined;
      if (get(c.price) && !price) return reject('price', `"${get(c.price)}" is not a number`);
      recordAmount(context, `${get(c.user)}|${s}|${e}|${get(c.model)}`, { kind, tokens, price });
      return lines(
        [
          mapped(
            'deepseek-amount',
            {
              row, ref, startMs: s, endMs: e, provider: 'deepseek', modelRaw: get(c.model) || 'unknown', tokenKind: kind, chargeKind: 'usage',
              tokens, costMicros: 0, currency: 'CNY', costCentre: '', account: get(c.user), project: pseudonym(get(c.keyName)) || 'all keys',
              measure: 'volume', tier: deepseekPeriodTier(s, e), keyPeriod: e - s > 3_600_000 ? bucketDay(s) : `${s}`,
            },
            [type],
            false,
          ),
        ],
        'empty',
      );
    },
  };
}

function deepseekCostMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = { user: col('user_id'), start: col('start_time_iso'), end: col('end_time_iso'), model: col('model'), wallet: col('wallet_type'), cost: col('cost'), currency: col('currency') };
  return {
    mapRow(fields, row, ref) {
      const get = (i: number) => cell(fields, i);
      const { s, e } = deepseekPeriod(get, c.start, c.end, context);
      if (s === undefined) return reject('start_time_iso', `"${get(c.start)}" is not a date/time`);
      if (e === undefined || e < s) return reject('end_time_iso', `"${get(c.end)}" is not a date/time after the start`);
      const cost = readNumber(get(c.cost), context.style);
      if (!cost) return reject('cost', `"${get(c.cost)}" is not a number`);
      const currency = currencyOf(get(c.currency) || 'CNY');
      if (!currency) return reject('currency', `"${get(c.currency)}" is not an ISO currency code`);
      const costMicros = money(cost, `cost on row ${row}`);
      const line = (tokenKind: TokenKind, tokens: number, micros: number) =>
        mapped(
          'deepseek-cost',
          {
            row, ref, startMs: s, endMs: e, provider: 'deepseek', modelRaw: get(c.model) || 'unknown', tokenKind, chargeKind: 'usage',
            tokens, costMicros: micros, currency, costCentre: '', account: get(c.user), project: 'all keys',
            measure: 'cost', tier: get(c.wallet) ? `wallet:${get(c.wallet).toLowerCase()}` : '', keyPeriod: e - s > 3_600_000 ? bucketDay(s) : `${s}`,
          },
          [get(c.wallet)],
          false,
        );
      // The amount CSV of the same export names the directions and prices of this bucket's tokens: the money is
      // split over them as DeepSeek bills it (amount × price), so it prices each direction.
      const split = takeAmounts(context, `${get(c.user)}|${s}|${e}|${get(c.model)}`, costMicros);
      if (split) return lines(split.map((p) => line(p.kind, p.tokens, p.costMicros)), 'empty');
      return lines([line('other', 0, costMicros)], 'empty');
    },
  };
}

type Amount = { kind: TokenKind; tokens: number; price: Decimal | undefined };
const AMOUNTS = 'deepseek-amounts';

function recordAmount(context: MapperContext, key: string, amount: Amount): void {
  if (!context.shared) return;
  let all = context.shared.get(AMOUNTS) as Map<string, { amounts: Amount[]; tokensTaken: boolean }> | undefined;
  if (!all) context.shared.set(AMOUNTS, (all = new Map()));
  const entry = all.get(key);
  if (entry) entry.amounts.push(amount);
  else all.set(key, { amounts: [amount], tokensTaken: false });
}

/**
 * Splits a bucket's cost over the token directions the amount CSV recorded for it, in proportion to
 * amount × price (by tokens when no price is given), exactly: the parts add up to `costMicros`. The tokens go
 * with the first cost line of the bucket only (a bucket paid from two wallets has two cost lines).
 */
function takeAmounts(context: MapperContext, key: string, costMicros: number): { kind: TokenKind; tokens: number; costMicros: number }[] | undefined {
  const entry = (context.shared?.get(AMOUNTS) as Map<string, { amounts: Amount[]; tokensTaken: boolean }> | undefined)?.get(key);
  if (!entry || entry.amounts.length === 0) return undefined;
  const scale = Math.max(0, ...entry.amounts.map((a) => a.price?.scale ?? 0));
  const priced = entry.amounts.every((a) => a.price !== undefined);
  const weights = entry.amounts.map((a) => BigInt(a.tokens) * (priced ? a.price!.units * 10n ** BigInt(scale - a.price!.scale) : 1n));
  const total = weights.reduce((x, w) => x + w, 0n);
  if (total === 0n) return undefined;
  let left = BigInt(costMicros);
  const parts = entry.amounts.map((a, i) => {
    const share = i === entry.amounts.length - 1 ? left : divRound(BigInt(costMicros) * weights[i]!, total, 'half-even');
    left -= share;
    return { kind: a.kind, tokens: entry.tokensTaken ? 0 : a.tokens, costMicros: Number(share) };
  });
  entry.tokensTaken = true;
  return parts;
}

export const alibabaBillFormat: FormatDefinition = {
  id: 'alibaba-bill',
  label: 'Alibaba Cloud bill detail (CSV)',
  detect(header) {
    const n = names(header);
    if (!n.has('billingcycle') || !n.has('productcode') || !(n.has('pretaxamount') || n.has('pretaxgrossamount'))) return undefined;
    return { version: 'bill-detail', confidence: 0.8 + 0.2 * share(n, ['item', 'instanceid', 'usagestarttime', 'paymentamount']) };
  },
  createMapper: alibabaMapper,
};

const ALIBABA_ITEM: Record<string, ChargeKind> = {
  payasyougobill: 'usage', subscriptionorder: 'purchase', refund: 'credit', adjustment: 'adjustment',
};

function alibabaMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = {
    cycle: col('BillingCycle'), productCode: col('ProductCode'), productName: col('ProductName'), productDetail: col('ProductDetail'),
    start: col('UsageStartTime'), end: col('UsageEndTime'), item: col('Item'), instance: col('InstanceID'), owner: col('OwnerID'),
    account: col('AccountID'), resourceGroup: col('ResourceGroup'), tag: col('Tag'), costUnit: col('CostUnit'), amount: col('PretaxAmount', 'PretaxGrossAmount'),
    currency: col('Currency'), record: col('RecordID'), usage: col('Usage', 'UsageAmount', '用量'), usageUnit: col('UsageUnit', '用量单位'), billingItem: col('BillingItem', '计费项'),
  };
  return {
    mapRow(fields, row) {
      const get = (i: number) => cell(fields, i);
      const product = `${get(c.productCode)} ${get(c.productName)} ${get(c.productDetail)}`;
      if (!/model ?studio|百炼|dashscope|\bsfm\b|qwen|通义|bailian/i.test(product)) return { kind: 'skip', reason: `not an AI line (product ${get(c.productCode) || 'empty'})` };
      const itemText = get(c.item) || 'PayAsYouGoBill';
      const chargeKind = ALIBABA_ITEM[itemText.toLowerCase()];
      if (!chargeKind) return reject('Item', `"${itemText}" is not PayAsYouGoBill, SubscriptionOrder, Refund or Adjustment`);
      const month = parseMonthToMs(get(c.cycle));
      if (month === undefined) return reject('BillingCycle', `"${get(c.cycle)}" is not a month (YYYY-MM)`);
      const monthEnd = Date.UTC(new Date(month).getUTCFullYear(), new Date(month).getUTCMonth() + 1, 1);
      // Bills are in China time (UTC+8) when no offset is written.
      const localStart = get(c.start) ? readDateTime(get(c.start), context.style) : undefined;
      const start = localStart !== undefined ? (/[zZ]|[+-]\d\d:?\d\d$/.test(get(c.start)) ? localStart : localStart - BEIJING_MS) : month;
      const localEnd = get(c.end) ? parseDateTimeToMs(get(c.end), context.style.dateOrder) : undefined;
      const end = localEnd !== undefined ? (/[zZ]|[+-]\d\d:?\d\d$/.test(get(c.end)) ? localEnd : localEnd - BEIJING_MS) : localStart !== undefined ? start + DAY_MS : monthEnd;
      const cost = readNumber(get(c.amount), context.style);
      if (!cost) return reject('PretaxAmount', `"${get(c.amount)}" is not a number`);
      const currency = currencyOf(get(c.currency) || 'CNY');
      if (!currency) return reject('Currency', `"${get(c.currency)}" is not an ISO currency code`);
      const itemName = get(c.billingItem);
      const text = `${itemName} ${get(c.productDetail)}`;
      const kind: TokenKind = /输出|output/i.test(text) ? 'output' : /缓存|cache/i.test(text) ? 'cache_read' : /输入|input/i.test(text) ? 'input' : 'other';
      let tokens = 0;
      const unit = get(c.usageUnit);
      if (kind !== 'other' && get(c.usage)) {
        const q = readNumber(get(c.usage), context.style);
        const per = /千|thousand|\bk\b/i.test(unit) ? 1000n : /百万|million|\bm\b/i.test(unit) ? 1_000_000n : 1n;
        const n = q ? wholeUnits(q, per) : undefined;
        if (n === undefined) return reject('Usage', `"${get(c.usage)}" is not a number`);
        tokens = n;
      }
      const tags: Record<string, string> = Object.fromEntries(get(c.tag).split(';').map((kv) => kv.split(':').map((x) => x.trim())).filter((kv) => kv.length === 2 && kv[0]));
      const centre = Object.entries(tags).find(([k]) => /^cost[-_ ]?cent(er|re)$/i.test(k))?.[1] ?? get(c.costUnit);
      const modelRaw = itemName || get(c.productDetail) || get(c.instance) || 'Model Studio';
      return lines(
        [
          mapped(
            'alibaba-bill',
            {
              row, startMs: start, endMs: Math.max(end, start), provider: 'alibaba', modelRaw, tokenKind: kind, chargeKind, tokens,
              costMicros: money(cost, `PretaxAmount on row ${row}`), currency, costCentre: centre ?? '', account: get(c.account) || get(c.owner),
              project: get(c.resourceGroup) || get(c.instance), measure: 'cost', billingPeriodStartMs: month, billingPeriodEndMs: monthEnd,
            },
            [get(c.record), get(c.instance), itemText],
            !get(c.record),
          ),
        ],
        'empty',
      );
    },
  };
}
