import type { Issue } from '../errors.ts';
import { parseDecimal, type Decimal } from '../money/decimal.ts';
import { divRound } from '../money/rounding.ts';
import { TOKEN_KINDS, type TokenKind } from '../usage/usage-line.ts';
import { minimumVarianceFromSeries, type MinimumVarianceRatio } from './hedge-ratio.ts';

/**
 * Which usage an instrument hedges: the usage lines matching the filter (an empty list matches everything),
 * converted from tokens to the instrument's contract units by `contractUnitsPerToken`, an exact decimal:
 * "0.000001" turns tokens into millions of tokens (MTok); for a GPU-hour future hedging token spend (a
 * cross-hedge), an assumed throughput such as 5,000,000 tokens per GPU-hour is "0.0000002".
 */
export type ExposureFilter = { providers: string[]; models: string[]; costCentres: string[]; tokenKinds: TokenKind[] };

export type ExposureMappingDraft = {
  instrumentCode: string;
  name: string;
  filter: ExposureFilter;
  contractUnitsPerToken: string;
  /** Why this conversion (the assumption behind a cross-hedge), for the memo. */
  note: string;
};

export type ExposureMapping = ExposureMappingDraft & { mappingId: number; createdAtMs: number; createdBy: string };

export function exposureMappingIssues(draft: ExposureMappingDraft): Issue[] {
  const issues: Issue[] = [];
  if (!draft.name.trim()) issues.push({ path: 'name', message: 'must not be empty' });
  const factor = parseDecimal(draft.contractUnitsPerToken.trim());
  if (!factor || factor.units <= 0n) {
    issues.push({ path: 'contractUnitsPerToken', message: `"${draft.contractUnitsPerToken}" is not a decimal number greater than 0` });
  }
  draft.filter.tokenKinds.forEach((k, i) => {
    if (!TOKEN_KINDS.includes(k)) issues.push({ path: `filter.tokenKinds[${i}]`, message: `must be one of ${TOKEN_KINDS.join(', ')}` });
  });
  for (const key of ['providers', 'models', 'costCentres'] as const) {
    draft.filter[key].forEach((v, i) => {
      if (!v.trim()) issues.push({ path: `filter.${key}[${i}]`, message: 'must not be empty' });
    });
  }
  return issues;
}

/** tokens × factor as a plain number of contract units (a quantity, not money). */
export function contractUnitsOf(tokens: number, factor: Decimal): number {
  return (tokens * Number(factor.units)) / 10 ** factor.scale;
}

/** One month of usage that an instrument hedges, with its cost in the instrument's price currency. */
export type ExposureMonth = {
  month: string;
  tokens: number;
  /** Cost in micros of the instrument's currency; null while an FX rate is missing for part of it. */
  costMicros: number | null;
};

export type BasisPoint = {
  month: string;
  /** Exposure in contract units. */
  contractUnits: number;
  costMicros: number | null;
  /** What the organisation paid per contract unit, micros; null without usage or cost. */
  effectivePriceMicros: number | null;
  /** Average of the index's fixings in the month, micros per contract unit; null without fixings. */
  indexMicros: number | null;
  /** effective − index; null when either is missing. */
  basisMicros: number | null;
};

/**
 * The basis series: the organisation's effective price per contract unit (cost / (tokens × factor), exact,
 * rounded once half-even to micros) against the monthly average of the index, month by month.
 */
export function basisSeries(
  exposure: readonly { month: string; tokensTimesFactor: Decimal; costMicros: number | null }[],
  indexByMonth: ReadonlyMap<string, number>,
): BasisPoint[] {
  return exposure.map((e) => {
    const units = e.tokensTimesFactor;
    const effective =
      e.costMicros === null || units.units <= 0n ? null : Number(divRound(BigInt(e.costMicros) * 10n ** BigInt(units.scale), units.units, 'half-even'));
    const index = indexByMonth.get(e.month) ?? null;
    return {
      month: e.month,
      contractUnits: Number(units.units) / 10 ** units.scale,
      costMicros: e.costMicros,
      effectivePriceMicros: effective,
      indexMicros: index,
      basisMicros: effective !== null && index !== null ? effective - index : null,
    };
  });
}

/**
 * The minimum-variance ratio of the organisation's price on the index, from month-on-month changes of both
 * (only consecutive months where both are known). Null, with the reason, when fewer than three changes exist.
 */
export function basisHedgeRatio(points: readonly BasisPoint[]): { ratio: MinimumVarianceRatio | null; changes: number; reason: string | null } {
  const spot: number[] = [];
  const futures: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (a.effectivePriceMicros === null || b.effectivePriceMicros === null || a.indexMicros === null || b.indexMicros === null) continue;
    spot.push((b.effectivePriceMicros - a.effectivePriceMicros) / 1e6);
    futures.push((b.indexMicros - a.indexMicros) / 1e6);
  }
  if (spot.length < 3) return { ratio: null, changes: spot.length, reason: 'fewer than 3 months with both an effective price and index fixings' };
  try {
    return { ratio: minimumVarianceFromSeries(spot, futures), changes: spot.length, reason: null };
  } catch (error) {
    return { ratio: null, changes: spot.length, reason: (error as Error).message };
  }
}

/** The mean of integer micros values, exact, rounded once half-even. */
export function averageMicros(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('average of no values');
  let sum = 0n;
  for (const v of values) sum += BigInt(v);
  return Number(divRound(sum, BigInt(values.length), 'half-even'));
}

/** tokens × factor, exactly. */
export function tokensTimesFactor(tokens: number, factor: Decimal): Decimal {
  return { units: BigInt(tokens) * factor.units, scale: factor.scale };
}
