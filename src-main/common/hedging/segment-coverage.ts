import { QUANTILE_KEYS, segmentLabel, type ExposureSegment, type QuantileKey } from '../forecast/token-forecast.ts';
import type { ExposureFilter } from './exposure.ts';
import { quantileLevel } from './policy.ts';

/**
 * How a forecast run's segment relates to the usage an exposure mapping hedges:
 * - `exact`: the same usage (the mapping filters exactly that one provider, model, token kind or cost centre;
 *   or nothing, for the total);
 * - `within`: the segment is part of the mapped usage (provider openai, for a mapping of openai, anthropic and
 *   azure): the proposal hedges that part only;
 * - `outside`: the segment holds usage the mapping does not cover (another provider, or the total against a
 *   filtered mapping), so sizing a hedge on it would hedge purchases the instrument was not mapped to.
 */
export type SegmentCoverage = 'exact' | 'within' | 'outside';

const FILTER_KEY = { provider: 'providers', model: 'models', cost_centre: 'costCentres', token_kind: 'tokenKinds' } as const;
const FILTER_NOUN = { providers: 'provider', models: 'model', costCentres: 'cost centre', tokenKinds: 'token kind' } as const;

export function segmentCoverage(segment: ExposureSegment, filter: ExposureFilter): { coverage: SegmentCoverage; reason: string } {
  const keys = Object.keys(FILTER_NOUN) as (keyof ExposureFilter)[];
  const label = segmentLabel(segment);
  if (segment.dimension === 'total') {
    const filtered = keys.filter((k) => filter[k].length > 0);
    return filtered.length === 0
      ? { coverage: 'exact', reason: 'the mapping covers all usage, as the total does' }
      : { coverage: 'outside', reason: `the total includes usage the mapping leaves out (it takes only ${describeFilter(filter)})` };
  }
  const own = FILTER_KEY[segment.dimension];
  const others = keys.filter((k) => k !== own && filter[k].length > 0);
  if (others.length > 0) {
    return { coverage: 'outside', reason: `the mapping also filters by ${others.map((k) => FILTER_NOUN[k]).join(' and ')} (${describeFilter(filter)}), which the forecast of ${label} does not` };
  }
  const values = filter[own] as readonly string[];
  if (values.length === 1 && values[0] === segment.value) return { coverage: 'exact', reason: `the mapping covers exactly ${label}` };
  if (values.length === 0 || values.includes(segment.value)) {
    return { coverage: 'within', reason: `${label} is part of the mapped usage (${describeFilter(filter)}); the proposal hedges that part only` };
  }
  return { coverage: 'outside', reason: `the mapping covers ${describeFilter(filter)}, not ${label}` };
}

/** "provider openai, anthropic or azure", "all usage". */
export function describeFilter(filter: ExposureFilter): string {
  const parts = (Object.keys(FILTER_NOUN) as (keyof ExposureFilter)[])
    .filter((k) => filter[k].length > 0)
    .map((k) => {
      const values = filter[k] as readonly string[];
      const list = values.length === 1 ? values[0]! : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]!}`;
      return `${FILTER_NOUN[k]} ${list}`;
    });
  return parts.length ? parts.join(', ') : 'all usage';
}

/** The single segment a mapping's filter describes (one value of one dimension, or nothing = the total), if any. */
export function segmentOfFilter(filter: ExposureFilter): ExposureSegment | null {
  const keys = (Object.keys(FILTER_KEY) as (keyof typeof FILTER_KEY)[]).filter((d) => filter[FILTER_KEY[d]].length > 0);
  if (keys.length === 0) return { dimension: 'total', value: null };
  if (keys.length > 1) return null;
  const dimension = keys[0]!;
  const values = filter[FILTER_KEY[dimension]] as readonly string[];
  return values.length === 1 ? { dimension, value: values[0]! } : null;
}

/** The key of a forecast quantile set for a policy's quantile name: "p10" → "p10", "p5" → "p05"; undefined if the forecast has no such quantile. */
export function quantileKeyOf(name: string): QuantileKey | undefined {
  const level = quantileLevel(name);
  if (level === undefined) return undefined;
  return QUANTILE_KEYS.find((key) => {
    const digits = key.slice(1);
    return Math.abs(Number(digits) / (digits.length === 3 ? 1000 : 100) - level) < 1e-12;
  });
}
