import { hash } from 'node:crypto';

/**
 * The natural key of a line (16 bytes): the UTC day its period starts on (2 bytes, days since 1970, big-endian),
 * then the first 14 bytes of a SHA-1 of the fields that identify the line in its source (account, period, meter,
 * amounts…). The same line in an overlapping or repeated export gives the same key, so it is not counted twice.
 * `occurrence` tells apart identical lines within one file (the 2nd, 3rd… copy).
 *
 * Why the day first: exports come roughly in date order, so keys that start with the day land near each other
 * in the unique index. A key of hash bytes alone lands anywhere in it, and inserting a million such keys cost
 * about 4 s of an import's 13 s of writing (bench/import/halves.ts); with the day first they cost almost nothing.
 * The day is part of every line's identity already (the period is in the hashed fields), so equal lines keep
 * equal keys. Migration 0008 converted the keys stored before this layout.
 */
export function naturalKeyOf(material: string, periodStartMs: number, occurrence = 1): Uint8Array {
  const out = new Uint8Array(KEY_BYTES);
  writeNaturalKey(material, periodStartMs, occurrence, out, 0);
  return out;
}

const KEY_BYTES = 16;
/** Bytes 0–1 of a key: the day. The hash bytes that follow are the ones to use for hashing the key further. */
export const KEY_HASH_OFFSET = 2;
const DAY_MS = 86_400_000;

/** The day of a key: whole UTC days since 1970-01-01, kept within 0–65535 (years 1970–2149). */
export function keyDayOf(periodStartMs: number): number {
  const day = Math.floor(periodStartMs / DAY_MS);
  return day > 0 ? (day < 65535 ? day : 65535) : 0;
}

/**
 * Writes the natural key of `material` into `out` at `offset` (16 bytes), as `naturalKeyOf` returns it, without
 * allocating a hash object per line.
 */
export function writeNaturalKey(material: string, periodStartMs: number, occurrence: number, out: Uint8Array, offset: number): void {
  const day = keyDayOf(periodStartMs);
  out[offset] = day >>> 8;
  out[offset + 1] = day & 255;
  // One-shot hashing of the UTF-8 text; the digest comes back as a 'binary' (Latin-1) string, one character per byte.
  const digest = hash('sha1', occurrence > 1 ? `${material}\u001e${occurrence}` : material, 'binary');
  for (let i = KEY_HASH_OFFSET; i < KEY_BYTES; i++) out[offset + i] = digest.charCodeAt(i - KEY_HASH_OFFSET);
}
