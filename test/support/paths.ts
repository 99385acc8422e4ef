import { fileURLToPath } from 'node:url';

/** The repository root, the fixtures, and the Node 22 binary that the npm scripts use. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = `${ROOT}test/fixtures/`;
export const FOCUS_SAMPLE = `${FIXTURES}focus-sample-data/focus_1.0_sample_1000rows.csv`;
export const FOCUS_SPEC_EXAMPLES = `${FIXTURES}focus-spec-examples`;
export const NODE22 = `${ROOT}node_modules/.bin/node`;
export const RENDERER_DIR = `${ROOT}out/renderer`;
