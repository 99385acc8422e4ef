import { fileURLToPath } from 'node:url';

/**
 * The project's folder (where package.json, node_modules and out/ are), with a trailing slash. The same relative
 * path leads there from this source file (src-main/node/) and from the bundle it is built into (out/main/), so the
 * command line works both from source and from the build.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
