import * as zlib from 'node:zlib';

/** The compression of stored originals: zstd where this Node has it (fast, runs off the main thread), else gzip. */
export const ORIGINAL_COMPRESSION: 'zstd' | 'gzip' = typeof (zlib as { createZstdCompress?: unknown }).createZstdCompress === 'function' ? 'zstd' : 'gzip';

type ZstdZlib = typeof zlib & {
  createZstdCompress(options?: object): zlib.Gzip;
  zstdCompressSync(data: Uint8Array, options?: object): Buffer;
  zstdDecompressSync(data: Uint8Array): Buffer;
  constants: typeof zlib.constants & { ZSTD_c_compressionLevel: number };
};
const z = zlib as ZstdZlib;

/**
 * A streaming compressor whose output chunks go to `onData`. It compresses on libuv's thread pool, beside the
 * thread that reads and maps rows; `write` returns a promise to wait for when more than `QUEUE_BYTES` wait to be
 * compressed (back-pressure: the queue never grows with the file).
 */
export function createCompressor(onData: (chunk: Buffer) => void): {
  write(chunk: Uint8Array): Promise<void> | undefined;
  end(): Promise<void>;
  destroy(): void;
} {
  const options = { chunkSize: 1 << 20, highWaterMark: QUEUE_BYTES };
  const stream =
    ORIGINAL_COMPRESSION === 'zstd'
      ? z.createZstdCompress({ ...options, params: { [z.constants.ZSTD_c_compressionLevel]: 1 } })
      : zlib.createGzip({ ...options, level: 1 });
  let failed: Error | undefined;
  stream.on('data', (chunk: Buffer) => onData(chunk));
  stream.on('error', (error) => (failed = error));
  return {
    write(chunk) {
      if (failed) return Promise.reject(failed);
      if (stream.write(chunk)) return undefined;
      return new Promise((resolve, reject) => {
        const done = (): void => {
          stream.off('drain', done);
          stream.off('error', done);
          if (failed) reject(failed);
          else resolve();
        };
        stream.on('drain', done);
        stream.on('error', done);
      });
    },
    end() {
      return new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        stream.once('end', () => (failed ? reject(failed) : resolve()));
        stream.once('error', reject);
        stream.end();
      });
    },
    destroy() {
      stream.destroy();
    },
  };
}

/** How much raw text may wait for the compressor before reading waits for it. */
const QUEUE_BYTES = 4 << 20;

export function compressSync(data: Uint8Array): Buffer {
  return ORIGINAL_COMPRESSION === 'zstd'
    ? z.zstdCompressSync(data, { params: { [z.constants.ZSTD_c_compressionLevel]: 3 } })
    : zlib.gzipSync(data, { level: 6 });
}

/** A stored original from its compressed streams (see `readOriginalChunks`), each a list of chunks. */
export function decompress(streams: readonly (readonly Buffer[])[], compression: 'zstd' | 'gzip'): Buffer {
  // One stream at a time: Node's zstd decoder stops at the end of the first frame.
  return Buffer.concat(
    streams.map((chunks) => {
      const joined = Buffer.concat(chunks);
      if (compression === 'gzip') return zlib.gunzipSync(joined);
      if (typeof z.zstdDecompressSync !== 'function') throw new Error('this build cannot read zstd-compressed originals');
      return z.zstdDecompressSync(joined);
    }),
  );
}

/** One CSV line of `fields` (RFC 4180 quoting), for redacted copies. */
export function csvLine(fields: readonly string[], delimiter = ','): string {
  return (
    fields.map((f) => (f.includes(delimiter) || /["\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(delimiter) + '\r\n'
  );
}
