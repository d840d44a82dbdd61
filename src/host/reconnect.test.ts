import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenario, validateScenario } from '../sim/scenario/load';
import { IRQ_TYPE_NONE } from '../sim/gpio/constants';
import { readManifest } from './cache';
import { GUEST_BOARD } from './guest-scenario';
import { koffiAvailable } from './libc';
import { runQemu, writeRunInitrd } from './qemu';
import { RealtimeDevice } from './realtime';
import { VhostUserServer } from './server';

/**
 * Reconnect after the front end goes away: QEMU is killed in the middle of a
 * gpiomon session (an eventq buffer held, the clock line's interrupt type set),
 * and a second QEMU on the same back end, same socket, same device context,
 * gets a clean device: a new session from SET_FEATURES, no interrupt type, no
 * held buffer, and its gpiodetect / gpioget / gpioinfo work. Needs the guest
 * cache (`vgpio guest --setup`); skipped with the reason elsewhere.
 */
const cache = readManifest();
const ffi = koffiAvailable();
const skipReason = !cache.ok ? cache.reason : !ffi.ok ? ffi.reason : null;
if (skipReason) process.stdout.write(`[reconnect.test] skipped: ${skipReason}\n`);

const CLOCK = 7;

describe.skipIf(skipReason !== null)('the back end after its front end goes away', () => {
  it('serves a second QEMU on the same socket from a clean device state after the first is killed mid-gpiomon', async () => {
    if (!cache.ok) return;
    const v = validateScenario(GUEST_BOARD);
    if (!v.ok) throw new Error(v.error);
    const r = resolveScenario(v.value, { traceEnabled: true, traceCapacity: 200_000 });
    if (!r.ok) throw new Error(r.error);
    const rt = new RealtimeDevice(r.value);
    const server = new VhostUserServer(rt);
    const work = mkdtempSync(join(tmpdir(), 'vgpio-reconnect-'));
    const m = cache.manifest;
    const files = { kernel: m.kernel, initrd: m.initrd, qemu: m.qemu, qemuData: m.qemuData, qemuModules: m.qemuModules };
    try {
      await server.listen();
      let edges = 0;
      let heldAtStart = -2;
      let typeAtStart = -1;
      // First front end: gpiomon waits on the clock line for ever; it is killed after its second edge.
      const first = runQemu(files, server.path, writeRunInitrd(m.initrd, work, `gpiomon -c gpiochip0 -F "%e %o" ${CLOCK}`), {
        timeoutMs: 90_000,
        onLine: (line) => {
          if (/^[12] 7$/.test(line) && ++edges === 2) first.kill();
        },
      });
      const gone = new Promise<void>((resolve) => {
        server.onDisconnect = () => resolve();
      });
      const r1 = await first.done;
      await gone;
      expect(edges, r1.console.slice(-2000)).toBe(2);
      expect(r1.failure).toBe('stopped');
      expect(server.connected).toBe(false);
      expect(rt.running).toBe(false);
      expect(rt.counts.sessions).toBe(1);

      // Second front end on the same socket: a fresh session; the first thing it sees is a clean device.
      server.onDisconnect = () => {};
      const commands = ['gpiodetect', 'gpioget -c gpiochip0 button door', 'gpioinfo -c gpiochip0 clock'].join('\n');
      const second = runQemu(files, server.path, writeRunInitrd(m.initrd, work, commands), {
        timeoutMs: 90_000,
        onReady: () => {
          const dev = rt.device;
          heldAtStart = dev ? (dev.held[CLOCK] as number) : -3;
          typeAtStart = dev ? (dev.irqType[CLOCK] as number) : -3;
        },
      });
      const r2 = await second.done;
      const detail = `failure: ${r2.failure}; errors: ${r2.errors.join(' / ')}\n${r2.output}`;
      expect(r2.failure, detail).toBeNull();
      expect(r2.status, detail).toBe(0);
      expect(r2.output.split('\n').slice(0, 3)).toEqual(['gpiochip0 [virtio0] (8 lines)', '"button"=active "door"=inactive', 'gpiochip0 7\t"clock"         \tinput']);
      expect(heldAtStart).toBe(-1);
      expect(typeAtStart).toBe(IRQ_TYPE_NONE);
      expect(server.stats.connections).toBe(2);
      expect(server.stats.refused).toBe(0);
      expect(rt.counts.sessions).toBe(2);
      expect(rt.mustCount, JSON.stringify(rt.violations)).toBe(0);
    } finally {
      rt.close();
      server.close();
      rmSync(work, { recursive: true, force: true });
    }
  }, 200_000);

  // The other direction (the back end restarts and QEMU redials) needs the socket chardev's
  // reconnect-ms (QEMU >= 9.2; `reconnect=` in seconds before, same result). QEMU 10.0.2's
  // vhost-user-gpio-pci does not survive it: with the option QEMU exits at start-up with
  // "Failed to set msg fds" (our reading: the chardev then connects in the background, and the
  // device's realize sends its first fd-carrying message before the socket is ready to pass fds). This pins that documented limitation (docs/guest.md):
  // should a later QEMU accept it, this fails and the docs must change.
  it.skipIf(!cache.ok || !/^10\.0\./.test(cache.manifest.qemuVersion))('QEMU 10.0 exits at start-up when vhost-user-gpio-pci\'s chardev has reconnect-ms (so a restarted back end cannot be redialled)', async () => {
    if (!cache.ok) return;
    const v = validateScenario(GUEST_BOARD);
    if (!v.ok) throw new Error(v.error);
    const r = resolveScenario(v.value);
    if (!r.ok) throw new Error(r.error);
    const rt = new RealtimeDevice(r.value);
    const server = new VhostUserServer(rt);
    const work = mkdtempSync(join(tmpdir(), 'vgpio-reconnect-'));
    const m = cache.manifest;
    try {
      await server.listen();
      const q = runQemu({ kernel: m.kernel, initrd: m.initrd, qemu: m.qemu, qemuData: m.qemuData, qemuModules: m.qemuModules }, server.path, writeRunInitrd(m.initrd, work, 'gpiodetect'), {
        timeoutMs: 60_000,
        reconnectMs: 500,
      });
      const res = await q.done;
      expect(res.failure).toMatch(/QEMU exited \(status 1\) before the guest finished: .*vhost-user-gpio-pci.*(Failed to set msg fds|vhost_backend_init failed)/);
      expect(res.bootAt).toBeNull();
      expect(rt.counts.sessions).toBe(0);
    } finally {
      rt.close();
      server.close();
      rmSync(work, { recursive: true, force: true });
    }
  }, 90_000);
});
