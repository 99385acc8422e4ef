import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CurrencyCode } from '../../common/money/currency.ts';
import { formatScaled } from '../../common/money/decimal.ts';
import { costOfTokens, mulDivMicros } from '../../common/money/micros.ts';
import {
  addDays,
  addMonths,
  daysOfMonth,
  firstDayOfMonth,
  msOfIsoDate,
  type IsoDate,
  type IsoMonth,
} from '../../common/time/iso-date.ts';
import {
  DEMO_CREDIT,
  DEMO_MONTHS,
  DEMO_ORGANISATION,
  DEMO_PROVIDERS,
  DEMO_STREAMS,
  DEMO_VAT,
  type DemoPrice,
  type DemoProvider,
  type DemoStream,
} from './demo-organisation.ts';
import { normal, seededRandom } from './random.ts';

export type DemoFiles = {
  organisationName: string;
  baseCurrency: CurrencyCode;
  firstMonth: IsoMonth;
  lastMonth: IsoMonth;
  /** FX rates first, so usage lines get base-currency amounts as they are imported. */
  files: { path: string; name: string }[];
};

const FOCUS_COLUMNS = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingAccountType', 'BillingCurrency', 'BillingPeriodEnd',
  'BillingPeriodStart', 'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd',
  'ChargePeriodStart', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost',
  'InvoiceId', 'InvoiceIssuerName', 'ListCost', 'ListUnitPrice', 'PricingCategory', 'PricingCurrency',
  'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId', 'ResourceId', 'ResourceName',
  'ServiceCategory', 'ServiceName', 'ServiceSubcategory', 'SkuId', 'SkuMeter', 'SkuPriceId', 'SubAccountId',
  'SubAccountName', 'Tags',
] as const;
type FocusRow = Partial<Record<(typeof FOCUS_COLUMNS)[number], string>>;

type Kind = 'input' | 'cacheRead' | 'cacheWrite' | 'output';

/**
 * Writes the demo organisation as the files its providers would give it: one FOCUS 1.2 cost-and-usage export per
 * provider (30 months of daily lines) and a USD/CNY rate file. Deterministic for a given seed and end month.
 */
export function writeDemoFiles(folder: string, options: { seed: number; endMonth: IsoMonth }): DemoFiles {
  const firstMonth = addMonths(options.endMonth, -(DEMO_MONTHS - 1));
  const random = seededRandom(options.seed);
  const rowsByProvider = new Map<string, FocusRow[]>(DEMO_PROVIDERS.map((p) => [p.id, []]));
  // Each stream draws its own noise sequence, so adding a stream does not change the others.
  const streamRandoms = DEMO_STREAMS.map(() => seededRandom(Math.floor(random() * 2 ** 32)));

  const usageCostByProviderMonthCentre = new Map<string, number>();
  for (let monthIndex = 0; monthIndex < DEMO_MONTHS; monthIndex++) {
    const month = addMonths(firstMonth, monthIndex);
    const days = daysOfMonth(month);
    for (let day = 0; day < days; day++) {
      const date = addDays(firstDayOfMonth(month), day);
      DEMO_STREAMS.forEach((stream, i) => {
        if (monthIndex < stream.fromMonth || monthIndex > stream.toMonth) return;
        const inputTokens = dailyInputTokens(stream, monthIndex + day / days, date, streamRandoms[i]!);
        if (inputTokens <= 0) return;
        const prices = pricesFor(stream, monthIndex);
        const split = splitTokens(stream, prices, inputTokens);
        for (const [kind, tokens] of split) {
          if (tokens <= 0) continue;
          const { row, costMicros } = usageRow(stream, prices, kind, tokens, date, month);
          rowsByProvider.get(stream.model.provider.id)!.push(row);
          const key = `${stream.model.provider.id}|${month}|${stream.costCentre}`;
          usageCostByProviderMonthCentre.set(key, (usageCostByProviderMonthCentre.get(key) ?? 0) + costMicros);
        }
      });
    }
  }

  const creditMonth = addMonths(firstMonth, DEMO_CREDIT.month);
  rowsByProvider.get(DEMO_CREDIT.provider.id)!.push(
    chargeRow(DEMO_CREDIT.provider, creditMonth, 'Credit', DEMO_CREDIT.description, DEMO_CREDIT.amount * 1_000_000, 'Engineering'),
  );
  for (const [key, costMicros] of usageCostByProviderMonthCentre) {
    const [providerId, month, costCentre] = key.split('|') as [string, IsoMonth, string];
    if (providerId !== DEMO_VAT.provider.id) continue;
    const vat = mulDivMicros(costMicros, BigInt(Math.round(DEMO_VAT.rate * 100)), 100n);
    rowsByProvider.get(providerId)!.push(chargeRow(DEMO_VAT.provider, month, 'Tax', DEMO_VAT.description, vat, costCentre));
  }

  const files: { path: string; name: string }[] = [];
  const fxName = `northwind-fx-usd-cny-${firstMonth}_${options.endMonth}.csv`;
  writeFileSync(join(folder, fxName), fxCsv(firstMonth, options.endMonth, random));
  files.push({ path: join(folder, fxName), name: fxName });
  for (const provider of DEMO_PROVIDERS) {
    const rows = rowsByProvider.get(provider.id)!;
    rows.sort((a, b) => (a.ChargePeriodStart! < b.ChargePeriodStart! ? -1 : a.ChargePeriodStart! > b.ChargePeriodStart! ? 1 : 0));
    const name = `northwind-${provider.id}-focus-1.2-${firstMonth}_${options.endMonth}.csv`;
    writeFileSync(join(folder, name), toCsv(FOCUS_COLUMNS, rows));
    files.push({ path: join(folder, name), name });
  }
  return {
    organisationName: DEMO_ORGANISATION,
    baseCurrency: 'USD' as CurrencyCode,
    firstMonth,
    lastMonth: options.endMonth,
    files,
  };
}

/** Input tokens of one stream on one day: growth, launch ramp, weekday pattern and lognormal noise. */
function dailyInputTokens(stream: DemoStream, monthsSinceStart: number, date: IsoDate, random: () => number): number {
  const age = monthsSinceStart - stream.fromMonth;
  const ramp = stream.rampMonths ? Math.min(1, (age + 0.1) / stream.rampMonths) : 1;
  const weekday = new Date(msOfIsoDate(date)).getUTCDay();
  const weekFactor = weekday === 0 ? 0.5 : weekday === 6 ? 0.55 : 1.06;
  const sigma = 0.12;
  const noise = Math.exp(sigma * normal(random) - (sigma * sigma) / 2);
  const level = stream.dailyInputMTok * 1e6 * Math.pow(1 + stream.monthlyGrowth, age) * ramp;
  return Math.round(level * weekFactor * noise);
}

function pricesFor(stream: DemoStream, monthIndex: number): DemoPrice {
  const change = stream.model.priceChange;
  return change && monthIndex >= change.fromMonth ? change.prices : stream.model.prices;
}

function splitTokens(stream: DemoStream, prices: DemoPrice, inputTokens: number): [Kind, number][] {
  const cacheRead = prices.cacheRead !== undefined ? Math.round(inputTokens * stream.cacheShare) : 0;
  const cacheWrite = prices.cacheWrite !== undefined ? Math.round(inputTokens * stream.cacheShare * 0.05) : 0;
  return [
    ['input', inputTokens - cacheRead - cacheWrite],
    ['cacheRead', cacheRead],
    ['cacheWrite', cacheWrite],
    ['output', Math.round(inputTokens * stream.outputRatio)],
  ];
}

/** How each provider's export names the direction in its meter (see the reference's direction rules). */
function meterName(provider: DemoProvider, meter: string, kind: Kind): string {
  switch (provider.id) {
    case 'azure':
      return `${meter} ${{ input: 'Inp', cacheRead: 'cached Inp', cacheWrite: 'cache write Inp', output: 'Outp' }[kind]} glbl Tokens`;
    case 'deepseek':
    case 'alibaba':
      return `${meter} ${{ input: 'input_cache_miss_tokens', cacheRead: 'input_cache_hit_tokens', cacheWrite: 'input_cache_write_tokens', output: 'output_tokens' }[kind]}`;
    default:
      return `${meter} - ${{ input: 'Input Tokens', cacheRead: 'Cache Read Tokens', cacheWrite: 'Cache Write Tokens', output: 'Output Tokens' }[kind]}`;
  }
}

function usageRow(
  stream: DemoStream,
  prices: DemoPrice,
  kind: Kind,
  tokens: number,
  date: IsoDate,
  month: IsoMonth,
): { row: FocusRow; costMicros: number } {
  const provider = stream.model.provider;
  const pricePerMTok = prices[kind] ?? prices.input;
  const pricePerMTokMicros = Math.round(pricePerMTok * 1_000_000);
  const cost = costOfTokens(tokens, pricePerMTokMicros);
  const meter = meterName(provider, stream.model.meter, kind);
  const unitDigits = Math.round(Math.log10(provider.tokensPerPricingUnit));
  // Unit price per pricing unit, exact: the price per 1M tokens shifted by the digits between 1M and the unit.
  const unitPrice = formatScaled(BigInt(pricePerMTokMicros), 6 + (6 - unitDigits));
  const base = commonColumns(provider, month, stream.costCentre, stream.project);
  const row: FocusRow = {
    ...base,
    BilledCost: formatScaled(BigInt(cost), 6),
    ChargeCategory: 'Usage',
    ChargeDescription: `${meter} (${pricePerMTok} ${provider.currency} per 1M tokens)`,
    ChargeFrequency: 'Usage-Based',
    ChargePeriodStart: `${date}T00:00:00Z`,
    ChargePeriodEnd: `${addDays(date, 1)}T00:00:00Z`,
    ConsumedQuantity: String(tokens),
    ConsumedUnit: 'Tokens',
    ContractedCost: formatScaled(BigInt(cost), 6),
    ContractedUnitPrice: unitPrice,
    EffectiveCost: formatScaled(BigInt(cost), 6),
    ListCost: formatScaled(BigInt(cost), 6),
    ListUnitPrice: unitPrice,
    PricingCategory: 'Standard',
    PricingQuantity: formatScaled(BigInt(tokens), unitDigits),
    PricingUnit: provider.pricingUnit,
    ResourceId: `${provider.id}:${stream.project}`,
    ResourceName: stream.product ?? stream.project,
    SkuId: `${provider.id}-${stream.model.meter}`,
    SkuMeter: meter,
    SkuPriceId: `${provider.id}-${stream.model.meter}-${kind}-${pricePerMTokMicros}`,
  };
  return { row, costMicros: cost };
}

function chargeRow(provider: DemoProvider, month: IsoMonth, category: 'Credit' | 'Tax', description: string, micros: number, costCentre: string): FocusRow {
  const amount = formatScaled(BigInt(micros), 6);
  return {
    ...commonColumns(provider, month, costCentre, 'billing'),
    BilledCost: amount,
    ChargeCategory: category,
    ChargeDescription: description,
    ChargeFrequency: 'One-Time',
    ChargePeriodStart: `${firstDayOfMonth(month)}T00:00:00Z`,
    ChargePeriodEnd: `${firstDayOfMonth(addMonths(month, 1))}T00:00:00Z`,
    ContractedCost: amount,
    EffectiveCost: amount,
    ListCost: amount,
  };
}

function commonColumns(provider: DemoProvider, month: IsoMonth, costCentre: string, project: string): FocusRow {
  const tags =
    provider.id === 'azure'
      ? { CostCenter: costCentre, project }
      : { 'cost-centre': costCentre, project, environment: 'production' };
  return {
    BillingAccountId: provider.billingAccountId,
    BillingAccountName: 'Northwind Robotics',
    BillingAccountType: 'Billing Account',
    BillingCurrency: provider.currency,
    BillingPeriodStart: `${firstDayOfMonth(month)}T00:00:00Z`,
    BillingPeriodEnd: `${firstDayOfMonth(addMonths(month, 1))}T00:00:00Z`,
    InvoiceId: `${provider.id.toUpperCase()}-${month.replace('-', '')}`,
    InvoiceIssuerName: provider.providerName,
    PricingCurrency: provider.currency,
    ProviderName: provider.providerName,
    PublisherName: provider.providerName,
    RegionId: provider.regionId,
    ServiceCategory: 'AI and Machine Learning',
    ServiceName: provider.serviceName,
    ServiceSubcategory: 'Generative AI',
    SubAccountId: `${provider.id}-${project}`,
    SubAccountName: project,
    Tags: JSON.stringify(tags),
  };
}

/** Business-day USD/CNY rates: a mean-reverting walk around 7.18, four decimals, as a central bank publishes. */
function fxCsv(firstMonth: IsoMonth, lastMonth: IsoMonth, random: () => number): string {
  const lines = ['date,base,quote,rate,source'];
  let rate = 7.18;
  const end = firstDayOfMonth(addMonths(lastMonth, 1));
  for (let date = firstDayOfMonth(firstMonth); date < end; date = addDays(date, 1)) {
    const weekday = new Date(msOfIsoDate(date)).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    rate += 0.08 * (7.18 - rate) + 0.012 * normal(random);
    lines.push(`${date},USD,CNY,${rate.toFixed(4)},Demo reference rate (synthetic)`);
  }
  return lines.join('\n') + '\n';
}

function toCsv(columns: readonly string[], rows: readonly FocusRow[]): string {
  const out = [columns.join(',')];
  for (const row of rows) {
    out.push(columns.map((c) => csvField(row[c as keyof FocusRow] ?? '')).join(','));
  }
  return out.join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

