import { createHash } from 'node:crypto';

/**
 * The natural key of a line: a 16-byte hash of the fields that identify it in its source (account, period,
 * meter, amounts…). The same line in an overlapping or repeated export hashes the same, so it is not counted
 * twice. `occurrence` tells apart identical lines within one file (the 2nd, 3rd… copy).
 */
export function naturalKeyOf(material: string, occurrence = 1): Uint8Array {
  const hash = createHash('sha1').update(material);
  if (occurrence > 1) hash.update(`\u001e${occurrence}`);
  return hash.digest().subarray(0, 16);
}
