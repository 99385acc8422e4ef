import { DomainError } from '../../../common/errors.ts';
import type { LoadedTable } from './table.ts';
import type { ZipEntry } from './zip-reader.ts';

/**
 * Reads the first worksheet of an Excel workbook (.xlsx, from the ZIP's entries) as a table: the first non-empty
 * row is the header. Shared and inline strings, numbers as Excel stores them (exact text, so "0.1" stays "0.1"),
 * booleans. Dates are Excel serial numbers; the mappers read them (see `parseDateCell`).
 */
export function tableFromXlsx(entries: readonly ZipEntry[]): LoadedTable {
  const file = (name: string) => entries.find((e) => e.name.toLowerCase() === name.toLowerCase())?.data.toString('utf8');
  const workbook = file('xl/workbook.xml');
  if (!workbook) throw new DomainError('invalid-input', 'not an Excel workbook (xl/workbook.xml is missing)');
  const firstSheetRel = /<sheet\b[^>]*\br:id="([^"]+)"/.exec(workbook)?.[1];
  const rels = file('xl/_rels/workbook.xml.rels') ?? '';
  let target = 'worksheets/sheet1.xml';
  if (firstSheetRel) {
    const rel = new RegExp(`<Relationship\\b[^>]*Id="${firstSheetRel}"[^>]*>`).exec(rels)?.[0];
    const t = rel && /Target="([^"]+)"/.exec(rel)?.[1];
    if (t) target = t.replace(/^\/?xl\//, '');
  }
  const sheet = file(`xl/${target}`);
  if (!sheet) throw new DomainError('invalid-input', `the workbook's first sheet (${target}) is missing`);
  const shared: string[] = [];
  const sst = file('xl/sharedStrings.xml');
  if (sst) {
    for (const si of sst.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
      shared.push([...si[1]!.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((t) => unescapeXml(t[1]!)).join(''));
    }
  }
  const rows: string[][] = [];
  for (const row of sheet.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells: string[] = [];
    for (const c of row[1]!.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1]!;
      const ref = /\br="([A-Z]+)\d+"/.exec(attrs)?.[1];
      const type = /\bt="([^"]+)"/.exec(attrs)?.[1];
      const body = c[2] ?? '';
      let text = '';
      if (type === 's') text = shared[Number(/<v>([\s\S]*?)<\/v>/.exec(body)?.[1])] ?? '';
      else if (type === 'inlineStr') text = [...body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((t) => unescapeXml(t[1]!)).join('');
      else text = unescapeXml(/<v>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? '');
      if (type === 'b') text = text === '1' ? 'TRUE' : 'FALSE';
      const index = ref ? columnIndex(ref) : cells.length;
      while (cells.length < index) cells.push('');
      cells[index] = text;
    }
    rows.push(cells);
  }
  const start = rows.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (start < 0) throw new DomainError('invalid-input', 'the first sheet is empty');
  const header = rows[start]!.map((h) => h.trim());
  const records = rows
    .slice(start + 1)
    .map((cells, i) => ({ cells, line: start + i + 2 }))
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''))
    .map(({ cells, line }, i) => ({ fields: header.map((_, j) => cells[j] ?? ''), row: i + 1, line, ref: `row ${line}` }));
  return { entry: '', kind: 'xlsx', header, records };
}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    switch (e.toLowerCase()) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    }
  });
}

/** Writes a one-sheet .xlsx (inline strings; numbers as numbers) — for tests and the demo. */
export function xlsxEntries(header: readonly string[], rows: readonly (readonly string[])[]): ZipEntry[] {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const col = (i: number) => (i >= 26 ? String.fromCharCode(64 + Math.floor(i / 26)) : '') + String.fromCharCode(65 + (i % 26));
  const rowXml = (cells: readonly string[], r: number) =>
    `<row r="${r}">${cells
      .map((v, i) =>
        /^-?\d+(\.\d+)?$/.test(v) ? `<c r="${col(i)}${r}"><v>${v}</v></c>` : `<c r="${col(i)}${r}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`,
      )
      .join('')}</row>`;
  const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${[header, ...rows]
    .map((r, i) => rowXml(r, i + 1))
    .join('')}</sheetData></worksheet>`;
  const b = (s: string) => Buffer.from(s, 'utf8');
  return [
    { name: '[Content_Types].xml', data: b('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
    { name: 'xl/workbook.xml', data: b('<?xml version="1.0"?><workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>') },
    { name: 'xl/_rels/workbook.xml.rels', data: b('<?xml version="1.0"?><Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>') },
    { name: 'xl/worksheets/sheet1.xml', data: b(sheet) },
  ];
}
