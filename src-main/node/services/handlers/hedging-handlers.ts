import type { Handlers } from '../../../common/api/dispatch.ts';
import { DomainError } from '../../../common/errors.ts';
import { basisHedgeRatio, basisSeries } from '../../../common/hedging/exposure.ts';
import { INSTRUMENT_TEMPLATES, listedContractMonths } from '../../../common/hedging/instrument.ts';
import { createFxConverter } from '../../../common/money/fx.ts';
import { importMarketDataFile } from '../../importers/market-data/market-data-csv.ts';
import { appendAudit } from '../../workbook/audit-log-repo.ts';
import { deleteExposureMapping, exposureByMonth, findExposureMapping, listExposureMappings, saveExposureMapping } from '../../workbook/exposures-repo.ts';
import { listHedgePolicies, listPolicyVersions, saveHedgePolicy } from '../../workbook/hedge-policies-repo.ts';
import { getInstrument, listInstruments, listInstrumentVersions, saveInstrument } from '../../workbook/instruments-repo.ts';
import { loadFxRates } from '../../workbook/fx-rates-repo.ts';
import {
  countIndexFixings,
  countSettlementPrices,
  deleteSettlementPrice,
  forwardCurve,
  listIndexFixings,
  listSettlementPrices,
  monthlyIndexAverages,
  settlementDates,
  upsertIndexFixings,
  upsertSettlementPrices,
} from '../../workbook/market-data-repo.ts';
import type { ServiceDeps } from './deps.ts';

type HedgingChannel =
  | 'instruments:list'
  | 'instruments:templates'
  | 'instruments:versions'
  | 'instruments:save'
  | 'market:prices'
  | 'market:curve'
  | 'market:save-prices'
  | 'market:fixings'
  | 'market:save-fixings'
  | 'market:import'
  | 'exposures:list'
  | 'exposures:save'
  | 'exposures:delete'
  | 'market:basis'
  | 'policies:list'
  | 'policies:versions'
  | 'policies:save';

/** Instruments, market data, exposure mappings with their basis, and hedge policies. Every change is audited. */
export function hedgingHandlers(deps: ServiceDeps): Pick<Handlers, HedgingChannel> {
  const { db } = deps;
  const audit = (action: string, entity: string, entityId: string | null, before: unknown, after: unknown) =>
    appendAudit(db, { atMs: deps.clock.now(), actor: deps.actor, action, entity, entityId, before, after });
  const meta = () => ({ atMs: deps.clock.now(), actor: deps.actor });

  return {
    'instruments:list': () =>
      listInstruments(db).map((instrument) => {
        const prices = countSettlementPrices(db, instrument.code);
        return {
          ...instrument,
          priceCount: prices.count,
          lastPriceDate: prices.lastDate,
          fixingCount: countIndexFixings(db, instrument.index.code),
          listedMonths: listedContractMonths(instrument, deps.clock.today()),
        };
      }),

    'instruments:templates': () => INSTRUMENT_TEMPLATES.map((t) => structuredClone(t)),

    'instruments:versions': (request) => {
      const versions = listInstrumentVersions(db, request.code);
      if (versions.length === 0) throw new DomainError('not-found', `No instrument ${request.code} in this workbook`);
      return versions;
    },

    'instruments:save': (request) =>
      db.transaction(() => {
        const previous = listInstrumentVersions(db, request.instrument.code)[0] ?? null;
        const saved = saveInstrument(db, request.instrument, meta());
        if (saved.created) audit(previous ? 'new-version' : 'create', 'instrument', `${saved.instrument.code} v${saved.instrument.version}`, previous, saved.instrument);
        return saved;
      })(),

    'market:prices': (request) => {
      const instrument = getInstrument(db, request.code);
      return {
        code: instrument.code,
        currency: instrument.priceCurrency,
        priceUnit: instrument.priceUnit,
        prices: listSettlementPrices(db, request.code, { ...(request.fromDate ? { fromDate: request.fromDate } : {}), ...(request.toDate ? { toDate: request.toDate } : {}) }),
      };
    },

    'market:curve': (request) => {
      const instrument = getInstrument(db, request.code);
      const curve = forwardCurve(db, request.code, request.asOf);
      return { code: instrument.code, currency: instrument.priceCurrency, priceUnit: instrument.priceUnit, priceDate: curve.priceDate, points: curve.points, dates: settlementDates(db, request.code) };
    },

    'market:save-prices': (request) => {
      getInstrument(db, request.code);
      return db.transaction(() => {
        const writes = request.prices.filter((p) => p.priceMicros !== null);
        for (const [i, p] of writes.entries()) {
          if (p.priceMicros! <= 0) throw new DomainError('invalid-input', `prices[${i}]: the price must be greater than 0`, [{ path: `prices[${i}].priceMicros`, message: 'must be greater than 0' }]);
        }
        const counts = upsertSettlementPrices(
          db,
          request.code,
          writes.map((p) => ({ contractMonth: p.contractMonth, priceDate: p.priceDate, priceMicros: p.priceMicros!, source: `manual entry by ${deps.actor}` })),
          deps.clock.now(),
        );
        const deletions: { key: string; before: number }[] = [];
        for (const p of request.prices.filter((x) => x.priceMicros === null)) {
          const before = deleteSettlementPrice(db, request.code, p.contractMonth, p.priceDate);
          if (before !== undefined) deletions.push({ key: `${p.priceDate} ${p.contractMonth}`, before });
        }
        if (counts.inserted + counts.replaced + deletions.length > 0) {
          audit('manual-entry', 'settlement_prices', request.code, { replaced: counts.replacements, deleted: deletions }, { inserted: counts.inserted, replaced: counts.replaced, deleted: deletions.length });
        }
        return { inserted: counts.inserted, replaced: counts.replaced, unchanged: counts.unchanged, deleted: deletions.length };
      })();
    },

    'market:fixings': (request) => ({
      indexCode: request.indexCode,
      fixings: listIndexFixings(db, request.indexCode, { ...(request.fromDate ? { fromDate: request.fromDate } : {}), ...(request.toDate ? { toDate: request.toDate } : {}) }),
    }),

    'market:save-fixings': (request) =>
      db.transaction(() => {
        for (const [i, f] of request.fixings.entries()) {
          if (f.valueMicros <= 0) throw new DomainError('invalid-input', `fixings[${i}]: the value must be greater than 0`, [{ path: `fixings[${i}].valueMicros`, message: 'must be greater than 0' }]);
        }
        const counts = upsertIndexFixings(
          db,
          request.indexCode,
          request.fixings.map((f) => ({ date: f.date, valueMicros: f.valueMicros, currency: request.currency, source: `manual entry by ${deps.actor}` })),
          deps.clock.now(),
        );
        if (counts.inserted + counts.replaced > 0) {
          audit('manual-entry', 'index_fixings', request.indexCode, { replaced: counts.replacements }, { inserted: counts.inserted, replaced: counts.replaced });
        }
        return { inserted: counts.inserted, replaced: counts.replaced, unchanged: counts.unchanged };
      })(),

    'market:import': async (request) => {
      const file = deps.files.resolve(request.fileId);
      return importMarketDataFile(db, file, { code: request.code, clock: deps.clock, actor: deps.actor });
    },

    'exposures:list': (request) => {
      getInstrument(db, request.code);
      return listExposureMappings(db, request.code);
    },

    'exposures:save': (request) =>
      db.transaction(() => {
        const before = request.mappingId === undefined ? null : (findExposureMapping(db, request.mappingId) ?? null);
        const saved = saveExposureMapping(db, request.mapping, { ...meta(), ...(request.mappingId !== undefined ? { mappingId: request.mappingId } : {}) });
        audit(before ? 'update' : 'create', 'exposure_mapping', String(saved.mappingId), before, saved);
        return saved;
      })(),

    'exposures:delete': (request) =>
      db.transaction(() => {
        const deleted = deleteExposureMapping(db, request.mappingId);
        audit('delete', 'exposure_mapping', String(request.mappingId), deleted, null);
        return { deleted: true as const };
      })(),

    'market:basis': (request) => {
      const instrument = getInstrument(db, request.code);
      const mappings = listExposureMappings(db, request.code);
      const fx = createFxConverter(loadFxRates(db, instrument.priceCurrency), instrument.priceCurrency);
      const exposure = exposureByMonth(db, mappings, fx);
      const points = basisSeries(exposure.months, monthlyIndexAverages(db, instrument.index.code));
      const ratio = mappings.length ? basisHedgeRatio(points) : { ratio: null, changes: 0, reason: 'no exposure mapping: say which usage this instrument hedges' };
      return {
        code: instrument.code,
        currency: instrument.priceCurrency,
        quantityUnit: instrument.quantityUnit,
        mappings: mappings.length,
        points,
        hedgeRatio: ratio.ratio,
        changes: ratio.changes,
        reason: ratio.reason,
        missingFx: exposure.missingFx,
      };
    },

    'policies:list': () => listHedgePolicies(db),

    'policies:versions': (request) => listPolicyVersions(db, request.name),

    'policies:save': (request) =>
      db.transaction(() => {
        const previous = listPolicyVersions(db, request.policy.name.trim())[0] ?? null;
        const saved = saveHedgePolicy(db, request.policy, meta());
        if (saved.created) audit(previous ? 'new-version' : 'create', 'hedge_policy', `${saved.record.policy.name} v${saved.record.version}`, previous?.policy ?? null, saved.record.policy);
        return saved;
      })(),
  };
}
