import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from './project-root.ts';

/** The app version from package.json (read at run time: the CLI and serve mode may run from source). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(`${PROJECT_ROOT}package.json`, 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
