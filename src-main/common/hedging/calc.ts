import { z } from 'zod';
import { DomainError, type Issue } from '../errors.ts';
import { MICROS_PER_UNIT, microsFromDecimalText } from '../money/micros.ts';
import { analyticCostAtRisk, simulateCost, type CostStats } from './cost-at-risk.ts';
import { CONTRACT_ROUNDINGS } from './contracts.ts';
import { contractsForRatio, EFFECTIVENESS_R2, minimumVarianceFromMoments, minimumVarianceFromSeries } from './hedge-ratio.ts';
import type { MarginModel } from './margin.ts';
import { policyIssues, type HedgePolicy } from './policy.ts';
import { proposalInputIssues, proposeHedge, type ProposalPeriod } from './proposal.ts';

/**
 * The calculation interface: JSON in, one JSON object out, plain numbers in the units given (documented with
 * examples in docs/cli.md). `npm run -s cli -- calc <name> --input FILE.json` and the app's pages call the
 * same functions. Bad input throws a DomainError('invalid-input') whose message names the field.
 */

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const nonNegative = finite.refine((v) => v >= 0, 'must not be negative');
const positive = finite.refine((v) => v > 0, 'must be greater than 0');
const fraction = finite.refine((v) => v >= 0 && v <= 1, 'must be between 0 and 1');
const rounding = z.enum(CONTRACT_ROUNDINGS as [string, ...string[]]);

const hedgeRatioSeries = z
  .object({
    spotChanges: z.array(finite).min(1, 'must not be empty'),
    futuresChanges: z.array(finite).min(1, 'must not be empty'),
    exposure: nonNegative,
    contractSize: positive,
    rounding: rounding.default('floor'),
  })
  .strict();

const hedgeRatioMoments = z
  .object({
    sigmaSpot: nonNegative,
    sigmaFutures: positive,
    rho: finite.refine((v) => v >= -1 && v <= 1, 'must be between -1 and 1'),
    exposure: nonNegative,
    contractSize: positive,
    rounding: rounding.default('floor'),
  })
  .strict();

/** `hedge-ratio`: h* from paired price changes (regression) or from σS, σF and ρ, and the contracts it implies. */
export function calcHedgeRatio(input: unknown) {
  const fromSeries = typeof input === 'object' && input !== null && ('spotChanges' in input || 'futuresChanges' in input);
  if (fromSeries) {
    const v = parse(hedgeRatioSeries, input, 'hedge-ratio');
    if (v.spotChanges.length !== v.futuresChanges.length) {
      fail('hedge-ratio', [{ path: 'futuresChanges', message: `has ${v.futuresChanges.length} values but spotChanges has ${v.spotChanges.length}; the series must pair up period by period` }]);
    }
    if (v.spotChanges.length < 3) fail('hedge-ratio', [{ path: 'spotChanges', message: `has ${v.spotChanges.length} values; at least 3 paired changes are needed` }]);
    let ratio;
    try {
      ratio = minimumVarianceFromSeries(v.spotChanges, v.futuresChanges);
    } catch (error) {
      fail('hedge-ratio', [{ path: 'futuresChanges', message: (error as Error).message }]);
    }
    return hedgeRatioOutput('regression', ratio, v.exposure, v.contractSize, v.rounding as 'floor');
  }
  const v = parse(hedgeRatioMoments, input, 'hedge-ratio');
  return hedgeRatioOutput('moments', minimumVarianceFromMoments(v.sigmaSpot, v.sigmaFutures, v.rho), v.exposure, v.contractSize, v.rounding as 'floor');
}

function hedgeRatioOutput(
  method: 'regression' | 'moments',
  ratio: ReturnType<typeof minimumVarianceFromMoments>,
  exposure: number,
  contractSize: number,
  roundingRule: 'floor' | 'nearest' | 'ceil',
) {
  const { contractsUnrounded, contracts } = contractsForRatio(ratio.hStar, exposure, contractSize, roundingRule);
  return {
    method,
    hStar: ratio.hStar,
    r2: ratio.r2,
    rho: ratio.rho,
    sigmaSpot: ratio.sigmaSpot,
    sigmaFutures: ratio.sigmaFutures,
    observations: ratio.observations,
    intercept: ratio.intercept,
    contractsUnrounded,
    contracts,
    rounding: roundingRule,
    effective: ratio.effective,
    warning: ratio.effective
      ? null
      : `R² ${ratio.r2.toFixed(3)} is below ${EFFECTIVENESS_R2}: a conventional regression effectiveness test would fail; the hedge leaves ${Math.round((1 - ratio.r2) * 100)} % of the price variance (basis risk).`,
  };
}

const bucketInput = z
  .object({
    fromPeriod: z.number().int('must be a whole number').min(1, 'must be 1 or more'),
    toPeriod: z.number().int('must be a whole number').min(1, 'must be 1 or more'),
    ratio: fraction,
    minRatio: fraction.optional(),
    maxRatio: fraction.optional(),
  })
  .strict();

const proposeInput = z
  .object({
    policy: z
      .object({
        buckets: z.array(bucketInput).min(1, 'needs at least one bucket'),
        quantile: z.string().regex(/^p([1-9][0-9]?)$/, 'must be a quantile name such as "p10"').default('p10'),
        rounding: rounding.default('floor'),
        limits: z
          .object({ maxContracts: z.number().int('must be a whole number').min(0, 'must not be negative').optional(), marginBudget: nonNegative.optional() })
          .strict()
          .optional(),
      })
      .strict(),
    contractSize: positive,
    periods: z
      .array(z.object({ period: z.string().min(1, 'must not be empty'), p50: nonNegative, price: nonNegative }).catchall(z.unknown()))
      .min(1, 'must not be empty'),
    margin: z
      .union([
        z.object({ initialPerContract: nonNegative, maintenancePerContract: nonNegative.optional() }).strict(),
        z.object({ initialFraction: fraction, maintenanceFraction: fraction.optional() }).strict(),
      ])
      .optional(),
    ratioOverride: z.object({ ratio: fraction, source: z.string().default('Minimum-variance ratio') }).strict().optional(),
    units: z.object({ quantity: z.string().optional(), currency: z.string().optional() }).strict().optional(),
  })
  .strict();

/** `propose`: the layered policy proposal, period by period, with a one-line explanation of every number. */
export function calcPropose(input: unknown) {
  const v = parse(proposeInput, input, 'propose');
  const quantile = v.policy.quantile;
  const issues: Issue[] = [];
  const periods: ProposalPeriod[] = v.periods.map((p, i) => {
    const raw = p[quantile];
    if (raw === undefined) issues.push({ path: `periods[${i}].${quantile}`, message: `is required (policy.quantile is "${quantile}")` });
    else if (typeof raw !== 'number' || !Number.isFinite(raw)) issues.push({ path: `periods[${i}].${quantile}`, message: 'must be a finite number' });
    else if (raw < 0) issues.push({ path: `periods[${i}].${quantile}`, message: 'must not be negative' });
    for (const key of Object.keys(p)) {
      if (!['period', 'p50', 'price', quantile].includes(key) && !/^p([1-9][0-9]?)$/.test(key)) {
        issues.push({ path: `periods[${i}].${key}`, message: 'is not a field of a period (period, p50, the quantile, price)' });
      }
    }
    return { period: p.period, p50: p.p50, hedgeable: typeof raw === 'number' ? raw : 0, priceMicros: toMicros(p.price, `periods[${i}].price`, issues) };
  });
  const policy: HedgePolicy = {
    name: 'calc',
    buckets: v.policy.buckets.map((b) => ({
      fromPeriod: b.fromPeriod,
      toPeriod: b.toPeriod,
      ratio: b.ratio,
      ...(b.minRatio !== undefined ? { minRatio: b.minRatio } : {}),
      ...(b.maxRatio !== undefined ? { maxRatio: b.maxRatio } : {}),
    })),
    quantile,
    rounding: v.policy.rounding as HedgePolicy['rounding'],
    ratioMethod: v.ratioOverride ? 'minimum-variance' : 'policy',
    limits: {
      maxContracts: v.policy.limits?.maxContracts ?? null,
      marginBudgetMicros: v.policy.limits?.marginBudget === undefined ? null : toMicros(v.policy.limits.marginBudget, 'policy.limits.marginBudget', issues),
    },
    allowedInstruments: [],
  };
  issues.push(...policyIssues(policy).map((i) => ({ path: `policy.${i.path}`, message: i.message })));
  let margin: MarginModel | undefined;
  if (v.margin && 'initialPerContract' in v.margin) {
    const initialMicros = toMicros(v.margin.initialPerContract, 'margin.initialPerContract', issues);
    margin = { kind: 'per-contract', initialMicros, maintenanceMicros: v.margin.maintenancePerContract === undefined ? initialMicros : toMicros(v.margin.maintenancePerContract, 'margin.maintenancePerContract', issues) };
  } else if (v.margin) {
    margin = { kind: 'fraction-of-notional', initialFraction: v.margin.initialFraction, maintenanceFraction: v.margin.maintenanceFraction ?? v.margin.initialFraction };
  }
  const proposalInput = {
    policy,
    contractSize: v.contractSize,
    periods,
    ...(v.ratioOverride ? { ratioOverride: { ratio: v.ratioOverride.ratio, source: v.ratioOverride.source } } : {}),
    ...(margin ? { margin } : {}),
    ...(v.units ? { units: { ...(v.units.quantity ? { quantity: v.units.quantity } : {}), ...(v.units.currency ? { currency: v.units.currency } : {}) } } : {}),
  };
  if (issues.length === 0) issues.push(...proposalInputIssues(proposalInput));
  if (issues.length > 0) fail('propose', issues);
  const proposal = proposeHedge(proposalInput);
  return {
    lines: proposal.lines.map((l) => ({
      period: l.period,
      periodIndex: l.periodIndex,
      p50: l.p50,
      hedgeable: l.hedgeable,
      ratio: l.ratio,
      band: l.band,
      target: l.target,
      contractsUnrounded: l.contractsUnrounded,
      contracts: l.contracts,
      effectiveRatio: l.effectiveRatio,
      price: units(l.priceMicros),
      notional: units(l.notionalMicros),
      initialMargin: l.initialMarginMicros === null ? null : units(l.initialMarginMicros),
      explanations: l.explanations,
      warnings: l.warnings,
    })),
    totalContracts: proposal.totalContracts,
    totalNotional: units(proposal.totalNotionalMicros),
    totalInitialMargin: proposal.totalInitialMarginMicros === null ? null : units(proposal.totalInitialMarginMicros),
    warnings: proposal.warnings,
  };
}

const costAtRiskInput = z
  .object({
    quantity: nonNegative,
    forward: positive,
    sigma: nonNegative,
    years: positive,
    confidence: finite.refine((v) => v >= 0.5 && v < 1, 'must be at least 0.5 and below 1').default(0.95),
    hedgedFraction: fraction.default(0),
    paths: z.number().int('must be a whole number').min(100, 'must be at least 100').max(2_000_000, 'must be at most 2,000,000').default(10_000),
    seed: z.number().int('must be a whole number').min(0, 'must not be negative').max(2 ** 32 - 1, 'must be below 2^32').default(1),
    meanReversion: nonNegative.optional(),
    volumeP10: nonNegative.optional(),
    volumeP90: nonNegative.optional(),
    volumePriceCorrelation: finite.refine((v) => v >= -1 && v <= 1, 'must be between -1 and 1').optional(),
  })
  .strict();

/**
 * `cost-at-risk`: the cost of `quantity` units bought at a lognormal price with forward `forward` after `years`,
 * simulated (Monte Carlo, seeded) with and without a hedged fraction bought at the forward, beside the
 * closed-form answer.
 */
export function calcCostAtRisk(input: unknown) {
  const v = parse(costAtRiskInput, input, 'cost-at-risk');
  const issues: Issue[] = [];
  if (v.volumeP10 !== undefined && v.volumeP10 > v.quantity) issues.push({ path: 'volumeP10', message: `${v.volumeP10} is above quantity (the P50 volume) ${v.quantity}` });
  if (v.volumeP90 !== undefined && v.volumeP90 < v.quantity) issues.push({ path: 'volumeP90', message: `${v.volumeP90} is below quantity (the P50 volume) ${v.quantity}` });
  if (issues.length) fail('cost-at-risk', issues);
  const hedgedQuantity = v.hedgedFraction * v.quantity;
  const simulation = simulateCost({
    periods: [
      {
        years: v.years,
        forward: v.forward,
        volume: { p50: v.quantity, ...(v.volumeP10 !== undefined ? { p10: v.volumeP10 } : {}), ...(v.volumeP90 !== undefined ? { p90: v.volumeP90 } : {}) },
        hedgedQuantity,
        hedgePrice: v.forward,
      },
    ],
    sigma: v.sigma,
    meanReversion: v.meanReversion ?? 0,
    volumePriceCorrelation: v.volumePriceCorrelation ?? 0,
    paths: v.paths,
    seed: v.seed,
    confidence: v.confidence,
  });
  const analytic = analyticCostAtRisk({
    quantity: v.quantity,
    forward: v.forward,
    sigma: v.sigma,
    years: v.years,
    confidence: v.confidence,
    hedgedFraction: v.hedgedFraction,
    meanReversion: v.meanReversion ?? 0,
  });
  const randomVolume = v.volumeP10 !== undefined || v.volumeP90 !== undefined;
  const pick = (s: CostStats) => ({ expectedCost: s.expectedCost, p50Cost: s.p50Cost, percentileCost: s.percentileCost, costAtRisk: s.costAtRisk });
  return {
    confidence: v.confidence,
    method: 'monte-carlo',
    paths: v.paths,
    seed: v.seed,
    ...pick(simulation.unhedged),
    hedged: { hedgedFraction: v.hedgedFraction, ...pick(simulation.hedged) },
    marginCall: { expectedPeakVariationMargin: simulation.marginCall.expectedPeak, percentilePeakVariationMargin: simulation.marginCall.percentilePeak },
    analytic: {
      method: 'lognormal closed form',
      assumes: randomVolume ? 'volume fixed at quantity (the simulation also draws volume)' : 'volume fixed at quantity',
      ...pick(analytic.unhedged),
      hedged: pick(analytic.hedged),
    },
  };
}

export const CALCULATIONS = {
  'hedge-ratio': calcHedgeRatio,
  propose: calcPropose,
  'cost-at-risk': calcCostAtRisk,
} as const satisfies Record<string, (input: unknown) => object>;

export type CalculationName = keyof typeof CALCULATIONS;

function parse<T extends z.ZodType>(schema: T, input: unknown, name: string): z.output<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail(name, [{ path: '(input)', message: 'must be a JSON object' }]);
  const result = schema.safeParse(input);
  if (!result.success) {
    fail(
      name,
      result.error.issues.map((issue) => {
        const path = formatPath(issue.path);
        if (issue.code === 'unrecognized_keys') {
          const keys = (issue as { keys: string[] }).keys;
          return { path: keys.map((k) => (path === '(input)' ? k : `${path}.${k}`)).join(', '), message: 'is not a known field' };
        }
        if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
          return { path, message: `is required (${(issue as { expected: string }).expected})` };
        }
        if (issue.code === 'invalid_type') return { path, message: issue.message.replace(/^Invalid input: /, '') };
        return { path, message: issue.message };
      }),
    );
  }
  return result.data;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(input)';
}

function fail(name: string, issues: Issue[]): never {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new DomainError('invalid-input', `calc ${name}: ${first.path}: ${first.message}${more}`, issues);
}

function toMicros(value: number, path: string, issues: Issue[]): number {
  try {
    return microsFromDecimalText(String(value));
  } catch {
    issues.push({ path, message: 'is too large to hold to the micro' });
    return 0;
  }
}

/** Micros back to a plain number of currency units for JSON output: 1_820_500_000 → 1820.5. */
function units(micros: number): number {
  return micros / MICROS_PER_UNIT;
}
