import { addDays, addMonths, firstDayOfMonth, type IsoDate, type IsoMonth } from '../../../common/time/iso-date.ts';
import { formatScaled } from '../../../common/money/decimal.ts';
import { blocksText, demoGuid, demoId, exactCostText, toCsv, trimDecimal, type DemoExport, type DemoKind, type DemoUsage } from './demo-usage.ts';

/**
 * Azure OpenAI on a Microsoft Customer Agreement, as the Cost Management "Cost and usage details (actual)" export
 * writes it (shared/reference/invoice-formats.md §4.1): camelCase MCA columns, US dates (MM/DD/YYYY), one line per
 * day, deployment and meter; Azure OpenAI meters name model, direction and deployment ("gpt 4o 0806 Inp glbl
 * Tokens") and are priced per 1,000 tokens (`unitOfMeasure` "1K", `quantity` in blocks of 1,000). Tags carry the
 * cost centre, without the braces Azure leaves out. The last month has no invoice id yet.
 */
const COLUMNS = [
  'invoiceId', 'previousInvoiceId', 'billingAccountId', 'billingAccountName', 'billingProfileId', 'billingProfileName',
  'invoiceSectionId', 'invoiceSectionName', 'billingPeriodStartDate', 'billingPeriodEndDate', 'servicePeriodStartDate',
  'servicePeriodEndDate', 'date', 'serviceFamily', 'productOrderId', 'productOrderName', 'consumedService', 'meterId',
  'meterName', 'meterCategory', 'meterSubCategory', 'meterRegion', 'ProductId', 'product', 'SubscriptionId',
  'subscriptionName', 'publisherType', 'publisherName', 'resourceGroupName', 'ResourceId', 'resourceLocation', 'location',
  'quantity', 'unitOfMeasure', 'chargeType', 'billingCurrency', 'pricingCurrency', 'costInBillingCurrency',
  'costInPricingCurrency', 'costInUsd', 'paygCostInBillingCurrency', 'paygCostInUsd', 'exchangeRatePricingToBilling',
  'exchangeRateDate', 'isAzureCreditEligible', 'serviceInfo1', 'serviceInfo2', 'additionalInfo', 'tags', 'PayGPrice',
  'frequency', 'term', 'reservationId', 'reservationName', 'pricingModel', 'unitPrice', 'costAllocationRuleName',
  'benefitId', 'benefitName', 'provider', 'effectivePrice',
] as const;

const DIRECTION: Record<DemoKind, string> = { input: 'Inp', cacheRead: 'cached Inp', cacheWrite: 'cache write Inp', output: 'Outp' };

const BILLING_ACCOUNT = `${demoGuid('azure-billing-account')}:${demoGuid('azure-billing-account-2')}_2019-05-31`;
const SUBSCRIPTION = demoGuid('azure-subscription-ai-prod');

function usDate(date: IsoDate): string {
  return `${date.slice(5, 7)}/${date.slice(8, 10)}/${date.slice(0, 4)}`;
}

/** "G0" and eight digits, rising month by month as Microsoft numbers its MCA invoices. */
export function azureInvoiceId(month: IsoMonth): string {
  const months = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
  return `G0${10_000_000 + ((months * 104_659) % 90_000_000)}`;
}

export function writeAzureExport(usage: readonly DemoUsage[], range: string, lastMonth: IsoMonth): DemoExport {
  const rows = usage.map((u) => {
    const provider = u.stream.model.provider;
    const per = provider.tokensPerPricingUnit;
    const pricePerUnit = trimDecimal(formatScaled(BigInt(u.pricePerMTokMicros) * BigInt(per), 12));
    const cost = exactCostText(u.tokens, u.pricePerMTokMicros);
    const meterName = `${u.stream.model.meter} ${DIRECTION[u.kind]} glbl Tokens`;
    const resourceGroup = `rg-${u.stream.project}`;
    const account = `nwr-${u.stream.project}-aoai`;
    const periodEnd = addDays(firstDayOfMonth(addMonths(u.month, 1)), -1);
    return {
      invoiceId: u.month === lastMonth ? '' : azureInvoiceId(u.month),
      billingAccountId: BILLING_ACCOUNT,
      billingAccountName: 'Northwind Robotics Ltd',
      billingProfileId: demoId('', 'azure-billing-profile', 4, 'ABCDEFGHJKLMNPQRSTUVWXYZ') + '-' + demoId('', 'azure-billing-profile-2', 4, 'ABCDEFGHJKLMNPQRSTUVWXYZ'),
      billingProfileName: 'Northwind Robotics',
      invoiceSectionId: demoId('', 'azure-invoice-section', 4, 'ABCDEFGHJKLMNPQRSTUVWXYZ') + '-' + demoId('', 'azure-invoice-section-2', 4, 'ABCDEFGHJKLMNPQRSTUVWXYZ'),
      invoiceSectionName: 'AI Platform',
      billingPeriodStartDate: usDate(firstDayOfMonth(u.month)),
      billingPeriodEndDate: usDate(periodEnd),
      servicePeriodStartDate: usDate(firstDayOfMonth(u.month)),
      servicePeriodEndDate: usDate(periodEnd),
      date: usDate(u.date),
      serviceFamily: 'AI + Machine Learning',
      productOrderId: demoGuid('azure-product-order'),
      productOrderName: 'Azure plan',
      consumedService: 'Microsoft.CognitiveServices',
      meterId: demoGuid(`azure-meter-${meterName}`),
      meterName,
      meterCategory: 'Cognitive Services',
      meterSubCategory: 'Azure OpenAI',
      meterRegion: 'Sweden Central',
      ProductId: demoId('DZH318Z0', `azure-product-${u.stream.model.meter}`, 4, '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'),
      product: `Azure OpenAI - ${meterName}`,
      SubscriptionId: SUBSCRIPTION,
      subscriptionName: 'Northwind-AI-Prod',
      publisherType: 'Azure',
      publisherName: 'Microsoft',
      resourceGroupName: resourceGroup,
      ResourceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${account}`,
      resourceLocation: 'swedencentral',
      location: 'Sweden Central',
      quantity: blocksText(u.tokens, per),
      unitOfMeasure: '1K',
      chargeType: 'Usage',
      billingCurrency: provider.currency,
      pricingCurrency: provider.currency,
      costInBillingCurrency: cost,
      costInPricingCurrency: cost,
      costInUsd: cost,
      paygCostInBillingCurrency: cost,
      paygCostInUsd: cost,
      exchangeRatePricingToBilling: '1',
      exchangeRateDate: usDate(firstDayOfMonth(u.month)),
      isAzureCreditEligible: 'True',
      serviceInfo1: '',
      serviceInfo2: '',
      additionalInfo: '',
      tags: `"CostCenter": ${JSON.stringify(u.stream.costCentre)},"project": ${JSON.stringify(u.stream.project)}`,
      PayGPrice: pricePerUnit,
      frequency: 'UsageBased',
      term: '',
      reservationId: '',
      reservationName: '',
      pricingModel: 'On Demand',
      unitPrice: pricePerUnit,
      costAllocationRuleName: '',
      benefitId: '',
      benefitName: '',
      provider: 'Azure',
      effectivePrice: pricePerUnit,
    };
  });
  return { name: `northwind-azure-cost-details-mca-${range}.csv`, data: toCsv(COLUMNS, rows, { bom: true }) };
}
