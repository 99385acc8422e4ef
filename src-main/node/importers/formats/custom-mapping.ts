import { canonicalProvider } from '../../../common/usage/providers.ts';
import { tokenKindFromText } from '../../../common/usage/token-kind-text.ts';
import { CHARGE_KINDS, TOKEN_KINDS, type ChargeKind, type TokenKind } from '../../../common/usage/usage-line.ts';
import { cell, currencyOf, DAY_MS, readDateTime, readNumber, wholeUnits } from '../fields.ts';
import type { RowMapper, MapperContext } from '../row-outcome.ts';
import { lines, mapped, money, reject } from './line-builder.ts';

/**
 * The mapping wizard's result: which column holds each field of a usage line (by header name), or a fixed
 * value for the whole file. Saved per header, and offered automatically for a file with the same header.
 * Required: a date and either a cost or a token count. Example:
 * `{ date: 'Day', cost: 'Amount (EUR)', currency: { fixed: 'EUR' }, tokens: 'Tokens', model: 'Model', provider: { fixed: 'Mistral' } }`.
 */
export type ColumnMapping = {
  date: string;
  endDate?: string | undefined;
  cost?: string | undefined;
  tokens?: string | undefined;
  /** Tokens per unit of the token column: 1, 1000 or 1000000. */
  tokensPerUnit?: number | undefined;
  currency?: string | { fixed: string } | undefined;
  provider?: string | { fixed: string } | undefined;
  model?: string | undefined;
  tokenKind?: string | { fixed: TokenKind } | undefined;
  chargeKind?: string | undefined;
  costCentre?: string | undefined;
  project?: string | undefined;
  account?: string | undefined;
};

export function createMappedMapper(header: readonly string[], mapping: ColumnMapping, context: MapperContext): RowMapper {
  const index = (name: string | undefined, field: string): number => {
    if (name === undefined || name === '') return -1;
    const i = header.findIndex((h) => h.trim().toLowerCase() === name.trim().toLowerCase());
    if (i < 0) throw new Error(`${field}: the column "${name}" is not in this file's header`);
    return i;
  };
  const colOrFixed = (v: string | { fixed: string } | undefined, field: string) =>
    typeof v === 'object' ? { fixed: v.fixed, i: -1 } : { fixed: undefined, i: index(v, field) };
  const c = {
    date: index(mapping.date, 'date'), end: index(mapping.endDate, 'end date'), cost: index(mapping.cost, 'cost'), tokens: index(mapping.tokens, 'tokens'),
    model: index(mapping.model, 'model'), chargeKind: index(mapping.chargeKind, 'charge kind'), costCentre: index(mapping.costCentre, 'cost centre'),
    project: index(mapping.project, 'project'), account: index(mapping.account, 'account'),
  };
  const currency = colOrFixed(mapping.currency, 'currency');
  const provider = colOrFixed(mapping.provider, 'provider');
  const tokenKind = colOrFixed(mapping.tokenKind as string | { fixed: string } | undefined, 'token kind');
  if (c.cost < 0 && c.tokens < 0) throw new Error('a mapping needs a cost column or a tokens column');
  const perUnit = BigInt(mapping.tokensPerUnit ?? 1);
  return {
    mapRow(fields, row, ref) {
      const get = (i: number) => cell(fields, i);
      const excel = context.container === 'xlsx';
      const start = readDateTime(get(c.date), context.style, excel);
      if (start === undefined) return reject(mapping.date, `"${get(c.date)}" is not a date`);
      const end = c.end >= 0 ? readDateTime(get(c.end), context.style, excel) : start + DAY_MS;
      if (end === undefined || end < start) return reject(mapping.endDate ?? 'end date', `"${get(c.end)}" is not a date after the start`);
      let costMicros = 0;
      if (c.cost >= 0) {
        const cost = readNumber(get(c.cost), context.style);
        if (!cost) return reject(mapping.cost!, `"${get(c.cost)}" is not a number`);
        costMicros = money(cost, `cost on row ${row}`);
      }
      let tokens = 0;
      if (c.tokens >= 0 && get(c.tokens)) {
        const q = readNumber(get(c.tokens), context.style);
        const n = q ? wholeUnits(q, perUnit) : undefined;
        if (n === undefined) return reject(mapping.tokens!, `"${get(c.tokens)}" is not a number`);
        tokens = n;
      }
      const currencyText = currency.fixed ?? get(currency.i);
      const code = currencyOf(currencyText || 'USD');
      if (!code) return reject(typeof mapping.currency === 'string' ? mapping.currency : 'currency', `"${currencyText}" is not an ISO currency code`);
      const kindText = tokenKind.fixed ?? get(tokenKind.i);
      const kind: TokenKind = (TOKEN_KINDS as readonly string[]).includes(kindText) ? (kindText as TokenKind) : (tokenKindFromText(kindText) ?? (tokens ? 'other' : 'other'));
      const chargeText = get(c.chargeKind).toLowerCase();
      const chargeKind: ChargeKind = (CHARGE_KINDS as readonly string[]).includes(chargeText) ? (chargeText as ChargeKind) : costMicros < 0 ? 'credit' : 'usage';
      const providerText = provider.fixed ?? get(provider.i);
      return lines(
        [
          mapped(
            'custom-mapping',
            {
              row, ref, startMs: start, endMs: end, provider: canonicalProvider(providerText || 'unknown'), modelRaw: get(c.model) || 'unknown', tokenKind: kind,
              chargeKind, tokens, costMicros, currency: code, costCentre: get(c.costCentre), account: get(c.account), project: get(c.project),
              measure: c.cost >= 0 ? 'cost' : 'volume',
            },
            [row],
            true,
          ),
        ],
        'empty',
      );
    },
  };
}
