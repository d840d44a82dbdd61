import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { cli } from './cli-harness';
import { PROGRESS_EVERY } from '../sim/index';
import { progressReporter } from './progress';

const dir = mkdtempSync(join(tmpdir(), 'vgpio-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Eight 10 us clocks with an interrupt consumer each: about 270,000 events in 80 ms. */
const BUSY = {
  version: 1,
  title: 'busy',
  duration: '80ms',
  device: { lines: Array.from({ length: 8 }, (_, i) => ({ name: `l${i}` })) },
  world: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`l${i}`, { kind: 'clock', period: '10us' }])),
  clients: Array.from({ length: 8 }, (_, i) => ({ kind: 'irq-consumer', line: `l${i}`, trigger: 'edge-both', name: `c${i}` })),
};

describe('progressReporter', () => {
  test('on a terminal: one line about every second of wall time, rewritten in place, erased at the end', () => {
    let wall = 0;
    let text = '';
    const p = progressReporter({ tty: true, wallNow: () => wall, write: (t) => (text += t) });
    p.onProgress?.(1_000, 10);
    expect(text).toBe(''); // not a second yet
    wall = 1_000;
    p.onProgress?.(2_500_000, 1_234_567);
    wall = 1_500;
    p.onProgress?.(3_000_000, 2_000_000);
    wall = 2_100;
    p.onProgress?.(4_000_000, 3_000_000);
    p.done();
    expect(text).toBe('\r\x1b[Kvgpio: running… simulated 2.5 ms, 1,234,567 events\r\x1b[Kvgpio: running… simulated 4 ms, 3,000,000 events\r\x1b[K');
  });

  test('not a terminal: nothing at all, and no progress callback (the run is not sliced)', () => {
    let text = '';
    const p = progressReporter({ tty: false, wallNow: () => 0, write: (t) => (text += t) });
    expect(p.onProgress).toBeUndefined();
    p.done();
    expect(text).toBe('');
  });
});

describe('vgpio run: progress on stderr', () => {
  const tty = process.stderr.isTTY;
  afterEach(() => {
    process.stderr.isTTY = tty;
    vi.restoreAllMocks();
  });

  test('a long run on a terminal shows progress, then clears it; the report is unchanged', async () => {
    const file = join(dir, 'busy.json');
    writeFileSync(file, JSON.stringify(BUSY));
    const quiet = await cli('run', file, '--json');
    process.stderr.isTTY = true;
    let wall = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (wall += 1_000)); // a second per look: every slice shows
    const shown = await cli('run', file, '--json');
    expect(shown.stdout).toBe(quiet.stdout); // slicing the run changes nothing
    expect(quiet.stderr).toBe('');
    const lines = shown.stderr.split('\r\x1b[K').filter((l) => l !== '');
    const events = (JSON.parse(quiet.stdout) as { events: number }).events;
    expect(events).toBeGreaterThan(PROGRESS_EVERY);
    expect(lines).toHaveLength(Math.floor(events / PROGRESS_EVERY));
    for (const l of lines) expect(l).toMatch(/^vgpio: running… simulated [\d.]+ (us|ms), [\d,]+ events$/);
    expect(shown.stderr.endsWith('\r\x1b[K')).toBe(true);
  });
});
