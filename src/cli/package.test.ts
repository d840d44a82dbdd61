import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

// The package people install: `npm pack` builds the CLI bundle (prepack) and ships it; installed from
// the tarball into an empty project, `npx vgpio` works and pulls in no dependency at all (the bundle
// is self-contained; the app's React, zustand, xterm are devDependencies).

const root = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vgpio-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** npm with the environment of a user's shell, not of the `npm test` that may be running us. */
function npm(args: string[], cwd: string, cmd = 'npm'): SpawnSyncReturns<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 170_000 });
}
const npx = (args: string[], cwd: string): SpawnSyncReturns<string> => npm(['--no', ...args], cwd, 'npx');

describe('npm pack, then install the tarball', () => {
  test('the tarball carries the bundle; installed in an empty project, `npx vgpio list` and `run` work, with no dependencies', () => {
    const pack = npm(['pack', '--json', '--pack-destination', dir], root);
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path).sort();
    expect(files).toContain('bin/vgpio.mjs');
    expect(files).toContain('dist-cli/vgpio.mjs');
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('e2e/') || f.startsWith('node_modules/'))).toEqual([]);
    const tarball = join(dir, info!.filename);
    expect(existsSync(tarball)).toBe(true);

    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'try-vgpio', version: '1.0.0', private: true }));
    const install = npm(['install', '--no-audit', '--no-fund', tarball], app);
    expect(install.status, install.stderr).toBe(0);
    // Nothing but vgpio-lab itself and its optional dependencies (koffi, for `vgpio guest` only) is installed.
    const optional = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { optionalDependencies?: object }).optionalDependencies ?? {});
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.')).sort()).toEqual([...optional, 'vgpio-lab'].sort());

    const list = npx(['vgpio', 'list'], app);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^calm-board\s+A calm board$/m);
    expect(list.stdout).toContain('Run one with: vgpio run <id>');

    const run = npx(['vgpio', 'run', 'calm-board', '--json'], app);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ title: 'A calm board', ok: true });
  }, 180_000);
});
