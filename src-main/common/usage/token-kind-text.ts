import type { TokenKind } from './usage-line.ts';

/**
 * Reads the token direction from a meter name, SKU description or usage type, e.g.
 * "gpt 4o 0513 Input global Tokens" → input, "USE1-Claude3Haiku-cache-read-input-token-count" → cache_read,
 * "Gemini 2.5 Pro Thinking Output" → output. Cache words are checked before plain input, because
 * "cached input" is also "input". Returns `undefined` when the text names no direction.
 */
export function tokenKindFromText(text: string): TokenKind | undefined {
  const t = ` ${text.toLowerCase().replace(/[_\-/|:().,]+/g, ' ').replace(/\s+/g, ' ')} `;
  if (/ storage /.test(t)) return 'other';
  if (/ cache (write|creation)| cache write| ephemeral | cch wr | cache wr /.test(t) || /cachewrite|cachecreation/.test(t)) {
    return 'cache_write';
  }
  if (/ cached | cchd | cache read | cache hit | cached input | caching | cacheread|cachehit| cd inp/.test(t)) {
    return 'cache_read';
  }
  if (/ (outp|outpt|output|opt|out|completion|completions|generated|thinking)( |s )/.test(t) || /outputtoken/.test(t)) {
    return 'output';
  }
  if (/ (inp|inpt|input|prompt|context|cache miss)( |s )/.test(t) || /inputtoken/.test(t)) return 'input';
  return undefined;
}
