/**
 * The demo organisation, "Northwind Robotics": five cost centres using twelve models from five providers,
 * billed in USD and CNY. Month indexes count from the first of the 30 demo months. What it shows:
 * - growth: most streams grow 3–10 % a month, with a weekday/weekend pattern and day-to-day noise;
 * - a price cut: OpenAI o3 drops 80 % in month 13; DeepSeek cuts output prices in month 16;
 * - a migration: Engineering moves from Claude 3.5 Sonnet to Claude Sonnet 4 in month 14;
 * - a new product launch: Customer Support's "Aria" assistant ramps up on Claude Sonnet 4 from month 18.
 * Prices are per million tokens, in the provider's billing currency, as listed by the providers at the time.
 */

export type DemoPrice = { input: number; cacheRead?: number; cacheWrite?: number; output: number };

export type DemoProvider = {
  id: string;
  providerName: string;
  serviceName: string;
  currency: 'USD' | 'CNY';
  billingAccountId: string;
  /** How the export writes the pricing unit; exercises the unit parser ("1M Tokens", "1K Tokens"). */
  pricingUnit: string;
  tokensPerPricingUnit: number;
  regionId: string;
};

export type DemoModel = {
  provider: DemoProvider;
  /** The model as the provider's export spells it: API id, or the meter name prefix (Azure). */
  meter: string;
  /** The name the provider prints in descriptions (Anthropic's cost report: "Claude Sonnet 4 Usage - …"). */
  displayName?: string;
  prices: DemoPrice;
  priceChange?: { fromMonth: number; prices: DemoPrice };
};

export type DemoStream = {
  costCentre: string;
  project: string;
  model: DemoModel;
  fromMonth: number;
  toMonth: number;
  /** Input tokens per weekday at `fromMonth`, in millions. */
  dailyInputMTok: number;
  monthlyGrowth: number;
  outputRatio: number;
  /** Share of input tokens read from the prompt cache. */
  cacheShare: number;
  /** Months over which a launch ramps up from zero to `dailyInputMTok`. */
  rampMonths?: number;
  /** Product launched on this stream, written into the resource name. */
  product?: string;
};

export const DEMO_ORGANISATION = 'Northwind Robotics (demo)';
export const DEMO_MONTHS = 30;

const openai: DemoProvider = {
  id: 'openai', providerName: 'OpenAI', serviceName: 'OpenAI API', currency: 'USD',
  billingAccountId: 'org-nwr-4821', pricingUnit: '1M Tokens', tokensPerPricingUnit: 1_000_000, regionId: 'us',
};
const anthropic: DemoProvider = {
  id: 'anthropic', providerName: 'Anthropic', serviceName: 'Claude API', currency: 'USD',
  billingAccountId: 'org-7c1f-nwr', pricingUnit: '1M Tokens', tokensPerPricingUnit: 1_000_000, regionId: 'us',
};
const azure: DemoProvider = {
  id: 'azure', providerName: 'Microsoft', serviceName: 'Azure OpenAI', currency: 'USD',
  billingAccountId: 'ea-88112049', pricingUnit: '1K Tokens', tokensPerPricingUnit: 1_000, regionId: 'swedencentral',
};
const deepseek: DemoProvider = {
  id: 'deepseek', providerName: 'DeepSeek', serviceName: 'DeepSeek API', currency: 'CNY',
  billingAccountId: 'ds-nwr-shanghai', pricingUnit: '1M Tokens', tokensPerPricingUnit: 1_000_000, regionId: 'cn',
};
const alibaba: DemoProvider = {
  id: 'alibaba', providerName: 'Alibaba Cloud', serviceName: 'Model Studio', currency: 'CNY',
  billingAccountId: '1384-2207-5531', pricingUnit: '1K Tokens', tokensPerPricingUnit: 1_000, regionId: 'cn-beijing',
};

export const DEMO_PROVIDERS = [openai, anthropic, azure, deepseek, alibaba];

const m = {
  gpt4o: { provider: openai, meter: 'gpt-4o-2024-08-06', prices: { input: 2.5, cacheRead: 1.25, output: 10 } },
  gpt4oMini: { provider: openai, meter: 'gpt-4o-mini-2024-07-18', prices: { input: 0.15, cacheRead: 0.075, output: 0.6 } },
  o3: {
    provider: openai, meter: 'o3-2025-04-16', prices: { input: 10, cacheRead: 2.5, output: 40 },
    priceChange: { fromMonth: 13, prices: { input: 2, cacheRead: 0.5, output: 8 } },
  },
  gpt41: { provider: openai, meter: 'gpt-4.1-2025-04-14', prices: { input: 2, cacheRead: 0.5, output: 8 } },
  sonnet35: {
    provider: anthropic, meter: 'claude-3-5-sonnet-20241022', displayName: 'Claude 3.5 Sonnet', prices: { input: 3, cacheRead: 0.3, cacheWrite: 3.75, output: 15 },
  },
  sonnet4: {
    provider: anthropic, meter: 'claude-sonnet-4-20250514', displayName: 'Claude Sonnet 4', prices: { input: 3, cacheRead: 0.3, cacheWrite: 3.75, output: 15 },
  },
  haiku35: {
    provider: anthropic, meter: 'claude-3-5-haiku-20241022', displayName: 'Claude 3.5 Haiku', prices: { input: 0.8, cacheRead: 0.08, cacheWrite: 1, output: 4 },
  },
  opus4: {
    provider: anthropic, meter: 'claude-opus-4-20250514', displayName: 'Claude Opus 4', prices: { input: 15, cacheRead: 1.5, cacheWrite: 18.75, output: 75 },
  },
  azureGpt4o: { provider: azure, meter: 'gpt 4o 0806', prices: { input: 2.5, cacheRead: 1.25, output: 10 } },
  deepseekChat: {
    provider: deepseek, meter: 'deepseek-chat', prices: { input: 2, cacheRead: 0.5, output: 8 },
    priceChange: { fromMonth: 16, prices: { input: 2, cacheRead: 0.2, output: 3 } },
  },
  deepseekReasoner: {
    provider: deepseek, meter: 'deepseek-reasoner', prices: { input: 4, cacheRead: 1, output: 16 },
    priceChange: { fromMonth: 16, prices: { input: 2, cacheRead: 0.2, output: 3 } },
  },
  qwenMax: { provider: alibaba, meter: 'qwen-max', prices: { input: 2.4, output: 9.6 } },
  qwenPlus: { provider: alibaba, meter: 'qwen-plus', prices: { input: 0.8, output: 2 } },
} satisfies Record<string, DemoModel>;

const L = DEMO_MONTHS - 1;
const s = (
  costCentre: string, project: string, model: DemoModel, fromMonth: number, toMonth: number,
  dailyInputMTok: number, monthlyGrowth: number, outputRatio: number, cacheShare: number,
  extra: Partial<DemoStream> = {},
): DemoStream => ({ costCentre, project, model, fromMonth, toMonth, dailyInputMTok, monthlyGrowth, outputRatio, cacheShare, ...extra });

export const DEMO_STREAMS: readonly DemoStream[] = [
  s('Customer Support', 'support-bot', m.gpt4oMini, 0, L, 900, 0.05, 0.3, 0.45),
  s('Customer Support', 'ticket-triage', m.haiku35, 0, L, 260, 0.04, 0.25, 0.35),
  s('Customer Support', 'aria-assistant', m.sonnet4, 18, L, 420, 0.04, 0.22, 0.6, { rampMonths: 4, product: 'Aria assistant' }),
  s('Engineering', 'code-review', m.sonnet35, 0, 13, 120, 0.08, 0.18, 0.5),
  s('Engineering', 'code-review', m.sonnet4, 14, L, 330, 0.06, 0.18, 0.55),
  s('Engineering', 'agents', m.opus4, 14, L, 14, 0.07, 0.25, 0.5),
  s('Engineering', 'agents', m.o3, 6, L, 22, 0.09, 0.45, 0.2),
  s('Engineering', 'internal-tools', m.gpt41, 11, L, 140, 0.05, 0.2, 0.3),
  s('Engineering', 'cn-platform', m.deepseekChat, 3, L, 650, 0.07, 0.25, 0.5),
  s('Marketing', 'content', m.gpt4o, 0, L, 95, 0.03, 0.6, 0.1),
  s('Marketing', 'content-eu', m.azureGpt4o, 0, L, 70, 0.035, 0.55, 0.1),
  s('Marketing', 'cn-campaigns', m.qwenPlus, 5, L, 380, 0.04, 0.5, 0),
  s('Research', 'evals', m.gpt4o, 0, L, 45, 0.02, 0.3, 0.2),
  s('Research', 'reasoning', m.o3, 6, L, 18, 0.1, 0.6, 0.1),
  s('Research', 'reasoning-cn', m.deepseekReasoner, 8, L, 120, 0.09, 0.7, 0.3),
  s('Research', 'cn-benchmarks', m.qwenMax, 10, L, 90, 0.05, 0.35, 0),
  s('Sales', 'lead-scoring', m.gpt4oMini, 0, L, 310, 0.04, 0.15, 0.3),
  s('Sales', 'proposals', m.azureGpt4o, 4, L, 60, 0.05, 0.45, 0.15),
];

/**
 * A refund on Alibaba Cloud's bill (an `Item = Refund` line, negative, in CNY): credits and corrections are part
 * of real bills. Amount in the provider's currency.
 */
export const DEMO_CREDIT = { provider: alibaba, month: 12, amount: -3000, costCentre: 'Marketing', description: 'Service-level credit for the qwen-plus outage' };
