/**
 * How an unrounded number of futures contracts becomes a whole number: `floor` (down — never hedge more than
 * the calculation asks; the default of most hedge policies), `nearest` (half away from zero) or `ceil` (up).
 */
export type ContractRounding = 'floor' | 'nearest' | 'ceil';

export const CONTRACT_ROUNDINGS: readonly ContractRounding[] = ['floor', 'nearest', 'ceil'];

/**
 * Rounds a non-negative contract count by `rule`. A count within 1e-9 (relative) of a whole number is that
 * number first, so 29 % of 100 = 28.999999999999996 in binary floating point rounds down to 29, not 28.
 */
export function roundContracts(unrounded: number, rule: ContractRounding): number {
  const whole = Math.round(unrounded);
  if (Math.abs(unrounded - whole) <= 1e-9 * Math.max(1, Math.abs(unrounded))) return whole;
  switch (rule) {
    case 'floor':
      return Math.floor(unrounded);
    case 'ceil':
      return Math.ceil(unrounded);
    case 'nearest':
      return Math.round(unrounded);
  }
}

export function describeRounding(rule: ContractRounding): string {
  return rule === 'floor' ? 'rounded down' : rule === 'ceil' ? 'rounded up' : 'rounded to the nearest whole contract';
}
