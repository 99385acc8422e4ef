import type { z } from 'zod';
import type { ChannelName } from './channels.ts';
import { appContract } from './contracts/app.ts';
import { hedgingContract } from './contracts/hedging.ts';
import { forecastContract } from './contracts/forecast.ts';
import { importsContract } from './contracts/imports.ts';
import { importEngineContract } from './contracts/import-engine.ts';
import { proposalsContract } from './contracts/proposals.ts';
import { usageContract } from './contracts/usage.ts';

/**
 * The one API between the page (or the CLI) and the services: channel → request and response schemas, one
 * module per feature under `contracts/`. Channel names are `noun:verb`. Every transport validates the request
 * against `request` before a handler runs; handlers return data matching `response`.
 */
export const contract = {
  ...appContract,
  ...importsContract,
  ...importEngineContract,
  ...usageContract,
  ...hedgingContract,
  ...forecastContract,
  ...proposalsContract,
} as const satisfies Record<ChannelName, { request: z.ZodType; response: z.ZodType }>;

export type Channel = keyof typeof contract;
/** What a caller sends (defaults may be left out). */
export type RequestOf<C extends Channel> = z.input<(typeof contract)[C]['request']>;
/** What a handler receives (defaults filled in). */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof contract)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof contract)[C]['response']>;
