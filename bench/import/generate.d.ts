/** Types of generate.js (plain JavaScript so that the benchmark runs without a build step). */
export const GENERATOR_VERSION: string;
/** Writes a FOCUS 1.2 CSV of `lines` AI token rows (default one million) to `path`; resolves with its size in bytes. */
export function generateFocusFile(path: string, lines?: number): Promise<number>;
