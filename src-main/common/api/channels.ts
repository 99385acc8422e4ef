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
  'forecast:segments',
  'forecast:run',
  'forecast:save',
  'forecast:runs',
  'forecast:get-run',
] as const;

export type ChannelName = (typeof API_CHANNELS)[number];
