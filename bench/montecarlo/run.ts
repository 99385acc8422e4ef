/**
 * Monte Carlo cost-at-risk benchmark: 10,000 paths × 36 monthly periods, the quality bar of DESIGN.md §4
 * (under 250 ms on one core). Runs the same simulation the proposal page uses, in the full configuration —
 * volume drawn from P10/P50/P90 and correlated with price, mean reversion, a layered hedge whose variation
 * margin is marked every month — and the plain lognormal one, and prints the figures.
 *
 *   node_modules/.bin/node bench/montecarlo/run.ts [--paths 10000] [--months 36] [--runs 7]
 */
import { parseArgs } from 'node:util';
import { simulateCost, type SimulationPeriod } from '../../src-main/common/hedging/cost-at-risk.ts';

const { values } = parseArgs({
  options: { paths: { type: 'string', default: '10000' }, months: { type: 'string', default: '36' }, runs: { type: 'string', default: '7' } },
});
const paths = Number(values.paths);
const months = Number(values.months);
const runs = Number(values.runs);

/** A growing token exposure (MTok) on a backwardated curve, hedged 75/50/25 % over the first year. */
function periods(full: boolean): SimulationPeriod[] {
  return Array.from({ length: months }, (_, i) => {
    const p50 = 1000 * 1.03 ** i;
    const forward = 2.6 * 0.99 ** i;
    const ratio = i < 3 ? 0.75 : i < 6 ? 0.5 : i < 12 ? 0.25 : 0;
    return {
      years: (i + 1) / 12,
      forward,
      volume: full ? { p10: p50 * 0.8, p50, p90: p50 * 1.3 } : { p50 },
      hedgedQuantity: full ? Math.floor((ratio * p50) / 100) * 100 : 0,
      hedgePrice: forward,
    };
  });
}

function time(label: string, full: boolean): number {
  const input = {
    periods: periods(full),
    sigma: 0.45,
    ...(full ? { meanReversion: 0.8, volumePriceCorrelation: 0.3 } : {}),
    paths,
    seed: 20_260_101,
    confidence: 0.95,
  };
  simulateCost(input); // warm-up: let the JIT compile the loop
  const times: number[] = [];
  let result = simulateCost(input);
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    result = simulateCost(input);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${label}: ${paths.toLocaleString('en-US')} paths × ${months} months — median ${median.toFixed(1)} ms, best ${times[0]!.toFixed(1)} ms over ${runs} runs` +
      ` | mean ${result.unhedged.expectedCost.toFixed(0)}, P95 ${result.unhedged.percentileCost.toFixed(0)}, CaR ${result.unhedged.costAtRisk.toFixed(0)}` +
      ` | hedged CaR ${result.hedged.costAtRisk.toFixed(0)} | margin-call P95 ${result.marginCall.percentilePeak.toFixed(0)}`,
  );
  return median;
}

console.log(`Node ${process.version}, one thread (the simulation is a single synchronous loop)`);
const full = time('full model (volume quantiles, correlation, mean reversion, hedge + margin marks)', true);
time('plain lognormal price, fixed volume, no hedge', false);
console.log(full < 250 ? `PASS: ${full.toFixed(1)} ms < 250 ms` : `OVER TARGET: ${full.toFixed(1)} ms ≥ 250 ms`);
