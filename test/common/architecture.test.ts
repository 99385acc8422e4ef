import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImports, toRepoPath } from '../support/architecture-rules.ts';
import { ROOT } from '../support/paths.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe('architecture rules', () => {
  it('reject the pure domain importing better-sqlite3, node: modules or React', () => {
    const source = "import Database from 'better-sqlite3';\nimport { readFileSync } from 'node:fs';\nimport React from 'react';\n";
    const violations = checkImports('src-main/common/money/bad.ts', source);
    expect(violations.map((v) => v.line)).toEqual([1, 2, 3]);
    expect(violations[0]!.message).toContain("src-main/common/money/bad.ts:1 imports the package 'better-sqlite3'");
  });

  it('reject the page importing src-main/node', () => {
    const violations = checkImports('src-renderer/pages/Bad.tsx', "import { openWorkbook } from '../../src-main/node/workbook/open-workbook.ts';\n");
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain('may import only src-renderer/, src-main/common/');
  });

  it('reject node code importing electron and common code reading the clock', () => {
    expect(checkImports('src-main/node/x.ts', "import { app } from 'electron';")).toHaveLength(1);
    expect(checkImports('src-main/common/x.ts', 'const now = Date.now();')).toHaveLength(1);
  });

  it('accept the imports each layer is allowed', () => {
    expect(checkImports('src-main/node/x.ts', "import { z } from 'zod';\nimport { a } from '../common/a.ts';\nimport fs from 'node:fs';")).toEqual([]);
    expect(checkImports('src-main/preload/index.ts', "import { contextBridge } from 'electron';\nimport { API_CHANNELS } from '../common/api/channels.ts';")).toEqual([]);
  });

  it('hold for every source file of the project', () => {
    const files = [...sourceFiles(join(ROOT, 'src-main')), ...sourceFiles(join(ROOT, 'src-renderer'))];
    expect(files.length).toBeGreaterThan(40);
    const violations = files.flatMap((f) => checkImports(toRepoPath(ROOT, f), readFileSync(f, 'utf8')));
    expect(violations.map((v) => v.message)).toEqual([]);
  });
});
