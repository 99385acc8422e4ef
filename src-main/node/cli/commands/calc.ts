import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CALCULATIONS, type CalculationName } from '../../../common/hedging/calc.ts';
import { DomainError } from '../../../common/errors.ts';
import { UsageError } from '../usage-error.ts';
import type { Command } from './shared.ts';

const NAMES = Object.keys(CALCULATIONS) as CalculationName[];

export const calcCommand: Command = {
  usage: `calc ${NAMES.join('|')} --input FILE.json
      One hedging calculation, JSON in and one JSON object out (schemas in docs/cli.md); "-" reads stdin.`,
  run: calc,
};

async function calc(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { input: { type: 'string' } }, allowPositionals: true, strict: true });
  const [name, ...extra] = positionals;
  if (!name || !Object.hasOwn(CALCULATIONS, name)) {
    throw new UsageError(`calc needs a calculation name: ${NAMES.join(', ')}${name ? ` (not "${name}")` : ''}`);
  }
  if (extra.length > 0) throw new UsageError(`calc takes one calculation name, not "${extra.join(' ')}"`);
  if (!values.input) throw new UsageError(`calc ${name} needs --input FILE.json`);
  const text = readInput(values.input);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new DomainError('invalid-input', `${values.input}: not valid JSON (${(error as Error).message})`);
  }
  const result = CALCULATIONS[name as CalculationName](input);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

function readInput(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new DomainError('not-found', `${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}
