import type { Issue } from '../errors.ts';
import { CONTRACT_ROUNDINGS, type ContractRounding } from './contracts.ts';

/**
 * One horizon bucket of a layered hedge policy: forecast periods `fromPeriod`…`toPeriod` (counted from 1, the
 * first period after the proposal date) are hedged at the target `ratio`, which must lie in the band
 * [`minRatio`, `maxRatio`] (a saved policy always has a band; a quick calculation may give only the ratio).
 * Ratios are fractions of the P50 exposure: 0.75 = 75 %.
 * Example (ACT's layered hedging): months 1–3 at 60–80 % (target 75 %), 4–6 at 40–60 %, 7–12 at 20–40 %.
 */
export type HedgeBucket = { fromPeriod: number; toPeriod: number; ratio: number; minRatio?: number; maxRatio?: number };

/** How the hedge ratio of each period is chosen: the policy's target, or the minimum-variance ratio h*. */
export type RatioMethod = 'policy' | 'minimum-variance';

export type PolicyLimits = {
  /** The most contracts the whole proposal may hold; null = no limit. */
  maxContracts: number | null;
  /** The most initial margin the proposal may need, in micros of the workbook's base currency; null = no limit. */
  marginBudgetMicros: number | null;
};

/**
 * A hedge policy: what share of which volume may be hedged how far ahead, and within which limits. The
 * hedgeable volume is a low quantile of the forecast (`p10`: the volume exceeded nine times in ten), so the
 * hedge covers only highly probable purchases, as cash-flow hedge accounting requires.
 */
export type HedgePolicy = {
  name: string;
  buckets: HedgeBucket[];
  /** The forecast quantile that caps the hedge: "p10" (default), "p25", … "p50". */
  quantile: string;
  rounding: ContractRounding;
  ratioMethod: RatioMethod;
  limits: PolicyLimits;
  /** Instrument codes the policy allows; empty means any instrument in the workbook. */
  allowedInstruments: string[];
};

/** A policy as saved in the workbook: every bucket has its band. */
export type SavedHedgePolicy = Omit<HedgePolicy, 'buckets'> & { buckets: Required<HedgeBucket>[] };

export const RATIO_METHODS: readonly RatioMethod[] = ['policy', 'minimum-variance'];

const QUANTILE_NAME = /^p([1-9][0-9]?)$/;

/** The probability level of a quantile name: "p10" → 0.1; undefined for anything else. */
export function quantileLevel(name: string): number | undefined {
  const m = QUANTILE_NAME.exec(name);
  return m ? Number(m[1]) / 100 : undefined;
}

/** A starting point for the policy editor: ACT's declining layers over twelve months, capped at the P10. */
export const DEFAULT_POLICY: SavedHedgePolicy = {
  name: 'Layered 12-month policy',
  buckets: [
    { fromPeriod: 1, toPeriod: 3, ratio: 0.75, minRatio: 0.6, maxRatio: 0.8 },
    { fromPeriod: 4, toPeriod: 6, ratio: 0.5, minRatio: 0.4, maxRatio: 0.6 },
    { fromPeriod: 7, toPeriod: 12, ratio: 0.25, minRatio: 0.2, maxRatio: 0.4 },
  ],
  quantile: 'p10',
  rounding: 'floor',
  ratioMethod: 'policy',
  limits: { maxContracts: null, marginBudgetMicros: null },
  allowedInstruments: [],
};

/**
 * Every reason `policy` cannot be used, each with the field at fault: buckets must start at period 1 and follow
 * each other without gap or overlap, every target must lie in its band, ratios within 0…1, a valid quantile,
 * non-negative whole limits. An empty list means the policy is sound.
 */
export function policyIssues(policy: HedgePolicy, options: { requireBands?: boolean } = {}): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  if (!policy.name.trim()) add('name', 'must not be empty');
  if (quantileLevel(policy.quantile) === undefined) add('quantile', `"${policy.quantile}" is not a quantile such as p10 or p25`);
  else if (quantileLevel(policy.quantile)! > 0.5) add('quantile', `${policy.quantile} is above the median: the hedge would cover volume that is less likely than not`);
  if (!CONTRACT_ROUNDINGS.includes(policy.rounding)) add('rounding', `must be one of ${CONTRACT_ROUNDINGS.join(', ')}`);
  if (!RATIO_METHODS.includes(policy.ratioMethod)) add('ratioMethod', `must be one of ${RATIO_METHODS.join(', ')}`);
  if (policy.buckets.length === 0) add('buckets', 'needs at least one bucket');

  policy.buckets.forEach((b, i) => {
    const at = `buckets[${i}]`;
    for (const key of ['fromPeriod', 'toPeriod'] as const) {
      if (!Number.isInteger(b[key]) || b[key] < 1) add(`${at}.${key}`, `must be a whole period number from 1 (got ${b[key]})`);
    }
    if (Number.isInteger(b.fromPeriod) && Number.isInteger(b.toPeriod) && b.toPeriod < b.fromPeriod) {
      add(`${at}.toPeriod`, `period ${b.toPeriod} is before fromPeriod ${b.fromPeriod}`);
    }
    for (const key of ['ratio', 'minRatio', 'maxRatio'] as const) {
      const value = b[key];
      if (value === undefined) {
        if (key !== 'ratio' && options.requireBands) add(`${at}.${key}`, 'is required: every bucket needs a band around its target');
        continue;
      }
      if (!Number.isFinite(value) || value < 0 || value > 1) add(`${at}.${key}`, `must be between 0 and 1 (got ${value})`);
    }
    const min = b.minRatio ?? 0;
    const max = b.maxRatio ?? 1;
    if (min > max) add(`${at}.minRatio`, `the band's lower edge ${pct(min)} is above its upper edge ${pct(max)}`);
    else if ((b.minRatio !== undefined || b.maxRatio !== undefined) && (b.ratio < min || b.ratio > max)) {
      add(`${at}.ratio`, `the target ${pct(b.ratio)} is outside its band ${pct(min)}–${pct(max)}`);
    }
  });

  const ordered = policy.buckets
    .map((b, index) => ({ b, index }))
    .filter(({ b }) => Number.isInteger(b.fromPeriod) && Number.isInteger(b.toPeriod) && b.fromPeriod <= b.toPeriod)
    .sort((x, y) => x.b.fromPeriod - y.b.fromPeriod);
  let expected = 1;
  let previous: { b: HedgeBucket; index: number } | undefined;
  for (const current of ordered) {
    const { b, index } = current;
    if (b.fromPeriod > expected) {
      add(
        `buckets[${index}].fromPeriod`,
        expected === b.fromPeriod - 1
          ? `period ${expected} is in no bucket (buckets must follow each other from period 1)`
          : `periods ${expected}–${b.fromPeriod - 1} are in no bucket (buckets must follow each other from period 1)`,
      );
    } else if (b.fromPeriod < expected && previous) {
      add(`buckets[${index}].fromPeriod`, `overlaps buckets[${previous.index}] (periods ${b.fromPeriod}–${Math.min(b.toPeriod, previous.b.toPeriod)})`);
    }
    expected = Math.max(expected, b.toPeriod + 1);
    previous = current;
  }

  const { maxContracts, marginBudgetMicros } = policy.limits;
  if (maxContracts !== null && (!Number.isSafeInteger(maxContracts) || maxContracts < 0)) {
    add('limits.maxContracts', `must be a whole number of contracts, 0 or more (got ${maxContracts})`);
  }
  if (marginBudgetMicros !== null && (!Number.isSafeInteger(marginBudgetMicros) || marginBudgetMicros < 0)) {
    add('limits.marginBudgetMicros', 'must be a whole, non-negative amount of micros');
  }
  policy.allowedInstruments.forEach((code, i) => {
    if (!code.trim()) add(`allowedInstruments[${i}]`, 'must not be empty');
  });
  return issues;
}

/** The bucket that covers 1-based `period`, or undefined beyond the policy's horizon (not hedged). */
export function bucketForPeriod(policy: Pick<HedgePolicy, 'buckets'>, period: number): HedgeBucket | undefined {
  return policy.buckets.find((b) => period >= b.fromPeriod && period <= b.toPeriod);
}

/** The last period the policy hedges. */
export function policyHorizon(policy: Pick<HedgePolicy, 'buckets'>): number {
  return policy.buckets.reduce((max, b) => Math.max(max, b.toPeriod), 0);
}

function pct(ratio: number): string {
  return `${Math.round(ratio * 10_000) / 100} %`;
}
