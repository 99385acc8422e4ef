import { roundContracts, type ContractRounding } from './contracts.ts';
import { linearRegression, sampleStdDev } from './statistics.ts';

/**
 * The R² a hedge must reach to pass the conventional regression effectiveness test (R² ≥ 0.80, with the
 * slope between −0.8 and −1.25 for the hedge-accounting version of the test; see hedging.md §3.3).
 */
export const EFFECTIVENESS_R2 = 0.8;

/**
 * The minimum-variance hedge ratio h* = ρ·σS/σF = Cov(ΔS,ΔF)/Var(ΔF): the hedge per unit of exposure that
 * minimises the variance of the hedged position (Hull, §3.4). R² = ρ² is the share of the variance of spot
 * price changes the hedge removes (Ederington 1979).
 */
export type MinimumVarianceRatio = {
  hStar: number;
  r2: number;
  rho: number;
  sigmaSpot: number;
  sigmaFutures: number;
  /** Number of paired changes the estimate rests on; null when σS, σF and ρ were given. */
  observations: number | null;
  /** Intercept of the regression of ΔS on ΔF (a drift the hedge does not remove); null from moments. */
  intercept: number | null;
  /** R² ≥ 0.8: a conventional regression effectiveness test would pass. */
  effective: boolean;
};

/** h* from σS, σF (standard deviations of price changes over the hedge horizon) and their correlation ρ. */
export function minimumVarianceFromMoments(sigmaSpot: number, sigmaFutures: number, rho: number): MinimumVarianceRatio {
  if (!(sigmaFutures > 0)) throw new RangeError('sigmaFutures must be greater than 0');
  if (!(sigmaSpot >= 0)) throw new RangeError('sigmaSpot must not be negative');
  if (!(rho >= -1 && rho <= 1)) throw new RangeError('rho must be between -1 and 1');
  const r2 = rho * rho;
  return {
    hStar: (rho * sigmaSpot) / sigmaFutures,
    r2,
    rho,
    sigmaSpot,
    sigmaFutures,
    observations: null,
    intercept: null,
    effective: r2 >= EFFECTIVENESS_R2,
  };
}

/**
 * h* as the OLS slope of the spot (the organisation's own price) changes on the futures (or index) changes,
 * paired by period. Needs at least three pairs and futures changes that vary.
 */
export function minimumVarianceFromSeries(spotChanges: readonly number[], futuresChanges: readonly number[]): MinimumVarianceRatio {
  if (spotChanges.length !== futuresChanges.length) {
    throw new RangeError(`spotChanges has ${spotChanges.length} values but futuresChanges has ${futuresChanges.length}`);
  }
  if (spotChanges.length < 3) throw new RangeError('at least 3 paired price changes are needed');
  const regression = linearRegression(futuresChanges, spotChanges);
  const sigmaFutures = sampleStdDev(futuresChanges);
  if (!(sigmaFutures > 0)) throw new RangeError('futuresChanges do not vary, so no hedge ratio can be estimated');
  return {
    hStar: regression.slope,
    r2: regression.r2,
    rho: regression.correlation,
    sigmaSpot: sampleStdDev(spotChanges),
    sigmaFutures,
    observations: regression.n,
    intercept: regression.intercept,
    effective: regression.r2 >= EFFECTIVENESS_R2,
  };
}

/**
 * The optimal number of contracts N* = h*·QA/QF (exposure QA and contract size QF in the same unit), unrounded
 * and rounded by `rounding`: Hull's jet fuel example, h* = 0.78, QA = 2,000,000 gallons, QF = 42,000 → N* =
 * 37.14 → 37 contracts.
 */
export function contractsForRatio(
  hStar: number,
  exposure: number,
  contractSize: number,
  rounding: ContractRounding = 'floor',
): { contractsUnrounded: number; contracts: number } {
  if (!(contractSize > 0)) throw new RangeError('contractSize must be greater than 0');
  // A negative h* (spot and futures move against each other) means taking the opposite side; the count is
  // the size of that position, so round its magnitude and keep the sign.
  const contractsUnrounded = (hStar * exposure) / contractSize;
  const magnitude = roundContracts(Math.abs(contractsUnrounded), rounding);
  return { contractsUnrounded, contracts: contractsUnrounded < 0 ? -magnitude : magnitude };
}

/** The variance of a hedged position per unit of exposure, σS² + h²σF² − 2hρσSσF (Hull eq. 3.1). */
export function hedgedVariance(h: number, ratio: Pick<MinimumVarianceRatio, 'sigmaSpot' | 'sigmaFutures' | 'rho'>): number {
  const { sigmaSpot: s, sigmaFutures: f, rho } = ratio;
  return s * s + h * h * f * f - 2 * h * rho * s * f;
}
