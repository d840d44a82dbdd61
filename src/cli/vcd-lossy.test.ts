import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli } from './cli-harness';

/** A 300 ns press, a 2 ns glitch and a 1 MHz clock: none of them survives `--vcd-timescale 1us` intact. */
const SHORT = {
  version: 1,
  title: 'short pulses',
  seed: 1,
  duration: '20us',
  device: { lines: [{ name: 'btn', pull: 'up' }, { name: 'glitch', pull: 'up' }, { name: 'clk' }] },
  world: { btn: { kind: 'button' }, glitch: { kind: 'button' }, clk: { kind: 'clock', period: '1us', start: '10us' } },
  timeline: [
    { at: '3us', do: 'press', line: 'btn', hold: '300ns' },
    { at: '5999ns', do: 'press', line: 'glitch', hold: '2ns' },
  ],
};

let dir = '';
let scenario = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vgpio-lossy-'));
  scenario = join(dir, 'short.json');
  writeFileSync(scenario, JSON.stringify(SHORT));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--vcd-timescale 1us never loses pulses silently', () => {
  test('without --lossy: exit 2, the count of affected pulses, no file written (the trace neither)', async () => {
    const vcd = join(dir, 'refused.vcd');
    const jsonl = join(dir, 'refused.jsonl');
    const r = await cli('run', scenario, '--vcd', vcd, '--vcd-timescale', '1us', '--trace', jsonl);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^vgpio: --vcd-timescale 1us would drop or widen 22 states \(pulses\) shorter than 1 us; use --vcd-timescale auto or 1ns for exact times, or add --lossy to write it anyway\n$/);
    expect(existsSync(vcd)).toBe(false);
    expect(existsSync(jsonl)).toBe(false);
  });

  test('with --lossy: written, with a warning on stderr giving the count', async () => {
    const vcd = join(dir, 'lossy.vcd');
    const r = await cli('run', scenario, '--vcd', vcd, '--vcd-timescale', '1us', '--lossy');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`vgpio: warning: --vcd-timescale 1us --lossy: 22 states (pulses) shorter than 1 us dropped or widened to 1 us in ${vcd}\n`);
    expect(readFileSync(vcd, 'utf8')).toContain('$timescale 1 us $end');
  });

  test('the default (auto) picks 1 ns here and loses nothing; 1us on exact runs needs no --lossy', async () => {
    const vcd = join(dir, 'auto.vcd');
    const r = await cli('run', scenario, '--vcd', vcd);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(readFileSync(vcd, 'utf8')).toContain('$timescale 1 ns $end');
    const exact = await cli('run', 'calm-board', '--vcd', join(dir, 'calm.vcd'), '--vcd-timescale', '1us');
    expect(exact.stderr).toBe('');
    expect(exact.code).toBe(0);
  });

  test('--lossy is a usage error without --vcd-timescale 1us', async () => {
    for (const argv of [['--lossy'], ['--vcd', join(dir, 'x.vcd'), '--lossy'], ['--vcd', join(dir, 'x.vcd'), '--vcd-timescale', '1ns', '--lossy']]) {
      const r = await cli('run', scenario, ...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--lossy only applies to --vcd-timescale 1us');
    }
  });
});
