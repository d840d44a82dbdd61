import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCliInto, cli } from './cli-harness';

const SCENARIO = {
  version: 1,
  title: 'files: one press',
  seed: 3,
  duration: '1ms',
  device: { lines: [{ name: 'button', pull: 'up' }] },
  world: { button: { kind: 'button' } },
  clients: [{ kind: 'irq-consumer', line: 'button', trigger: 'edge-falling' }],
  timeline: [{ at: '300us', do: 'press', line: 'button', hold: '100us' }],
  expect: { total: { delivered: 1 } },
};

let dir = '';
let scenario = '';
let launcher = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vgpio-files-'));
  scenario = join(dir, 'scenario.json');
  writeFileSync(scenario, JSON.stringify(SCENARIO));
  launcher = await buildCliInto(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sub = (): string => mkdtempSync(join(dir, 'case-'));

describe('output files', () => {
  test('`--trace -` writes the JSON Lines to stdout and the summary to stderr; `--vcd -` too', async () => {
    const r = await cli('run', scenario, '--trace', '-');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'vgpio-trace', title: SCENARIO.title });
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect(r.stderr).toContain('result: ok');
    expect(r.stderr).toMatch(/wrote stdout \(JSON Lines, \d+ events, \d+ bytes\)/);

    const v = await cli('run', scenario, '--vcd', '-');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\$date /);
    expect(v.stdout).not.toContain('result:');
    expect(v.stderr).toContain('result: ok');
  });

  test('`--json` with an export to `-` is refused (exit 2): both would be on stdout', async () => {
    const r = await cli('run', scenario, '--json', '--trace', '-');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--json cannot be combined with --trace -');
    const both = await cli('run', scenario, '--vcd', '-', '--trace', '-');
    expect(both.code).toBe(2);
  });

  test('a symlink to a regular file: the file it points at is replaced, the link stays a link', async () => {
    const d = sub();
    const real = join(d, 'real.jsonl');
    writeFileSync(real, 'old\n');
    chmodSync(real, 0o640);
    const link = join(d, 'link.jsonl');
    symlinkSync('real.jsonl', link);
    const r = await cli('run', scenario, '--trace', link);
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('real.jsonl');
    expect(readFileSync(real, 'utf8')).toMatch(/^\{"format":"vgpio-trace"/);
    expect(statSync(real).mode & 0o777).toBe(0o640);
    expect(readdirSync(d).sort()).toEqual(['link.jsonl', 'real.jsonl']);
  });

  test('a dangling symlink creates the file it names, in that file\'s folder', async () => {
    const d = sub();
    const link = join(d, 'out.vcd');
    symlinkSync(join(d, 'target.vcd'), link);
    const r = await cli('run', scenario, '--vcd', link);
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'target.vcd'), 'utf8')).toMatch(/^\$date /);
  });

  test('a symlink standing in for /dev/stdout that points at /dev/null: written through, link and device untouched', async () => {
    const d = sub();
    const link = join(d, 'stdout');
    symlinkSync('/dev/null', link);
    const r = await cli('run', scenario, '--trace', link, '--vcd', join(d, 'x.vcd'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('/dev/null');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync(d).sort()).toEqual(['stdout', 'x.vcd']);
  });

  test('a FIFO (behind a symlink) is written straight through: its reader gets the whole trace, and it stays a FIFO', async () => {
    const d = sub();
    const fifo = join(d, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const link = join(d, 'stdout');
    symlinkSync(fifo, link);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.setEncoding('utf8').on('data', (s: string) => (got += s));
    const done = new Promise<void>((res) => reader.on('close', () => res()));
    // A separate process with a timeout: if the FIFO were not opened, nothing here may hang.
    const r = await new Promise<{ status: number | null; signal: string | null; stdout: string }>((res) => {
      const child = spawn(process.execPath, [launcher, 'run', scenario, '--trace', link], { timeout: 10_000 });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
      child.on('close', (status, signal) => res({ status, signal, stdout }));
    });
    const timer = setTimeout(() => reader.kill(), 5_000);
    await done;
    clearTimeout(timer);
    expect(r.signal).toBe(null);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('result: ok');
    expect(got.split('\n')[0]).toMatch(/^\{"format":"vgpio-trace"/);
    expect(got.trim().split('\n').length).toBeGreaterThan(10);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  test('a socket is never replaced (exit 2 before running)', async () => {
    const d = sub();
    const sock = join(d, 'sock');
    const server = createServer();
    await new Promise<void>((res) => server.listen(sock, () => res()));
    try {
      const r = await cli('run', scenario, '--vcd', sock);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('is a socket');
      expect(lstatSync(sock).isSocket()).toBe(true);
    } finally {
      await new Promise<void>((res) => server.close(() => res()));
    }
  });

  test('two names for one file are refused', async () => {
    const d = sub();
    symlinkSync(join(d, 'a.out'), join(d, 'b.out'));
    const r = await cli('run', scenario, '--vcd', join(d, 'a.out'), '--trace', join(d, 'b.out'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('name the same file');
  });
});
