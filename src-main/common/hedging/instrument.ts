import type { Issue } from '../errors.ts';
import { isCurrencyCode } from '../money/currency.ts';
import {
  addDays,
  addMonths,
  daysOfMonth,
  firstDayOfMonth,
  isIsoMonth,
  monthOf,
  msOfIsoDate,
  type IsoDate,
  type IsoMonth,
} from '../time/iso-date.ts';
import type { MarginModel } from './margin.ts';

/**
 * A contract specification ("instrument"), after hedging.md §(b): every economic field is entered by the user
 * and versioned, because no exchange has published terms for GPU-hour or AI-token futures (CME/Silicon Data and
 * ICE/Ornn are announced, SHFE's token future is in design research). A saved instrument never changes: an
 * edit writes a new version, and whatever used the old version (proposals, trades) keeps it.
 *
 * Units: `contractQuantity` of `quantityUnit` per contract (1,000 GPU-hours; 1,000 MTok = one billion tokens);
 * prices in micros of `priceCurrency` per `priceUnit` (USD per GPU-hour: $2.60 → 2_600_000; CNY per 1M tokens).
 */
export type InstrumentStatus = 'listed' | 'announced' | 'hypothetical' | 'otc';
export type InstrumentType = 'future' | 'swap' | 'forward';
export type UnderlyingKind = 'gpu-hour' | 'token' | 'composite';
export type SettlementType = 'cash' | 'physical';
/** Final settlement price: one fixing (on the last trading day), or the arithmetic average of the index's fixings over the contract month (as power futures do). */
export type SettlementMethod = 'single-fix' | 'average-of-month';

export const INSTRUMENT_STATUSES: readonly InstrumentStatus[] = ['listed', 'announced', 'hypothetical', 'otc'];
export const INSTRUMENT_TYPES: readonly InstrumentType[] = ['future', 'swap', 'forward'];
export const UNDERLYING_KINDS: readonly UnderlyingKind[] = ['gpu-hour', 'token', 'composite'];
export const SETTLEMENT_TYPES: readonly SettlementType[] = ['cash', 'physical'];
export const SETTLEMENT_METHODS: readonly SettlementMethod[] = ['single-fix', 'average-of-month'];

/** The index the contract settles against, and how that index is published. */
export type ReferenceIndex = {
  /** The code fixings are stored under, e.g. "DEMO-H100-RENTAL". */
  code: string;
  provider: string;
  name: string;
  /** Methodology, publication time and calendar, in the user's words or a URL. */
  methodology: string;
  /** What settles the contract when the index is not published (e.g. "last published value"). */
  fallbackRule: string;
};

/** Which contract months trade: the next N months, the next N quarter months (Mar/Jun/Sep/Dec), or a list. */
export type ListingRule =
  | { kind: 'consecutive-months'; count: number }
  | { kind: 'quarterly'; count: number }
  | { kind: 'custom'; months: string[] };

/** The last trading day: N business days (Mon–Fri) before the end of the contract month (0 = its last business day). */
export type LastTradingRule = { kind: 'business-days-before-month-end'; days: number };

export type SettlementRule = {
  type: SettlementType;
  method: SettlementMethod;
  /** Business days from the last trading day to payment of the final settlement. */
  paymentLagBusinessDays: number;
};

/** The fields the user edits; `code` names the product across its versions. */
export type InstrumentDraft = {
  code: string;
  name: string;
  status: InstrumentStatus;
  instrumentType: InstrumentType;
  venue: string;
  underlyingKind: UnderlyingKind;
  index: ReferenceIndex;
  contractQuantity: number;
  quantityUnit: string;
  priceCurrency: string;
  priceUnit: string;
  /** Smallest price step, in micros of the price currency per price unit. */
  tickSizeMicros: number;
  /** Money one tick is worth on one contract, in micros (normally tick size × contract quantity). */
  tickValueMicros: number;
  listing: ListingRule;
  lastTrading: LastTradingRule;
  settlement: SettlementRule;
  margin: MarginModel;
  /** Exchange and clearing fees per contract per side, in micros of the price currency. */
  feePerContractMicros: number;
  /** Where the terms come from (press release, exchange notice…) or why they are assumed. Required. */
  provenance: string;
};

export type Instrument = InstrumentDraft & {
  version: number;
  /** When this version was saved (epoch ms) and by whom. */
  createdAtMs: number;
  createdBy: string;
};

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** Every reason a draft cannot be saved, with the field at fault. An empty list means it can be saved. */
export function instrumentIssues(draft: InstrumentDraft): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const text = (path: string, value: string, max = 200) => {
    if (!value.trim()) add(path, 'must not be empty');
    else if (value.length > max) add(path, `must be at most ${max} characters`);
  };
  if (!CODE.test(draft.code)) add('code', 'must be 1–40 letters, digits, ".", "_" or "-", starting with a letter or digit');
  text('name', draft.name);
  if (!INSTRUMENT_STATUSES.includes(draft.status)) add('status', `must be one of ${INSTRUMENT_STATUSES.join(', ')}`);
  if (!INSTRUMENT_TYPES.includes(draft.instrumentType)) add('instrumentType', `must be one of ${INSTRUMENT_TYPES.join(', ')}`);
  text('venue', draft.venue);
  if (!UNDERLYING_KINDS.includes(draft.underlyingKind)) add('underlyingKind', `must be one of ${UNDERLYING_KINDS.join(', ')}`);
  if (!CODE.test(draft.index.code)) add('index.code', 'must be 1–40 letters, digits, ".", "_" or "-"');
  text('index.provider', draft.index.provider);
  text('index.name', draft.index.name);
  if (draft.index.methodology.length > 2000) add('index.methodology', 'must be at most 2,000 characters');
  if (draft.index.fallbackRule.length > 500) add('index.fallbackRule', 'must be at most 500 characters');
  if (!(Number.isFinite(draft.contractQuantity) && draft.contractQuantity > 0)) add('contractQuantity', 'must be a number greater than 0');
  text('quantityUnit', draft.quantityUnit, 40);
  if (!isCurrencyCode(draft.priceCurrency)) add('priceCurrency', 'must be an ISO 4217 code such as USD or CNY');
  text('priceUnit', draft.priceUnit, 40);
  if (!(Number.isSafeInteger(draft.tickSizeMicros) && draft.tickSizeMicros > 0)) add('tickSizeMicros', 'must be a whole number of micros greater than 0');
  if (!(Number.isSafeInteger(draft.tickValueMicros) && draft.tickValueMicros > 0)) add('tickValueMicros', 'must be a whole number of micros greater than 0');

  const listing = draft.listing;
  if (listing.kind === 'custom') {
    if (listing.months.length === 0) add('listing.months', 'needs at least one contract month');
    listing.months.forEach((m, i) => {
      if (!isIsoMonth(m)) add(`listing.months[${i}]`, `"${m}" is not a month YYYY-MM`);
    });
    if (new Set(listing.months).size !== listing.months.length) add('listing.months', 'must not repeat a month');
  } else if (!(Number.isInteger(listing.count) && listing.count >= 1 && listing.count <= 120)) {
    add('listing.count', 'must be a whole number of contract months from 1 to 120');
  }
  const lt = draft.lastTrading.days;
  if (!(Number.isInteger(lt) && lt >= 0 && lt <= 15)) add('lastTrading.days', 'must be a whole number of business days from 0 to 15');
  if (!SETTLEMENT_TYPES.includes(draft.settlement.type)) add('settlement.type', `must be one of ${SETTLEMENT_TYPES.join(', ')}`);
  if (!SETTLEMENT_METHODS.includes(draft.settlement.method)) add('settlement.method', `must be one of ${SETTLEMENT_METHODS.join(', ')}`);
  const lag = draft.settlement.paymentLagBusinessDays;
  if (!(Number.isInteger(lag) && lag >= 0 && lag <= 30)) add('settlement.paymentLagBusinessDays', 'must be a whole number of business days from 0 to 30');

  const margin = draft.margin;
  if (margin.kind === 'per-contract') {
    if (!(Number.isSafeInteger(margin.initialMicros) && margin.initialMicros >= 0)) add('margin.initialMicros', 'must be a whole, non-negative amount of micros');
    if (!(Number.isSafeInteger(margin.maintenanceMicros) && margin.maintenanceMicros >= 0)) add('margin.maintenanceMicros', 'must be a whole, non-negative amount of micros');
    else if (margin.maintenanceMicros > margin.initialMicros) add('margin.maintenanceMicros', 'must not be above the initial margin');
  } else {
    if (!(margin.initialFraction >= 0 && margin.initialFraction <= 1)) add('margin.initialFraction', 'must be between 0 and 1');
    if (!(margin.maintenanceFraction >= 0 && margin.maintenanceFraction <= 1)) add('margin.maintenanceFraction', 'must be between 0 and 1');
    else if (margin.maintenanceFraction > margin.initialFraction) add('margin.maintenanceFraction', 'must not be above the initial margin');
  }
  if (!(Number.isSafeInteger(draft.feePerContractMicros) && draft.feePerContractMicros >= 0)) add('feePerContractMicros', 'must be a whole, non-negative amount of micros');
  text('provenance', draft.provenance, 4000);
  return issues;
}

/** Monday–Friday; exchange holiday calendars are not modelled (a known simplification). */
export function isBusinessDay(date: IsoDate): boolean {
  const weekday = new Date(msOfIsoDate(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The last trading day of contract month `month` under `rule`. */
export function lastTradingDate(rule: LastTradingRule, month: IsoMonth): IsoDate {
  let date = addDays(firstDayOfMonth(month), daysOfMonth(month) - 1);
  while (!isBusinessDay(date)) date = addDays(date, -1);
  for (let left = rule.days; left > 0; ) {
    date = addDays(date, -1);
    if (isBusinessDay(date)) left--;
  }
  return date;
}

/**
 * The contract months trading on `date`: the front month is the first whose last trading day is on or after
 * `date`; then the next months by the listing rule.
 */
export function listedContractMonths(instrument: Pick<InstrumentDraft, 'listing' | 'lastTrading'>, date: IsoDate): IsoMonth[] {
  const listing = instrument.listing;
  if (listing.kind === 'custom') {
    return (listing.months as IsoMonth[]).filter((m) => lastTradingDate(instrument.lastTrading, m) >= date).sort();
  }
  let month = monthOf(date);
  if (lastTradingDate(instrument.lastTrading, month) < date) month = addMonths(month, 1);
  const months: IsoMonth[] = [];
  for (let m = month; months.length < listing.count; m = addMonths(m, 1)) {
    if (listing.kind === 'consecutive-months' || ['03', '06', '09', '12'].includes(m.slice(5))) months.push(m);
  }
  return months;
}

export function describeListing(listing: ListingRule): string {
  switch (listing.kind) {
    case 'consecutive-months':
      return `${listing.count} consecutive months`;
    case 'quarterly':
      return `${listing.count} quarterly months (Mar, Jun, Sep, Dec)`;
    case 'custom':
      return listing.months.join(', ');
  }
}

const TEMPLATE_PROVENANCE =
  'TEMPLATE — HYPOTHETICAL. No exchange has published contract terms for this product (as of mid-2026 GPU compute ' +
  'futures are announced by CME Group with Silicon Data and by ICE with Ornn, pending regulatory review; the ' +
  'Shanghai Futures Exchange is researching AI-token futures). Every economic field here is an assumption to be ' +
  'edited; record the source of each term you change.';

/**
 * Editable starting points, both clearly hypothetical: a cash-settled GPU-hour future on a daily H100 rental
 * index, averaged over the contract month (the design power futures use for non-storable flow goods), and an
 * AI-token future priced per million tokens of an SCU-style blend (1,000 input : 500 output tokens).
 */
export const INSTRUMENT_TEMPLATES: readonly InstrumentDraft[] = [
  {
    code: 'HYP-GPU-H100',
    name: 'Hypothetical H100 GPU-hour future (monthly average)',
    status: 'hypothetical',
    instrumentType: 'future',
    venue: 'Hypothetical exchange (template)',
    underlyingKind: 'gpu-hour',
    index: {
      code: 'HYP-H100-RENTAL',
      provider: 'Enter the index provider',
      name: 'H100 on-demand rental index, USD per GPU-hour (hypothetical)',
      methodology: 'Daily index of on-demand H100 rental prices per GPU-hour, published on US business days. Replace with the methodology of the index you use.',
      fallbackRule: 'Last published value if no fixing; revisions after expiry ignored.',
    },
    contractQuantity: 1000,
    quantityUnit: 'GPU-hour',
    priceCurrency: 'USD',
    priceUnit: 'GPU-hour',
    tickSizeMicros: 10_000,
    tickValueMicros: 10_000_000,
    listing: { kind: 'consecutive-months', count: 12 },
    lastTrading: { kind: 'business-days-before-month-end', days: 0 },
    settlement: { type: 'cash', method: 'average-of-month', paymentLagBusinessDays: 2 },
    margin: { kind: 'fraction-of-notional', initialFraction: 0.1, maintenanceFraction: 0.075 },
    feePerContractMicros: 2_500_000,
    provenance: TEMPLATE_PROVENANCE,
  },
  {
    code: 'HYP-TOKEN-BLEND',
    name: 'Hypothetical AI-token future (blended 1M tokens)',
    status: 'hypothetical',
    instrumentType: 'future',
    venue: 'Hypothetical exchange (template)',
    underlyingKind: 'token',
    index: {
      code: 'HYP-TOKEN-INDEX',
      provider: 'Enter the index provider',
      name: 'Blended token price index per 1M tokens (hypothetical)',
      methodology: 'Price of 1,000 input + 500 output tokens averaged over a basket of models, scaled to 1M blended tokens (SCU-style). Replace with the methodology of the index you use.',
      fallbackRule: 'Last published value if no fixing; revisions after expiry ignored.',
    },
    contractQuantity: 1000,
    quantityUnit: 'MTok',
    priceCurrency: 'CNY',
    priceUnit: '1M tokens',
    tickSizeMicros: 10_000,
    tickValueMicros: 10_000_000,
    listing: { kind: 'consecutive-months', count: 12 },
    lastTrading: { kind: 'business-days-before-month-end', days: 0 },
    settlement: { type: 'cash', method: 'average-of-month', paymentLagBusinessDays: 2 },
    margin: { kind: 'fraction-of-notional', initialFraction: 0.12, maintenanceFraction: 0.09 },
    feePerContractMicros: 5_000_000,
    provenance: TEMPLATE_PROVENANCE,
  },
];
