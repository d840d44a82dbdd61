import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { readManifest } from '../src/host/cache';
import { onApp } from './handle';

/**
 * `vgpio guest --ui` end to end: a real Linux guest (QEMU, the kernel's
 * gpio-virtio driver) runs `gpiomon` on line 3 of the calm board; the page
 * opened at the printed URL shows it live, and its drive button for line 3
 * makes the edge that gpiomon reports. Needs the guest cache
 * (`sudo npx vgpio guest --setup`); skips, saying so, without it.
 */
const cache = readManifest();
const APP_DIR = process.env['E2E_OUT'] ?? 'dist';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The child's own children (QEMU runs under setpriv, which execs it: a direct child). */
function childrenOf(pid: number): { pid: number; args: string }[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const m = /^\s*(\d+)\s+(.*)$/.exec(l) as RegExpExecArray;
      return { pid: Number(m[1]), args: m[2] as string };
    });
}

test('the app shows a real guest live, and its drive button makes the edge the guest\u2019s gpiomon reports', async ({ page }) => {
  test.skip(!cache.ok, `no real guest here: ${cache.ok ? '' : cache.reason}`);
  test.setTimeout(180_000);
  // The CLI bundle of this checkout (the spec must not run an old one).
  execFileSync('node', ['scripts/build-cli.mjs']);
  // The app the CLI serves: the build this Playwright run serves, or one made here.
  if (!existsSync(join(APP_DIR, 'index.html'))) execFileSync('npx', ['vite', 'build', '--outDir', APP_DIR, '--emptyOutDir'], { stdio: 'ignore' });
  const child: ChildProcess = spawn('node', ['bin/vgpio.mjs', 'guest', 'calm-board', '--ui', '--timeout', '150', '--run', 'gpiomon -n 1 -c gpiochip0 3'], {
    env: { ...process.env, VGPIO_APP_DIR: APP_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const qemuPids = new Set<number>();
  try {
    await expect.poll(() => /open (http:\/\/127\.0\.0\.1:\d+\/#live=\d+\.[\w-]+)/.exec(stderr)?.[1] ?? null, { timeout: 20_000 }).not.toBeNull();
    const url = (/open (http:\/\/127\.0\.0\.1:\d+\/#live=\d+\.[\w-]+)/.exec(stderr) as RegExpExecArray)[1] as string;
    // The same port without the token: the page loads, its WebSocket is refused, and it says so.
    await page.goto(url.replace(/#.*/, '#live=' + url.split('#live=')[1]!.split('.')[0] + '.' + 'A'.repeat(32)));
    await expect(page.getByTestId('toast')).toContainText('Could not connect to the live guest');

    await page.goto('about:blank'); // (a change of the fragment alone would not reload the page)
    await page.goto(url);
    await expect(page.getByTestId('live-banner')).toContainText('Live recording of a real Linux guest');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board (live: real Linux guest)');
    // Polled: the page can show the live board before QEMU is started (one CI run looked in between).
    await expect
      .poll(() => {
        for (const c of childrenOf(child.pid as number)) if (/qemu-system/.test(c.args)) qemuPids.add(c.pid);
        return qemuPids.size;
      }, { timeout: 20_000 })
      .toBe(1);

    // gpiomon in the guest has requested line 3 with both edges once the device holds its trigger.
    await expect.poll(() => onApp(page, (h) => h.live.view?.lines.deviceType[3] ?? 0), { timeout: 120_000, intervals: [250] }).toBe(3);
    // A simulation-only control explains itself instead of acting.
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByTestId('toast')).toContainText('cannot be paused, stepped or sped up');

    await page.getByRole('button', { name: 'Drive line 3' }).click();
    const code = await exited;
    expect(stdout).toMatch(/\d+\.\d+\trising\tgpiochip0 3\n--- exit status: 0\n/);
    expect(stdout).toContain('spec monitors: no rule broken');
    expect(code).toBe(0);
    // The page kept the recording: the edge on its wire, the device's interrupt event for line 3 in its trace (kind 40), and the end.
    await expect.poll(() => onApp(page, (h) => h.live.status)).toBe('ended');
    expect(await onApp(page, (h) => h.live.view?.lines.level[3])).toBe(1);
    expect(await onApp(page, (h) => Array.from({ length: h.live.traceTotal }, (_, i) => h.trace().get(i)).filter((e) => e && e.kind === 40 && e.line === 3).length)).toBe(1);
    expect(await onApp(page, (h) => (h.live.view?.totals.violations ?? -1))).toBe(0);
    await expect(page.getByTestId('live-banner')).toContainText('The run has ended');
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
  // No orphan: the QEMU that ran is gone with its vgpio.
  for (const pid of qemuPids) expect(alive(pid)).toBe(false);
});
