import type { Database } from 'better-sqlite3';
import { DomainError } from '../../common/errors.ts';
import { findColumnMapping } from '../workbook/import-settings-repo.ts';
import { anthropicConsoleCostFormat, anthropicConsoleUsageFormat, anthropicCostFormat, anthropicUsageFormat } from './formats/anthropic.ts';
import { deepseekAmountFormat, deepseekCostFormat, alibabaBillFormat } from './formats/chinese.ts';
import { awsCurFormat, azureCostDetailsFormat, gcpBillingFormat } from './formats/cloud.ts';
import { createMappedMapper, type ColumnMapping } from './formats/custom-mapping.ts';
import { openaiCostsFormat, openaiUsageFormat } from './formats/openai.ts';
import { createFocusMapper } from './focus/focus-mapper.ts';
import { detectFocus } from './focus/focus-columns.ts';
import { createFxRatesMapper, detectFxRates } from './fx/fx-rates-mapper.ts';
import type { FormatDefinition, FormatMatch } from './row-outcome.ts';
import type { ContainerKind } from './sources/table.ts';

/** Every format the importer recognises. Each new importer adds its definition here. */
export const FORMATS: readonly FormatDefinition[] = [
  { id: 'focus', label: 'FOCUS cost and usage (1.0–1.3, pre-1.0 names)', detect: (h) => detectFocus(h), createMapper: createFocusMapper },
  { id: 'fx-rates', label: 'FX rates (date, base, quote, rate)', detect: (h) => detectFxRates(h), createMapper: (h, c) => createFxRatesMapper(h, c.fileName) },
  openaiUsageFormat,
  openaiCostsFormat,
  anthropicUsageFormat,
  anthropicCostFormat,
  anthropicConsoleUsageFormat,
  anthropicConsoleCostFormat,
  azureCostDetailsFormat,
  awsCurFormat,
  gcpBillingFormat,
  deepseekAmountFormat,
  deepseekCostFormat,
  alibabaBillFormat,
];

/** Every format that matches a table, best first, with its confidence (0–1). */
export function detectFormats(header: readonly string[], samples: readonly (readonly string[])[], container: ContainerKind): FormatMatch[] {
  const matches: FormatMatch[] = [];
  for (const f of FORMATS) {
    const d = f.detect(header, samples, container);
    if (d) {
      matches.push({
        format: f.id,
        label: f.label,
        version: d.version,
        confidence: Math.round(Math.min(1, d.confidence) * 100) / 100,
        createMapper: (context) => f.createMapper(header, context),
      });
    }
  }
  return matches.sort((a, b) => b.confidence - a.confidence);
}

export function customMappingMatch(header: readonly string[], mapping: ColumnMapping, name: string, confidence: number): FormatMatch {
  return {
    format: 'custom-mapping',
    label: `Column mapping "${name}"`,
    version: '1',
    confidence,
    mapping,
    createMapper: (context) => {
      try {
        return createMappedMapper(header, mapping, context);
      } catch (error) {
        throw new DomainError('invalid-input', `the column mapping does not fit this file: ${(error as Error).message}`);
      }
    },
  };
}

/**
 * The format to read a table with: the user's mapping when given; else the user's chosen format; else the best
 * detected format; else a column mapping saved earlier for the same header.
 */
export function chooseFormat(
  db: Database,
  header: readonly string[],
  samples: readonly (readonly string[])[],
  container: ContainerKind,
  choice: { format?: string | undefined; mapping?: ColumnMapping | undefined; mappingName?: string | undefined },
): FormatMatch | undefined {
  if (choice.mapping) return customMappingMatch(header, choice.mapping, choice.mappingName ?? 'wizard', 1);
  const detected = detectFormats(header, samples, container);
  if (choice.format && choice.format !== 'auto') {
    const definition = FORMATS.find((f) => f.id === choice.format);
    if (!definition) throw new DomainError('invalid-input', `unknown format "${choice.format}"; known: ${FORMATS.map((f) => f.id).join(', ')}`);
    const found = detected.find((m) => m.format === choice.format);
    // The user's choice is certain (the report says so); the detection still tells the version.
    return (
      (found && { ...found, confidence: 1 }) ?? {
        format: definition.id,
        label: definition.label,
        version: 'chosen',
        confidence: 1,
        createMapper: (context) => definition.createMapper(header, context),
      }
    );
  }
  if (detected[0]) return detected[0];
  const saved = findColumnMapping(db, header);
  if (saved) return customMappingMatch(header, JSON.parse(saved.mappingJson) as ColumnMapping, saved.name, 0.95);
  return undefined;
}

export const SUPPORTED_FORMATS_TEXT =
  'FOCUS 1.0–1.3, OpenAI usage/costs (JSON, CSV), Anthropic usage/cost reports and Console CSVs, Azure cost details, ' +
  'AWS CUR, Google Cloud billing export, DeepSeek usage ZIP, Alibaba Cloud bill detail, FX rates (date,base,quote,rate)';
