import { z } from 'zod';
import { RATIO_METHODS, type RatioMethod } from '../../hedging/policy.ts';
import { currencySchema, isoDateSchema, isoMonthSchema, microsSchema } from '../schemas.ts';
import { segmentSchema } from './forecast.ts';
import { exposureMappingDraftSchema, hedgePolicySchema, instrumentDraftSchema, minimumVarianceSchema } from './hedging.ts';

/**
 * Hedge proposals: build one from a saved forecast run, a policy version, an instrument version and a curve date
 * (with its Monte Carlo cost-at-risk), save it (immutable), list and read saved ones, approve one (a second
 * person: preparer ≠ approver), which designates hedge relationships and pending trades. Shapes mirror
 * `common/hedging/proposal-build.ts`, `proposal-risk.ts` and `designation.ts`.
 */

const code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be 1–40 letters, digits, ".", "_" or "-"');
const id = z.number().int().positive();

/** Monte Carlo settings; σ null = estimated from the index's monthly averages. */
export const simulationSettingsSchema = z
  .object({
    sigma: z.number().min(0).max(5).nullable().default(null),
    meanReversion: z.number().min(0).max(50).default(0),
    volumePriceCorrelation: z.number().min(-1).max(1).default(0),
    paths: z.number().int().min(1000).max(200_000).default(10_000),
    seed: z.number().int().min(0).max(4_294_967_295).default(1),
    confidence: z.number().min(0.5).max(0.999).default(0.95),
  })
  .strict()
  .prefault({});

export const proposalRequestSchema = z
  .object({
    forecastRunId: id,
    policyId: id,
    instrumentCode: code,
    /** Default: the latest version. */
    instrumentVersion: id.optional(),
    /** Default: the instrument's mapping whose usage matches the forecast run's segment. */
    mappingId: id.optional(),
    /** The settlement-price date of the forward curve; default: the latest. */
    curveDate: isoDateSchema.optional(),
    /** Default: the policy's. */
    ratioMethod: z.enum(RATIO_METHODS as [RatioMethod, ...RatioMethod[]]).optional(),
    /** Months to propose from the forecast's first month; default: the policy's horizon. */
    horizon: z.number().int().min(1).max(60).optional(),
    simulation: simulationSettingsSchema,
  })
  .strict();

const quantitiesSchema = z.object({ p10: z.number(), p50: z.number(), p90: z.number() });

const lineSchema = z.object({
  month: isoMonthSchema,
  periodIndex: z.number().int(),
  tokens: quantitiesSchema.extend({ hedgeable: z.number() }),
  volume: quantitiesSchema,
  p50: z.number(),
  hedgeable: z.number(),
  ratio: z.number(),
  band: z.object({ minRatio: z.number(), maxRatio: z.number() }).nullable(),
  target: z.number(),
  contractsUnrounded: z.number(),
  contracts: z.number().int(),
  effectiveRatio: z.number(),
  priceMicros: microsSchema,
  notionalMicros: microsSchema,
  initialMarginMicros: microsSchema,
  initialMarginBaseMicros: microsSchema,
  feesMicros: microsSchema,
  feesBaseMicros: microsSchema,
  pricePerMTokMeanMicros: microsSchema,
  unitCostBaseMicros: microsSchema,
  expectedCostUnhedgedMicros: microsSchema,
  expectedCostHedgedMicros: microsSchema,
  lastTradingDate: isoDateSchema,
  explanations: z.object({
    exposureP50: z.string(),
    hedgeable: z.string(),
    ratio: z.string(),
    target: z.string(),
    contractsUnrounded: z.string(),
    contracts: z.string(),
    effectiveRatio: z.string(),
    price: z.string(),
    notional: z.string(),
    initialMargin: z.string(),
    initialMarginBase: z.string(),
    expectedCostUnhedged: z.string(),
    expectedCostHedged: z.string(),
  }),
  warnings: z.array(z.string()),
});

const fxSchema = z.object({
  from: currencySchema,
  to: currencySchema,
  rateDate: isoDateSchema,
  pair: z.object({ base: currencySchema, quote: currencySchema, rate: z.string() }),
});

const distributionSchema = z.object({ meanMicros: microsSchema, p50Micros: microsSchema, percentileMicros: microsSchema, costAtRiskMicros: microsSchema });

export const costAtRiskSchema = z.object({
  settings: z.object({
    sigma: z.number(),
    sigmaSource: z.string(),
    meanReversion: z.number(),
    volumePriceCorrelation: z.number(),
    paths: z.number().int(),
    seed: z.number().int(),
    confidence: z.number(),
  }),
  currency: currencySchema,
  unhedged: distributionSchema,
  hedged: distributionSchema,
  reductionMicros: microsSchema,
  marginCall: z.object({
    initialMarginMicros: microsSchema,
    expectedPeakVariationMicros: microsSchema,
    percentilePeakVariationMicros: microsSchema,
    percentileCashNeedMicros: microsSchema,
  }),
  histogram: z.array(z.object({ fromMicros: microsSchema, toMicros: microsSchema, unhedged: z.number().int(), hedged: z.number().int() })),
  assumptions: z.array(z.string()),
});

const tradeSchema = z.object({
  tradeId: z.number().int(),
  relationshipId: z.number().int(),
  instrumentCode: z.string(),
  instrumentVersion: z.number().int(),
  contractMonth: isoMonthSchema,
  /** Signed contracts: + buys (long), − sells. */
  quantityContracts: z.number().int(),
  side: z.enum(['buy', 'sell']),
  status: z.enum(['pending', 'filled', 'cancelled']),
  fillPriceMicros: microsSchema.nullable(),
  fillDate: isoDateSchema.nullable(),
  createdAtMs: z.number().int(),
  createdBy: z.string(),
  explanation: z.string(),
});

export const relationshipSchema = z.object({
  relationshipId: z.number().int(),
  proposalId: z.number().int(),
  lineNo: z.number().int(),
  instrumentCode: z.string(),
  instrumentVersion: z.number().int(),
  contractMonth: isoMonthSchema,
  hedgeType: z.literal('cash-flow'),
  designationDate: isoDateSchema,
  designatedAtMs: z.number().int(),
  hedgedPeriodStart: isoDateSchema,
  hedgedPeriodEnd: isoDateSchema,
  lastTradingDate: isoDateSchema,
  hedgedTokens: z.number().int(),
  hedgedUnits: z.number(),
  contracts: z.number().int(),
  hedgeRatio: z.number(),
  expectedAmountMicros: microsSchema,
  status: z.enum(['designated', 'de-designated', 'matured']),
  texts: z.object({
    hedgedItem: z.string(),
    hedgingInstrument: z.string(),
    hedgeRatio: z.string(),
    riskHedged: z.string(),
    effectivenessMethod: z.string(),
    sourcesOfIneffectiveness: z.string(),
  }),
  trades: z.array(tradeSchema),
});

export const approvalSchema = z.object({
  proposalId: z.number().int(),
  approvedAtMs: z.number().int(),
  approvedBy: z.string(),
  approvedOsUser: z.string(),
  preparedBy: z.string(),
  preparedOsUser: z.string(),
  /** The same OS account saved and approved: allowed (one shared laptop), shown as a note in the record. */
  sameOsUser: z.boolean(),
  note: z.string(),
});

export const proposalSchema = z.object({
  /** Null until saved. */
  proposalId: z.number().int().nullable(),
  label: z.string(),
  preparedBy: z.string().nullable(),
  preparedOsUser: z.string().nullable(),
  createdAtMs: z.number().int().nullable(),
  engineVersion: z.string(),
  inputs: z.object({
    forecastRun: z.object({ runId: z.number().int(), label: z.string(), segment: segmentSchema, firstMonth: isoMonthSchema, historyTo: isoMonthSchema }),
    policy: z.object({ policyId: z.number().int(), version: z.number().int(), policy: hedgePolicySchema }),
    instrument: instrumentDraftSchema
      .pick({ code: true, name: true, status: true, contractQuantity: true, quantityUnit: true, priceCurrency: true, priceUnit: true, margin: true, feePerContractMicros: true, lastTrading: true, index: true, settlement: true })
      .extend({ version: z.number().int() }),
    mapping: exposureMappingDraftSchema.pick({ name: true, filter: true, contractUnitsPerToken: true, note: true }).extend({
      mappingId: z.number().int().nullable(),
      coverage: z.enum(['exact', 'within', 'outside']),
      coverageReason: z.string(),
    }),
    curveDate: isoDateSchema,
    baseCurrency: currencySchema,
    fx: fxSchema.nullable(),
    ratioMethod: z.enum(RATIO_METHODS as [RatioMethod, ...RatioMethod[]]),
    horizon: z.number().int(),
  }),
  regression: z.object({ estimate: minimumVarianceSchema.nullable(), reason: z.string().nullable(), window: z.string(), warning: z.string().nullable() }),
  lines: z.array(lineSchema),
  totals: z.object({
    contracts: z.number().int(),
    hedgedUnits: z.number(),
    p50Units: z.number(),
    notionalMicros: microsSchema,
    initialMarginMicros: microsSchema,
    initialMarginBaseMicros: microsSchema,
    feesBaseMicros: microsSchema,
    expectedCostUnhedgedMicros: microsSchema,
    expectedCostHedgedMicros: microsSchema,
  }),
  warnings: z.array(z.string()),
  costAtRisk: costAtRiskSchema,
  approval: approvalSchema.nullable(),
  relationships: z.array(relationshipSchema),
});

export const proposalSummarySchema = z.object({
  proposalId: z.number().int(),
  label: z.string(),
  createdAtMs: z.number().int(),
  preparedBy: z.string(),
  forecastRunId: z.number().int(),
  segment: segmentSchema,
  policyId: z.number().int(),
  policyName: z.string(),
  policyVersion: z.number().int(),
  instrumentCode: z.string(),
  instrumentVersion: z.number().int(),
  hypothetical: z.boolean(),
  curveDate: isoDateSchema,
  ratioMethod: z.enum(RATIO_METHODS as [RatioMethod, ...RatioMethod[]]),
  firstMonth: isoMonthSchema,
  horizon: z.number().int(),
  totalContracts: z.number().int(),
  totalNotionalMicros: microsSchema,
  priceCurrency: currencySchema,
  initialMarginBaseMicros: microsSchema,
  baseCurrency: currencySchema,
  carUnhedgedMicros: microsSchema,
  carHedgedMicros: microsSchema,
  status: z.enum(['saved', 'approved']),
  approvedBy: z.string().nullable(),
  approvedAtMs: z.number().int().nullable(),
});

export const proposalsContract = {
  /** Builds a proposal and its cost-at-risk without saving it. */
  'proposals:build': { request: proposalRequestSchema, response: proposalSchema },
  /** Builds the same proposal again from the request and saves it, immutable, with who prepared it. */
  'proposals:save': {
    request: proposalRequestSchema.extend({
      label: z.string().trim().max(200).default(''),
      /** The preparer's name as typed (the app has no login; the OS account is recorded too). */
      preparedBy: z.string().trim().min(1, 'type your name: the preparer is recorded').max(100),
    }),
    response: proposalSchema,
  },
  'proposals:list': { request: z.object({}).strict(), response: z.array(proposalSummarySchema) },
  'proposals:get': { request: z.object({ proposalId: id }).strict(), response: proposalSchema },
  /**
   * Approves a saved proposal: the approver (≠ the preparer) types their name; the OS account is recorded too.
   * Designates one hedge relationship per month with contracts and a pending trade for each.
   */
  'proposals:approve': {
    request: z
      .object({
        proposalId: id,
        approverName: z.string().trim().min(1, 'type your name: the approver is recorded').max(100),
        note: z.string().trim().max(2000).default(''),
      })
      .strict(),
    response: z.object({ approval: approvalSchema, relationships: z.array(relationshipSchema) }),
  },
  /** Every hedge relationship designated so far, newest first, with its trades. */
  'hedges:relationships': { request: z.object({}).strict(), response: z.array(relationshipSchema) },
} as const;
