import type { CurrencyCode } from '../../../common/money/currency.ts';
import { multiplyDecimals, rescale, type Decimal } from '../../../common/money/decimal.ts';
import { decimalToMicros } from '../../../common/money/micros.ts';
import { recogniseModel, cleanModelText } from '../../../common/usage/models.ts';
import { canonicalProvider } from '../../../common/usage/providers.ts';
import { tokenKindFromText } from '../../../common/usage/token-kind-text.ts';
import { mentionsTokens, tokensPerUnit } from '../../../common/usage/token-units.ts';
import type { ChargeKind, TokenKind } from '../../../common/usage/usage-line.ts';
import { currencyOf, detectQuantityScale, readDateTime, readNumber } from '../fields.ts';
import { usageDateOf } from '../formats/line-builder.ts';
import { isNullText, type MapperContext, type RowMapper, type RowOutcome } from '../row-outcome.ts';
import { focusColumns, type FocusColumns } from './focus-columns.ts';

const DAY_MS = 86_400_000;
/** 0.01 of a currency unit per token = 10,000 per million tokens, fifty times the dearest model price listed. */
const MAX_MICROS_PER_MODEL_TOKEN = 10_000;

const CHARGE_KINDS: Readonly<Record<string, ChargeKind>> = {
  usage: 'usage',
  purchase: 'purchase',
  tax: 'tax',
  credit: 'credit',
  adjustment: 'adjustment',
};

/**
 * Maps FOCUS rows (any version, any provider) to usage lines — shared/reference/invoice-formats.md §9.1.
 * Kept: rows of ServiceCategory "AI and Machine Learning" (or subcategory "Generative AI") and rows whose unit
 * is a token count. Other rows are skipped and counted by their ServiceCategory.
 * Cost is BilledCost (what the invoice charges), falling back to EffectiveCost when BilledCost is absent.
 */
export function createFocusMapper(header: readonly string[], context: MapperContext): RowMapper {
  const c = focusColumns(header);
  const style = context.style;
  const excel = context.container === 'xlsx';
  const parseAmountText = (text: string) => readNumber(text, style);
  const periodCache = new Map<string, number | undefined>();
  const parsePeriod = (text: string): number | undefined => {
    let ms = periodCache.get(text);
    if (ms === undefined && !periodCache.has(text)) {
      ms = readDateTime(text, style, excel);
      if (periodCache.size > 10_000) periodCache.clear();
      periodCache.set(text, ms);
    }
    return ms;
  };

  // Meter names repeat on every row of a bill: their model and direction are worked out once.
  const kindCache = new Map<string, TokenKind>();
  const modelCache = new Map<string, string>();

  return {
    mapRow(fields, row): RowOutcome {
      if (fields.length !== header.length) {
        return {
          kind: 'reject',
          column: '(row)',
          reason: `has ${fields.length} fields but the header has ${header.length}`,
        };
      }
      const get = (i: number): string => (i < 0 ? '' : isNullText(fields[i]) ? '' : fields[i]!.trim());

      const serviceCategory = get(c.serviceCategory);
      const meterTexts = [get(c.skuMeter), get(c.xSkuMeterName), get(c.xUsageType)].filter(Boolean);
      const meterText = meterTexts.join(' ');
      const unitTokens = meterMentionsTokens(meterText);
      const consumedScale = tokensPerUnit(get(c.consumedUnit), unitTokens);
      const pricingScale = tokensPerUnit(get(c.pricingUnit), unitTokens);
      const isTokenLine = consumedScale !== undefined || pricingScale !== undefined;
      const isAiService =
        serviceCategory.toLowerCase() === 'ai and machine learning' ||
        get(c.serviceSubcategory).toLowerCase() === 'generative ai';
      if (!isAiService && !isTokenLine) {
        return { kind: 'skip', reason: `not an AI line (ServiceCategory ${serviceCategory || 'empty'})` };
      }

      const startText = get(c.chargePeriodStart);
      const start = parsePeriod(startText);
      if (start === undefined) {
        return reject('ChargePeriodStart', startText ? `"${startText}" is not a date/time` : 'is empty');
      }
      const endText = get(c.chargePeriodEnd);
      let end = start + DAY_MS;
      if (endText) {
        const parsed = parsePeriod(endText);
        if (parsed === undefined) return reject('ChargePeriodEnd', `"${endText}" is not a date/time`);
        if (parsed < start) return reject('ChargePeriodEnd', `${endText} is before ChargePeriodStart ${startText}`);
        end = parsed;
      }

      const costColumn = get(c.billedCost) ? c.billedCost : c.effectiveCost;
      const costName = costColumn === c.billedCost ? 'BilledCost' : 'EffectiveCost';
      const costText = get(costColumn);
      if (!costText) return reject('BilledCost', 'is empty (and there is no EffectiveCost)');
      const cost = parseAmountText(costText);
      if (!cost) return reject(costName, `"${costText}" is not a number`);

      const currencyText = get(c.billingCurrency);
      const currency = currencyOf(currencyText) as CurrencyCode | undefined;
      if (!currency) {
        return reject('BillingCurrency', currencyText ? `"${currencyText}" is not an ISO currency code` : 'is empty');
      }

      const categoryText = get(c.chargeCategory) || 'Usage';
      const chargeKind = CHARGE_KINDS[categoryText.toLowerCase()];
      if (!chargeKind) {
        return reject('ChargeCategory', `"${categoryText}" is not one of Usage, Purchase, Tax, Credit, Adjustment`);
      }

      let tokens = 0;
      let tokenKind: TokenKind = 'other';
      let warning: string | undefined;
      if (isTokenLine) {
        const useConsumed = consumedScale !== undefined && get(c.consumedQuantity) !== '';
        const quantityColumn = useConsumed ? 'ConsumedQuantity' : 'PricingQuantity';
        const quantityText = useConsumed ? get(c.consumedQuantity) : get(c.pricingQuantity);
        if (quantityText) {
          const quantity = parseAmountText(quantityText);
          if (!quantity) return reject(quantityColumn, `"${quantityText}" is not a number`);
          let perUnit = useConsumed ? consumedScale! : (pricingScale ?? consumedScale!);
          const blockText = get(c.xPricingBlockSize);
          if (!useConsumed && blockText && /^\d+$/.test(blockText) && perUnit === 1) perUnit = Number(blockText);
          if (perUnit !== 1) {
            // The unit says blocks (1K, 1M): check against the price that the quantity really is in blocks.
            const priceText = get(c.contractedUnitPrice) || get(c.listUnitPrice);
            const costForCheck = parseAmountText(get(c.billedCost) || get(c.effectiveCost));
            if (costForCheck) {
              const scale = detectQuantityScale(quantity, perUnit, priceText ? parseAmountText(priceText) : undefined, costForCheck);
              perUnit = scale.tokensPerQuantity;
              if (scale.evidence === 'assumed') warning = `quantity unit ${useConsumed ? get(c.consumedUnit) : get(c.pricingUnit)} taken as declared (could not be checked against a price)`;
            }
          }
          tokens = tokensOf(quantity, perUnit);
          if (!Number.isSafeInteger(tokens)) return reject(quantityColumn, `${quantityText} tokens is out of range`);
        }
        tokenKind = memo(kindCache, `${meterText}\u001f${get(c.chargeDescription)}`, () =>
          tokenKindFromText(`${meterText} ${get(c.chargeDescription)}`) ?? 'other',
        );
        if (tokenKind === 'other' && tokens !== 0) warning = 'token direction not recognised in the meter name; filed as other';
      }

      const costMicros = decimalToMicros(cost, 'half-even', `${costName} on row ${row}`);
      // A "token" that costs more than a cent is a prepaid credit currency (the FOCUS spec's virtual-currency
      // examples sell them at $2), not a model token: model tokens cost between $0.00000001 and $0.0002.
      if (isTokenLine && tokens !== 0 && Math.abs(costMicros / tokens) > MAX_MICROS_PER_MODEL_TOKEN) {
        if (!isAiService) {
          return { kind: 'skip', reason: 'priced above 0.01 per token: a prepaid credit currency, not model tokens' };
        }
        warning = 'implied price above 0.01 per token; check the unit of the quantity';
      }

      const modelRaw = meterTexts[0] || get(c.chargeDescription) || get(c.serviceName) || 'unknown';
      const model = memo(modelCache, `${meterText}\u001f${get(c.chargeDescription)}\u001f${get(c.serviceName)}\u001f${isTokenLine}`, () =>
        recogniseModel(meterText) ??
          recogniseModel(get(c.chargeDescription)) ??
          (isTokenLine ? cleanModelText(modelRaw) : get(c.serviceName) || cleanModelText(modelRaw)),
      );

      const providerText = get(c.providerName) || get(c.invoiceIssuerName) || 'unknown';
      const provider = canonicalProvider(providerText);
      const project = get(c.subAccountName) || get(c.subAccountId);
      const costCentre = costCentreFromTags(get(c.tags)) || project || 'Unassigned';

      const bpStart = get(c.billingPeriodStart) ? parsePeriod(get(c.billingPeriodStart)) : undefined;
      const bpEnd = get(c.billingPeriodEnd) ? parsePeriod(get(c.billingPeriodEnd)) : undefined;
      const keyMaterial = [
        'focus',
        provider,
        get(c.billingAccountId),
        get(c.subAccountId),
        get(c.resourceId),
        start,
        end,
        categoryText,
        get(c.chargeClass),
        get(c.chargeDescription),
        get(c.skuId),
        get(c.skuPriceId),
        meterText,
        get(c.pricingCategory),
        get(c.commitmentDiscountId),
        get(c.regionId),
        get(c.tags),
        tokens,
        costMicros,
        currency,
      ].join('\u001f');

      return {
        kind: 'usage',
        ...(warning ? { warning } : {}),
        lines: [{ keyMaterial, line: {
          sourceRow: row,
          periodStartMs: start,
          periodEndMs: end,
          usageDate: usageDateOf(start),
          provider,
          model,
          modelRaw,
          tokenKind,
          chargeKind,
          tokens,
          costMicros,
          currency,
          costCentre,
          providerAccount: get(c.billingAccountId),
          project,
          measure: 'cost',
          pricingTier: get(c.pricingCategory).toLowerCase(),
          invoiceId: get(c.invoiceId) || undefined,
          billingPeriodStartMs: bpStart,
          billingPeriodEndMs: bpEnd,
        } }],
      };
    },
  };
}

function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    if (cache.size > 50_000) cache.clear();
    cache.set(key, value);
  }
  return value;
}

function reject(column: string, reason: string): RowOutcome {
  return { kind: 'reject', column, reason };
}

function meterMentionsTokens(meterText: string): boolean {
  return mentionsTokens(meterText);
}

/** quantity × tokens-per-unit, rounded half-even to whole tokens. */
function tokensOf(quantity: Decimal, perUnit: number): number {
  return Number(rescale(multiplyDecimals(quantity, { units: BigInt(perUnit), scale: 0 }), 0, 'half-even'));
}

/**
 * The cost centre named in a FOCUS Tags JSON object, under a key such as "cost-centre", "CostCenter",
 * "cost_center" or "costcentre". Empty when there is none or the JSON cannot be read.
 */
export function costCentreFromTags(tagsText: string): string {
  if (!tagsText || tagsText[0] !== '{') return '';
  let tags: unknown;
  try {
    tags = JSON.parse(tagsText);
  } catch {
    return '';
  }
  if (!tags || typeof tags !== 'object') return '';
  for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
    if (/^(x_)?cost[\s_-]?cent(er|re)$/i.test(key.trim()) && typeof value === 'string' && value.trim()) return value.trim();
  }
  return '';
}

export type { FocusColumns };
