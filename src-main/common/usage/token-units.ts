/**
 * How many tokens one unit of a quantity stands for, read from the unit text of an export:
 * "Tokens" → 1, "1000 Tokens" (the FOCUS example) → 1000, "1K tokens" → 1000, "1M Tokens" → 1_000_000,
 * "tokens (in thousands)" → 1000. A bare "1K"/"1M" (Azure UnitOfMeasure) counts only when the meter says the
 * line is about tokens (`meterMentionsTokens`). Returns `undefined` for units that are not token counts.
 */
export function tokensPerUnit(unitText: string, meterMentionsTokens = false): number | undefined {
  const t = unitText.trim().toLowerCase().replace(/,/g, '');
  let m = /^(?:(\d+(?:\.\d+)?)\s*([km])?\s+)?tokens?$/.exec(t) ?? /^(\d+(?:\.\d+)?)([km])\s*tokens?$/.exec(t);
  if (m) return scale(m[1], m[2]);
  m = /^tokens?\s*\(in (thousands|millions)\)$/.exec(t);
  if (m) return m[1] === 'thousands' ? 1_000 : 1_000_000;
  if (meterMentionsTokens) {
    m = /^(\d+(?:\.\d+)?)\s*([km])?$/.exec(t);
    if (m) return scale(m[1], m[2]);
    if (t === 'units' || t === 'unit' || t === 'count') return 1;
  }
  return undefined;
}

function scale(count: string | undefined, suffix: string | undefined): number | undefined {
  const base = count === undefined ? 1 : Number(count);
  const factor = suffix === 'k' ? 1_000 : suffix === 'm' ? 1_000_000 : 1;
  const value = base * factor;
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

export function mentionsTokens(text: string): boolean {
  return /token/i.test(text);
}
