import { deviceLinesView, DESC_OWNERS, type QueueView, type View } from '../sim/observe';
import { EVENTQ, REQUESTQ } from '../sim/gpio/constants';
import type { Scenario } from '../sim/scenario/schema';
import { entriesBetween, snapshotRing, walkChain } from '../sim/virtio/ring-view';
import { TK } from '../sim/trace/kinds';
import type { ScenarioInfo } from '../worker/protocol';
import type { RealtimeDevice } from './realtime';

/**
 * The app's View of a real guest's run, read from what a RealtimeDevice has:
 * the device, the wire, the world and the rings in the guest's RAM. Nothing
 * of the guest's driver is visible from the device side, so its fields
 * (client triggers, driver flags, handler calls, the oracle's verdicts) are
 * zero, and the ring inspector shows the device's side of each ring.
 */
export function realtimeView(rt: RealtimeDevice, withQueues: boolean): View {
  const n = rt.cfg.device.ngpio;
  const lines = deviceLinesView(n, rt.device, rt.wire, rt.world);
  const dev = rt.device;
  return {
    now: rt.now,
    processed: rt.trace.total,
    lines,
    queues: withQueues ? realtimeQueueViews(rt) : [],
    // vhost-user: the interrupts are QEMU's (irqfd), so the counts are the call-eventfd writes.
    transport: { mode: 'msi', isr: 0, asserted: false, raised: rt.counts.interrupts[0] + rt.counts.interrupts[1], delivered: rt.counts.interrupts[0] + rt.counts.interrupts[1], coalesced: 0, masked: 0 },
    deviceStatus: dev?.status ?? 0,
    deviceFailure: dev?.failure ?? 0,
    totals: {
      delivered: 0,
      coalesced: 0,
      spurious: 0,
      lost: 0,
      handlerCalls: 0,
      invalid: rt.counts.eventInvalid,
      violations: rt.mustCount,
      warnings: rt.trace.count(TK.DrvWarn),
    },
    route: null,
  };
}

const QUEUE_NAMES = ['requestq', 'eventq'];
/** Bytes of each buffer the inspector decodes on hover (as observe.ts's queueViews). */
const INSPECT_BYTES = 16;

/**
 * Both rings as the device sees them: a chain is "available" from the avail
 * ring entry the device has not taken yet, "device" while the device holds it
 * (an armed eventq buffer), and otherwise free: the driver's own bookkeeping
 * (which used entries it consumed, which heads are its) lives in the guest
 * kernel. The line of a chain is read from its request (requestq: the gpio
 * field after the type; eventq: the first field).
 */
export function realtimeQueueViews(rt: RealtimeDevice): QueueView[] {
  const dev = rt.device;
  const mem = rt.mem;
  if (!dev || !mem) return [];
  const out: QueueView[] = [];
  for (const q of [REQUESTQ, EVENTQ]) {
    const devq = dev.queues[q];
    if (!devq) continue;
    const L = devq.layout;
    const size = L.size;
    const ring = snapshotRing(mem, L);
    const owner = new Uint8Array(size);
    const lineOf = new Int16Array(size).fill(-1);
    const bytes = new Array<Uint8Array | null>(size).fill(null);
    const mark = (head: number, state: number, line: number): void => {
      if (head < 0 || head >= size) return;
      let first = true;
      walkChain(mem, L, head, (d, addr, len) => {
        owner[d] = state;
        const k = Math.min(len, INSPECT_BYTES);
        if (addr >= 0 && k > 0 && mem.contains(addr, k)) bytes[d] = mem.bytes.slice(addr, addr + k);
        if (first && line < 0 && bytes[d] && (bytes[d] as Uint8Array).length >= (q === REQUESTQ ? 4 : 2)) {
          const b = bytes[d] as Uint8Array;
          const off = q === REQUESTQ ? 2 : 0;
          line = (b[off] as number) | ((b[off + 1] as number) << 8);
        }
        first = false;
      });
      walkChain(mem, L, head, (d) => {
        lineOf[d] = line < rt.cfg.device.ngpio ? line : -1;
      });
    };
    for (const head of entriesBetween(devq.nextAvail, ring.availIdx, size, (s) => ring.availRing[s] as number)) mark(head, DESC_OWNERS.code.available, -1);
    if (q === EVENTQ) for (let line = 0; line < dev.held.length; line++) if (dev.held[line] !== -1) mark(dev.held[line] as number, DESC_OWNERS.code.device, line);
    out.push({
      name: QUEUE_NAMES[q] as string,
      size,
      ...ring,
      deviceNextAvail: devq.nextAvail,
      deviceNextUsed: devq.nextUsed,
      // Not visible from the device: shown as "everything used was consumed".
      driverLastUsed: ring.usedIdx,
      owner,
      lineOf,
      bytes,
    });
  }
  return out;
}

/** The waveform shows the last 10 s of wall time at first. */
const LIVE_WINDOW_NS = 10e9;

/** The static facts the app shows about a live run. */
export function realtimeInfo(s: Scenario, initialLevels: readonly number[], commands: string): ScenarioInfo {
  return {
    id: null,
    title: `${s.title} (live: real Linux guest)`,
    description: `A live recording of a real Linux guest (QEMU, the kernel's gpio-virtio driver) on this scenario's device, running: ${commands}. Time is wall-clock time since the back end started; it cannot be replayed, stepped or shared as a link.`,
    seed: s.seed,
    // Not the scenario's duration (the run lasts as long as the guest's commands): the waveform's first window.
    durationNs: LIVE_WINDOW_NS,
    spec: s.device.spec,
    preset: s.device.preset,
    transport: s.device.transport,
    lines: s.device.lines.map((l) => ({ name: l.name, direction: l.direction })),
    // The guest's own processes are the driver's users: no simulated clients.
    clients: [],
    json: s,
    recorded: [],
    initialLevels: [...initialLevels],
    fromLink: false,
  };
}
