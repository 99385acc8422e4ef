import { seededRandom } from '../math/random.ts';
import { normalQuantile, percentileOfSorted } from './statistics.ts';

/**
 * Cost-at-risk: how much more than expected the organisation may pay for its AI volume, at a confidence level.
 * cost-at-risk = percentile(cost) − mean(cost), e.g. P95 − mean (the cash-flow-at-risk of hedging.md §2.1).
 *
 * The price model: the log of the price relative to its forward, X = ln(S/F), starts at 0 and follows an
 * Ornstein–Uhlenbeck process dX = −κX dt + σ dW (κ = 0: plain Brownian motion, the lognormal model). Then
 * S_t = F_t · exp(X_t − Var(X_t)/2), so E[S_t] = F_t: the forward is the expected price, and the cost of a
 * hedge bought at the forward is zero on average. With κ > 0, Var(X_t) = σ²(1 − e^(−2κt))/(2κ) instead of σ²t:
 * prices wander less far from the curve over long horizons. Either way S_t is lognormal, so single-period
 * percentiles have a closed form, against which the simulation is tested.
 *
 * Figures are estimates in floating point, in the currency unit of the inputs; callers that store them round
 * them to micros once.
 */

/** Var(X_t) of the log-price deviation after `years`. */
export function logPriceVariance(sigma: number, years: number, meanReversion = 0): number {
  if (meanReversion > 0) return (sigma * sigma * (1 - Math.exp(-2 * meanReversion * years))) / (2 * meanReversion);
  return sigma * sigma * years;
}

export type CostStats = {
  /** Mean of the simulated costs (the expected cost). */
  expectedCost: number;
  p50Cost: number;
  /** The cost at the requested confidence (e.g. P95). */
  percentileCost: number;
  /** percentileCost − expectedCost. */
  costAtRisk: number;
};

export type AnalyticCostAtRiskInput = {
  /** Volume in price units (e.g. GPU-hours, MTok), fixed. */
  quantity: number;
  /** Forward price per unit: the expected price at the horizon. */
  forward: number;
  /** Annualised volatility of the log price. */
  sigma: number;
  years: number;
  /** e.g. 0.95. */
  confidence: number;
  /** Share of `quantity` hedged with futures bought at `forward` (0–1). */
  hedgedFraction: number;
  meanReversion?: number;
};

/**
 * The closed form for one period and a fixed volume: cost = Q·S_T with S_T lognormal,
 * percentile = Q·F·exp(sd·z − sd²/2) with sd = √Var(X_T) and z = Φ⁻¹(confidence); a fraction h hedged at F
 * pays Q·(h·F + (1 − h)·S_T), so its cost-at-risk is (1 − h) times the unhedged one.
 */
export function analyticCostAtRisk(input: AnalyticCostAtRiskInput): { unhedged: CostStats; hedged: CostStats } {
  const { quantity: q, forward: f, hedgedFraction: h } = input;
  const sd = Math.sqrt(logPriceVariance(input.sigma, input.years, input.meanReversion ?? 0));
  const z = normalQuantile(input.confidence);
  const expected = q * f;
  const percentilePrice = f * Math.exp(sd * z - (sd * sd) / 2);
  const medianPrice = f * Math.exp(-(sd * sd) / 2);
  const stats = (price: number, median: number): CostStats => ({
    expectedCost: expected,
    p50Cost: q * median,
    percentileCost: q * price,
    costAtRisk: q * price - expected,
  });
  return {
    unhedged: stats(percentilePrice, medianPrice),
    hedged: stats(h * f + (1 - h) * percentilePrice, h * f + (1 - h) * medianPrice),
  };
}

/** A period's volume: fixed (only `p50`), or drawn from forecast quantiles P10/P50/P90. */
export type VolumeQuantiles = { p10?: number; p50: number; p90?: number };

export type SimulationPeriod = {
  /** Time from now to the period's price fixing, in years (strictly increasing across periods). */
  years: number;
  /** Forward price per unit for the period. */
  forward: number;
  volume: VolumeQuantiles;
  /** Units hedged with long futures for the period (contracts × contract size); 0 for none. */
  hedgedQuantity: number;
  /** Price the hedge was bought at (usually the forward). */
  hedgePrice: number;
  /**
   * What the organisation expects to pay per unit when the price is at its forward (default: the forward). Its
   * own price then moves in proportion to the index, S_own = unitCost · S/F: a proposal passes its forecast
   * price here, so the cost is its own and the hedge pays on the index (basis risk is not simulated).
   */
  unitCost?: number;
};

export type CostSimulationInput = {
  periods: SimulationPeriod[];
  sigma: number;
  meanReversion?: number;
  /** Correlation (−1…1) between the price deviation and the volume deviation of the same period. */
  volumePriceCorrelation?: number;
  paths: number;
  seed: number;
  confidence: number;
};

export type CostSimulationResult = {
  unhedged: CostStats;
  hedged: CostStats;
  /**
   * Margin-call stress: the largest cumulative variation margin the long futures pay before the last period
   * settles (marked at each period's fixing), as its mean and its value at the confidence level.
   */
  marginCall: { expectedPeak: number; percentilePeak: number };
  /** Total cost of every path, sorted ascending (for histograms). */
  unhedgedCosts: Float64Array;
  hedgedCosts: Float64Array;
  paths: number;
  seed: number;
};

/** z of the 10th/90th percentile: P90 − P50 = 1.2816 σ for a normal. */
const Z90 = 1.2815515655446004;

/**
 * Monte Carlo of total cost over `periods`, with and without the hedges, deterministic for a seed.
 * Per path and period: the log-price deviation moves by its exact OU transition; the volume is drawn from a
 * two-piece normal through P10, P50 and P90 (so each quantile is met exactly), correlated with the price
 * deviation, floored at 0; cost = volume × price; the hedged cost subtracts the futures payoff
 * hedgedQuantity × (price − hedgePrice). Futures marked at each fixing move with E[S_j | X_i] = F_j·exp(a·X_i − a²Var(X_i)/2),
 * a = e^(−κ(t_j − t_i)), which gives the variation margin path.
 */
export function simulateCost(input: CostSimulationInput): CostSimulationResult {
  const { periods, sigma, paths, confidence } = input;
  const kappa = input.meanReversion ?? 0;
  const rho = input.volumePriceCorrelation ?? 0;
  const rhoComplement = Math.sqrt(1 - rho * rho);
  const n = periods.length;
  const random = seededRandom(input.seed);

  // Per-period constants.
  const decay = new Float64Array(n);
  const stepSd = new Float64Array(n);
  const variance = new Float64Array(n);
  const sdX = new Float64Array(n);
  const forward = new Float64Array(n);
  // The organisation's price per unit relative to the forward (1 when it pays the index).
  const costRatio = new Float64Array(n);
  const p50 = new Float64Array(n);
  const sdLow = new Float64Array(n);
  const sdHigh = new Float64Array(n);
  const hedged = new Float64Array(n);
  const hedgePrice = new Float64Array(n);
  let previousYears = 0;
  let anyHedge = false;
  let randomVolume = false;
  for (let i = 0; i < n; i++) {
    const p = periods[i]!;
    const dt = p.years - previousYears;
    previousYears = p.years;
    decay[i] = Math.exp(-kappa * dt);
    stepSd[i] = Math.sqrt(logPriceVariance(sigma, dt, kappa));
    variance[i] = (i === 0 ? 0 : variance[i - 1]! * decay[i]! * decay[i]!) + stepSd[i]! * stepSd[i]!;
    sdX[i] = Math.sqrt(variance[i]!);
    forward[i] = p.forward;
    costRatio[i] = p.unitCost === undefined ? 1 : p.forward > 0 ? p.unitCost / p.forward : 0;
    p50[i] = p.volume.p50;
    sdLow[i] = p.volume.p10 === undefined ? 0 : (p.volume.p50 - p.volume.p10) / Z90;
    sdHigh[i] = p.volume.p90 === undefined ? sdLow[i]! : (p.volume.p90 - p.volume.p50) / Z90;
    if (p.volume.p90 !== undefined && p.volume.p10 === undefined) sdLow[i] = sdHigh[i]!;
    if (sdLow[i]! > 0 || sdHigh[i]! > 0) randomVolume = true;
    hedged[i] = p.hedgedQuantity;
    hedgePrice[i] = p.hedgePrice;
    if (p.hedgedQuantity !== 0) anyHedge = true;
  }
  // Decay from period i's fixing to period j's (j ≥ i), row-major; only needed for margins under mean reversion.
  const decayBetween = anyHedge && kappa > 0 ? new Float64Array(n * n) : undefined;
  if (decayBetween) {
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) decayBetween[i * n + j] = Math.exp(-kappa * (periods[j]!.years - periods[i]!.years));
    }
  }
  // Without mean reversion, Σ_j≥i H_j·F_j and Σ_j≥i H_j·K_j make each margin mark O(1).
  const suffixHF = new Float64Array(n + 1);
  const suffixHK = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    suffixHF[i] = suffixHF[i + 1]! + hedged[i]! * forward[i]!;
    suffixHK[i] = suffixHK[i + 1]! + hedged[i]! * hedgePrice[i]!;
  }

  const unhedgedCosts = new Float64Array(paths);
  const hedgedCosts = new Float64Array(paths);
  const peaks = new Float64Array(paths);
  for (let path = 0; path < paths; path++) {
    let x = 0;
    let cost = 0;
    let payoff = 0;
    let peak = 0;
    for (let i = 0; i < n; i++) {
      x = decay[i]! * x + stepSd[i]! * random.normal();
      const half = variance[i]! / 2;
      const price = forward[i]! * Math.exp(x - half);
      let volume = p50[i]!;
      if (randomVolume) {
        const z = rho * (sdX[i]! > 0 ? x / sdX[i]! : 0) + rhoComplement * random.normal();
        volume += z * (z < 0 ? sdLow[i]! : sdHigh[i]!);
        if (volume < 0) volume = 0;
      }
      cost += volume * price * costRatio[i]!;
      if (anyHedge) {
        payoff += hedged[i]! * (price - hedgePrice[i]!);
        // Open contracts j > i, marked to E[S_j | X_i].
        let open: number;
        if (decayBetween) {
          open = 0;
          for (let j = i + 1; j < n; j++) {
            const a = decayBetween[i * n + j]!;
            open += hedged[j]! * (forward[j]! * Math.exp(a * x - a * a * half) - hedgePrice[j]!);
          }
        } else {
          open = suffixHF[i + 1]! * Math.exp(x - half) - suffixHK[i + 1]!;
        }
        const cumulative = payoff + open;
        if (-cumulative > peak) peak = -cumulative;
      }
    }
    unhedgedCosts[path] = cost;
    hedgedCosts[path] = cost - payoff;
    peaks[path] = peak;
  }
  return {
    unhedged: statsOf(unhedgedCosts, confidence),
    hedged: statsOf(hedgedCosts, confidence),
    marginCall: { expectedPeak: meanOf(peaks), percentilePeak: percentileOfSorted(peaks.sort(), confidence) },
    unhedgedCosts,
    hedgedCosts,
    paths,
    seed: input.seed,
  };
}

/** Sorts `costs` in place and summarises them. */
function statsOf(costs: Float64Array, confidence: number): CostStats {
  const expectedCost = meanOf(costs);
  costs.sort();
  const percentileCost = percentileOfSorted(costs, confidence);
  return { expectedCost, p50Cost: percentileOfSorted(costs, 0.5), percentileCost, costAtRisk: percentileCost - expectedCost };
}

function meanOf(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length ? sum / values.length : 0;
}

/** Equal-width histogram of sorted values: `bins` counts between the smallest and largest value. */
export function histogram(sorted: ArrayLike<number>, bins: number): { from: number; to: number; count: number }[] {
  const n = sorted.length;
  if (n === 0 || bins < 1) return [];
  const lo = sorted[0]!;
  const hi = sorted[n - 1]!;
  const width = hi > lo ? (hi - lo) / bins : 1;
  const out = Array.from({ length: bins }, (_, b) => ({ from: lo + b * width, to: lo + (b + 1) * width, count: 0 }));
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor((sorted[i]! - lo) / width));
    out[b]!.count++;
  }
  return out;
}
