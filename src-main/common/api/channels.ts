/**
 * Every API channel name, as plain strings. The sandboxed preload imports only this list (no zod) to refuse
 * unknown channels; test/common/api-contract.test.ts checks it equals the keys of `contract`.
 */
export const API_CHANNELS = [
  'app:info',
  'settings:update',
  'demo:create',
  'files:pick',
  'imports:start',
  'imports:list',
  'jobs:get',
  'jobs:cancel',
  'fx:list',
  'usage:report',
  'dashboard:get',
  'imports:preview',
  'imports:undo',
  'imports:batches',
  'imports:formats',
  'reconciliation:get',
  'invoices:enter',
  'import-rules:get',
  'import-rules:set',
] as const;

export type ChannelName = (typeof API_CHANNELS)[number];
