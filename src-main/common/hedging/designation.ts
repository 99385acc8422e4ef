import { segmentLabel } from '../forecast/token-forecast.ts';
import { parseDecimal } from '../money/decimal.ts';
import { costOfTokens } from '../money/micros.ts';
import { divRound } from '../money/rounding.ts';
import { addDays, daysOfMonth, firstDayOfMonth, type IsoMonth } from '../time/iso-date.ts';
import { EFFECTIVENESS_R2 } from './hedge-ratio.ts';
import { decimalOfNumber, formatMoneyText, formatQuantity, formatRatioPercent } from './numbers.ts';
import type { BuiltProposal, ProposalLineView } from './proposal-build.ts';

/**
 * What approval designates, one cash-flow hedge relationship per contract month with contracts (ASC 815-20-25-3
 * and IFRS 9 6.4.1, hedging.md §3): the hedged item (forecast purchases of the month, no more than the
 * highly probable quantile), the hedging instrument (long futures of that month), the hedge ratio, the risk
 * hedged and how effectiveness will be assessed, with the dates. Each comes with a pending trade for the hedge
 * book to fill: a buyer of AI tokens hedges rising prices by buying futures (long), so the quantity is positive.
 */
export type HedgeDesignation = {
  lineNo: number;
  contractMonth: string;
  hedgedPeriodStart: string;
  hedgedPeriodEnd: string;
  lastTradingDate: string;
  contracts: number;
  /** Designated forecast purchases: whole tokens and contract units. */
  hedgedTokens: number;
  hedgedUnits: number;
  /** Futures quantity ÷ hedged quantity (1 = one contract unit of futures per unit of purchases). */
  hedgeRatio: number;
  /** The designated purchases at the forecast's mean price, base-currency micros. */
  expectedAmountMicros: number;
  texts: {
    hedgedItem: string;
    hedgingInstrument: string;
    hedgeRatio: string;
    riskHedged: string;
    effectivenessMethod: string;
    sourcesOfIneffectiveness: string;
  };
  /** The trade the hedge needs: signed contracts (+ buys, − sells), to be filled later. */
  trade: { contractMonth: string; quantityContracts: number; side: 'buy' | 'sell'; explanation: string };
};

/** The designations of an approved proposal: one per line with contracts. */
export function designationsOf(proposal: BuiltProposal): HedgeDesignation[] {
  const { instrument, mapping, forecastRun, policy, baseCurrency, curveDate } = proposal.inputs;
  const factor = parseDecimal(mapping.contractUnitsPerToken)!;
  const size = decimalOfNumber(instrument.contractQuantity);
  const unit = instrument.quantityUnit;
  const Q = policy.policy.quantile.toUpperCase();
  const segment = segmentLabel(forecastRun.segment);
  const estimate = proposal.regression.estimate;
  const hypothetical = instrument.status === 'hypothetical' ? ' HYPOTHETICAL instrument: no exchange lists it.' : '';
  const out: HedgeDesignation[] = [];
  proposal.lines.forEach((line, index) => {
    if (line.contracts <= 0) return;
    // Futures quantity in tokens, exact: contracts × size ÷ (contract units per token), rounded down.
    const futuresTokens = Number(divRound(BigInt(line.contracts) * size.units * 10n ** BigInt(factor.scale), 10n ** BigInt(size.scale) * factor.units, 'floor'));
    const hedgedTokens = Math.min(futuresTokens, line.tokens.hedgeable);
    const futuresUnits = line.contracts * instrument.contractQuantity;
    const hedgedUnits = hedgedTokens === futuresTokens ? futuresUnits : line.hedgeable;
    const hedgeRatio = hedgedUnits > 0 ? futuresUnits / hedgedUnits : 0;
    const month = line.month as IsoMonth;
    const start = firstDayOfMonth(month);
    const end = addDays(start, daysOfMonth(month) - 1);
    const amount = costOfTokens(hedgedTokens, line.pricePerMTokMeanMicros);
    out.push({
      lineNo: index + 1,
      contractMonth: line.month,
      hedgedPeriodStart: start,
      hedgedPeriodEnd: end,
      lastTradingDate: line.lastTradingDate,
      contracts: line.contracts,
      hedgedTokens,
      hedgedUnits,
      hedgeRatio,
      expectedAmountMicros: amount,
      texts: {
        hedgedItem:
          `Forecast purchases of AI tokens by ${segment} (mapping "${mapping.name}") from ${start} to ${end}: ${formatQuantity(hedgedTokens)} tokens ` +
          `(${formatQuantity(hedgedUnits)} ${unit}), about ${formatMoneyText(amount, baseCurrency)} at the forecast's mean price; no more than the forecast's ${Q} of ` +
          `${formatQuantity(line.tokens.hedgeable)} tokens (forecast run #${forecastRun.runId}), the volume the policy treats as highly probable. Purchased from external providers.`,
        hedgingInstrument:
          `${formatQuantity(line.contracts)} long ${instrument.code} v${instrument.version} futures (${instrument.name}), contract month ${line.month}, ` +
          `${formatQuantity(instrument.contractQuantity)} ${unit} each, to be bought at the market (forward ${formatMoneyText(line.priceMicros, instrument.priceCurrency)} per ${instrument.priceUnit} on ${curveDate}); ` +
          `last trading day ${line.lastTradingDate}; ${instrument.settlement.type} settlement, ${instrument.settlement.method === 'average-of-month' ? 'against the average of the index over the month' : 'against one fixing'}.${hypothetical}`,
        hedgeRatio:
          `${formatQuantity(futuresUnits)} ${unit} of futures for ${formatQuantity(hedgedUnits)} ${unit} of forecast purchases: ${formatQuantity(Math.round(hedgeRatio * 10_000) / 10_000)} : 1. ` +
          ratioBasis(proposal, line),
        riskHedged:
          `Variability of the cash flows of the forecast purchases due to changes in the price of ${instrument.index.name} (${instrument.index.code}), ${instrument.priceCurrency}; ` +
          `all changes in the purchase price are designated (the purchase contracts are not index-linked).`,
        effectivenessMethod:
          `Regression of the monthly changes of the organisation's effective price on those of the index (R² ≥ ${EFFECTIVENESS_R2} and slope between 0.8 and 1.25; ` +
          `in value terms −0.8 to −1.25), prospectively at designation and at least quarterly, with the cumulative dollar-offset ratio (80–125 %) retrospectively. ` +
          (estimate
            ? `At designation: slope h* ${estimate.hStar.toFixed(3)}, R² ${estimate.r2.toFixed(2)} over ${estimate.observations ?? 0} changes (${proposal.regression.window})${estimate.r2 < EFFECTIVENESS_R2 ? ' — below 0.8: the prospective test fails' : ''}.`
            : `No regression at designation: ${proposal.regression.reason ?? 'no data'}.`),
        sourcesOfIneffectiveness:
          `Basis between the organisation's price and the index (model and cache mix, discounts${instrument.priceCurrency !== baseCurrency ? `, ${instrument.priceCurrency}/${baseCurrency} exchange rate` : ''}); ` +
          `timing (the index averaged over the month against the invoiced usage); volume below the hedged quantity; clearing and counterparty credit.`,
      },
      trade: {
        contractMonth: line.month,
        quantityContracts: line.contracts,
        side: 'buy',
        explanation: `Buy ${formatQuantity(line.contracts)} ${instrument.code} ${line.month}: a buyer of AI tokens hedges rising prices with long futures, which gain when the index rises.`,
      },
    });
  });
  return out;
}

function ratioBasis(proposal: BuiltProposal, line: ProposalLineView): string {
  const size = proposal.inputs.instrument.contractQuantity;
  const coverage = `${formatQuantity(line.contracts)} contracts cover ${formatRatioPercent(line.effectiveRatio)} of the P50 (${formatQuantity(line.contracts * size)} of ${formatQuantity(line.p50)} ${proposal.inputs.instrument.quantityUnit})`;
  return proposal.inputs.ratioMethod === 'minimum-variance'
    ? `Sized by the minimum-variance ratio kept inside the policy band (${line.explanations.ratio}); ${coverage}.`
    : `Sized by the policy target ${formatRatioPercent(line.ratio)} of the P50, capped at the ${proposal.inputs.policy.policy.quantile.toUpperCase()} and rounded ${proposal.inputs.policy.policy.rounding === 'floor' ? 'down' : proposal.inputs.policy.policy.rounding === 'ceil' ? 'up' : 'to the nearest contract'}; ${coverage}.`;
}

