/** Text encodings found in billing exports. Excel's "Unicode text" is UTF-16 LE with a BOM, tab-separated. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * Detects the encoding from the first bytes: a byte-order mark when present, otherwise the pattern of NUL bytes
 * that UTF-16 text without a BOM shows (every other byte zero for ASCII characters). Defaults to UTF-8.
 */
export function detectEncoding(head: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const sample = Math.min(head.length, 512) & ~1;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = sample / 2;
  if (pairs >= 4 && oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return { encoding: 'utf-16le', bomLength: 0 };
  if (pairs >= 4 && evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return { encoding: 'utf-16be', bomLength: 0 };
  return { encoding: 'utf-8', bomLength: 0 };
}
