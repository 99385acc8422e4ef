/**
 * The closed set of error codes that cross the API. A `switch` over a code ends in `missingCase`, so adding a
 * code makes every unhandled place fail to compile.
 */
export type ErrorCode =
  | 'invalid-input' // a request or a file did not match what was expected; `issues` says where
  | 'not-found'
  | 'conflict' // the request is valid but clashes with the workbook's state
  | 'unsupported' // not available in this transport or build (e.g. a native file dialog in serve mode)
  | 'cancelled'
  | 'workbook-too-new' // the workbook was written by a newer TokenHedge; it is never touched
  | 'import-rejected' // a file has rejected rows and the user did not choose to skip them
  | 'currency-mismatch'
  | 'money-out-of-range'
  | 'fx-rate-missing'
  | 'internal';

export const ERROR_CODES: readonly ErrorCode[] = [
  'invalid-input',
  'not-found',
  'conflict',
  'unsupported',
  'cancelled',
  'workbook-too-new',
  'import-rejected',
  'currency-mismatch',
  'money-out-of-range',
  'fx-rate-missing',
  'internal',
];

/** One precise problem with an input: where (`path`, e.g. `by[1]` or `file.csv:row 12:BilledCost`) and what. */
export type Issue = { path: string; message: string };

/** A rule of the domain was broken. Thrown inside a layer, converted to `{ ok: false, error }` at the API edge. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly Issue[] | undefined;
  constructor(code: ErrorCode, message: string, issues?: readonly Issue[]) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.issues = issues;
  }
}

/** For exhaustive switches: `default: return missingCase(x)` fails to compile when a case is missing. */
export function missingCase(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
