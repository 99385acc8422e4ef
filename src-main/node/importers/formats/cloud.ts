import type { Decimal } from '../../../common/money/decimal.ts';
import { tokenKindFromText } from '../../../common/usage/token-kind-text.ts';
import { tokensPerUnit } from '../../../common/usage/token-units.ts';
import type { ChargeKind, TokenKind } from '../../../common/usage/usage-line.ts';
import { costCentreFromTags } from '../focus/focus-mapper.ts';
import { cell, currencyOf, DAY_MS, detectQuantityScale, readDateTime, readNumber, wholeUnits } from '../fields.ts';
import { headerIndex, normaliseColumnName, type FormatDefinition, type MappedLine, type MapperContext, type RowMapper } from '../row-outcome.ts';
import { lines, mapped, money, reject, share } from './line-builder.ts';
import { parseMonthToMs } from '../../../common/time/parse-date-time.ts';

/**
 * Cloud bills in which LLM tokens are meters, usage types or SKUs — shared/reference/invoice-formats.md §4, §9.4–9.6:
 * - `azure-cost-details`: EA (PascalCase), MCA (camelCase) and legacy (`UsageDateTime`, `PreTaxCost`) cost details,
 *   localised headers `Label (EnglishName)`; Azure OpenAI / Foundry meters give model, direction and deployment;
 *   `1K`/`1M`/`10K` units are checked against the price (quantity in tokens or in blocks).
 * - `aws-cur`: CUR 2.0 (`line_item_usage_type`) and legacy CUR (`lineItem/UsageType`) with Bedrock usage types
 *   (`-input-tokens`, `-output-tokens`, `-cache-read-input-token-count`, `-cache-write-input-token-count`,
 *   `-cross-region-global`, `-batch`) and AWS Marketplace Claude lines (`InputTokenCount`).
 * - `gcp-billing`: the BigQuery billing export flattened to CSV or JSON lines; Vertex AI / Gemini SKUs; each
 *   element of `credits` becomes its own negative credit line.
 * Lines of other services are skipped and counted; tax lines of an AI service are kept as tax.
 */
const names = (header: readonly string[]) => new Set(header.map(normaliseColumnName));
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$/;

function tierFromMeter(text: string): string {
  const t = ` ${text.toLowerCase().replace(/[-_]/g, ' ')} `;
  const tiers: string[] = [];
  if (/ batch /.test(t)) tiers.push('batch');
  if (/ (glbl|gl|global|cross region global) /.test(t)) tiers.push('global');
  else if (/ (dz|dzone|data zone) /.test(t)) tiers.push('data_zone');
  else if (/ (regnl|regional|rgnl) /.test(t)) tiers.push('regional');
  if (/ (provisioned|ptu) /.test(t)) tiers.push('provisioned');
  if (/ priority /.test(t)) tiers.push('priority');
  return tiers.join(';');
}

// ---------------------------------------------------------------- Azure

export const azureCostDetailsFormat: FormatDefinition = {
  id: 'azure-cost-details',
  label: 'Azure cost details (EA / MCA / legacy)',
  detect(header) {
    const n = names(header);
    const meter = n.has('metername') && n.has('metercategory');
    const cost = n.has('costinbillingcurrency') || n.has('pretaxcost') || n.has('cost');
    if (!meter || !cost) return undefined;
    const version = n.has('invoiceid') || header.includes('costInBillingCurrency') ? 'MCA' : n.has('pretaxcost') ? 'legacy' : 'EA';
    return { version, confidence: 0.75 + 0.25 * share(n, ['quantity', 'unitofmeasure', 'effectiveprice', 'subscriptionid', 'date', 'chargetype']) };
  },
  createMapper: azureMapper,
};

const AZURE_CHARGE: Record<string, ChargeKind> = {
  usage: 'usage', purchase: 'purchase', tax: 'tax', refund: 'credit', credit: 'credit', roundingadjustment: 'adjustment',
  adjustment: 'adjustment', unusedreservation: 'purchase', unusedsavingsplan: 'purchase',
};

function azureMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = {
    date: col('Date', 'UsageDateTime', 'UsageDate'), category: col('MeterCategory'), subcategory: col('MeterSubCategory'), meter: col('MeterName'),
    product: col('ProductName', 'Product'), quantity: col('Quantity', 'UsageQuantity'), unit: col('UnitOfMeasure'),
    price: col('EffectivePrice', 'UnitPrice', 'ResourceRate'), cost: col('CostInBillingCurrency', 'PreTaxCost', 'Cost'),
    currency: col('BillingCurrencyCode', 'BillingCurrency', 'Currency'), subscription: col('SubscriptionId', 'SubscriptionGuid'),
    subscriptionName: col('SubscriptionName'), resourceGroup: col('ResourceGroup', 'ResourceGroupName'), resourceId: col('ResourceId', 'InstanceId'),
    tags: col('Tags'), costCenter: col('CostCenter'), chargeType: col('ChargeType'), invoice: col('InvoiceId'), account: col('BillingAccountId'),
    periodStart: col('BillingPeriodStartDate'), periodEnd: col('BillingPeriodEndDate'), service: col('ConsumedService'), pricingModel: col('PricingModel'),
  };
  return {
    mapRow(fields, row) {
      const get = (i: number) => cell(fields, i);
      const category = get(c.category);
      const meter = get(c.meter);
      const product = get(c.product);
      const text = `${category} ${get(c.subcategory)} ${product}`;
      const isAi = /cognitive services|openai|foundry|ai services|azure ai/i.test(text) || /tokens?\b/i.test(meter);
      const chargeTypeText = get(c.chargeType) || 'Usage';
      const chargeKind = AZURE_CHARGE[chargeTypeText.toLowerCase().replace(/\s+/g, '')];
      if (!isAi) return { kind: 'skip', reason: `not an AI line (MeterCategory ${category || 'empty'})` };
      if (!chargeKind) return reject('ChargeType', `"${chargeTypeText}" is not a known Azure charge type`);
      const dateText = get(c.date);
      const start = readDateTime(dateText, context.style, context.container === 'xlsx');
      if (start === undefined) return reject('Date', `"${dateText}" is not a date`);
      const end = DATE_ONLY.test(dateText) || start % DAY_MS === 0 ? start + DAY_MS : start + 3_600_000;
      const costText = get(c.cost);
      const cost = readNumber(costText, context.style);
      if (!cost) return reject('CostInBillingCurrency', `"${costText}" is not a number`);
      const currency = currencyOf(get(c.currency) || 'USD');
      if (!currency) return reject('BillingCurrencyCode', `"${get(c.currency)}" is not an ISO currency code`);
      let tokens = 0;
      let warning: string | undefined;
      const mentionsTokens = /tokens?\b/i.test(meter) || /openai|foundry/i.test(text);
      const block = tokensPerUnit(get(c.unit) || '1', mentionsTokens);
      const kind: TokenKind = mentionsTokens && block !== undefined ? (tokenKindFromText(meter) ?? 'other') : 'other';
      if (kind !== 'other' && get(c.quantity)) {
        const q = readNumber(get(c.quantity), context.style);
        if (!q) return reject('Quantity', `"${get(c.quantity)}" is not a number`);
        const priceText = get(c.price);
        const scale = detectQuantityScale(q, block!, priceText ? readNumber(priceText, context.style) : undefined, cost);
        if (scale.evidence === 'assumed' && block !== 1) warning = `quantity of ${get(c.unit)} meters taken as blocks (no price to check it against)`;
        const n = wholeUnits(q, BigInt(scale.tokensPerQuantity));
        if (n === undefined) return reject('Quantity', `${get(c.quantity)} is out of range`);
        tokens = n;
      }
      if (mentionsTokens && kind === 'other' && tokenKindFromText(meter) === undefined && get(c.quantity)) {
        warning = 'token direction not recognised in the meter name; filed as other';
      }
      const billingStart = get(c.periodStart) ? readDateTime(get(c.periodStart), context.style) : undefined;
      const billingEnd = get(c.periodEnd) ? readDateTime(get(c.periodEnd), context.style) : undefined;
      const tags = get(c.tags);
      const tagsJson = tags && !tags.startsWith('{') ? `{${tags}}` : tags;
      const project = get(c.resourceGroup) || get(c.subscriptionName) || get(c.subscription);
      const costMicros = money(cost, `cost on row ${row}`);
      return lines(
        [
          mapped(
            'azure-cost-details',
            {
              row, startMs: start, endMs: end, provider: 'azure', modelRaw: meter || product || 'unknown', tokenKind: kind, chargeKind,
              tokens, costMicros, currency, costCentre: costCentreFromTags(tagsJson) || get(c.costCenter) || get(c.subscriptionName),
              account: get(c.account) || get(c.subscription), project, measure: 'cost', tier: [tierFromMeter(meter), get(c.pricingModel).toLowerCase()].filter((t) => t && t !== 'on demand').join(';'),
              invoiceId: get(c.invoice) || undefined,
              billingPeriodStartMs: billingStart,
              billingPeriodEndMs: billingEnd !== undefined ? (billingEnd % DAY_MS === 0 && DATE_ONLY.test(get(c.periodEnd)) ? billingEnd + DAY_MS : billingEnd) : undefined,
            },
            [get(c.resourceId), get(c.subscription), chargeTypeText, get(c.quantity), get(c.price)],
            true,
          ),
        ],
        'empty line',
        warning,
      );
    },
  };
}

// ---------------------------------------------------------------- AWS CUR

export const awsCurFormat: FormatDefinition = {
  id: 'aws-cur',
  label: 'AWS Cost and Usage Report (CUR 2.0 / legacy)',
  detect(header) {
    const n = names(header);
    if (!n.has('lineitemusagetype') || !n.has('lineitemunblendedcost')) return undefined;
    const legacy = header.some((h) => h.includes('/'));
    return { version: legacy ? 'legacy' : '2.0', confidence: 0.8 + 0.2 * share(n, ['lineitemproductcode', 'lineitemusageamount', 'lineitemcurrencycode', 'billbillingperiodstartdate']) };
  },
  createMapper: curMapper,
};

const CUR_CHARGE: Record<string, ChargeKind> = {
  usage: 'usage', discountedusage: 'usage', savingsplancoveredusage: 'usage', tax: 'tax', credit: 'credit', refund: 'credit',
  fee: 'fee', riFee: 'fee', rifee: 'fee', edpdiscount: 'credit', bundleddiscount: 'credit', savingsplannegation: 'adjustment',
  savingsplanrecurringfee: 'fee', savingsplanupfrontfee: 'purchase',
};

function bedrockKind(usageType: string): TokenKind | undefined {
  const t = usageType.toLowerCase();
  if (/cache-?read/.test(t)) return 'cache_read';
  if (/cache-?write/.test(t)) return 'cache_write';
  if (/input-?tokens?|inputtokencount/.test(t)) return 'input';
  if (/output-?tokens?|outputtokencount/.test(t)) return 'output';
  return undefined;
}

function curMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = {
    start: col('line_item_usage_start_date'), end: col('line_item_usage_end_date'), type: col('line_item_line_item_type'),
    product: col('line_item_product_code'), usageType: col('line_item_usage_type'), amount: col('line_item_usage_amount'),
    rate: col('line_item_unblended_rate'), cost: col('line_item_unblended_cost'), currency: col('line_item_currency_code'),
    account: col('line_item_usage_account_id'), payer: col('bill_payer_account_id'), resource: col('line_item_resource_id'),
    description: col('line_item_line_item_description'), entity: col('bill_billing_entity'), invoice: col('bill_invoice_id'),
    periodStart: col('bill_billing_period_start_date'), periodEnd: col('bill_billing_period_end_date'), productName: col('product_product_name', 'product_name'),
    pricingUnit: col('pricing_unit'), lineItemId: col('identity_line_item_id'), costCenter: col('resource_tags_user_cost_center', 'costCategory/CostCenter', 'cost_category_cost_center'),
  };
  return {
    mapRow(fields, row) {
      const get = (i: number) => cell(fields, i);
      const product = get(c.product);
      const usageType = get(c.usageType);
      const productName = get(c.productName);
      const marketplaceModel = /claude|llama|mistral|cohere|ai21|titan|nova/i.test(productName) || /InputTokenCount|OutputTokenCount/i.test(usageType);
      const isAi = /^AmazonBedrock/i.test(product) || marketplaceModel;
      if (!isAi) return { kind: 'skip', reason: `not an AI line (product ${product || 'empty'})` };
      const typeText = get(c.type) || 'Usage';
      const chargeKind = CUR_CHARGE[typeText.toLowerCase()];
      if (!chargeKind) return reject('line_item_line_item_type', `"${typeText}" is not a known line item type`);
      const start = readDateTime(get(c.start), context.style);
      if (start === undefined) return reject('line_item_usage_start_date', `"${get(c.start)}" is not a date/time`);
      const end = get(c.end) ? readDateTime(get(c.end), context.style) : start + 3_600_000;
      if (end === undefined || end < start) return reject('line_item_usage_end_date', `"${get(c.end)}" is not a date/time after the start`);
      const cost = readNumber(get(c.cost), context.style);
      if (!cost) return reject('line_item_unblended_cost', `"${get(c.cost)}" is not a number`);
      const currency = currencyOf(get(c.currency) || 'USD');
      if (!currency) return reject('line_item_currency_code', `"${get(c.currency)}" is not an ISO currency code`);
      const kind = chargeKind === 'usage' ? (bedrockKind(usageType) ?? 'other') : 'other';
      let tokens = 0;
      let warning: string | undefined;
      if (kind !== 'other' && get(c.amount)) {
        const q = readNumber(get(c.amount), context.style);
        if (!q) return reject('line_item_usage_amount', `"${get(c.amount)}" is not a number`);
        const declared = tokensPerUnit(get(c.pricingUnit) || 'tokens', true) ?? 1;
        // Whether the usage amount counts tokens or thousands is unverified (reference §4.2): check the rate.
        const rate = get(c.rate) ? readNumber(get(c.rate), context.style) : undefined;
        const scale = declared === 1 ? guessThousands(q, rate, cost) : detectQuantityScale(q, declared, rate, cost);
        if (scale.evidence === 'assumed' && declared !== 1) warning = 'usage amount unit taken as declared (no rate to check it against)';
        const n = wholeUnits(q, BigInt(scale.tokensPerQuantity));
        if (n === undefined) return reject('line_item_usage_amount', `${get(c.amount)} is out of range`);
        tokens = n;
      }
      const bpStart = get(c.periodStart) ? readDateTime(get(c.periodStart), context.style) : undefined;
      const bpEnd = get(c.periodEnd) ? readDateTime(get(c.periodEnd), context.style) : undefined;
      const modelRaw = marketplaceModel && productName ? productName : usageType || productName || product;
      return lines(
        [
          mapped(
            'aws-cur',
            {
              row, startMs: start, endMs: end, provider: 'aws', modelRaw, tokenKind: kind, chargeKind, tokens, costMicros: money(cost, `cost on row ${row}`),
              currency, costCentre: get(c.costCenter), account: get(c.payer) || get(c.account), project: get(c.account),
              measure: 'cost', tier: [tierFromMeter(usageType), /marketplace/i.test(get(c.entity)) ? 'marketplace' : ''].filter(Boolean).join(';'),
              invoiceId: get(c.invoice) || undefined, billingPeriodStartMs: bpStart, billingPeriodEndMs: bpEnd,
            },
            [get(c.lineItemId), get(c.resource), usageType, typeText, get(c.description)],
            !get(c.lineItemId),
          ),
        ],
        'empty line',
        warning,
      );
    },
  };
}

/**
 * A usage amount with a bare "tokens" unit: the rate is per unit of the amount, so only the implied price per
 * token can tell thousands from tokens: above 0.001 a currency unit per token, the amount must be thousands.
 */
function guessThousands(q: Decimal, _rate: Decimal | undefined, cost: Decimal): { tokensPerQuantity: number; evidence: string } {
  const quantity = Number(q.units) / 10 ** q.scale;
  const money = Math.abs(Number(cost.units) / 10 ** cost.scale);
  if (quantity !== 0 && money / Math.abs(quantity) > 1e-3) return { tokensPerQuantity: 1000, evidence: 'implied-by-price' };
  return { tokensPerQuantity: 1, evidence: 'declared' };
}

// ---------------------------------------------------------------- GCP

export const gcpBillingFormat: FormatDefinition = {
  id: 'gcp-billing',
  label: 'Google Cloud billing export (CSV / JSON lines)',
  detect(header) {
    const n = names(header);
    if (!n.has('skudescription') || !n.has('cost') || !n.has('usagestarttime')) return undefined;
    return { version: n.has('resourcename') ? 'detailed' : 'standard', confidence: 0.8 + 0.2 * share(n, ['servicedescription', 'credits', 'invoicemonth', 'costtype', 'usageamount']) };
  },
  createMapper: gcpMapper,
};

const GCP_COST_TYPE: Record<string, ChargeKind> = { regular: 'usage', tax: 'tax', adjustment: 'adjustment', rounding_error: 'adjustment' };

function gcpMapper(header: readonly string[], context: MapperContext): RowMapper {
  const col = headerIndex(header);
  const c = {
    service: col('service.description'), sku: col('sku.description'), skuId: col('sku.id'), start: col('usage_start_time'), end: col('usage_end_time'),
    project: col('project.id'), projectName: col('project.name'), labels: col('labels', 'project.labels'), cost: col('cost'), currency: col('currency'),
    amount: col('usage.amount'), unit: col('usage.unit'), credits: col('credits'), invoiceMonth: col('invoice.month'), costType: col('cost_type'),
    account: col('billing_account_id'), location: col('location.region', 'location.location'), resource: col('resource.name'),
  };
  return {
    mapRow(fields, row, ref) {
      const get = (i: number) => cell(fields, i);
      const service = get(c.service);
      const sku = get(c.sku);
      if (!/vertex ai|generative language|gemini/i.test(`${service} ${sku}`) && !/gemini|claude|llama|mistral/i.test(sku)) {
        return { kind: 'skip', reason: `not an AI line (service ${service || 'empty'})` };
      }
      const costTypeText = get(c.costType) || 'regular';
      const chargeKind = GCP_COST_TYPE[costTypeText.toLowerCase()];
      if (!chargeKind) return reject('cost_type', `"${costTypeText}" is not regular, tax, adjustment or rounding_error`);
      const start = readDateTime(get(c.start), context.style);
      if (start === undefined) return reject('usage_start_time', `"${get(c.start)}" is not a date/time`);
      const end = get(c.end) ? readDateTime(get(c.end), context.style) : start + 3_600_000;
      if (end === undefined || end < start) return reject('usage_end_time', `"${get(c.end)}" is not a date/time after the start`);
      const cost = readNumber(get(c.cost), context.style);
      if (!cost) return reject('cost', `"${get(c.cost)}" is not a number`);
      const currency = currencyOf(get(c.currency) || 'USD');
      if (!currency) return reject('currency', `"${get(c.currency)}" is not an ISO currency code`);
      const unit = get(c.unit).toLowerCase();
      const isStorage = /storage/i.test(sku) || unit === 'h' || unit.includes('hour');
      const direction = isStorage ? 'other' : (tokenKindFromText(sku) ?? 'other');
      let tokens = 0;
      if (direction !== 'other' && (unit === 'count' || unit === 'tokens' || unit === '')) {
        const q = readNumber(get(c.amount) || '0', context.style);
        if (!q) return reject('usage.amount', `"${get(c.amount)}" is not a number`);
        const n = wholeUnits(q);
        if (n === undefined) return reject('usage.amount', `${get(c.amount)} is out of range`);
        tokens = n;
      }
      const month = get(c.invoiceMonth) ? parseMonthToMs(get(c.invoiceMonth)) : undefined;
      const monthEnd = month !== undefined ? nextMonth(month) : undefined;
      const common = {
        row, ref, startMs: start, endMs: end, provider: 'gcp', modelRaw: sku || service, currency, account: get(c.account),
        project: get(c.project), costCentre: labelCostCentre(get(c.labels)), measure: 'cost' as const, tier: tierFromMeter(sku),
        billingPeriodStartMs: month, billingPeriodEndMs: monthEnd,
      };
      const out: MappedLine[] = [
        mapped('gcp-billing', { ...common, tokenKind: direction, chargeKind, tokens, costMicros: money(cost, `cost on row ${row}`) }, [get(c.skuId), get(c.resource), get(c.location), costTypeText], true),
      ];
      const creditsText = get(c.credits);
      if (creditsText && creditsText !== '[]') {
        let credits: unknown;
        try {
          credits = JSON.parse(creditsText.replace(/'/g, '"'), (_k, v, ctx?: { source?: string }) => (typeof v === 'number' && ctx?.source ? ctx.source : v));
        } catch {
          return reject('credits', 'is not a JSON list of credits');
        }
        if (!Array.isArray(credits)) return reject('credits', 'is not a list');
        for (const [i, credit] of credits.entries()) {
          const amount = readNumber(String((credit as { amount?: unknown }).amount ?? ''), context.style);
          if (!amount) return reject('credits', `credit ${i + 1} has no numeric amount`);
          const name = String((credit as { name?: unknown }).name ?? (credit as { type?: unknown }).type ?? 'credit');
          out.push(
            mapped('gcp-billing', { ...common, ref: ref ? `${ref}.credits[${i}]` : undefined, tokenKind: 'other', chargeKind: 'credit', tokens: 0, costMicros: money(amount, `credit on row ${row}`) }, [get(c.skuId), get(c.resource), get(c.location), 'credit', name, i], true),
          );
        }
      }
      return lines(out, 'empty line');
    },
  };
}

function nextMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function labelCostCentre(labels: string): string {
  if (!labels || labels === '[]') return '';
  try {
    const parsed: unknown = JSON.parse(labels);
    if (Array.isArray(parsed)) {
      for (const l of parsed as { key?: string; value?: string }[]) if (l.key && /^cost[-_ ]?cent(er|re)$/i.test(l.key) && l.value) return l.value;
      return '';
    }
    return costCentreFromTags(labels);
  } catch {
    return '';
  }
}

