import { EventQueue } from '../clock/event-queue';
import { Prng } from '../clock/prng';
import { Monitors } from '../check/monitors';
import {
  EVENTQ,
  IRQ_REQUEST_SIZE,
  IRQ_RESPONSE_SIZE,
  REQUEST_SIZE,
  REQUESTQ,
  RESPONSE_SIZE,
  VIRTIO_GPIO_F_IRQ,
} from '../gpio/constants';
import { GpioDevice } from '../gpio/device';
import type { LatencyRange } from '../clock/time';
import { policyPreset, type DeviceConfig, type DevicePolicy } from '../gpio/policies';
import { GuestMemory } from '../memory';
import { EV, type SimContext } from '../sim-context';
import { Trace } from '../trace/trace';
import { F_VERSION_1, STATUS_ACKNOWLEDGE, STATUS_DRIVER, STATUS_DRIVER_OK, STATUS_FEATURES_OK } from '../virtio/constants';
import { DriverQueue, GET_NONE, type BufferSpec } from '../virtio/driver-queue';
import { allocRing } from '../virtio/ring-layout';

export interface HarnessOptions {
  ngpio?: number;
  names?: string[] | null;
  policy?: Partial<DevicePolicy>;
  preset?: 'spec' | 'rust-vmm' | 'rust-vmm-mock';
  spec?: 'v1.2' | 'v8';
  offerIrq?: boolean;
  queueSize?: number;
  latency?: number;
  faults?: DeviceConfig['faults'];
}

/** A completed requestq message as the test driver read it back from memory. */
export interface Answer {
  status: number;
  value: number;
  usedLen: number;
}

/**
 * A driver-side test double for the device (in the spirit of rust-vmm's
 * MockSplitQueue): it builds real chains in guest memory, notifies, and reads
 * back exactly what the device wrote. Time advances only through run().
 */
export class DeviceHarness implements SimContext {
  now = 0;
  readonly queue = new EventQueue();
  readonly prng = new Prng(1);
  readonly trace = new Trace(100_000);
  readonly mem = new GuestMemory(1 << 20);
  readonly dev: GpioDevice;
  readonly monitors: Monitors;
  readonly rq: DriverQueue;
  readonly eq: DriverQueue;
  /** Physical levels the device senses. */
  readonly levels: Uint8Array;
  readonly outputs: number[] = [];
  readonly raised: number[] = [];

  private readonly _reqBuf: number;
  private readonly _respBuf: number;
  private readonly _ireq: number[] = [];
  private readonly _ires: number[] = [];

  constructor(o: HarnessOptions = {}) {
    const n = o.ngpio ?? 4;
    const spec = o.spec ?? 'v1.2';
    const lat: LatencyRange = { min: o.latency ?? 1000, max: o.latency ?? 1000 };
    const cfg: DeviceConfig = {
      ngpio: n,
      names: o.names === undefined ? Array.from({ length: n }, (_, i) => `l${i}`) : o.names,
      offerIrq: o.offerIrq ?? true,
      offerEventIdx: false,
      spec,
      policy: { ...policyPreset(o.preset ?? 'spec', spec), ...o.policy },
      faults: o.faults ?? {},
      latency: { notify: lat, request: lat, event: lat, interrupt: lat },
      initialDirection: Array.from({ length: n }, () => 2),
      initialValue: Array.from({ length: n }, () => 0),
    };
    this.levels = new Uint8Array(n);
    this.dev = new GpioDevice(this, this.mem, cfg, { level: this.levels, setDevice: (line, level) => this._output(line, level) }, { raise: (q) => void this.raised.push(q) });
    this.monitors = new Monitors(this, this.dev);
    this.dev.obs = this.monitors;
    this.dev.senseInitial();
    const q = o.queueSize ?? 16;
    this.dev.writeStatus(STATUS_ACKNOWLEDGE);
    this.dev.writeStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    this.dev.setDriverFeatures((o.offerIrq ?? true) ? 1 << VIRTIO_GPIO_F_IRQ : 0, 1 << (F_VERSION_1 - 32));
    this.dev.writeStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    this.rq = new DriverQueue(this.mem, allocRing(this.mem, q));
    this.eq = new DriverQueue(this.mem, allocRing(this.mem, q));
    this.dev.setupQueue(REQUESTQ, this.rq.layout);
    this.dev.setupQueue(EVENTQ, this.eq.layout);
    this.dev.writeStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    this._reqBuf = this.mem.alloc(REQUEST_SIZE * 64, 8);
    this._respBuf = this.mem.alloc(4096, 8);
    for (let i = 0; i < n; i++) {
      this._ireq.push(this.mem.alloc(IRQ_REQUEST_SIZE, 8));
      this._ires.push(this.mem.alloc(IRQ_RESPONSE_SIZE, 8));
    }
  }

  // SimContext
  emit(kind: number, line: number, a: number, b: number, c: number): number {
    return this.trace.emit(this.now, kind, line, a, b, c);
  }
  after(delay: number, ev: number, a = 0, b = 0, c = 0): void {
    this.queue.push(this.now + delay, ev, a, b, c);
  }
  draw(r: LatencyRange): number {
    return this.prng.range(r.min, r.max);
  }

  /** The device drove a line (the harness plays the wire). */
  private _output(line: number, level: number): void {
    this.outputs.push(line, level);
    if (level >= 0) this.levels[line] = level;
  }

  /** Runs device events for `ns` of simulated time. */
  run(ns = 100_000): void {
    const end = this.now + ns;
    while (this.queue.peekTime() <= end) {
      this.queue.pop();
      this.now = this.queue.time;
      const { kind, a, b, c } = this.queue;
      if (kind === EV.DeviceWake) this.dev.wake(a);
      else if (kind === EV.RequestDone) this.dev.requestDone(a);
      else if (kind === EV.EventReturn) this.dev.eventReturn(a, b, c);
      else if (kind === EV.HostWaitEnd) this.dev.hostWaitEnd(a, b);
    }
    this.now = end;
  }

  /** Queues one request chain (without running); returns its token. */
  post(type: number, gpio: number, value: number, respLen = RESPONSE_SIZE, slot = 0): number {
    const req = this._reqBuf + slot * REQUEST_SIZE;
    const resp = this._respBuf + slot * 64;
    this.mem.setLe16(req, type);
    this.mem.setLe16(req + 2, gpio);
    this.mem.setLe32(req + 4, value);
    this.mem.bytes.fill(0xee, resp, resp + Math.min(respLen, 64)); // Poison: the device must overwrite.
    this.rq.addPair(req, REQUEST_SIZE, resp, respLen, slot);
    this.dev.notify(REQUESTQ);
    return slot;
  }

  /** Sends one message and runs until its answer is back. */
  send(type: number, gpio: number, value: number, respLen = RESPONSE_SIZE): Answer {
    this.post(type, gpio, value, respLen, 0);
    this.run();
    const answers = this.answers();
    if (answers.length !== 1) throw new Error(`expected one answer, got ${answers.length}`);
    return answers[0]!.answer;
  }

  /** Every used requestq entry since the last call, in used-ring order. */
  answers(): { slot: number; answer: Answer }[] {
    const out: { slot: number; answer: Answer }[] = [];
    for (;;) {
      const slot = this.rq.getBuf();
      if (slot === GET_NONE || slot < 0) return out;
      const resp = this._respBuf + slot * 64;
      out.push({ slot, answer: { status: this.mem.u8(resp), value: this.mem.u8(resp + 1), usedLen: this.rq.lastLen } });
    }
  }

  /** Sends a raw chain on a queue (for malformed-chain tests). */
  postChain(q: number, bufs: BufferSpec[], token = 99): void {
    (q === REQUESTQ ? this.rq : this.eq).addChain(bufs, token);
    this.dev.notify(q);
  }

  /** Queues the eventq buffer pair of `line` (like virtio_gpio_irq_prepare). */
  arm(line: number, gpioField = line): void {
    this.mem.setLe16(this._ireq[line] as number, gpioField);
    this.mem.setU8(this._ires[line] as number, 0xee);
    this.eq.addPair(this._ireq[line] as number, IRQ_REQUEST_SIZE, this._ires[line] as number, IRQ_RESPONSE_SIZE, line);
    this.dev.notify(EVENTQ);
  }

  /** eventq buffers returned since the last call: line and the status byte the device wrote. */
  events(): { line: number; status: number; usedLen: number }[] {
    const out: { line: number; status: number; usedLen: number }[] = [];
    for (;;) {
      const line = this.eq.getBuf();
      if (line < 0) return out;
      out.push({ line, status: this.mem.u8(this._ires[line] as number), usedLen: this.eq.lastLen });
    }
  }

  /** Changes a line's physical level (the device senses it at once). */
  setLevel(line: number, level: number): void {
    this.levels[line] = level;
    this.dev.levelChanged(line, level);
  }

  violations(): string[] {
    return this.monitors.violations.map((v) => v.rule);
  }
}
