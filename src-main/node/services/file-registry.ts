import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { DomainError } from '../../common/errors.ts';

export type FileRef = { fileId: string; name: string; sizeBytes: number };

/**
 * The files the page may ask the services to read. The page never sends a path: it gets opaque ids for files
 * the user chose in a native dialog (Electron) or uploaded (serve mode), so a compromised page cannot make the
 * services read anything else.
 */
export type FileRegistry = {
  register(path: string, name?: string): FileRef;
  resolve(fileId: string): { path: string; name: string };
};

export function createFileRegistry(): FileRegistry {
  const files = new Map<string, { path: string; name: string }>();
  return {
    register(path, name = basename(path)) {
      const fileId = randomUUID();
      files.set(fileId, { path, name });
      return { fileId, name, sizeBytes: statSync(path).size };
    },
    resolve(fileId) {
      const file = files.get(fileId);
      if (!file) throw new DomainError('not-found', `Unknown file ${fileId}: choose the file again`);
      return file;
    },
  };
}
