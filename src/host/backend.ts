import type { GuestMemory } from '../sim/memory';
import { isValidQueueSize, type RingLayout } from '../sim/virtio/ring-layout';
import {
  decodeHeader,
  decodePayload,
  F_PROTOCOL_FEATURES,
  FLAG_VERSION_MASK,
  HEADER_SIZE,
  MAX_PAYLOAD,
  PROTOCOL_F_CONFIG,
  replyConfig,
  replyState,
  replyU64,
  Req,
  reqName,
  VHOST_USER_VERSION,
  VRING_IDX_MASK,
  VRING_NOFD_MASK,
  type Message,
  type Region,
} from './vhost-user';

/**
 * One vhost-user connection, device-agnostic apart from what it asks the
 * RealtimeDevice: the handshake, the memory table, the rings, and the device
 * status they imply. Everything the operating system does (mapping memory,
 * closing and signalling file descriptors) goes through HostOps, so the whole
 * message handling runs in tests (and under the fuzzer) without QEMU or koffi.
 */
export interface HostOps {
  /** Maps the regions' fds so that offset == guest-physical address; `size` is already checked. */
  map(regions: Region[], fds: number[], size: number): { ok: true; mem: GuestMemory } | { ok: false; reason: string };
  close(fd: number): void;
  /** Writes 1 to an eventfd (an interrupt to the guest). */
  signal(fd: number): void;
}

/**
 * The device behind the back end, as vhost-user sees it: features, config
 * space, which rings it needs, and the life cycle the front end's messages
 * imply. The session knows nothing of GPIO; RealtimeDevice is the GPIO one.
 */
export interface VhostDevice {
  readonly numQueues: number;
  /** Device feature bits offered (the vhost-user protocol-features bit is added by the session). */
  features(): bigint;
  /** The configuration space as the driver reads it. */
  config(): Uint8Array;
  /** The rings a driver with these features uses: all must run before DRIVER_OK. */
  queuesUsed(features: bigint): number[];
  readonly running: boolean;
  /** A device session starts with these acked features (ACKNOWLEDGE .. FEATURES_OK). */
  start(mem: GuestMemory, features: bigint): void;
  queueStart(q: number, layout: RingLayout, base: number): void;
  setDriverOk(): void;
  kick(q: number): void;
  stop(): void;
  /** The next avail index of a running ring (GET_VRING_BASE). */
  ringBase(q: number): number;
  /** Device status as far as the back end knows it (GET_STATUS). */
  status(): number;
  /** Set by the session: raises a ring's used-buffer interrupt. */
  signal: (queue: number) => void;
}

/** What handling one message produced. */
export interface Outcome {
  reply: Uint8Array | null;
  /** Set when the connection must be closed: why. */
  disconnect: string | null;
}

/** Guest RAM the back end maps: everything below 4 GiB (device-side rings take 32-bit addresses). */
export const MAX_GUEST_PHYS = 0x1_0000_0000;
const PAGE = 4096n;

const bit = (n: number): bigint => 1n << BigInt(n);

interface Ring {
  num: number;
  base: number;
  addr: { desc: bigint; avail: bigint; used: bigint } | null;
  kick: number;
  call: number;
  enabled: boolean;
  started: boolean;
}

const newRing = (): Ring => ({ num: 0, base: 0, addr: null, kick: -1, call: -1, enabled: false, started: false });

/** Checks a memory table: sizes, alignment, overlaps, all below MAX_GUEST_PHYS. Returns the span to map. */
export function checkRegions(regions: Region[]): { ok: true; size: number } | { ok: false; reason: string } {
  let end = 0n;
  for (let i = 0; i < regions.length; i++) {
    const r = regions[i] as Region;
    if (r.size === 0n) return { ok: false, reason: `region ${i} is empty` };
    if (r.gpa % PAGE !== 0n || r.size % PAGE !== 0n || r.offset % PAGE !== 0n) return { ok: false, reason: `region ${i} is not page-aligned` };
    if (r.gpa + r.size > BigInt(MAX_GUEST_PHYS)) return { ok: false, reason: `region ${i} ends above 4 GiB` };
    if (r.uaddr + r.size > 0xffff_ffff_ffff_ffffn) return { ok: false, reason: `region ${i}'s user address wraps` };
    if (r.offset + r.size > 0x7fff_ffff_ffff_ffffn) return { ok: false, reason: `region ${i}'s offset is too large` };
    for (let j = 0; j < i; j++) {
      const o = regions[j] as Region;
      if (r.gpa < o.gpa + o.size && o.gpa < r.gpa + r.size) return { ok: false, reason: `regions ${j} and ${i} overlap` };
    }
    if (r.gpa + r.size > end) end = r.gpa + r.size;
  }
  return { ok: true, size: Number(end) };
}

export class VhostUserSession {
  private readonly _ops: HostOps;
  private readonly _rt: VhostDevice;
  private readonly _log: (s: string) => void;
  private readonly _rings: Ring[];
  private _regions: Region[] = [];
  private _mem: GuestMemory | null = null;
  private _features = 0n;
  private _featuresSet = false;
  private _protocol = 0n;
  private _owner = false;
  private _closed = false;
  /** vhost-user messages by request name. */
  readonly messages: Record<string, number> = {};
  /** Called when the set of kick fds changes (the poll loop rebuilds its list). */
  onKicksChanged: () => void = () => {};

  constructor(ops: HostOps, rt: VhostDevice, log: (s: string) => void = () => {}) {
    this._ops = ops;
    this._rt = rt;
    this._rings = Array.from({ length: rt.numQueues }, newRing);
    this._log = log;
    rt.signal = (q) => {
      const fd = this._rings[q]?.call ?? -1;
      if (fd >= 0) this._ops.signal(fd);
    };
  }

  /** The features this back end offers: the device's own, plus the vhost-user protocol-features bit. */
  offeredFeatures(): bigint {
    return this._rt.features() | bit(F_PROTOCOL_FEATURES);
  }

  /** Kick fds to watch: [fd, queue]. */
  kickFds(): [number, number][] {
    const out: [number, number][] = [];
    this._rings.forEach((r, q) => {
      if (r.kick >= 0 && r.started) out.push([r.kick, q]);
    });
    return out;
  }

  /** Handles one whole message (header and payload) with the fds that came with it. Never throws. */
  handle(bytes: Uint8Array, fds: number[]): Outcome {
    try {
      return this._handle(bytes, fds);
    } catch (e) {
      // A bug here must not take the host down with the guest still running: drop the connection.
      for (const fd of fds) this._ops.close(fd);
      return { reply: null, disconnect: `internal error handling a message: ${(e as Error).message}` };
    }
  }

  private _handle(bytes: Uint8Array, fds: number[]): Outcome {
    if (this._closed) {
      for (const fd of fds) this._ops.close(fd);
      return { reply: null, disconnect: 'session closed' };
    }
    if (bytes.length < HEADER_SIZE) return this._fail(fds, `message of ${bytes.length} bytes is shorter than the header`);
    const h = decodeHeader(bytes);
    if ((h.flags & FLAG_VERSION_MASK) !== VHOST_USER_VERSION) return this._fail(fds, `protocol version ${h.flags & FLAG_VERSION_MASK} (expected 1)`);
    if (h.size > MAX_PAYLOAD || bytes.length !== HEADER_SIZE + h.size) return this._fail(fds, `payload size ${h.size} does not match`);
    const d = decodePayload(h, bytes.subarray(HEADER_SIZE));
    if (!d.ok) return this._fail(fds, d.reason);
    const name = reqName(h.request);
    this.messages[name] = (this.messages[name] ?? 0) + 1;
    return this._dispatch(d.msg, fds);
  }

  private _fail(fds: number[], reason: string): Outcome {
    for (const fd of fds) this._ops.close(fd);
    return { reply: null, disconnect: reason };
  }

  /** Closes fds a message did not expect; true when the count was wrong. */
  private _expectFds(fds: number[], n: number): boolean {
    if (fds.length === n) return false;
    for (const fd of fds) this._ops.close(fd);
    return true;
  }

  private _ring(index: number): Ring | null {
    return index < this._rings.length ? (this._rings[index] as Ring) : null;
  }

  private _dispatch(m: Message, fds: number[]): Outcome {
    const ok: Outcome = { reply: null, disconnect: null };
    const reply = (b: Uint8Array): Outcome => ({ reply: b, disconnect: null });
    const noFds = m.request !== Req.SET_MEM_TABLE && m.request !== Req.SET_VRING_KICK && m.request !== Req.SET_VRING_CALL && m.request !== Req.SET_VRING_ERR;
    if (noFds && this._expectFds(fds, 0)) return this._fail([], `${reqName(m.request)} came with ${fds.length} file descriptors`);
    switch (m.kind) {
      case 'none':
        switch (m.request) {
          case Req.GET_FEATURES:
            return reply(replyU64(m.request, this.offeredFeatures()));
          case Req.GET_PROTOCOL_FEATURES:
            return reply(replyU64(m.request, bit(PROTOCOL_F_CONFIG)));
          case Req.SET_OWNER:
            this._owner = true;
            return ok;
          case Req.RESET_OWNER:
            this._stopAll();
            this._owner = false;
            return ok;
          case Req.GET_QUEUE_NUM:
            return reply(replyU64(m.request, BigInt(this._rt.numQueues)));
          case Req.GET_MAX_MEM_SLOTS:
            return reply(replyU64(m.request, 8n));
          case Req.GET_STATUS:
            return reply(replyU64(m.request, BigInt(this._rt.status())));
        }
        return this._fail([], `unexpected ${reqName(m.request)}`);
      case 'u64':
        return this._u64(m.request, m.value, fds);
      case 'state':
        return this._state(m.request, m.index, m.num);
      case 'addr': {
        const r = this._ring(m.index);
        if (!r) return this._fail([], `SET_VRING_ADDR for ring ${m.index}`);
        if (r.started) return this._fail([], `SET_VRING_ADDR on running ring ${m.index}`);
        r.addr = { desc: m.desc, avail: m.avail, used: m.used };
        return this._tryStart(m.index);
      }
      case 'mem': {
        if (this._expectFds(fds, m.regions.length)) return this._fail([], `SET_MEM_TABLE with ${m.regions.length} regions came with ${fds.length} fds`);
        const chk = checkRegions(m.regions);
        if (!chk.ok) return this._fail(fds, `SET_MEM_TABLE: ${chk.reason}`);
        const mapped = this._ops.map(m.regions, fds, chk.size);
        for (const fd of fds) this._ops.close(fd); // The mappings keep the memory; the fds are not needed.
        if (!mapped.ok) return this._fail([], `SET_MEM_TABLE: ${mapped.reason}`);
        this._regions = m.regions;
        this._mem = mapped.mem;
        return ok;
      }
      case 'config': {
        if (m.request === Req.SET_CONFIG) return ok; // The configuration space is read-only.
        const cfg = this._rt.config();
        const data = new Uint8Array(m.size);
        for (let i = 0; i < m.size; i++) data[i] = m.offset + i < cfg.length ? (cfg[m.offset + i] as number) : 0;
        return reply(replyConfig(m.request, m.offset, m.flags, data));
      }
    }
  }

  private _u64(request: number, value: bigint, fds: number[]): Outcome {
    const ok: Outcome = { reply: null, disconnect: null };
    switch (request) {
      case Req.SET_FEATURES: {
        if (this._expectFds(fds, 0)) return this._fail([], 'SET_FEATURES came with fds');
        const offered = this.offeredFeatures();
        if ((value & ~offered) !== 0n) return this._fail([], `SET_FEATURES 0x${value.toString(16)} acks features never offered (0x${offered.toString(16)})`);
        const same = this._featuresSet && value === this._features;
        this._features = value;
        this._featuresSet = true;
        // A new value while the device runs is a new session (the guest reset and renegotiated).
        if (!same && this._rt.running) this._stopAll();
        return ok;
      }
      case Req.SET_PROTOCOL_FEATURES:
        if (this._expectFds(fds, 0)) return this._fail([], 'SET_PROTOCOL_FEATURES came with fds');
        if ((value & ~bit(PROTOCOL_F_CONFIG)) !== 0n) return this._fail([], `SET_PROTOCOL_FEATURES 0x${value.toString(16)} acks features never offered`);
        this._protocol = value;
        return ok;
      case Req.SET_STATUS:
        if (this._expectFds(fds, 0)) return this._fail([], 'SET_STATUS came with fds');
        return ok;
      case Req.SET_VRING_KICK:
      case Req.SET_VRING_CALL:
      case Req.SET_VRING_ERR: {
        const index = Number(value & BigInt(VRING_IDX_MASK));
        const nofd = (value & BigInt(VRING_NOFD_MASK)) !== 0n;
        if ((value & ~BigInt(VRING_IDX_MASK | VRING_NOFD_MASK)) !== 0n) return this._fail(fds, `${reqName(request)}: unknown bits in 0x${value.toString(16)}`);
        if (this._expectFds(fds, nofd ? 0 : 1)) return this._fail([], `${reqName(request)}: ${fds.length} fds (expected ${nofd ? 0 : 1})`);
        const r = this._ring(index);
        const fd = nofd ? -1 : (fds[0] as number);
        if (!r) return this._fail(fd >= 0 ? [fd] : [], `${reqName(request)} for ring ${index}`);
        if (request === Req.SET_VRING_ERR) {
          if (fd >= 0) this._ops.close(fd);
          return ok;
        }
        if (request === Req.SET_VRING_CALL) {
          if (r.call >= 0) this._ops.close(r.call);
          r.call = fd;
          return ok;
        }
        if (nofd) return this._fail([], `SET_VRING_KICK without an fd (polling mode is not supported) on ring ${index}`);
        if (r.kick >= 0) this._ops.close(r.kick);
        r.kick = fd;
        // Without protocol features a ring starts as soon as it has a kick fd (vhost-user.rst "Starting and stopping rings").
        if ((this._features & bit(F_PROTOCOL_FEATURES)) === 0n) r.enabled = true;
        const out = this._tryStart(index);
        this.onKicksChanged();
        return out;
      }
    }
    return this._fail(fds, `unexpected ${reqName(request)}`);
  }

  private _state(request: number, index: number, num: number): Outcome {
    const ok: Outcome = { reply: null, disconnect: null };
    const r = this._ring(index);
    if (!r) return this._fail([], `${reqName(request)} for ring ${index} (the device has ${this._rings.length})`);
    switch (request) {
      case Req.SET_VRING_NUM:
        if (!isValidQueueSize(num)) return this._fail([], `SET_VRING_NUM ${num} is not a power of two in 1..32768`);
        if (r.started) return this._fail([], `SET_VRING_NUM on running ring ${index}`);
        r.num = num;
        return ok;
      case Req.SET_VRING_BASE:
        if (num > 0xffff) return this._fail([], `SET_VRING_BASE ${num} does not fit 16 bits`);
        if (r.started) return this._fail([], `SET_VRING_BASE on running ring ${index}`);
        r.base = num;
        return ok;
      case Req.SET_VRING_ENABLE:
        if (num > 1) return this._fail([], `SET_VRING_ENABLE ${num}`);
        r.enabled = num === 1;
        if (r.enabled) return this._tryStart(index);
        return ok;
      case Req.GET_VRING_BASE: {
        const base = r.started ? this._rt.ringBase(index) : r.base;
        this._stopRing(index);
        return { reply: replyState(request, index, base), disconnect: null };
      }
    }
    return this._fail([], `unexpected ${reqName(request)}`);
  }

  /** Guest-physical address of a front-end user address range, or -1 when outside every region. */
  private _gpa(uaddr: bigint, len: number): number {
    for (const r of this._regions) {
      if (uaddr >= r.uaddr && uaddr + BigInt(len) <= r.uaddr + r.size) return Number(r.gpa + (uaddr - r.uaddr));
    }
    return -1;
  }

  private _expectedRings(): number[] {
    return this._rt.queuesUsed(this._features & ~bit(F_PROTOCOL_FEATURES));
  }

  private _tryStart(index: number): Outcome {
    const ok: Outcome = { reply: null, disconnect: null };
    const r = this._rings[index] as Ring;
    if (r.started || !r.enabled || r.kick < 0 || !r.addr || r.num === 0 || !this._mem || !this._featuresSet) return ok;
    const n = r.num;
    const desc = this._gpa(r.addr.desc, 16 * n);
    const avail = this._gpa(r.addr.avail, 6 + 2 * n);
    const used = this._gpa(r.addr.used, 6 + 8 * n);
    if (desc < 0 || avail < 0 || used < 0) return this._fail([], `ring ${index}'s addresses lie outside guest memory`);
    const mem = this._mem;
    if (!mem.contains(desc, 16 * n) || !mem.contains(avail, 6 + 2 * n) || !mem.contains(used, 6 + 8 * n)) {
      return this._fail([], `ring ${index}'s addresses lie outside the mapped memory`);
    }
    const layout: RingLayout = { size: n, desc, avail, used, usedEvent: avail + 4 + 2 * n, availEvent: used + 4 + 8 * n };
    if (!this._rt.running) {
      const f = this._features & ~bit(F_PROTOCOL_FEATURES);
      this._rt.start(mem, f);
      this._log(`device started (features 0x${f.toString(16)})`);
    }
    this._rt.queueStart(index, layout, r.base);
    r.started = true;
    if (this._expectedRings().every((q) => (this._rings[q] as Ring).started)) this._rt.setDriverOk();
    this.onKicksChanged();
    return ok;
  }

  private _stopRing(index: number): void {
    const r = this._rings[index] as Ring;
    if (r.started) {
      r.base = this._rt.ringBase(index);
      r.started = false;
    }
    if (r.kick >= 0) {
      this._ops.close(r.kick);
      r.kick = -1;
    }
    if ((this._features & bit(F_PROTOCOL_FEATURES)) !== 0n) r.enabled = false;
    this.onKicksChanged();
    if (this._rings.every((x) => !x.started) && this._rt.running) {
      this._rt.stop();
      this._log('device stopped');
    }
  }

  private _stopAll(): void {
    for (let q = 0; q < this._rings.length; q++) this._stopRing(q);
    if (this._rt.running) this._rt.stop();
  }

  /** A kick arrived on ring `q`'s eventfd. */
  kick(q: number): void {
    if (this._rings[q]?.started) this._rt.kick(q);
  }

  /** The connection is gone: stop the device and close every fd this session holds. */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    this._stopAll();
    for (const r of this._rings) {
      if (r.call >= 0) this._ops.close(r.call);
      r.call = -1;
    }
    this._rt.signal = () => {};
  }

  get owner(): boolean {
    return this._owner;
  }
  get protocolFeatures(): bigint {
    return this._protocol;
  }
}
