import { mulDivMicros, type Micros } from '../money/micros.ts';
import { decimalOfNumber, formatMoneyText, formatQuantity, formatRatioPercent } from './numbers.ts';

/**
 * How a clearing house (or an OTC counterparty) asks for initial margin: a fixed amount per contract, or a
 * fraction of the notional value. Exchanges typically set initial margin at 3–12 % of notional and
 * maintenance at 70–80 % of initial (hedging.md §2.3); no GPU or token contract has published figures, so
 * every value is the user's assumption.
 */
export type MarginModel =
  | { kind: 'per-contract'; initialMicros: number; maintenanceMicros: number }
  | { kind: 'fraction-of-notional'; initialFraction: number; maintenanceFraction: number };

/** Initial margin for `contracts` contracts of `notionalMicros` in all, with a one-line derivation. */
export function initialMargin(
  model: MarginModel,
  contracts: number,
  notionalMicros: number,
  currency?: string,
): { micros: Micros; explanation: string } {
  if (model.kind === 'per-contract') {
    const micros = mulDivMicros(model.initialMicros, BigInt(contracts), 1n);
    return {
      micros,
      explanation: `${formatQuantity(contracts)} contracts × ${formatMoneyText(model.initialMicros, currency)} initial margin per contract = ${formatMoneyText(micros, currency)}`,
    };
  }
  const fraction = decimalOfNumber(model.initialFraction);
  const micros = mulDivMicros(notionalMicros, fraction.units, 10n ** BigInt(fraction.scale), 'ceil');
  return {
    micros,
    explanation: `${formatRatioPercent(model.initialFraction)} of the notional ${formatMoneyText(notionalMicros, currency)} = ${formatMoneyText(micros, currency)} (rounded up to the micro)`,
  };
}

/** Initial margin of one contract worth `notionalPerContractMicros`: what one contract more or less changes. */
export function marginPerContract(model: MarginModel, notionalPerContractMicros: number): number {
  return initialMargin(model, 1, notionalPerContractMicros).micros;
}

export function describeMarginModel(model: MarginModel, currency?: string): string {
  return model.kind === 'per-contract'
    ? `${formatMoneyText(model.initialMicros, currency)} initial / ${formatMoneyText(model.maintenanceMicros, currency)} maintenance per contract`
    : `${formatRatioPercent(model.initialFraction)} initial / ${formatRatioPercent(model.maintenanceFraction)} maintenance of notional`;
}
