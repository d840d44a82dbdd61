import type { InterruptMode } from './virtio/transport-irq';
import { irqRoute, type RouteLayer } from './explain/route';
import type { Machine } from './machine';
import type { GpioDevice } from './gpio/device';
import type { Wire } from './gpio/wire';
import type { World } from './gpio/world';
import { TK } from './trace/kinds';
import { entriesBetween, snapshotRing, walkChain, type RingSnapshot } from './virtio/ring-view';
import { vocabulary } from './vocabulary';

/**
 * Readings: the machine read into the views the lines board, the ring
 * inspector, the worker's batches and the CLI report share. Nothing here
 * changes the machine; everything is copied out, so a view stays valid after
 * the run moves on.
 */

/** What drives a line from outside, as the lines board shows it (a button's polarity decides what "press" does). */
export const LINE_SOURCES = vocabulary({ none: 0, toggle: 1, button: 2, clock: 3, 'level-source': 4, 'button-active-high': 5 });

/** Where each descriptor is, as the ring inspector colours it. */
export const DESC_OWNERS = vocabulary({ free: 0, available: 1, device: 2, used: 3 });

/** The counts kept per line: the oracle's verdicts, handler calls, INVALID returns and the device's own delivery results. */
export interface LineCounts {
  delivered: number;
  coalesced: number;
  spurious: number;
  lost: number;
  handlerCalls: number;
  /** eventq buffers the driver got back INVALID. */
  invalid: number;
  /** Device-side interrupt events by delivery result (seed 000). */
  deviceDelivered: number;
  deviceCoalesced: number;
  deviceMasked: number;
  /** gpiomon reports judged against the waveform (check/gpiomon-check.ts). */
  gpiomonWrongDirection: number;
  gpiomonMissed: number;
  gpiomonPhantom: number;
}

export const LINE_COUNT_KEYS = [
  'delivered',
  'coalesced',
  'spurious',
  'lost',
  'handlerCalls',
  'invalid',
  'deviceDelivered',
  'deviceCoalesced',
  'deviceMasked',
  'gpiomonWrongDirection',
  'gpiomonMissed',
  'gpiomonPhantom',
] as const satisfies readonly (keyof LineCounts)[];

export function zeroCounts(): LineCounts {
  return { delivered: 0, coalesced: 0, spurious: 0, lost: 0, handlerCalls: 0, invalid: 0, deviceDelivered: 0, deviceCoalesced: 0, deviceMasked: 0, gpiomonWrongDirection: 0, gpiomonMissed: 0, gpiomonPhantom: 0 };
}

export function lineCounts(m: Machine, line: number): LineCounts {
  const o = m.oracle.lines[line]!;
  const dev = m.device;
  const g = m.gpiomonCheck.lines[line]!;
  return {
    delivered: o.delivered,
    coalesced: o.coalesced,
    spurious: o.spurious,
    lost: o.lost,
    handlerCalls: m.irq.calls[line] as number,
    invalid: m.pipeline.invalidConsumed[line] as number,
    deviceDelivered: dev.evDelivered[line] as number,
    deviceCoalesced: dev.evCoalesced[line] as number,
    deviceMasked: dev.evMasked[line] as number,
    gpiomonWrongDirection: g.wrongDirection,
    gpiomonMissed: g.missed,
    gpiomonPhantom: g.phantom,
  };
}

/** What happened to the device's interrupts to the guest (the transport layer). */
export interface TransportView {
  mode: InterruptMode;
  isr: number;
  asserted: boolean;
  raised: number;
  delivered: number;
  coalesced: number;
  masked: number;
}

export function transportView(m: Machine): TransportView {
  const t = m.transport;
  const sum = (a: Uint32Array): number => a.reduce((x, y) => x + y, 0);
  return { mode: t.mode, isr: t.isr, asserted: t.asserted, raised: sum(t.raised), delivered: sum(t.delivered), coalesced: sum(t.coalesced), masked: sum(t.masked) };
}

/** Per-line state, one array entry per line (typed arrays: they travel to the page by copy). */
export interface LinesView {
  level: Uint8Array;
  /** Device direction: 0 none, 1 out, 2 in. */
  direction: Uint8Array;
  /** The device's trigger type (virtio code). */
  deviceType: Uint8Array;
  /** The trigger the client driver asked for (0 when it expects nothing). */
  clientType: Uint8Array;
  /** 1 if an irq-consumer client on this line can change its trigger. */
  hasConsumer: Uint8Array;
  /** The device holds the line's eventq buffer. */
  armed: Uint8Array;
  latch: Uint16Array;
  /** SinkState. */
  sink: Uint8Array;
  /** Driver irq flag bits (Flag). */
  driverFlags: Uint8Array;
  /** A handler (or its thread) is running. */
  inHandler: Uint8Array;
  /** Last device-side delivery result (DeliveryResult), 255 none yet. */
  lastDelivery: Uint8Array;
  delivered: Uint32Array;
  coalesced: Uint32Array;
  spurious: Uint32Array;
  lost: Uint32Array;
  handlerCalls: Uint32Array;
  invalid: Uint32Array;
  /** What drives the line from outside (LINE_SOURCES). */
  source: Uint8Array;
  contended: Uint8Array;
}

export function linesView(m: Machine): LinesView {
  const v = deviceLinesView(m.cfg.device.ngpio, m.device, m.wire, m.world);
  v.clientType = m.oracle.trigger.slice();
  for (const c of m.clients) if (c.kind === 'irq-consumer') for (const l of c.lines) v.hasConsumer[l] = 1;
  const chipFlags = m.chip.ready && m.chip.hasIrq;
  for (let i = 0; i < v.level.length; i++) {
    v.driverFlags[i] = chipFlags ? m.chip.flagBits(i) : 0;
    v.inHandler[i] = m.irq.inProgress[i] || m.irq.threadActive[i] ? 1 : 0;
    // The same counts the CLI report prints, read in one place.
    const c = lineCounts(m, i);
    v.delivered[i] = c.delivered;
    v.coalesced[i] = c.coalesced;
    v.spurious[i] = c.spurious;
    v.lost[i] = c.lost;
    v.handlerCalls[i] = c.handlerCalls;
    v.invalid[i] = c.invalid;
  }
  return v;
}

/** The device and world parts of a LinesView. */
type LinesDevice = Pick<GpioDevice, 'direction' | 'irqType' | 'latch' | 'lastResult' | 'held' | 'sinkState'>;

/**
 * The lines as the device, the wire and the world alone see them: what a
 * device without a simulated guest (a real guest's back end, src/host) can
 * show. Driver-side fields (client trigger, driver flags, handlers, oracle
 * counts) stay zero; `device` null (no session yet) reads as no direction,
 * no trigger, nothing armed.
 */
export function deviceLinesView(n: number, device: LinesDevice | null, wire: Pick<Wire, 'level' | 'contended'>, world: Pick<World, 'specs'>): LinesView {
  const v: LinesView = {
    level: wire.level.slice(),
    direction: device ? device.direction.slice() : new Uint8Array(n),
    deviceType: device ? device.irqType.slice() : new Uint8Array(n),
    clientType: new Uint8Array(n),
    hasConsumer: new Uint8Array(n),
    armed: new Uint8Array(n),
    latch: device ? device.latch.slice() : new Uint16Array(n),
    sink: new Uint8Array(n),
    driverFlags: new Uint8Array(n),
    inHandler: new Uint8Array(n),
    lastDelivery: device ? device.lastResult.slice() : new Uint8Array(n).fill(255),
    delivered: new Uint32Array(n),
    coalesced: new Uint32Array(n),
    spurious: new Uint32Array(n),
    lost: new Uint32Array(n),
    handlerCalls: new Uint32Array(n),
    invalid: new Uint32Array(n),
    source: new Uint8Array(n),
    contended: wire.contended.slice(),
  };
  for (let i = 0; i < n; i++) {
    if (device) {
      v.armed[i] = device.held[i] !== -1 ? 1 : 0;
      v.sink[i] = device.sinkState(i);
    }
    const spec = world.specs[i];
    const kind = spec?.kind === 'button' && !spec.activeLow ? 'button-active-high' : (spec?.kind ?? 'none');
    v.source[i] = LINE_SOURCES.codeOf(kind) ?? LINE_SOURCES.code.none;
  }
  return v;
}

/** One virtqueue as both sides see it. */
export interface QueueView extends RingSnapshot {
  name: string;
  size: number;
  /** Device side: next avail entry it will take, next used slot it will fill. */
  deviceNextAvail: number;
  deviceNextUsed: number;
  /** Driver side: last used entry it consumed. */
  driverLastUsed: number;
  /** Per descriptor: where it is (DESC_OWNERS). */
  owner: Uint8Array;
  /** Per descriptor: the line its chain belongs to, or -1. */
  lineOf: Int16Array;
  /** Buffer contents per descriptor (up to 16 bytes each), for the hover decoder. */
  bytes: (Uint8Array | null)[];
}

/** Bytes of each buffer the inspector decodes on hover: enough for any virtio-gpio struct. */
const INSPECT_BYTES = 16;

/** Both rings, with where every in-flight chain is: available, with the device, or used and not yet taken back. */
export function queueViews(m: Machine): QueueView[] {
  const out: QueueView[] = [];
  const names = ['requestq', 'eventq'];
  const driverQs = [m.chip.requestq, m.chip.eventq];
  for (let q = 0; q < driverQs.length; q++) {
    const dq = driverQs[q];
    const devq = m.device.queues[q];
    if (!dq || !devq) continue;
    const L = dq.layout;
    const size = L.size;
    const ring = snapshotRing(m.mem, L);
    const availPending = new Set(entriesBetween(devq.nextAvail, ring.availIdx, size, (s) => ring.availRing[s] as number));
    const usedPending = new Set(entriesBetween(dq.lastUsedIdx, ring.usedIdx, size, (s) => ring.usedRing[2 * s] as number));
    const owner = new Uint8Array(size);
    const lineOf = new Int16Array(size).fill(-1);
    const bytes = new Array<Uint8Array | null>(size).fill(null);
    for (let head = 0; head < size; head++) {
      const token = dq.tokenAt(head);
      if (token < 0) continue;
      const state = availPending.has(head) ? DESC_OWNERS.code.available : usedPending.has(head) ? DESC_OWNERS.code.used : DESC_OWNERS.code.device;
      walkChain(m.mem, L, head, (d, addr, len) => {
        owner[d] = state;
        lineOf[d] = token;
        const n = Math.min(len, INSPECT_BYTES);
        if (addr >= 0 && m.mem.contains(addr, n)) bytes[d] = m.mem.bytes.slice(addr, addr + n);
      });
    }
    out.push({
      name: names[q] as string,
      size,
      ...ring,
      deviceNextAvail: devq.nextAvail,
      deviceNextUsed: devq.nextUsed,
      driverLastUsed: dq.lastUsedIdx,
      owner,
      lineOf,
      bytes,
    });
  }
  return out;
}

/** Totals the header shows. */
export interface Totals {
  delivered: number;
  coalesced: number;
  spurious: number;
  lost: number;
  handlerCalls: number;
  invalid: number;
  violations: number;
  warnings: number;
}

/** Everything the panels show about one instant. */
export interface View {
  now: number;
  processed: number;
  lines: LinesView;
  /** Both queues, or empty unless asked for. */
  queues: QueueView[];
  transport: TransportView;
  deviceStatus: number;
  deviceFailure: number;
  totals: Totals;
  /** The inspected line's interrupt route, when a line is inspected. */
  route: RouteLayer[] | null;
}

/** Reads everything the panels show. `withQueues`: the rings too (a walk of both: only while the inspector shows them). */
export function makeView(m: Machine, inspect: number | null, withQueues = true): View {
  const n = m.cfg.device.ngpio;
  const lines = linesView(m);
  const total = m.oracle.total();
  let handlerCalls = 0;
  let invalid = 0;
  for (let i = 0; i < n; i++) {
    handlerCalls += lines.handlerCalls[i] as number;
    invalid += lines.invalid[i] as number;
  }
  return {
    now: m.now,
    processed: m.processed,
    lines,
    queues: withQueues ? queueViews(m) : [],
    transport: transportView(m),
    deviceStatus: m.device.status,
    deviceFailure: m.device.failure,
    totals: { ...total, handlerCalls, invalid, violations: m.monitors.mustCount, warnings: m.trace.count(TK.DrvWarn) },
    route: inspect !== null && inspect >= 0 && inspect < n ? irqRoute(m, inspect) : null,
  };
}
