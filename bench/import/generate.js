// Writes a FOCUS 1.2 cost-and-usage CSV of AI token lines (default one million, about 570 MB): five providers,
// twelve models, four token directions, daily lines over a year, tags with cost centres. Deterministic.
// What makes it look like a provider's export rather than a made-up file (≈ 570 bytes a line):
// - SkuId / SkuPriceId are the provider's opaque catalogue ids (Azure writes `DZH318Z0BQPS` and
//   `DZH318Z0BQPS/00G1`), not readable names;
// - numbers are written as exact decimals without padding zeros (FOCUS "Numeric Format": `2.5`, not `2.500000`);
//   costs keep their six decimals;
// - token counts per line span orders of magnitude (log-uniform from 1,000 to 5 million; cache writes are rarer),
//   as the daily lines of many small and a few large projects do;
// - RegionId is the provider's own region name (none for the direct APIs of OpenAI and Anthropic).
import { createWriteStream } from 'node:fs';

/** Changes whenever the generated content changes, so the benchmark does not reuse an older file. */
export const GENERATOR_VERSION = 'v2';

const COLUMNS = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingAccountType', 'BillingCurrency', 'BillingPeriodEnd',
  'BillingPeriodStart', 'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd',
  'ChargePeriodStart', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost',
  'InvoiceId', 'InvoiceIssuerName', 'ListCost', 'ListUnitPrice', 'PricingCategory', 'PricingCurrency',
  'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId', 'ResourceId', 'ResourceName',
  'ServiceCategory', 'ServiceName', 'ServiceSubcategory', 'SkuId', 'SkuMeter', 'SkuPriceId', 'SubAccountId',
  'SubAccountName', 'Tags',
];

const MODELS = [
  ['OpenAI', 'gpt-4o-2024-08-06', 2.5, 10, 'USD'], ['OpenAI', 'gpt-4o-mini-2024-07-18', 0.15, 0.6, 'USD'],
  ['OpenAI', 'o3-2025-04-16', 2, 8, 'USD'], ['OpenAI', 'gpt-4.1-2025-04-14', 2, 8, 'USD'],
  ['Anthropic', 'Claude Sonnet 4', 3, 15, 'USD'], ['Anthropic', 'Claude 3.5 Haiku', 0.8, 4, 'USD'],
  ['Anthropic', 'Claude Opus 4', 15, 75, 'USD'], ['Microsoft', 'gpt 4o 0806', 2.5, 10, 'USD'],
  ['DeepSeek', 'deepseek-chat', 2, 8, 'CNY'], ['DeepSeek', 'deepseek-reasoner', 4, 16, 'CNY'],
  ['Alibaba Cloud', 'qwen-max', 2.4, 9.6, 'CNY'], ['Alibaba Cloud', 'qwen-plus', 0.8, 2, 'CNY'],
];
const KINDS = [['Input Tokens', 1], ['Output Tokens', 4], ['Cache Read Tokens', 0.1], ['Cache Write Tokens', 1.25]];
const REGIONS = { OpenAI: '', Anthropic: '', Microsoft: 'swedencentral', DeepSeek: 'cn', 'Alibaba Cloud': 'cn-beijing' };

/** A provider-style opaque id (12 characters of A–Z, 0–9), stable for a text. */
function opaqueId(text, length = 12) {
  let h = 2166136261;
  let id = '';
  for (let round = 0; id.length < length; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 16777619) >>> 0;
    id += (h % 1679616).toString(36).toUpperCase().padStart(4, '0');
  }
  return id.slice(0, length);
}

/** A decimal without padding zeros: `2.5`, `0.15`, `3`. */
const exact = (text) => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);
const CENTRES = ['Customer Support', 'Engineering', 'Marketing', 'Research', 'Sales'];

/** Writes `lines` rows to `path`; resolves with the byte size. */
export async function generateFocusFile(path, lines = 1_000_000) {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  const write = (text) => {
    bytes += Buffer.byteLength(text);
    return out.write(text) ? Promise.resolve() : new Promise((r) => out.once('drain', r));
  };
  await write(COLUMNS.join(',') + '\r\n');
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const day0 = Date.UTC(2025, 0, 1);
  let chunk = [];
  for (let i = 0; i < lines; i++) {
    const [provider, model, input, output, currency] = MODELS[i % MODELS.length];
    const [kindName, factor] = KINDS[(i >> 2) % KINDS.length];
    const centre = CENTRES[(i >> 4) % CENTRES.length];
    const project = `${centre.toLowerCase().replace(' ', '-')}-${i % 7}`;
    const dayMs = day0 + Math.floor(i / 2800) * 86_400_000;
    const start = new Date(dayMs).toISOString().slice(0, 10);
    const end = new Date(dayMs + 86_400_000).toISOString().slice(0, 10);
    const month = start.slice(0, 7);
    const next = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 1)).toISOString().slice(0, 10);
    // Log-uniform from 1,000 to 5 million tokens; cache writes a tenth of that.
    const tokens = Math.floor(1000 * Math.exp(random() * Math.log(5000)) * (kindName.startsWith('Cache Write') ? 0.1 : 1)) + 1;
    const priceMicros = Math.round((kindName.startsWith('Output') ? output : input * factor) * 1e6);
    const costMicros = Math.round((tokens * priceMicros) / 1e6);
    const cost = (costMicros / 1e6).toFixed(6);
    const unitPrice = exact((priceMicros / 1e6).toFixed(6));
    const meter = `${model} - ${kindName}`;
    const account = `acct-${provider.toLowerCase().replace(/\W/g, '')}`;
    chunk.push(
      [
        cost, account, 'Northwind Robotics', 'Billing Account', currency, `${next}T00:00:00Z`, `${month}-01T00:00:00Z`,
        'Usage', '', meter, 'Usage-Based', `${end}T00:00:00Z`,
        `${start}T00:00:00Z`, tokens, 'Tokens', cost, unitPrice, cost, `INV-${month}`, provider, cost, unitPrice,
        'Standard', currency, exact((tokens / 1e6).toFixed(6)), '1M Tokens', provider, provider, REGIONS[provider],
        `${account}/${project}`, project, 'AI and Machine Learning', `${provider} API`, 'Generative AI',
        opaqueId(`${provider}|${model}`), meter, `${opaqueId(`${provider}|${model}`)}/${opaqueId(`${provider}|${model}|${kindName}`, 4)}`, `${account}-${project}`, project,
        `"{""cost-centre"":""${centre}"",""project"":""${project}""}"`,
      ].join(',') + '\r\n',
    );
    if (chunk.length === 2000) {
      await write(chunk.join(''));
      chunk = [];
    }
  }
  if (chunk.length) await write(chunk.join(''));
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return bytes;
}
