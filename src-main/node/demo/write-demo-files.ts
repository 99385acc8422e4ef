import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CurrencyCode } from '../../common/money/currency.ts';
import {
  addDays,
  addMonths,
  daysOfMonth,
  firstDayOfMonth,
  msOfIsoDate,
  type IsoDate,
  type IsoMonth,
} from '../../common/time/iso-date.ts';
import type { CostCentreRule } from '../../common/usage/cost-centre-rules.ts';
import { recogniseModel } from '../../common/usage/models.ts';
import {
  DEMO_CREDIT,
  DEMO_MONTHS,
  DEMO_ORGANISATION,
  DEMO_PROVIDERS,
  DEMO_STREAMS,
  type DemoPrice,
  type DemoStream,
} from './demo-organisation.ts';
import { writeAlibabaExport } from './exports/alibaba-export.ts';
import { anthropicWorkspaceId, writeAnthropicExports } from './exports/anthropic-export.ts';
import { writeAzureExport } from './exports/azure-export.ts';
import { writeDeepSeekExport } from './exports/deepseek-export.ts';
import type { DemoExport, DemoKind, DemoUsage } from './exports/demo-usage.ts';
import { openaiProjectId, writeOpenAiExports } from './exports/openai-export.ts';
import { normal, seededRandom } from './random.ts';

export type DemoFiles = {
  organisationName: string;
  baseCurrency: CurrencyCode;
  firstMonth: IsoMonth;
  lastMonth: IsoMonth;
  /** FX rates first, so usage lines get base-currency amounts as they are imported. */
  files: { path: string; name: string }[];
  /**
   * How the organisation maps its providers' project ids, workspaces and models to cost centres: OpenAI and
   * Anthropic exports name projects and workspaces by id only, DeepSeek's cost file names only the model.
   * Set in the workbook before the files are imported.
   */
  costCentreRules: CostCentreRule[];
};

/**
 * Writes the demo organisation as the files its providers would give it, each in the provider's own export
 * format (see `exports/`): OpenAI Usage API and Costs API JSON, Anthropic usage report and cost report JSON
 * (cents), Azure cost details (MCA CSV, 1K-token meters), DeepSeek's usage ZIP (CNY) and Alibaba Cloud's bill
 * detail CSV (CNY), 30 months of daily figures, and a USD/CNY rate file. Usage (volume) and cost (money) files of
 * the same provider describe the same tokens, as the real ones do: the import reconciles them. Deterministic for a
 * given seed and end month.
 */
export function writeDemoFiles(folder: string, options: { seed: number; endMonth: IsoMonth }): DemoFiles {
  const { firstMonth, usageByProvider, random } = generateDemoUsage(options);
  const range = `${firstMonth}_${options.endMonth}`;
  const fxName = `northwind-fx-usd-cny-${range}.csv`;
  const exports: DemoExport[] = [
    { name: fxName, data: fxCsv(firstMonth, options.endMonth, random) },
    ...writeOpenAiExports(usageByProvider.get('openai')!, range),
    ...writeAnthropicExports(usageByProvider.get('anthropic')!, range),
    writeAzureExport(usageByProvider.get('azure')!, range, options.endMonth),
    writeDeepSeekExport(usageByProvider.get('deepseek')!, range),
    writeAlibabaExport(
      usageByProvider.get('alibaba')!,
      {
        month: addMonths(firstMonth, DEMO_CREDIT.month),
        amount: DEMO_CREDIT.amount,
        costCentre: DEMO_CREDIT.costCentre,
        model: 'qwen-plus',
        description: DEMO_CREDIT.description,
      },
      range,
    ),
  ];
  const files = exports.map((e) => {
    const path = join(folder, e.name);
    writeFileSync(path, e.data);
    return { path, name: e.name };
  });
  return {
    organisationName: DEMO_ORGANISATION,
    baseCurrency: 'USD' as CurrencyCode,
    firstMonth,
    lastMonth: options.endMonth,
    files,
    costCentreRules: demoCostCentreRules(),
  };
}

/**
 * The demo organisation's token usage, day by day: what every provider export is written from. `random` continues
 * the seed's sequence (the FX rates draw from it next).
 */
export function generateDemoUsage(options: { seed: number; endMonth: IsoMonth }): {
  firstMonth: IsoMonth;
  usageByProvider: Map<string, DemoUsage[]>;
  random: () => number;
} {
  const firstMonth = addMonths(options.endMonth, -(DEMO_MONTHS - 1));
  const random = seededRandom(options.seed);
  const usageByProvider = new Map<string, DemoUsage[]>(DEMO_PROVIDERS.map((p) => [p.id, []]));
  // Each stream draws its own noise sequence, so adding a stream does not change the others.
  const streamRandoms = DEMO_STREAMS.map(() => seededRandom(Math.floor(random() * 2 ** 32)));

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
        for (const [kind, tokens] of splitTokens(stream, prices, inputTokens)) {
          if (tokens <= 0) continue;
          const pricePerMTokMicros = Math.round((prices[kind] ?? prices.input) * 1_000_000);
          usageByProvider.get(stream.model.provider.id)!.push({ stream, month, monthIndex, date, kind, tokens, pricePerMTokMicros });
        }
      });
    }
  }

  return { firstMonth, usageByProvider, random };
}

/** The rules the demo organisation keeps: one per OpenAI project and Anthropic workspace, one per DeepSeek model. */
export function demoCostCentreRules(): CostCentreRule[] {
  const rules = new Map<string, CostCentreRule>();
  for (const s of DEMO_STREAMS) {
    const provider = s.model.provider.id;
    const pattern =
      provider === 'openai' ? openaiProjectId(s.project)
      : provider === 'anthropic' ? anthropicWorkspaceId(s.project)
      : provider === 'deepseek' ? (recogniseModel(s.model.meter) ?? s.model.meter)
      : undefined;
    if (!pattern) continue;
    const field = provider === 'deepseek' ? 'model' : 'project';
    rules.set(`${field}|${pattern}`, { priority: 10 * (rules.size + 1), field, pattern, costCentre: s.costCentre });
  }
  return [...rules.values()];
}

/** The project id (OpenAI) or workspace id (Anthropic) under which a demo project's lines are stored. */
export function demoProjectRef(providerId: string, project: string): string {
  return providerId === 'openai' ? openaiProjectId(project) : providerId === 'anthropic' ? anthropicWorkspaceId(project) : project;
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

function splitTokens(stream: DemoStream, prices: DemoPrice, inputTokens: number): [DemoKind, number][] {
  const cacheRead = prices.cacheRead !== undefined ? Math.round(inputTokens * stream.cacheShare) : 0;
  const cacheWrite = prices.cacheWrite !== undefined ? Math.round(inputTokens * stream.cacheShare * 0.05) : 0;
  return [
    ['input', inputTokens - cacheRead - cacheWrite],
    ['cacheRead', cacheRead],
    ['cacheWrite', cacheWrite],
    ['output', Math.round(inputTokens * stream.outputRatio)],
  ];
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
