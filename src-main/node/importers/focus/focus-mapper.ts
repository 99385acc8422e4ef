import type { CurrencyCode } from '../../../common/money/currency.ts';
import { multiplyDecimals, rescale, type Decimal } from '../../../common/money/decimal.ts';
import { decimalToMicros, type Micros } from '../../../common/money/micros.ts';
import { recogniseModel, cleanModelText } from '../../../common/usage/models.ts';
import { canonicalProvider } from '../../../common/usage/providers.ts';
import { tokenKindFromText } from '../../../common/usage/token-kind-text.ts';
import { mentionsTokens, tokensPerUnit } from '../../../common/usage/token-units.ts';
import type { ChargeKind, TokenKind } from '../../../common/usage/usage-line.ts';
import { cell, currencyOf, detectQuantityScale, ownText, plainDecimalMicros, plainInteger, readDateTime, readNumber } from '../fields.ts';
import { usageDateOf } from '../formats/line-builder.ts';
import type { MapperContext, RowMapper, RowOutcome } from '../row-outcome.ts';
import { focusColumns, type FocusColumns } from './focus-columns.ts';

const DAY_MS = 86_400_000;
/** 0.01 of a currency unit per token = 10,000 per million tokens, fifty times the dearest model price listed. */
const MAX_MICROS_PER_MODEL_TOKEN = 10_000;

const CHARGE_KINDS: ReadonlyMap<string, ChargeKind> = new Map([
  ['usage', 'usage'],
  ['purchase', 'purchase'],
  ['tax', 'tax'],
  ['credit', 'credit'],
  ['adjustment', 'adjustment'],
]);

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
      periodCache.set(ownText(text), ms);
    }
    return ms;
  };
  // Each period column's last text and time: a bill sorted by date repeats them from row to row, and comparing
  // with the last text is cheaper than hashing it for the cache (four dates a row).
  const lastPeriodText = ['', '', '', ''];
  const lastPeriodMs: (number | undefined)[] = [undefined, undefined, undefined, undefined];
  const periodAt = (slot: number, text: string): number | undefined => {
    if (text === lastPeriodText[slot] && text !== '') return lastPeriodMs[slot];
    const ms = parsePeriod(text);
    lastPeriodText[slot] = text;
    lastPeriodMs[slot] = ms;
    return ms;
  };

  // Meter names, units and service names repeat on every row of a bill: what they say (a token line? which
  // unit, direction and model?) is worked out once per combination. Combinations are found by the meter name,
  // then by comparing the other texts (no key string is built per row).
  const meterCache = new Map<string, MeterEntry[]>();
  let meterEntries = 0;
  const meterFacts = (
    skuMeter: string,
    xSkuMeterName: string,
    xUsageType: string,
    chargeDescription: string,
    serviceName: string,
    consumedUnit: string,
    pricingUnit: string,
    serviceCategory: string,
    serviceSubcategory: string,
  ): MeterFacts => {
    let entries = meterCache.get(skuMeter);
    if (entries !== undefined) {
      // Compared text by text: an array of the texts a row would be garbage of every row.
      for (const entry of entries) {
        const known = entry.texts;
        if (
          known[0] === xSkuMeterName && known[1] === xUsageType && known[2] === chargeDescription && known[3] === serviceName &&
          known[4] === consumedUnit && known[5] === pricingUnit && known[6] === serviceCategory && known[7] === serviceSubcategory
        ) {
          return entry.facts;
        }
      }
    }
    const texts = [xSkuMeterName, xUsageType, chargeDescription, serviceName, consumedUnit, pricingUnit, serviceCategory, serviceSubcategory];
    const meterTexts = [skuMeter, xSkuMeterName, xUsageType].filter(Boolean);
    const meterText = meterTexts.join(' ');
    const unitTokens = mentionsTokens(meterText);
    const consumedScale = tokensPerUnit(consumedUnit, unitTokens);
    const pricingScale = tokensPerUnit(pricingUnit, unitTokens);
    const isTokenLine = consumedScale !== undefined || pricingScale !== undefined;
    const isAiService = serviceCategory.toLowerCase() === 'ai and machine learning' || serviceSubcategory.toLowerCase() === 'generative ai';
    const modelRaw = meterTexts[0] || chargeDescription || serviceName || 'unknown';
    const facts: MeterFacts = {
      meterText: ownText(meterText),
      consumedScale,
      pricingScale,
      isTokenLine,
      isAiService,
      tokenKind: isTokenLine ? (tokenKindFromText(`${meterText} ${chargeDescription}`) ?? 'other') : 'other',
      modelRaw: ownText(modelRaw),
      model: ownText(
        recogniseModel(meterText) ??
          recogniseModel(chargeDescription) ??
          (isTokenLine ? cleanModelText(modelRaw) : serviceName || cleanModelText(modelRaw)),
      ),
    };
    if (meterEntries > 50_000) {
      meterCache.clear();
      meterEntries = 0;
      entries = undefined;
    }
    if (entries === undefined) meterCache.set(ownText(skuMeter), (entries = []));
    entries.push({ texts: texts.map(ownText), facts });
    meterEntries++;
    return facts;
  };
  const tierCache = new Map<string, string>();
  const tierOf = (pricingCategory: string): string => {
    let tier = tierCache.get(pricingCategory);
    if (tier === undefined) {
      tier = pricingCategory.toLowerCase();
      if (tierCache.size > 1_000) tierCache.clear();
      tierCache.set(ownText(pricingCategory), tier);
    }
    return tier;
  };
  const tagsCache = new Map<string, string>();
  const costCentreOfTags = (tags: string): string => {
    let centre = tagsCache.get(tags);
    if (centre === undefined) {
      centre = ownText(costCentreFromTags(tags));
      if (tagsCache.size > 50_000) tagsCache.clear();
      tagsCache.set(ownText(tags), centre);
    }
    return centre;
  };
  const currencyCache = new Map<string, CurrencyCode | undefined>();
  const currencyOfText = (text: string): CurrencyCode | undefined => {
    let code = currencyCache.get(text);
    if (code === undefined && !currencyCache.has(text)) {
      code = currencyOf(text) as CurrencyCode | undefined;
      if (currencyCache.size > 1_000) currencyCache.clear();
      currencyCache.set(ownText(text), code);
    }
    return code;
  };
  const providerCache = new Map<string, string>();
  const providerOf = (text: string): string => {
    let id = providerCache.get(text);
    if (id === undefined) {
      id = canonicalProvider(text);
      if (providerCache.size > 10_000) providerCache.clear();
      providerCache.set(ownText(text), id);
    }
    return id;
  };

  // The fields a line's natural key is made of, in order (see `mapRow`).
  const keyParts: (string | number)[] = ['focus', '', '', '', '', 0, 0, '', '', '', '', '', '', '', '', '', '', 0, 0, ''];

  return {
    // Only through `c`: every column of it.
    columnsRead: Object.values(c).filter((i) => i >= 0),
    mapRow(fields, row): RowOutcome {
      if (fields.length !== header.length) {
        return {
          kind: 'reject',
          column: '(row)',
          reason: `has ${fields.length} fields but the header has ${header.length}`,
        };
      }

      // `cell(fields, …)` written out: a helper closing over the row's fields was one more object a row.
      const serviceCategory = cell(fields, c.serviceCategory);
      const chargeDescription = cell(fields, c.chargeDescription);
      const serviceName = cell(fields, c.serviceName);
      const facts = meterFacts(
        cell(fields, c.skuMeter),
        cell(fields, c.xSkuMeterName),
        cell(fields, c.xUsageType),
        chargeDescription,
        serviceName,
        cell(fields, c.consumedUnit),
        cell(fields, c.pricingUnit),
        serviceCategory,
        cell(fields, c.serviceSubcategory),
      );
      const { isTokenLine, isAiService, consumedScale, pricingScale, meterText } = facts;
      if (!isAiService && !isTokenLine) {
        return { kind: 'skip', reason: `not an AI line (ServiceCategory ${serviceCategory || 'empty'})` };
      }

      const startText = cell(fields, c.chargePeriodStart);
      const start = periodAt(0, startText);
      if (start === undefined) {
        return reject('ChargePeriodStart', startText ? `"${startText}" is not a date/time` : 'is empty');
      }
      const endText = cell(fields, c.chargePeriodEnd);
      let end = start + DAY_MS;
      if (endText) {
        const parsed = periodAt(1, endText);
        if (parsed === undefined) return reject('ChargePeriodEnd', `"${endText}" is not a date/time`);
        if (parsed < start) return reject('ChargePeriodEnd', `${endText} is before ChargePeriodStart ${startText}`);
        end = parsed;
      }

      const billedText = cell(fields, c.billedCost);
      const costColumn = billedText ? c.billedCost : c.effectiveCost;
      const costName = costColumn === c.billedCost ? 'BilledCost' : 'EffectiveCost';
      const costText = billedText || cell(fields, costColumn);
      if (!costText) return reject('BilledCost', 'is empty (and there is no EffectiveCost)');
      // Exact: a plain decimal of up to six places directly, anything else through the exact decimal, rounded once.
      let costMicros = style.decimalMark === '.' ? plainDecimalMicros(costText) : undefined;
      const cost = costMicros === undefined ? parseAmountText(costText) : undefined;
      if (costMicros === undefined && !cost) return reject(costName, `"${costText}" is not a number`);

      const currencyText = cell(fields, c.billingCurrency);
      const currency = currencyOfText(currencyText);
      if (!currency) {
        return reject('BillingCurrency', currencyText ? `"${currencyText}" is not an ISO currency code` : 'is empty');
      }

      const categoryText = cell(fields, c.chargeCategory) || 'Usage';
      const chargeKind = CHARGE_KINDS.get(categoryText) ?? CHARGE_KINDS.get(categoryText.toLowerCase());
      if (!chargeKind) {
        return reject('ChargeCategory', `"${categoryText}" is not one of Usage, Purchase, Tax, Credit, Adjustment`);
      }

      let tokens = 0;
      let tokenKind: TokenKind = 'other';
      let warning: string | undefined;
      if (isTokenLine) {
        const consumedText = cell(fields, c.consumedQuantity);
        const useConsumed = consumedScale !== undefined && consumedText !== '';
        const quantityColumn = useConsumed ? 'ConsumedQuantity' : 'PricingQuantity';
        const quantityText = useConsumed ? consumedText : cell(fields, c.pricingQuantity);
        if (quantityText) {
          let perUnit = useConsumed ? consumedScale! : (pricingScale ?? consumedScale!);
          const blockText = cell(fields, c.xPricingBlockSize);
          if (!useConsumed && blockText && /^\d+$/.test(blockText) && perUnit === 1) perUnit = Number(blockText);
          // A whole number of tokens: exact as a plain number.
          const whole = perUnit === 1 && style.decimalMark === '.' ? plainInteger(quantityText) : undefined;
          if (whole !== undefined) tokens = whole;
          else {
            const quantity = parseAmountText(quantityText);
            if (!quantity) return reject(quantityColumn, `"${quantityText}" is not a number`);
            if (perUnit !== 1) {
              // The unit says blocks (1K, 1M): check against the price that the quantity really is in blocks.
              const priceText = cell(fields, c.contractedUnitPrice) || cell(fields, c.listUnitPrice);
              const costForCheck = parseAmountText(cell(fields, c.billedCost) || cell(fields, c.effectiveCost));
              if (costForCheck) {
                const scale = detectQuantityScale(quantity, perUnit, priceText ? parseAmountText(priceText) : undefined, costForCheck);
                perUnit = scale.tokensPerQuantity;
                if (scale.evidence === 'assumed') warning = `quantity unit ${useConsumed ? cell(fields, c.consumedUnit) : cell(fields, c.pricingUnit)} taken as declared (could not be checked against a price)`;
              }
            }
            tokens = tokensOf(quantity, perUnit);
          }
          if (!Number.isSafeInteger(tokens)) return reject(quantityColumn, `${quantityText} tokens is out of range`);
        }
        tokenKind = facts.tokenKind;
        if (tokenKind === 'other' && tokens !== 0) warning = 'token direction not recognised in the meter name; filed as other';
      }

      costMicros ??= decimalToMicros(cost!, 'half-even', `${costName} on row ${row}`);
      // A "token" that costs more than a cent is a prepaid credit currency (the FOCUS spec's virtual-currency
      // examples sell them at $2), not a model token: model tokens cost between $0.00000001 and $0.0002.
      if (isTokenLine && tokens !== 0 && Math.abs(costMicros / tokens) > MAX_MICROS_PER_MODEL_TOKEN) {
        if (!isAiService) {
          return { kind: 'skip', reason: 'priced above 0.01 per token: a prepaid credit currency, not model tokens' };
        }
        warning = 'implied price above 0.01 per token; check the unit of the quantity';
      }

      const provider = providerOf(cell(fields, c.providerName) || cell(fields, c.invoiceIssuerName) || 'unknown');
      const subAccountId = cell(fields, c.subAccountId);
      const project = cell(fields, c.subAccountName) || subAccountId;
      const tags = cell(fields, c.tags);
      const costCentre = (tags ? costCentreOfTags(tags) : '') || project || 'Unassigned';

      const bpStartText = cell(fields, c.billingPeriodStart);
      const bpStart = bpStartText ? periodAt(2, bpStartText) : undefined;
      const bpEndText = cell(fields, c.billingPeriodEnd);
      const bpEnd = bpEndText ? periodAt(3, bpEndText) : undefined;
      const account = cell(fields, c.billingAccountId);
      const pricingCategory = cell(fields, c.pricingCategory);
      // Joined in one go from an array kept for the mapper: a template of twenty pieces made twenty intermediate
      // texts a line, then a flat copy of them for the hash (≈ 1 KB of garbage a line; now only the text itself).
      // The text is the same either way.
      const m = keyParts;
      m[1] = provider;
      m[2] = account;
      m[3] = subAccountId;
      m[4] = cell(fields, c.resourceId);
      m[5] = start;
      m[6] = end;
      m[7] = categoryText;
      m[8] = cell(fields, c.chargeClass);
      m[9] = chargeDescription;
      m[10] = cell(fields, c.skuId);
      m[11] = cell(fields, c.skuPriceId);
      m[12] = meterText;
      m[13] = pricingCategory;
      m[14] = cell(fields, c.commitmentDiscountId);
      m[15] = cell(fields, c.regionId);
      m[16] = tags;
      m[17] = tokens;
      m[18] = costMicros;
      m[19] = currency;
      const keyMaterial = m.join('\u001f');

      return {
        kind: 'usage',
        ...(warning ? { warning } : {}),
        lines: [{ keyMaterial, line: {
          sourceRow: row,
          periodStartMs: start,
          periodEndMs: end,
          usageDate: usageDateOf(start),
          provider,
          model: facts.model,
          modelRaw: facts.modelRaw,
          tokenKind,
          chargeKind,
          tokens,
          costMicros: costMicros as Micros,
          currency,
          costCentre,
          providerAccount: account,
          project,
          measure: 'cost',
          pricingTier: tierOf(pricingCategory),
          invoiceId: cell(fields, c.invoiceId) || undefined,
          billingPeriodStartMs: bpStart,
          billingPeriodEndMs: bpEnd,
        } }],
      };
    },
  };
}

type MeterEntry = { texts: string[]; facts: MeterFacts };

/** What the meter, unit and service columns of a row say, worked out once per combination. */
type MeterFacts = {
  meterText: string;
  consumedScale: number | undefined;
  pricingScale: number | undefined;
  isTokenLine: boolean;
  isAiService: boolean;
  tokenKind: TokenKind;
  modelRaw: string;
  model: string;
};

function reject(column: string, reason: string): RowOutcome {
  return { kind: 'reject', column, reason };
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
