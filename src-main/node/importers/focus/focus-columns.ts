import { headerIndex, normaliseColumnName, type Detection } from '../row-outcome.ts';

/**
 * The FOCUS columns the importer reads, with the names used before 1.0 and after 1.2
 * (see shared/reference/invoice-formats.md §1.1 and §1.5). -1 means the column is absent.
 */
export type FocusColumns = ReturnType<typeof focusColumns>;

export function focusColumns(header: readonly string[]) {
  const col = headerIndex(header);
  return {
    billedCost: col('BilledCost'),
    effectiveCost: col('EffectiveCost', 'AmortizedCost'),
    billingCurrency: col('BillingCurrency'),
    billingAccountId: col('BillingAccountId'),
    chargeCategory: col('ChargeCategory', 'ChargeType'),
    chargeClass: col('ChargeClass'),
    chargeDescription: col('ChargeDescription'),
    chargePeriodStart: col('ChargePeriodStart'),
    chargePeriodEnd: col('ChargePeriodEnd'),
    consumedQuantity: col('ConsumedQuantity', 'UsageQuantity'),
    consumedUnit: col('ConsumedUnit', 'UsageUnit'),
    pricingQuantity: col('PricingQuantity'),
    pricingUnit: col('PricingUnit'),
    pricingCategory: col('PricingCategory'),
    providerName: col('ServiceProviderName', 'ProviderName'),
    invoiceIssuerName: col('InvoiceIssuerName'),
    serviceCategory: col('ServiceCategory'),
    serviceSubcategory: col('ServiceSubcategory'),
    serviceName: col('ServiceName'),
    skuId: col('SkuId'),
    skuPriceId: col('SkuPriceId'),
    skuMeter: col('SkuMeter'),
    xSkuMeterName: col('x_SkuMeterName'),
    xUsageType: col('x_UsageType'),
    subAccountId: col('SubAccountId'),
    subAccountName: col('SubAccountName'),
    resourceId: col('ResourceId'),
    regionId: col('RegionId', 'Region'),
    commitmentDiscountId: col('CommitmentDiscountId'),
    tags: col('Tags'),
    billingPeriodStart: col('BillingPeriodStart'),
    billingPeriodEnd: col('BillingPeriodEnd'),
    invoiceId: col('InvoiceId'),
    contractedUnitPrice: col('ContractedUnitPrice'),
    listUnitPrice: col('ListUnitPrice'),
    xPricingBlockSize: col('x_PricingBlockSize'),
  };
}

const has = (names: Set<string>, ...candidates: string[]) => candidates.some((c) => names.has(normaliseColumnName(c)));

/**
 * Whether a header is a FOCUS cost-and-usage file, and which version its columns indicate:
 * 1.3 adds ServiceProviderName/HostProviderName; 1.2 InvoiceId, PricingCurrency, BillingAccountType;
 * 1.1 ServiceSubcategory, SkuMeter, SkuPriceDetails, CapacityReservationId, CommitmentDiscountQuantity;
 * 1.0 ChargeClass, ConsumedQuantity, ContractedCost, ListCost; before 1.0 AmortizedCost, ChargeType, UsageQuantity.
 */
export function detectFocus(header: readonly string[]): Detection | undefined {
  const names = new Set(header.map(normaliseColumnName));
  const hasPeriod = has(names, 'ChargePeriodStart');
  const hasCost = has(names, 'BilledCost', 'EffectiveCost', 'AmortizedCost');
  const hasContext = has(names, 'BillingCurrency', 'ChargeCategory', 'ChargeType', 'ServiceName');
  if (!hasPeriod || !hasCost || !hasContext) return undefined;
  let version: string;
  if (has(names, 'ServiceProviderName', 'HostProviderName')) version = '1.3';
  else if (has(names, 'InvoiceId', 'PricingCurrency', 'BillingAccountType', 'SubAccountType')) version = '1.2';
  else if (has(names, 'ServiceSubcategory', 'SkuMeter', 'SkuPriceDetails', 'CapacityReservationId', 'CommitmentDiscountQuantity'))
    version = '1.1';
  else if (has(names, 'AmortizedCost', 'ChargeType', 'UsageQuantity')) version = '0.5';
  else version = '1.0';
  const known = KNOWN_COLUMNS.filter((c) => names.has(c)).length;
  return { version, confidence: Math.min(1, 0.5 + known / 40) };
}

const KNOWN_COLUMNS = [
  'AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd',
  'BillingPeriodStart', 'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd',
  'ChargePeriodStart', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost',
  'InvoiceIssuerName', 'ListCost', 'ListUnitPrice', 'PricingCategory', 'PricingQuantity', 'PricingUnit', 'ProviderName',
  'PublisherName', 'RegionId', 'RegionName', 'ResourceId', 'ResourceName', 'ResourceType', 'ServiceCategory',
  'ServiceName', 'SkuId', 'SkuPriceId', 'SubAccountId', 'SubAccountName', 'Tags',
].map(normaliseColumnName);
