import { hash } from 'node:crypto';

/**
 * The natural key of a line: a 16-byte hash of the fields that identify it in its source (account, period,
 * meter, amounts…). The same line in an overlapping or repeated export hashes the same, so it is not counted
 * twice. `occurrence` tells apart identical lines within one file (the 2nd, 3rd… copy).
 */
export function naturalKeyOf(material: string, occurrence = 1): Uint8Array {
  const out = new Uint8Array(KEY_BYTES);
  writeNaturalKey(material, occurrence, out, 0);
  return out;
}

const KEY_BYTES = 16;

/**
 * Writes the natural key of `material` into `out` at `offset` (16 bytes): the first 16 bytes of its SHA-1, as
 * `naturalKeyOf` returns, without allocating a hash object per line.
 */
export function writeNaturalKey(material: string, occurrence: number, out: Uint8Array, offset: number): void {
  // One-shot hashing of the UTF-8 text; the digest comes back as a 'binary' (Latin-1) string, one character per byte.
  const digest = hash('sha1', occurrence > 1 ? `${material}\u001e${occurrence}` : material, 'binary');
  for (let i = 0; i < KEY_BYTES; i++) out[offset + i] = digest.charCodeAt(i);
}
