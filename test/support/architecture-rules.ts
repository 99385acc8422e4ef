import { dirname, join, normalize, relative } from 'node:path';

/**
 * The runtime layering of STYLE.md §1: which folders and packages the code in each folder may import.
 * Paths are relative to the repository root, with "/" separators.
 */
export const LAYERS = [
  { folder: 'src-main/common/', folders: ['src-main/common/'], packages: ['zod'] },
  { folder: 'src-main/node/', folders: ['src-main/node/', 'src-main/common/'], packages: ['node:', 'better-sqlite3', 'zod'] },
  {
    folder: 'src-main/electron-main/',
    folders: ['src-main/electron-main/', 'src-main/node/', 'src-main/common/'],
    packages: ['electron', 'node:'],
  },
  { folder: 'src-main/preload/', folders: ['src-main/common/api/channels.ts', 'src-main/common/api/bridge.ts'], packages: ['electron'] },
  { folder: 'src-renderer/', folders: ['src-renderer/', 'src-main/common/'], packages: ['react', 'react-dom', 'recharts'] },
] as const;

export type Violation = { file: string; line: number; message: string };

// `… from 'x';` ending a line (static imports and re-exports, also multi-line ones), `import 'x';`, `import('x')`, `require('x')`.
const IMPORT_PATTERNS = [
  /\bfrom\s*['"]([^'"]+)['"]\s*;?\s*$/,
  /^\s*import\s*['"]([^'"]+)['"]/,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function importsOfLine(text: string): string[] {
  const found: string[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    if (pattern.global) for (const m of text.matchAll(pattern)) found.push(m[1]!);
    else {
      const m = pattern.exec(text);
      if (m) found.push(m[1]!);
    }
  }
  return found;
}

/** The imports of a module that break the layering, each with a message naming the file and the import. */
export function checkImports(file: string, source: string): Violation[] {
  const layer = LAYERS.find((l) => file.startsWith(l.folder));
  if (!layer) return [];
  const violations: Violation[] = [];
  const lines = source.split('\n');
  lines.forEach((text, index) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(text)) return;
    for (const specifier of importsOfLine(text)) {
      if (specifier.startsWith('.')) {
        const target = normalize(join(dirname(file), specifier)).split('\\').join('/');
        if (!(layer.folders as readonly string[]).some((allowed) => target.startsWith(allowed) || target === allowed)) {
          violations.push({
            file,
            line: index + 1,
            message: `${file}:${index + 1} imports '${specifier}' (${target}); code in ${layer.folder} may import only ${layer.folders.join(', ')}`,
          });
        }
      } else if (!(layer.packages as readonly string[]).some((p) => specifier === p || specifier.startsWith(p.endsWith(':') ? p : `${p}/`))) {
        violations.push({
          file,
          line: index + 1,
          message: `${file}:${index + 1} imports the package '${specifier}'; code in ${layer.folder} may import only ${layer.packages.join(', ')}`,
        });
      }
    }
  });
  if (layer.folder === 'src-main/common/') {
    lines.forEach((text, index) => {
      if (/^\s*(\/\/|\*|\/\*)/.test(text)) return;
      if (/\bDate\.now\(|new Date\(\)|\b(window|document|process|Buffer)\./.test(text)) {
        violations.push({
          file,
          line: index + 1,
          message: `${file}:${index + 1} reads the clock or a runtime global; the pure domain gets "now" from a Clock and uses no runtime`,
        });
      }
    });
  }
  return violations;
}

export function toRepoPath(root: string, absolute: string): string {
  return relative(root, absolute).split('\\').join('/');
}
