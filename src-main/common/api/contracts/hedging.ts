import { z } from 'zod';
import { CONTRACT_ROUNDINGS, type ContractRounding } from '../../hedging/contracts.ts';
import {
  INSTRUMENT_STATUSES,
  INSTRUMENT_TYPES,
  SETTLEMENT_METHODS,
  SETTLEMENT_TYPES,
  UNDERLYING_KINDS,
  type InstrumentStatus,
  type InstrumentType,
  type SettlementMethod,
  type SettlementType,
  type UnderlyingKind,
} from '../../hedging/instrument.ts';
import { RATIO_METHODS, type RatioMethod } from '../../hedging/policy.ts';
import { TOKEN_KINDS, type TokenKind } from '../../usage/usage-line.ts';
import { currencySchema, isoDateSchema, isoMonthSchema, microsSchema } from '../schemas.ts';

/**
 * Hedging reference data: instruments (versioned contract specifications), market data (settlement prices,
 * index fixings, forward curve, CSV import), exposure mappings and the basis, and hedge policies.
 * The shapes mirror the domain types in `common/hedging/` (Instrument, ExposureMapping, HedgePolicy).
 */

const empty = z.object({}).strict();
const text = (max: number) => z.string().max(max);
const fraction = z.number().min(0).max(1);
const code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be 1–40 letters, digits, ".", "_" or "-"');

const marginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('per-contract'), initialMicros: microsSchema, maintenanceMicros: microsSchema }).strict(),
  z.object({ kind: z.literal('fraction-of-notional'), initialFraction: fraction, maintenanceFraction: fraction }).strict(),
]);

const listingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('consecutive-months'), count: z.number().int() }).strict(),
  z.object({ kind: z.literal('quarterly'), count: z.number().int() }).strict(),
  z.object({ kind: z.literal('custom'), months: z.array(z.string()).max(240) }).strict(),
]);

/** What the editor sends: every field of hedging.md §(b) the app models. Semantic checks: `instrumentIssues`. */
export const instrumentDraftSchema = z
  .object({
    code,
    name: text(200),
    status: z.enum(INSTRUMENT_STATUSES as [InstrumentStatus, ...InstrumentStatus[]]),
    instrumentType: z.enum(INSTRUMENT_TYPES as [InstrumentType, ...InstrumentType[]]),
    venue: text(200),
    underlyingKind: z.enum(UNDERLYING_KINDS as [UnderlyingKind, ...UnderlyingKind[]]),
    index: z
      .object({ code, provider: text(200), name: text(200), methodology: text(2000), fallbackRule: text(500) })
      .strict(),
    contractQuantity: z.number().positive(),
    quantityUnit: text(40),
    priceCurrency: currencySchema,
    priceUnit: text(40),
    tickSizeMicros: microsSchema,
    tickValueMicros: microsSchema,
    listing: listingSchema,
    lastTrading: z.object({ kind: z.literal('business-days-before-month-end'), days: z.number().int() }).strict(),
    settlement: z
      .object({
        type: z.enum(SETTLEMENT_TYPES as [SettlementType, ...SettlementType[]]),
        method: z.enum(SETTLEMENT_METHODS as [SettlementMethod, ...SettlementMethod[]]),
        paymentLagBusinessDays: z.number().int(),
      })
      .strict(),
    margin: marginSchema,
    feePerContractMicros: microsSchema,
    provenance: text(4000),
  })
  .strict();

export const instrumentSchema = instrumentDraftSchema.extend({
  version: z.number().int(),
  createdAtMs: z.number().int(),
  createdBy: z.string(),
});

const instrumentSummarySchema = instrumentSchema.extend({
  /** Settlement prices stored for the code, and the latest date with prices. */
  priceCount: z.number().int(),
  lastPriceDate: isoDateSchema.nullable(),
  /** Fixings stored for the instrument's reference index. */
  fixingCount: z.number().int(),
  /** Contract months trading today under the listing rule. */
  listedMonths: z.array(isoMonthSchema),
});

const settlementPriceSchema = z.object({
  contractMonth: isoMonthSchema,
  priceDate: isoDateSchema,
  priceMicros: microsSchema,
  source: z.string(),
  revision: z.number().int(),
});

const fixingSchema = z.object({ date: isoDateSchema, valueMicros: microsSchema, currency: currencySchema, source: z.string(), revision: z.number().int() });

const upsertCountsSchema = z.object({ inserted: z.number().int(), replaced: z.number().int(), unchanged: z.number().int() });

export const marketImportReportSchema = z.object({
  fileName: z.string(),
  status: z.enum(['imported', 'rejected', 'failed']),
  kind: z.enum(['settlement-prices', 'index-fixings']).nullable(),
  message: z.string(),
  counts: z.object({ read: z.number().int(), inserted: z.number().int(), replaced: z.number().int(), unchanged: z.number().int(), rejected: z.number().int() }),
  rejections: z.array(z.object({ row: z.number().int(), column: z.string(), reason: z.string() })),
});

const exposureFilterSchema = z
  .object({
    providers: z.array(z.string().max(100)).max(100),
    models: z.array(z.string().max(200)).max(500),
    costCentres: z.array(z.string().max(200)).max(500),
    tokenKinds: z.array(z.enum(TOKEN_KINDS as [TokenKind, ...TokenKind[]])).max(5),
  })
  .strict();

export const exposureMappingDraftSchema = z
  .object({
    instrumentCode: code,
    name: text(200),
    filter: exposureFilterSchema,
    /** Exact decimal text: contract units per token ("0.000001" = tokens → MTok). */
    contractUnitsPerToken: z.string().max(40),
    note: text(2000),
  })
  .strict();

export const exposureMappingSchema = exposureMappingDraftSchema.extend({ mappingId: z.number().int(), createdAtMs: z.number().int(), createdBy: z.string() });

const basisPointSchema = z.object({
  month: isoMonthSchema,
  contractUnits: z.number(),
  costMicros: microsSchema.nullable(),
  effectivePriceMicros: microsSchema.nullable(),
  indexMicros: microsSchema.nullable(),
  basisMicros: microsSchema.nullable(),
});

export const minimumVarianceSchema = z.object({
  hStar: z.number(),
  r2: z.number(),
  rho: z.number(),
  sigmaSpot: z.number(),
  sigmaFutures: z.number(),
  observations: z.number().int().nullable(),
  intercept: z.number().nullable(),
  effective: z.boolean(),
});

export const hedgeBucketSchema = z
  .object({
    fromPeriod: z.number().int(),
    toPeriod: z.number().int(),
    ratio: fraction,
    minRatio: fraction,
    maxRatio: fraction,
  })
  .strict();

/** A policy as saved: bands are required (semantic checks: `policyIssues`). */
export const hedgePolicySchema = z
  .object({
    name: text(200),
    buckets: z.array(hedgeBucketSchema).min(1).max(120),
    quantile: z.string().max(4),
    rounding: z.enum(CONTRACT_ROUNDINGS as [ContractRounding, ...ContractRounding[]]),
    ratioMethod: z.enum(RATIO_METHODS as [RatioMethod, ...RatioMethod[]]),
    limits: z.object({ maxContracts: z.number().int().nullable(), marginBudgetMicros: microsSchema.nullable() }).strict(),
    allowedInstruments: z.array(code).max(100),
  })
  .strict();

export const hedgePolicyRecordSchema = z.object({
  policyId: z.number().int(),
  version: z.number().int(),
  createdAtMs: z.number().int(),
  createdBy: z.string(),
  policy: hedgePolicySchema,
});

const dateRange = { fromDate: isoDateSchema.optional(), toDate: isoDateSchema.optional() };

export const hedgingContract = {
  'instruments:list': { request: empty, response: z.array(instrumentSummarySchema) },
  'instruments:templates': { request: empty, response: z.array(instrumentDraftSchema) },
  'instruments:versions': { request: z.object({ code }).strict(), response: z.array(instrumentSchema) },
  /** Saves a new version (version 1 for a new code); an unchanged draft returns the latest version. */
  'instruments:save': { request: z.object({ instrument: instrumentDraftSchema }).strict(), response: z.object({ instrument: instrumentSchema, created: z.boolean() }) },

  'market:prices': {
    request: z.object({ code, ...dateRange }).strict(),
    response: z.object({ code: z.string(), currency: currencySchema, priceUnit: z.string(), prices: z.array(settlementPriceSchema) }),
  },
  'market:curve': {
    request: z.object({ code, asOf: isoDateSchema.optional() }).strict(),
    response: z.object({ code: z.string(), currency: currencySchema, priceUnit: z.string(), priceDate: isoDateSchema.nullable(), points: z.array(settlementPriceSchema), dates: z.array(isoDateSchema) }),
  },
  /** Manual entry from the grid: prices in micros per price unit; `priceMicros: null` deletes the cell. */
  'market:save-prices': {
    request: z
      .object({
        code,
        prices: z.array(z.object({ contractMonth: isoMonthSchema, priceDate: isoDateSchema, priceMicros: microsSchema.nullable() }).strict()).min(1).max(5000),
      })
      .strict(),
    response: upsertCountsSchema.extend({ deleted: z.number().int() }),
  },
  'market:fixings': {
    request: z.object({ indexCode: code, ...dateRange }).strict(),
    response: z.object({ indexCode: z.string(), fixings: z.array(fixingSchema) }),
  },
  'market:save-fixings': {
    request: z
      .object({ indexCode: code, currency: currencySchema, fixings: z.array(z.object({ date: isoDateSchema, valueMicros: microsSchema }).strict()).min(1).max(5000) })
      .strict(),
    response: upsertCountsSchema,
  },
  /** A market-data CSV (settlement prices or index fixings) for instrument `code`; all rows or none. */
  'market:import': { request: z.object({ fileId: z.string().min(1), code }).strict(), response: marketImportReportSchema },

  'exposures:list': { request: z.object({ code }).strict(), response: z.array(exposureMappingSchema) },
  'exposures:save': {
    request: z.object({ mapping: exposureMappingDraftSchema, mappingId: z.number().int().optional() }).strict(),
    response: exposureMappingSchema,
  },
  'exposures:delete': { request: z.object({ mappingId: z.number().int() }).strict(), response: z.object({ deleted: z.literal(true) }) },
  /**
   * The basis series of an instrument: the organisation's effective price per contract unit from the usage its
   * mappings cover, against the monthly average of the index, and the minimum-variance ratio of the changes.
   */
  'market:basis': {
    request: z.object({ code }).strict(),
    response: z.object({
      code: z.string(),
      currency: currencySchema,
      quantityUnit: z.string(),
      mappings: z.number().int(),
      points: z.array(basisPointSchema),
      hedgeRatio: minimumVarianceSchema.nullable(),
      changes: z.number().int(),
      reason: z.string().nullable(),
      missingFx: z.array(z.object({ currency: currencySchema, days: z.number().int() })),
    }),
  },

  'policies:list': { request: empty, response: z.array(hedgePolicyRecordSchema) },
  'policies:versions': { request: z.object({ name: z.string().min(1) }).strict(), response: z.array(hedgePolicyRecordSchema) },
  /** Saves a new version of the policy (by name) after validation; an unchanged policy returns the latest. */
  'policies:save': { request: z.object({ policy: hedgePolicySchema }).strict(), response: z.object({ record: hedgePolicyRecordSchema, created: z.boolean() }) },
} as const;
