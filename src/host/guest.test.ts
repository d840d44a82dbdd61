import { describe, expect, it } from 'vitest';
import { runGuest } from './run';
import { validateScenario } from '../sim/scenario/load';
import { readManifest } from './cache';
import { GUEST_BOARD } from './guest-scenario';
import { koffiAvailable } from './libc';

/**
 * The real thing: QEMU boots the cached Debian guest, whose own gpio-virtio
 * driver and libgpiod v2 tools talk to the project's device model through the
 * vhost-user back end. Runs only where `vgpio guest --setup` has built the
 * cache (it needs root and Debian packages); elsewhere it is skipped and says why.
 */
const cache = readManifest();
const ffi = koffiAvailable();
const skipReason = !cache.ok ? cache.reason : !ffi.ok ? ffi.reason : null;
if (skipReason) process.stdout.write(`[guest.test] skipped: ${skipReason}\n`);

const board = (): ReturnType<typeof validateScenario> => validateScenario(GUEST_BOARD);

describe.skipIf(skipReason !== null)('a real Linux guest on the device model', () => {
  it('boots, lists the simulated chip exactly, reports clock edges through gpiomon (F_IRQ), reads and drives lines, and breaks no MUST rule', async () => {
    if (!cache.ok) return;
    const s = board();
    if (!s.ok) throw new Error(s.error);
    const commands = [
      'gpiodetect',
      'gpioinfo -c gpiochip0',
      'gpiomon -c gpiochip0 -n 4 -F "%e %o" clock',
      'gpioget -c gpiochip0 button door sensor-a',
      'gpioset -c gpiochip0 -t 0 led0=1',
    ].join('\n');
    const { report, rt } = await runGuest({
      manifest: cache.manifest,
      scenario: s.value,
      commands,
      timeoutMs: 90_000,
      // The host drives sensor-a high once the guest is up: gpioget must see it.
      onReady: (dev) => dev.world.set(5, 1),
    });
    const detail = `failure: ${report.failure}; guest errors: ${report.guestErrors.join(' / ')}\n${report.output}`;
    expect(report.failure, detail).toBeNull();
    expect(report.status, detail).toBe(0);
    const lines = report.output.split('\n');
    expect(lines.slice(0, 10)).toEqual([
      'gpiochip0 [virtio0] (8 lines)',
      'gpiochip0 - 8 lines:',
      '\tline   0:\t"led0"          \tinput',
      '\tline   1:\t"led1"          \tinput',
      '\tline   2:\t"button"        \tinput',
      '\tline   3:\t"door"          \tinput',
      '\tline   4:\t"relay"         \tinput',
      '\tline   5:\t"sensor-a"      \tinput',
      '\tline   6:\t"sensor-b"      \tinput',
      '\tline   7:\t"clock"         \tinput',
    ]);
    // Four edges of the 100 ms clock, alternating, each carried by a VALID eventq buffer.
    const edges = lines.slice(10, 14);
    expect(edges).toHaveLength(4);
    for (const e of edges) expect(e).toMatch(/^(1|2) 7$/);
    expect(new Set(edges).size).toBe(2);
    expect(lines[14]).toBe('"button"=active "door"=inactive "sensor-a"=active');
    expect(report.irqOffered).toBe(true);
    expect(report.virtio.eventValid).toBeGreaterThanOrEqual(4);
    expect(report.virtio.requests['SET_IRQ_TYPE']).toBeGreaterThanOrEqual(2); // the type, then NONE when gpiomon exits
    expect(report.virtio.requests['SET_VALUE']).toBeGreaterThanOrEqual(1);
    expect(report.vhostUser.messages['GET_CONFIG']).toBeGreaterThanOrEqual(1);
    expect(report.vhostUser.messages['GET_VRING_BASE']).toBe(2);
    expect(report.mustViolations, JSON.stringify(report.violations)).toBe(0);
    expect(rt.trace.total).toBeGreaterThan(100);
  }, 120_000);
});
