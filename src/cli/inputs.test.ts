import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCliInto, cli } from './cli-harness';

// Inputs that are not regular files are refused before any read: /dev/zero never
// ends (it grew a 12 GB string), and a FIFO without a writer blocks forever.
// These run in a child process with a timeout, so the test finishes even if it would hang.

let dir = '';
let launcher = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vgpio-inputs-'));
  launcher = await buildCliInto(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...argv: string[]) => spawnSync(process.execPath, [launcher, ...argv], { encoding: 'utf8', timeout: Number(process.env.VGPIO_TEST_TIMEOUT ?? 10_000) });

describe('scenario inputs that are not regular files', () => {
  test('/dev/zero (a character device) is refused with exit 2 and a clear message', () => {
    const t0 = Date.now();
    const r = run('run', '/dev/zero');
    expect(r.signal).toBe(null);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('vgpio: /dev/zero: is a character device, not a regular file; vgpio reads scenarios from regular files only\n');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test('a FIFO with no writer is refused at once (no hang), also behind a symlink, for run and link', () => {
    const fifo = join(dir, 'scenario.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = run('run', fifo);
    expect(r.signal).toBe(null); // not killed by the timeout
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is a FIFO (named pipe), not a regular file');
    const link = join(dir, 'looks-like.json');
    symlinkSync(fifo, link);
    const viaLink = run('link', link);
    expect(viaLink.signal).toBe(null);
    expect(viaLink.status).toBe(2);
    expect(viaLink.stderr).toContain('is a FIFO (named pipe)');
  });

  test('in process, too: /dev/null is a character device, not an empty scenario', async () => {
    if (!existsSync('/dev/null')) return;
    const r = await cli('run', '/dev/null');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/dev/null: is a character device, not a regular file');
  });
});
