import type { ResponseOf } from '../../../src-main/common/api/contract.ts';
import type { ColumnMappingSpec } from '../../../src-main/common/api/contracts/import-engine.ts';
import { guessColumnMapping, type MappingDraft } from '../../../src-main/common/imports/guess-column-mapping.ts';

export type Preview = ResponseOf<'imports:preview'>;
export type PreviewTable = Preview['tables'][number];

/** How the user wants a file read: as detected, as a chosen format, or through a column mapping. */
export type Choice =
  | { kind: 'auto' }
  | { kind: 'format'; format: string }
  | { kind: 'mapping'; draft: MappingDraft; saveAs: string; save: boolean };

/** A file on the import page, from the moment it is dropped until it is imported. */
export type ChosenFile = {
  key: string;
  name: string;
  sizeBytes: number;
  /** Serve mode: the browser's file, uploaded before it is previewed. */
  file?: File;
  fileId?: string;
  uploaded: number;
  stage: 'waiting' | 'uploading' | 'reading' | 'ready' | 'failed';
  preview?: Preview;
  /** True while the preview is read again for a new choice. */
  refreshing: boolean;
  error?: unknown;
  choice: Choice;
};

/** What a mapping still lacks before a file can be read through it. */
export function mappingProblems(draft: MappingDraft): string[] {
  const problems: string[] = [];
  if (!draft.date) problems.push('Choose the column that holds the date.');
  if (!draft.cost && !draft.tokens) problems.push('Choose a cost column or a tokens column (or both).');
  for (const key of ['currency', 'provider'] as const) {
    const v = draft[key];
    if (typeof v === 'object' && !v.fixed.trim()) problems.push(`Type the ${key} that applies to every row, or choose its column.`);
  }
  if (typeof draft.currency === 'object' && draft.currency.fixed.trim() && !/^[A-Za-z]{3}$/.test(draft.currency.fixed.trim())) {
    problems.push(`"${draft.currency.fixed}" is not a currency code: use three letters such as EUR.`);
  }
  return problems;
}

/** The mapping the API takes, from a draft that passed `mappingProblems`. */
export function mappingOf(draft: MappingDraft): ColumnMappingSpec {
  const clean = Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== undefined && v !== '')) as ColumnMappingSpec;
  return clean;
}

/** A mapping to start the editor with: the one saved for this header, or a guess from the columns. */
export function initialMapping(file: ChosenFile): Extract<Choice, { kind: 'mapping' }> {
  const table = file.preview?.tables[0];
  const saved = table?.savedColumnMapping;
  const draft: MappingDraft = saved ? { ...saved } : guessColumnMapping(table?.header ?? [], table?.rows ?? []);
  const base = file.name.replace(/\.[^.]+$/, '').replace(/[-_ ]*\d{4}[-_]?\d{2}([-_]?\d{2})?.*$/, '').replace(/[-_]+/g, ' ').trim() || file.name;
  return { kind: 'mapping', draft, saveAs: table?.savedMapping ?? `${base} (column mapping)`, save: true };
}

/** Why a file cannot be imported as it stands, or null when it can. */
export function notReadyReason(file: ChosenFile): string | null {
  if (file.stage === 'failed') return 'it could not be read';
  if (file.stage !== 'ready' || !file.preview) return 'it is still being read';
  if (file.choice.kind === 'mapping') {
    const problems = mappingProblems(file.choice.draft);
    if (problems.length) return 'its column mapping is not complete';
    const error = file.preview.tables.find((t) => t.trial.error)?.trial.error;
    return error ? 'its column mapping does not fit it' : null;
  }
  if (file.choice.kind === 'auto' && file.preview.tables.some((t) => !t.chosen)) return 'no format recognises it: map its columns';
  return null;
}

/** The per-file choice for `imports:start`, or undefined when the file is read as detected. */
export function choiceRequest(file: ChosenFile): { fileId: string; format?: string; mapping?: ColumnMappingSpec; saveMappingAs?: string } | undefined {
  const c = file.choice;
  if (c.kind === 'format') return { fileId: file.fileId!, format: c.format };
  if (c.kind === 'mapping') {
    return { fileId: file.fileId!, mapping: mappingOf(c.draft), ...(c.save && c.saveAs.trim() ? { saveMappingAs: c.saveAs.trim() } : {}) };
  }
  return undefined;
}

/** "high" from 90 %, "medium" from 75 %, else "low": how much to trust a detection. */
export function confidenceLevel(confidence: number): 'high' | 'medium' | 'low' {
  return confidence >= 0.9 ? 'high' : confidence >= 0.75 ? 'medium' : 'low';
}
