import type { Issue } from '../errors.ts';
import { parseDecimal } from '../money/decimal.ts';
import type { SimulationPeriod } from './cost-at-risk.ts';
import { contractUnitsOf } from './exposure.ts';
import type { ProposalPeriod, ProposalLine } from './proposal.ts';

/**
 * The glue between a forecast, an instrument and the proposal: forecast token volumes per month become contract
 * units through the exposure mapping's factor, and each month takes the settlement price of the same contract
 * month from the forward curve. Months without a price are reported, never priced by guess.
 */
export function proposalPeriodsFromForecast(input: {
  /** Forecast months in order, with the P50 and the policy's quantile of the hedged tokens. */
  months: readonly { month: string; p50Tokens: number; hedgeableTokens: number }[];
  /** The mapping's exact decimal "contract units per token" ("0.000001" = tokens → MTok). */
  contractUnitsPerToken: string;
  /** Contract month → settlement price in micros per contract unit (one curve date). */
  curve: ReadonlyMap<string, number>;
}): { periods: ProposalPeriod[]; issues: Issue[] } {
  const factor = parseDecimal(input.contractUnitsPerToken.trim());
  if (!factor || factor.units <= 0n) return { periods: [], issues: [{ path: 'contractUnitsPerToken', message: `"${input.contractUnitsPerToken}" is not a positive decimal` }] };
  const issues: Issue[] = [];
  const periods: ProposalPeriod[] = [];
  input.months.forEach((m, i) => {
    const price = input.curve.get(m.month);
    if (price === undefined) {
      issues.push({ path: `months[${i}]`, message: `no settlement price for contract month ${m.month} on the curve date` });
      return;
    }
    periods.push({ period: m.month, p50: contractUnitsOf(m.p50Tokens, factor), hedgeable: contractUnitsOf(m.hedgeableTokens, factor), priceMicros: price });
  });
  return { periods, issues };
}

/**
 * A proposal's lines as Monte Carlo periods for `simulateCost`: period k fixes k/12 years ahead (monthly
 * periods), the forward is the line's futures price, the volume is drawn through P10/P50/P90 in contract units,
 * and the hedge is the line's contracts × contract size bought at that price. Money in currency units (floats).
 */
export function simulationPeriodsFromProposal(
  lines: readonly Pick<ProposalLine, 'periodIndex' | 'p50' | 'contracts' | 'priceMicros'>[],
  contractSize: number,
  volume: readonly { p10?: number; p90?: number }[] = [],
): SimulationPeriod[] {
  return lines.map((l, i) => {
    const price = l.priceMicros / 1e6;
    const v = volume[i] ?? {};
    return {
      years: l.periodIndex / 12,
      forward: price,
      volume: { p50: l.p50, ...(v.p10 !== undefined ? { p10: v.p10 } : {}), ...(v.p90 !== undefined ? { p90: v.p90 } : {}) },
      hedgedQuantity: l.contracts * contractSize,
      hedgePrice: price,
    };
  });
}
