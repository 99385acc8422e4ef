import type { Database } from 'better-sqlite3';
import { INSTRUMENT_TEMPLATES, isBusinessDay, listedContractMonths, type InstrumentDraft } from '../../common/hedging/instrument.ts';
import { DEFAULT_POLICY, type SavedHedgePolicy } from '../../common/hedging/policy.ts';
import { addDays, addMonths, firstDayOfMonth, monthsBetween, type IsoDate, type IsoMonth } from '../../common/time/iso-date.ts';
import { appendAudit } from '../workbook/audit-log-repo.ts';
import { saveExposureMapping } from '../workbook/exposures-repo.ts';
import { saveHedgePolicy } from '../workbook/hedge-policies-repo.ts';
import { saveInstrument } from '../workbook/instruments-repo.ts';
import { upsertIndexFixings, upsertSettlementPrices } from '../workbook/market-data-repo.ts';
import { DEMO_STREAMS, type DemoModel } from './demo-organisation.ts';
import { normal, seededRandom } from './random.ts';

/**
 * The demo organisation's hedging reference data, all HYPOTHETICAL and synthetic:
 * - an AI-token future on a China token index in CNY per 1M blended tokens. The index is the SCU-style blend
 *   (1,000 input : 500 output tokens) of the list prices of the CNY models the demo uses (DeepSeek, Qwen), so it
 *   steps down with DeepSeek's price cut in demo month 16, times a mean-reverting market factor;
 * - a GPU-hour future on an H100 rental index in USD per GPU-hour: a trend from about $3.10 down to $2.35 and back
 *   towards $2.60 (the levels reported for H100 rental indices in 2025–26), times a mean-reverting market factor;
 * - daily index fixings over the 30 demo months, settlement prices of 13 contract months for every business
 *   day of the last six demo months, an exposure mapping for each, and a layered hedge policy.
 * Deterministic for a seed: the next phase builds proposals on it.
 */
export const DEMO_TOKEN_CODE = 'HYP-TOKEN-CN';
export const DEMO_GPU_CODE = 'HYP-GPU-H100';
export const DEMO_POLICY_NAME = 'Demo layered policy';

const DEMO_PROVENANCE =
  'DEMO — HYPOTHETICAL. A made-up contract for the demo workbook, with synthetic index fixings and settlement ' +
  'prices. No exchange lists it; edit or replace it with the terms of a real contract before relying on it.';

const tokenTemplate = INSTRUMENT_TEMPLATES.find((t) => t.underlyingKind === 'token')!;
const gpuTemplate = INSTRUMENT_TEMPLATES.find((t) => t.underlyingKind === 'gpu-hour')!;

export const DEMO_INSTRUMENTS: readonly InstrumentDraft[] = [
  {
    ...tokenTemplate,
    code: DEMO_TOKEN_CODE,
    name: 'Hypothetical China AI-token future (demo)',
    venue: 'Hypothetical exchange (demo; SHFE is reported to be researching token futures)',
    index: {
      code: 'DEMO-CN-TOKEN',
      provider: 'TokenHedge demo (synthetic)',
      name: 'Demo China token price index, CNY per 1M blended tokens',
      methodology: 'List price of 1,000 input + 500 output tokens, averaged over DeepSeek chat and reasoner and Qwen Max and Plus, per 1M blended tokens; synthetic daily market factor. Business days.',
      fallbackRule: 'Last published value if no fixing.',
    },
    listing: { kind: 'consecutive-months', count: 13 },
    provenance: DEMO_PROVENANCE,
  },
  {
    ...gpuTemplate,
    code: DEMO_GPU_CODE,
    name: 'Hypothetical H100 GPU-hour future (demo)',
    venue: 'Hypothetical exchange (demo; CME and ICE have announced GPU compute futures)',
    index: {
      code: 'DEMO-H100-RENTAL',
      provider: 'TokenHedge demo (synthetic)',
      name: 'Demo H100 on-demand rental index, USD per GPU-hour',
      methodology: 'Synthetic daily H100 on-demand rental price per GPU-hour. Business days.',
      fallbackRule: 'Last published value if no fixing.',
    },
    listing: { kind: 'consecutive-months', count: 13 },
    provenance: DEMO_PROVENANCE,
  },
];

/** Months of settlement-price history the demo writes (the last ones of the demo period). */
const SETTLEMENT_MONTHS = 6;

export function writeDemoMarketData(
  db: Database,
  options: { seed: number; firstMonth: IsoMonth; lastMonth: IsoMonth; atMs: number; actor: string },
): void {
  const { firstMonth, lastMonth, atMs, actor } = options;
  const random = seededRandom((options.seed ^ 0x5eed_4d44) >>> 0);
  const meta = { atMs, actor };
  db.transaction(() => {
    for (const draft of DEMO_INSTRUMENTS) saveInstrument(db, draft, meta);

    const days: IsoDate[] = [];
    const end = firstDayOfMonth(addMonths(lastMonth, 1));
    for (let d = firstDayOfMonth(firstMonth); d < end; d = addDays(d, 1)) if (isBusinessDay(d)) days.push(d);
    const totalMonths = monthsBetween(firstMonth, lastMonth) + 1;

    const token = indexPath(days, random, 0.06, 3, (d) => cnTokenBasket(monthsBetween(firstMonth, d.slice(0, 7) as IsoMonth)));
    const gpu = indexPath(days, random, 0.28, 4, (d) => gpuTrend(monthsBetween(firstMonth, d.slice(0, 7) as IsoMonth) + Number(d.slice(8)) / 31, totalMonths));

    const source = 'TokenHedge demo (synthetic)';
    upsertIndexFixings(db, DEMO_INSTRUMENTS[0]!.index.code, days.map((d, i) => ({ date: d, valueMicros: token[i]!, currency: 'CNY', source })), atMs);
    upsertIndexFixings(db, DEMO_INSTRUMENTS[1]!.index.code, days.map((d, i) => ({ date: d, valueMicros: gpu[i]!, currency: 'USD', source })), atMs);

    // Forward curves: the index times a term structure (token prices expected to keep falling, GPU rental
    // slightly rising), with a little noise, rounded to the tick.
    const firstSettlement = firstDayOfMonth(addMonths(lastMonth, -(SETTLEMENT_MONTHS - 1)));
    for (const [draft, path, slope] of [
      [DEMO_INSTRUMENTS[0]!, token, -0.015],
      [DEMO_INSTRUMENTS[1]!, gpu, 0.004],
    ] as const) {
      const prices: { contractMonth: string; priceDate: string; priceMicros: number; source: string }[] = [];
      days.forEach((day, i) => {
        if (day < firstSettlement) return;
        for (const month of listedContractMonths(draft, day)) {
          const ahead = monthsBetween(day.slice(0, 7) as IsoMonth, month);
          const value = (path[i]! / 1e6) * Math.exp(slope * ahead + 0.004 * normal(random));
          prices.push({ contractMonth: month, priceDate: day, priceMicros: Math.round(value * 100) * 10_000, source });
        }
      });
      upsertSettlementPrices(db, draft.code, prices, atMs);
    }

    saveExposureMapping(
      db,
      {
        instrumentCode: DEMO_TOKEN_CODE,
        name: 'DeepSeek (chat and reasoner)',
        filter: { providers: ['deepseek'], models: [], costCentres: [], tokenKinds: [] },
        contractUnitsPerToken: '0.000001',
        note: 'Tokens → millions of tokens. The index blends input and output 2 : 1 at list prices; our input/output mix and cache discounts make the basis. Qwen usage is left unhedged: its prices do not follow the index.',
      },
      meta,
    );
    saveExposureMapping(
      db,
      {
        instrumentCode: DEMO_GPU_CODE,
        name: 'US frontier models (OpenAI, Anthropic, Azure)',
        filter: { providers: ['openai', 'anthropic', 'azure'], models: [], costCentres: [], tokenKinds: [] },
        contractUnitsPerToken: '0.0000002',
        note: 'Cross-hedge assumption: one H100 GPU-hour serves about 5 million tokens of these models. Token list prices do not follow GPU rental prices month to month, so expect a low R².',
      },
      meta,
    );

    const policy: SavedHedgePolicy = {
      ...DEFAULT_POLICY,
      name: DEMO_POLICY_NAME,
      limits: { maxContracts: 1500, marginBudgetMicros: 2_500_000_000_000 },
      allowedInstruments: [DEMO_GPU_CODE, DEMO_TOKEN_CODE],
    };
    saveHedgePolicy(db, policy, meta);
    appendAudit(db, {
      atMs,
      actor,
      action: 'create',
      entity: 'demo_market_data',
      entityId: null,
      before: null,
      after: { instruments: DEMO_INSTRUMENTS.map((i) => i.code), fixingDays: days.length, policy: DEMO_POLICY_NAME },
    });
  })();
}

/**
 * A daily index: `level(day)` times a mean-reverting market factor exp(X), X an Ornstein–Uhlenbeck process with
 * volatility `sigma` and reversion `kappa` per year, in micros rounded to 0.0001.
 */
function indexPath(days: readonly IsoDate[], random: () => number, sigma: number, kappa: number, level: (day: IsoDate) => number): number[] {
  const dt = 1 / 260;
  const decay = Math.exp(-kappa * dt);
  const step = sigma * Math.sqrt((1 - decay * decay) / (2 * kappa));
  let x = 0;
  return days.map((day) => {
    x = decay * x + step * normal(random);
    return Math.round(level(day) * Math.exp(x) * 10_000) * 100;
  });
}

/** The demo's CNY models, each at its list price of `monthIndex` (price cuts included). */
function cnTokenBasket(monthIndex: number): number {
  const models = new Map<string, DemoModel>();
  for (const s of DEMO_STREAMS) if (s.model.provider.currency === 'CNY') models.set(s.model.meter, s.model);
  let sum = 0;
  for (const model of models.values()) {
    const prices = model.priceChange && monthIndex >= model.priceChange.fromMonth ? model.priceChange.prices : model.prices;
    sum += (1000 * prices.input + 500 * prices.output) / 1500;
  }
  return sum / models.size;
}

/** H100 rental: about $3.10 at the start, $2.35 at two thirds of the period, back to about $2.60 at the end. */
function gpuTrend(month: number, totalMonths: number): number {
  const turn = (totalMonths * 2) / 3;
  if (month <= turn) return 3.1 * Math.pow(2.35 / 3.1, month / turn);
  return 2.35 * Math.pow(2.6 / 2.35, (month - turn) / (totalMonths - turn));
}
