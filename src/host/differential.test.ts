import { describe, expect, it } from 'vitest';
import { Machine } from '../sim/machine';
import { resolveScenario, validateScenario } from '../sim/scenario/load';
import type { RealtimeDevice } from './realtime';
import { readManifest } from './cache';
import { deviceOps, splitIrqSession, withKnownDivergences } from './differential';
import { GUEST_BOARD } from './guest-scenario';
import { koffiAvailable } from './libc';
import { runGuest } from './run';

/**
 * The real Linux driver against the simulated one: the same commands run in
 * the real guest and in the simulated shell on the same board, and the
 * requestq messages and eventq operations the device saw are compared
 * command by command.
 */
const cache = readManifest();
const ffi = koffiAvailable();
const skipReason = !cache.ok ? cache.reason : !ffi.ok ? ffi.reason : null;
if (skipReason) process.stdout.write(`[differential.test] skipped: ${skipReason}\n`);

const COMMANDS = ['gpiodetect', 'gpioinfo -c gpiochip0', 'gpioget -c gpiochip0 2 3', 'gpioset -c gpiochip0 -t 0 0=1', 'gpiomon -c gpiochip0 -n 2 7'];
const SEG = 'vgpio-segment';

// The board with a slower clock (edges 200 ms apart), so no third edge races gpiomon's exit.
function scenario() {
  const v = validateScenario({ ...GUEST_BOARD, world: { clock: { kind: 'clock', period: '400ms' } } });
  if (!v.ok) throw new Error(v.error);
  return v.value;
}

function simulated(): { probe: string[]; perCommand: string[][] } {
  const cfg = resolveScenario(scenario());
  if (!cfg.ok) throw new Error(cfg.error);
  const m = new Machine(cfg.value);
  const shell = m.shell;
  shell.runFor = (ns) => void m.runUntil(m.now + ns);
  m.runUntil(1_000_000);
  const probe = deviceOps(m.trace, 0, m.trace.total);
  const perCommand: string[][] = [];
  for (const cmd of COMMANDS) {
    const from = m.trace.total;
    shell.exec(cmd);
    for (let i = 0; i < 4000 && shell.busy; i++) m.runUntil(m.now + 1_000_000);
    m.runUntil(m.now + 5_000_000);
    perCommand.push(deviceOps(m.trace, from, m.trace.total));
  }
  return { probe, perCommand };
}

describe.skipIf(skipReason !== null)('the real gpio-virtio driver against the simulated one', () => {
  it('sends the same requestq messages and eventq operations for gpiodetect, gpioinfo, gpioget, gpioset and gpiomon', async () => {
    if (!cache.ok) return;
    let dev: RealtimeDevice | null = null;
    const marks: number[] = [];
    const script = COMMANDS.map((c, i) => `echo ${SEG} ${i}; sleep 0.3; ${c} >/dev/null; sleep 0.3`).join('\n') + `\necho ${SEG} end`;
    const { report } = await runGuest({
      manifest: cache.manifest,
      scenario: scenario(),
      commands: script,
      timeoutMs: 90_000,
      onDevice: (rt) => (dev = rt),
      verbose: (line) => {
        if (line.startsWith(SEG) && dev) marks.push(dev.trace.total);
      },
    });
    expect(report.failure).toBeNull();
    expect(marks).toHaveLength(COMMANDS.length + 1);
    const rt = dev as unknown as RealtimeDevice;
    const real = {
      probe: deviceOps(rt.trace, 0, marks[0] as number),
      perCommand: COMMANDS.map((_, i) => deviceOps(rt.trace, marks[i] as number, marks[i + 1] as number)),
    };
    const sim = simulated();
    const show = (o: { probe: string[]; perCommand: string[][] }): string =>
      ['probe: ' + o.probe.join(', '), ...COMMANDS.map((c, i) => `${c}: ${(o.perCommand[i] ?? []).join(', ')}`)].join('\n');
    process.stdout.write(`--- real driver\n${show(real)}\n--- simulated driver\n${show(sim)}\n`);
    // Probe, gpiodetect and gpioinfo: identical. Requests and gpiomon: identical apart from the two
    // documented divergences of the simulated driver (see withKnownDivergences).
    expect(real.probe).toEqual(sim.probe);
    const last = COMMANDS.length - 1; // gpiomon: how many edges fall into the session is timing
    for (let i = 0; i < last; i++) expect(real.perCommand[i], COMMANDS[i]).toEqual(withKnownDivergences(sim.perCommand[i] ?? []));
    const r = splitIrqSession(real.perCommand[last] ?? [], 7);
    const m = splitIrqSession(withKnownDivergences(sim.perCommand[last] ?? []), 7);
    expect(r.setup, 'gpiomon setup').toEqual(m.setup);
    expect(r.teardown, 'gpiomon teardown').toEqual(m.teardown);
    for (const ev of [r.events, m.events]) {
      expect(ev.filter((o) => o === 'return 7 VALID').length).toBeGreaterThanOrEqual(2);
      for (const o of ev) expect(['return 7 VALID', 'GET_VALUE 7', 'arm 7']).toContain(o);
    }
    expect(real.perCommand[0]).toEqual([]);
    expect(real.perCommand[1]).toEqual([]);
  }, 120_000);
});

describe('known divergences of the simulated driver', () => {
  it('adds gpiolib\'s GET_DIRECTION before a line is first configured, and the re-queue + INVALID return around gpiomon\'s NONE', () => {
    expect(withKnownDivergences(['SET_DIRECTION 2 2', 'GET_VALUE 2', 'SET_DIRECTION 2 0'])).toEqual(['GET_DIRECTION 2', 'SET_DIRECTION 2 2', 'GET_VALUE 2', 'SET_DIRECTION 2 0']);
    expect(withKnownDivergences(['SET_IRQ_TYPE 7 3', 'arm 7', 'return 7 VALID', 'GET_VALUE 7', 'SET_IRQ_TYPE 7 0'])).toEqual([
      'GET_DIRECTION 7',
      'SET_IRQ_TYPE 7 3',
      'arm 7',
      'return 7 VALID',
      'GET_VALUE 7',
      'arm 7',
      'SET_IRQ_TYPE 7 0',
      'return 7 INVALID',
    ]);
  });
});
