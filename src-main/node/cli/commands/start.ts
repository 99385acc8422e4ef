import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../../project-root.ts';
import { serveCommand } from './serve.ts';
import type { Command } from './shared.ts';

const BIN = `${PROJECT_ROOT}node_modules/.bin/`;

export const startCommand: Command = {
  usage: `start  [--workbook FILE]
      Starts the desktop app; where Electron cannot be installed, serve mode in the browser instead.`,
  run: startApp,
};

/**
 * `npm start`: the desktop app when Electron can run here; otherwise the same app in the browser through serve
 * mode, so the command works on locked-down machines too (Electron's binary is downloaded from GitHub on first
 * start, which some networks block).
 */
async function startApp(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { workbook: { type: 'string' } }, strict: true });
  const env = { ...process.env, ...(values.workbook ? { TOKENHEDGE_WORKBOOK: values.workbook } : {}) };
  if (electronReady() || installElectron()) {
    const child = spawn(`${BIN}electron-vite`, ['preview'], { stdio: 'inherit', env, cwd: PROJECT_ROOT });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  }
  process.stdout.write(
    '\nElectron could not be installed on this machine (its binary comes from GitHub), so TokenHedge starts in ' +
      'serve mode: the same app, in your browser.\n\n',
  );
  const build = spawnSync(`${BIN}electron-vite`, ['build'], { stdio: 'inherit', cwd: PROJECT_ROOT, env });
  if (build.status !== 0) return build.status ?? 1;
  return serveCommand.run(values.workbook ? ['--workbook', values.workbook] : []);
}

function electronReady(): boolean {
  const pathFile = `${PROJECT_ROOT}node_modules/electron/path.txt`;
  if (!existsSync(pathFile)) return false;
  return existsSync(`${PROJECT_ROOT}node_modules/electron/dist/${readFileSync(pathFile, 'utf8').trim()}`);
}

function installElectron(): boolean {
  if (!existsSync(`${BIN}install-electron`)) return false;
  process.stdout.write('Installing the Electron binary (first start only)…\n');
  const result = spawnSync(`${BIN}install-electron`, ['--no'], { stdio: ['ignore', 'inherit', 'pipe'], cwd: PROJECT_ROOT, timeout: 300_000 });
  if (result.status !== 0) {
    const reason = String(result.stderr ?? '').split('\n').find((line) => line.trim()) ?? `exit code ${result.status}`;
    process.stdout.write(`The download failed: ${reason.trim()}\n`);
  }
  return result.status === 0 && electronReady();
}
