import type { Issue } from '../errors.ts';
import { mulDivMicros } from '../money/micros.ts';
import { describeRounding, roundContracts } from './contracts.ts';
import { initialMargin, marginPerContract, type MarginModel } from './margin.ts';
import { decimalOfNumber, formatMoneyText, formatQuantity, formatRatioPercent } from './numbers.ts';
import { bucketForPeriod, quantileLevel, type HedgeBucket, type HedgePolicy } from './policy.ts';

/**
 * One forecast period as the proposal needs it: the P50 exposure and the hedgeable quantity (the policy's
 * quantile, e.g. the P10), both in contract units (GPU-hours, millions of tokens…), and the futures price of
 * that period's contract in micros per contract unit. Phase-2 callers build these from a saved forecast run
 * and the forward curve; the `calc propose` command builds them from its JSON input.
 */
export type ProposalPeriod = { period: string; p50: number; hedgeable: number; priceMicros: number };

export type ProposalInput = {
  policy: Pick<HedgePolicy, 'buckets' | 'quantile' | 'rounding' | 'limits'>;
  /** Contract units per contract (e.g. 1,000 GPU-hours; 1,000 MTok). */
  contractSize: number;
  periods: ProposalPeriod[];
  /**
   * A ratio to use instead of each bucket's target (the minimum-variance h*), with where it comes from; it is
   * kept inside each bucket's band.
   */
  ratioOverride?: { ratio: number; source: string };
  margin?: MarginModel;
  /**
   * The currency of the policy's margin budget when it is not the instrument's (the budget is in the workbook's
   * base currency): each line's initial margin is converted with `convert` (a dated FX rate, rounded once per
   * line) before it is held against the budget. Without it, the budget is taken to be in the instrument's currency.
   */
  marginBudgetCurrency?: { currency: string; convert: (micros: number) => number };
  /** Units for the explanations only: { quantity: "MTok", currency: "CNY" }. */
  units?: { quantity?: string; currency?: string };
};

/** How each number of a proposal line was derived, one line each. */
export type ProposalExplanations = {
  hedgeable: string;
  ratio: string;
  target: string;
  contractsUnrounded: string;
  contracts: string;
  effectiveRatio: string;
  notional: string;
  initialMargin: string;
};

export type ProposalLine = {
  period: string;
  /** 1 for the first period of the proposal. */
  periodIndex: number;
  p50: number;
  hedgeable: number;
  /** The ratio applied (target of the period's bucket, or the override kept in the band); 0 beyond the policy. */
  ratio: number;
  band: { minRatio: number; maxRatio: number } | null;
  /** min(ratio × P50, hedgeable), in contract units. */
  target: number;
  contractsUnrounded: number;
  contracts: number;
  /** contracts × contractSize / P50 (0 when P50 is 0). */
  effectiveRatio: number;
  priceMicros: number;
  /** contracts × contractSize × price, exact, rounded once half-even to micros. */
  notionalMicros: number;
  initialMarginMicros: number | null;
  explanations: ProposalExplanations;
  warnings: string[];
};

export type Proposal = {
  lines: ProposalLine[];
  totalContracts: number;
  totalNotionalMicros: number;
  totalInitialMarginMicros: number | null;
  warnings: string[];
};

/**
 * Problems with a proposal's inputs, each naming the field: a non-positive contract size, negative or
 * non-finite quantities, a hedgeable quantile above the P50 when the quantile is below the median (crossed
 * quantiles), a negative price, no periods.
 */
export function proposalInputIssues(input: ProposalInput): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  if (!(Number.isFinite(input.contractSize) && input.contractSize > 0)) add('contractSize', `must be a number greater than 0 (got ${input.contractSize})`);
  if (input.periods.length === 0) add('periods', 'needs at least one period');
  const q = input.policy.quantile;
  const level = quantileLevel(q);
  input.periods.forEach((p, i) => {
    const at = `periods[${i}]`;
    if (!p.period.trim()) add(`${at}.period`, 'must not be empty');
    if (!(Number.isFinite(p.p50) && p.p50 >= 0)) add(`${at}.p50`, `must be a number, 0 or more (got ${p.p50})`);
    if (!(Number.isFinite(p.hedgeable) && p.hedgeable >= 0)) add(`${at}.${q}`, `must be a number, 0 or more (got ${p.hedgeable})`);
    else if (level !== undefined && level < 0.5 && p.p50 >= 0 && p.hedgeable > p.p50) {
      add(`${at}.${q}`, `${formatQuantity(p.hedgeable)} is above p50 ${formatQuantity(p.p50)}: a lower quantile cannot exceed the median`);
    }
    if (!(Number.isSafeInteger(p.priceMicros) && p.priceMicros >= 0)) add(`${at}.price`, 'must be a price of 0 or more');
  });
  const seen = new Map<string, number>();
  input.periods.forEach((p, i) => {
    const first = seen.get(p.period);
    if (first !== undefined) add(`periods[${i}].period`, `"${p.period}" repeats periods[${first}].period`);
    else seen.set(p.period, i);
  });
  if (input.ratioOverride && !(input.ratioOverride.ratio >= 0 && input.ratioOverride.ratio <= 1)) {
    add('ratioOverride.ratio', `must be between 0 and 1 (got ${input.ratioOverride.ratio})`);
  }
  return issues;
}

/**
 * A layered hedge proposal, period by period (Hull's quantity rule under a treasury policy):
 * hedgeable = the policy's quantile; target = ratio × P50, capped at the hedgeable quantity;
 * contractsUnrounded = target / contractSize; contracts = rounded by the policy's rule;
 * effectiveRatio = contracts × contractSize / P50; notional = contracts × contractSize × price.
 * Then the policy's limits: when the total contracts or the initial margin exceed them, contracts are taken off
 * the farthest periods first (the near months are the most certain), and the lines say so.
 * The inputs must have no `proposalInputIssues`.
 */
export function proposeHedge(input: ProposalInput): Proposal {
  const issues = proposalInputIssues(input);
  if (issues.length > 0) throw new RangeError(`invalid proposal input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  const { policy, contractSize } = input;
  const unit = input.units?.quantity ? ` ${input.units.quantity}` : '';
  const currency = input.units?.currency;
  const q = policy.quantile.toUpperCase();
  const size = decimalOfNumber(contractSize);
  const sizeScale = 10n ** BigInt(size.scale);
  const notionalOf = (contracts: number, priceMicros: number) =>
    mulDivMicros(priceMicros, BigInt(contracts) * size.units, sizeScale, 'half-even');

  const lines: ProposalLine[] = input.periods.map((p, i) => {
    const periodIndex = i + 1;
    const bucket = bucketForPeriod(policy, periodIndex);
    const warnings: string[] = [];
    let ratio = 0;
    let ratioText: string;
    if (!bucket) {
      ratioText = `Period ${periodIndex} is beyond the policy's last bucket: not hedged (0 %).`;
    } else {
      const band = bandOf(bucket);
      const bucketText = band
        ? `bucket periods ${bucket.fromPeriod}–${bucket.toPeriod}, band ${formatRatioPercent(band.minRatio)}–${formatRatioPercent(band.maxRatio)}`
        : `bucket periods ${bucket.fromPeriod}–${bucket.toPeriod}`;
      if (input.ratioOverride) {
        const wanted = input.ratioOverride.ratio;
        ratio = band ? Math.min(band.maxRatio, Math.max(band.minRatio, wanted)) : wanted;
        ratioText =
          ratio === wanted
            ? `${input.ratioOverride.source} ${formatRatioPercent(wanted)}, inside the ${bucketText}.`
            : `${input.ratioOverride.source} ${formatRatioPercent(wanted)} kept inside the ${bucketText}: ${formatRatioPercent(ratio)}.`;
      } else {
        ratio = bucket.ratio;
        ratioText = `Policy target ${formatRatioPercent(ratio)} of the ${bucketText}.`;
      }
    }

    const wanted = ratio * p.p50;
    const target = Math.min(wanted, p.hedgeable);
    const targetText =
      wanted > p.hedgeable
        ? `${formatRatioPercent(ratio)} × P50 ${formatQuantity(p.p50)}${unit} = ${formatQuantity(wanted)}${unit}, capped at the hedgeable ${q} ${formatQuantity(p.hedgeable)}${unit}.`
        : `${formatRatioPercent(ratio)} × P50 ${formatQuantity(p.p50)}${unit} = ${formatQuantity(target)}${unit} (within the hedgeable ${q} ${formatQuantity(p.hedgeable)}${unit}).`;
    const contractsUnrounded = target / contractSize;
    const contracts = roundContracts(contractsUnrounded, policy.rounding);
    if (contracts * contractSize > p.hedgeable + 1e-9 * Math.max(1, p.hedgeable)) {
      warnings.push(
        `${formatQuantity(contracts)} contracts cover ${formatQuantity(contracts * contractSize)}${unit}, more than the hedgeable ${q} ${formatQuantity(p.hedgeable)}${unit}: part of the hedge may have no highly probable purchase behind it.`,
      );
    }
    return {
      period: p.period,
      periodIndex,
      p50: p.p50,
      hedgeable: p.hedgeable,
      ratio,
      band: bucket ? bandOf(bucket) : null,
      target,
      contractsUnrounded,
      contracts,
      effectiveRatio: 0,
      priceMicros: p.priceMicros,
      notionalMicros: 0,
      initialMarginMicros: null,
      explanations: {
        hedgeable: `The forecast's ${q} for ${p.period}: ${formatQuantity(p.hedgeable)}${unit}, the volume the policy treats as highly probable.`,
        ratio: ratioText,
        target: targetText,
        contractsUnrounded: `${formatQuantity(target)}${unit} / ${formatQuantity(contractSize)}${unit} per contract = ${formatQuantity(contractsUnrounded)}.`,
        contracts: `${formatQuantity(contractsUnrounded)} ${describeRounding(policy.rounding)} = ${formatQuantity(contracts)}.`,
        effectiveRatio: '',
        notional: '',
        initialMargin: '',
      },
      warnings,
    };
  });

  const proposalWarnings: string[] = [];
  const reduce = (line: ProposalLine, by: number, why: string) => {
    line.contracts -= by;
    line.explanations.contracts = `${line.explanations.contracts.replace(/\.$/, '')}, less ${formatQuantity(by)} ${why} = ${formatQuantity(line.contracts)}.`;
    line.warnings.push(`Reduced by ${formatQuantity(by)} contracts ${why}.`);
  };

  const { maxContracts, marginBudgetMicros } = policy.limits;
  if (maxContracts !== null) {
    let excess = lines.reduce((s, l) => s + l.contracts, 0) - maxContracts;
    if (excess > 0) proposalWarnings.push(`limits.maxContracts: the policy allows at most ${formatQuantity(maxContracts)} contracts; ${formatQuantity(excess)} were taken off the farthest periods.`);
    for (let i = lines.length - 1; i >= 0 && excess > 0; i--) {
      const by = Math.min(lines[i]!.contracts, excess);
      if (by > 0) reduce(lines[i]!, by, `to stay within the limit of ${formatQuantity(maxContracts)} contracts`);
      excess -= by;
    }
  }
  if (marginBudgetMicros !== null && input.margin) {
    const model = input.margin;
    const toBudget = input.marginBudgetCurrency?.convert ?? ((micros: number) => micros);
    const budgetCurrency = input.marginBudgetCurrency?.currency ?? currency;
    const marginOf = (l: ProposalLine) => toBudget(initialMargin(model, l.contracts, notionalOf(l.contracts, l.priceMicros)).micros);
    let total = lines.reduce((s, l) => s + marginOf(l), 0);
    if (total > marginBudgetMicros) {
      proposalWarnings.push(`limits.marginBudget: the initial margin ${formatMoneyText(total, budgetCurrency)} exceeds the budget ${formatMoneyText(marginBudgetMicros, budgetCurrency)}; contracts were taken off the farthest periods.`);
    }
    for (let i = lines.length - 1; i >= 0 && total > marginBudgetMicros; i--) {
      const line = lines[i]!;
      const perContract = toBudget(marginPerContract(model, notionalOf(1, line.priceMicros)));
      if (perContract <= 0 || line.contracts === 0) continue;
      let by = Math.min(line.contracts, Math.ceil((total - marginBudgetMicros) / perContract));
      const before = marginOf(line);
      // Margins are rounded per line (and converted), so the estimate may fall one contract short.
      const marginWith = (contracts: number) => toBudget(initialMargin(model, contracts, notionalOf(contracts, line.priceMicros)).micros);
      while (by < line.contracts && total - before + marginWith(line.contracts - by) > marginBudgetMicros) by++;
      reduce(line, by, `to keep the initial margin within the budget of ${formatMoneyText(marginBudgetMicros, budgetCurrency)}`);
      total += marginOf(line) - before;
    }
  }

  let totalNotional = 0n;
  let totalMargin = 0n;
  for (const line of lines) {
    const { contracts, p50 } = line;
    line.effectiveRatio = p50 > 0 ? (contracts * contractSize) / p50 : 0;
    line.explanations.effectiveRatio =
      p50 > 0
        ? `${formatQuantity(contracts)} × ${formatQuantity(contractSize)}${unit} / P50 ${formatQuantity(p50)}${unit} = ${formatRatioPercent(line.effectiveRatio)}.`
        : 'No expected exposure (P50 is 0): effective ratio 0 %.';
    if (line.band && p50 > 0 && line.ratio > 0) {
      if (line.effectiveRatio < line.band.minRatio - 1e-12) {
        line.warnings.push(`The effective ratio ${formatRatioPercent(line.effectiveRatio)} is below the policy band ${formatRatioPercent(line.band.minRatio)}–${formatRatioPercent(line.band.maxRatio)}.`);
      } else if (line.effectiveRatio > line.band.maxRatio + 1e-12) {
        line.warnings.push(`The effective ratio ${formatRatioPercent(line.effectiveRatio)} is above the policy band ${formatRatioPercent(line.band.minRatio)}–${formatRatioPercent(line.band.maxRatio)}.`);
      }
    }
    line.notionalMicros = notionalOf(contracts, line.priceMicros);
    line.explanations.notional = `${formatQuantity(contracts)} × ${formatQuantity(contractSize)}${unit} × ${formatMoneyText(line.priceMicros, currency)} = ${formatMoneyText(line.notionalMicros, currency)}.`;
    totalNotional += BigInt(line.notionalMicros);
    if (input.margin) {
      const m = initialMargin(input.margin, contracts, line.notionalMicros, currency);
      line.initialMarginMicros = m.micros;
      line.explanations.initialMargin = `${m.explanation}.`;
      totalMargin += BigInt(m.micros);
    } else {
      line.explanations.initialMargin = 'No margin model given.';
    }
  }
  return {
    lines,
    totalContracts: lines.reduce((s, l) => s + l.contracts, 0),
    totalNotionalMicros: mulDivMicros(totalNotional, 1n, 1n),
    totalInitialMarginMicros: input.margin ? mulDivMicros(totalMargin, 1n, 1n) : null,
    warnings: proposalWarnings,
  };
}

/** A bucket's band, or null when the bucket gives only a ratio (then no band warnings apply). */
function bandOf(bucket: HedgeBucket): { minRatio: number; maxRatio: number } | null {
  if (bucket.minRatio === undefined && bucket.maxRatio === undefined) return null;
  return { minRatio: bucket.minRatio ?? 0, maxRatio: bucket.maxRatio ?? 1 };
}
