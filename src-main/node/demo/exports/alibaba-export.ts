import { addDays, addMonths, firstDayOfMonth, type IsoMonth } from '../../../common/time/iso-date.ts';
import { formatScaled } from '../../../common/money/decimal.ts';
import { blocksText, demoId, exactCostText, toCsv, trimDecimal, type DemoExport, type DemoUsage } from './demo-usage.ts';

/**
 * Alibaba Cloud's bill detail (详单) at billing-item level, as 费用中心 exports it (shared/reference/invoice-formats.md
 * §5.2): one line per day, Model Studio (百炼, product code `sfm`) model and billing item, usage in thousands of
 * tokens (千Token, the unit Alibaba's price lists used before they moved to 百万Token), amounts in CNY before tax,
 * times in China time without an offset, the cost centre in the `Tag` column (`key:value;key:value`). Refunds are
 * `Item = Refund` lines with negative amounts.
 */
const COLUMNS = [
  'BillingCycle', 'CostUnit', 'AccountID', 'AccountName', 'OwnerID', 'OwnerAccountName', 'SubscriptionType', 'ProductCode',
  'ProductName', 'ProductType', 'ProductDetail', 'BillingItem', 'UsageStartTime', 'UsageEndTime', 'RecordID',
  'RelatedRecordID', 'Item', 'BillingType', 'InstanceID', 'NickName', 'ResourceGroup', 'Tag', 'Region', 'Zone', 'Usage',
  'UsageUnit', 'ListPrice', 'ListPriceUnit', 'PretaxGrossAmount', 'InvoiceDiscount', 'DeductedByCoupons', 'PretaxAmount',
  'DeductedByCashCoupons', 'DeductedByPrepaidCard', 'PaymentAmount', 'OutstandingAmount', 'Currency',
];

const ACCOUNT_ID = demoId('', 'alibaba-account', 16, '0123456789');
const DIRECTION = { input: '输入Token', cacheRead: '缓存命中Token', cacheWrite: '缓存创建Token', output: '输出Token' } as const;

export type AlibabaRefund = { month: IsoMonth; amount: number; costCentre: string; model: string; description: string };

export function writeAlibabaExport(usage: readonly DemoUsage[], refund: AlibabaRefund | undefined, range: string): DemoExport {
  const common = (month: IsoMonth, costCentre: string, project: string) => ({
    BillingCycle: month,
    CostUnit: costCentre,
    AccountID: ACCOUNT_ID,
    AccountName: 'northwind-cn@aliyun',
    OwnerID: ACCOUNT_ID,
    OwnerAccountName: 'northwind-cn@aliyun',
    SubscriptionType: 'PayAsYouGo',
    ProductCode: 'sfm',
    ProductName: '大模型服务平台百炼',
    ProductType: 'Model Studio',
    ResourceGroup: `rg-${project}`,
    Tag: `cost-centre:${costCentre};project:${project}`,
    Region: 'cn-beijing',
    Zone: '',
    Currency: 'CNY',
  });
  const rows: Record<string, string>[] = usage.map((u) => {
    const per = u.stream.model.provider.tokensPerPricingUnit;
    const cost = exactCostText(u.tokens, u.pricePerMTokMicros);
    return {
      ...common(u.month, u.stream.costCentre, u.stream.project),
      ProductDetail: '模型推理',
      BillingItem: `${u.stream.model.meter} ${DIRECTION[u.kind]}`,
      UsageStartTime: `${u.date} 00:00:00`,
      UsageEndTime: `${addDays(u.date, 1)} 00:00:00`,
      RecordID: demoId('', `alibaba-record-${u.date}-${u.stream.project}-${u.kind}`, 20, '0123456789'),
      RelatedRecordID: '',
      Item: 'PayAsYouGoBill',
      BillingType: '按量付费',
      InstanceID: u.stream.model.meter,
      NickName: u.stream.project,
      Usage: blocksText(u.tokens, per),
      UsageUnit: '千Token',
      ListPrice: trimDecimal(formatScaled(BigInt(u.pricePerMTokMicros) * BigInt(per), 12)),
      ListPriceUnit: '元/千Token',
      PretaxGrossAmount: cost,
      InvoiceDiscount: '0',
      DeductedByCoupons: '0',
      PretaxAmount: cost,
      DeductedByCashCoupons: '0',
      DeductedByPrepaidCard: '0',
      PaymentAmount: cost,
      OutstandingAmount: '0',
    };
  });
  if (refund) {
    const amount = trimDecimal(formatScaled(BigInt(refund.amount) * 1_000_000n, 6));
    rows.push({
      ...common(refund.month, refund.costCentre, 'billing'),
      ProductDetail: refund.description,
      BillingItem: `${refund.model} 退款`,
      UsageStartTime: `${firstDayOfMonth(refund.month)} 00:00:00`,
      UsageEndTime: `${firstDayOfMonth(addMonths(refund.month, 1))} 00:00:00`,
      RecordID: demoId('', `alibaba-refund-${refund.month}`, 20, '0123456789'),
      RelatedRecordID: demoId('', `alibaba-refund-related-${refund.month}`, 20, '0123456789'),
      Item: 'Refund',
      BillingType: '退款',
      InstanceID: refund.model,
      PretaxGrossAmount: amount,
      InvoiceDiscount: '0',
      DeductedByCoupons: '0',
      PretaxAmount: amount,
      DeductedByCashCoupons: '0',
      DeductedByPrepaidCard: '0',
      PaymentAmount: amount,
      OutstandingAmount: '0',
    });
    rows.sort((a, b) => (a.UsageStartTime! < b.UsageStartTime! ? -1 : a.UsageStartTime! > b.UsageStartTime! ? 1 : 0));
  }
  return { name: `northwind-alibaba-bill-detail-${range}.csv`, data: toCsv(COLUMNS, rows, { bom: true }) };
}
