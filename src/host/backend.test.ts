import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../sim/memory';
import { resolveScenario, validateScenario } from '../sim/scenario/load';
import { DriverQueue } from '../sim/virtio/driver-queue';
import { allocRing } from '../sim/virtio/ring-layout';
import { VhostUserSession, type HostOps } from './backend';
import { GUEST_BOARD } from './guest-scenario';
import { RealtimeDevice, type Clock } from './realtime';
import { encodeRequest, HEADER_SIZE, Req, type Region } from './vhost-user';
import { TK } from '../sim/trace/kinds';

/** The operating system, faked: memory is a plain ArrayBuffer, fds are numbers whose closing is checked. */
class FakeOps implements HostOps {
  open = new Set<number>();
  closedTwice = 0;
  closedUnknown = 0;
  signals: number[] = [];
  mem: GuestMemory | null = null;
  private _next = 100;
  fd(): number {
    const fd = this._next++;
    this.open.add(fd);
    return fd;
  }
  map(_regions: Region[], fds: number[], size: number): { ok: true; mem: GuestMemory } | { ok: false; reason: string } {
    for (const fd of fds) if (!this.open.has(fd)) throw new Error(`map got unknown fd ${fd}`);
    if (size > 16 * 1024 * 1024) return { ok: false, reason: 'too big for the fake' };
    if (!this.mem || this.mem.size < size) this.mem = new GuestMemory(new ArrayBuffer(size), 0);
    return { ok: true, mem: this.mem };
  }
  close(fd: number): void {
    if (fd < 100) this.closedUnknown++;
    else if (!this.open.delete(fd)) this.closedTwice++;
  }
  signal(fd: number): void {
    this.signals.push(fd);
  }
}

const fakeClock = (): Clock => {
  let t = 0;
  return { now: () => (t += 1000), schedule: () => () => {} };
};

function device(): RealtimeDevice {
  const v = validateScenario(GUEST_BOARD);
  if (!v.ok) throw new Error(v.error);
  const r = resolveScenario(v.value);
  if (!r.ok) throw new Error(r.error);
  return new RealtimeDevice(r.value, fakeClock());
}

const u64 = (v: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
};
const state = (i: number, n: number): Uint8Array => {
  const b = new Uint8Array(8);
  const d = new DataView(b.buffer);
  d.setUint32(0, i, true);
  d.setUint32(4, n, true);
  return b;
};
const memTable = (regions: Region[]): Uint8Array => {
  const b = new Uint8Array(8 + 32 * regions.length);
  const d = new DataView(b.buffer);
  d.setUint32(0, regions.length, true);
  regions.forEach((r, i) => {
    d.setBigUint64(8 + 32 * i, r.gpa, true);
    d.setBigUint64(16 + 32 * i, r.size, true);
    d.setBigUint64(24 + 32 * i, r.uaddr, true);
    d.setBigUint64(32 + 32 * i, r.offset, true);
  });
  return b;
};
const addr = (i: number, desc: bigint, used: bigint, avail: bigint): Uint8Array => {
  const b = new Uint8Array(40);
  const d = new DataView(b.buffer);
  d.setUint32(0, i, true);
  d.setBigUint64(8, desc, true);
  d.setBigUint64(16, used, true);
  d.setBigUint64(24, avail, true);
  return b;
};

const UADDR = 0x7f00_0000_0000n;
const RAM = 0x40000;

/** The handshake QEMU 10 performs, up to both rings running. */
function handshake(s: VhostUserSession, ops: FakeOps, rings: { desc: number; avail: number; used: number }[], features: bigint): void {
  const send = (req: number, payload: Uint8Array, fds: number[] = []): Uint8Array | null => {
    const o = s.handle(encodeRequest(req, payload), fds);
    expect(o.disconnect).toBeNull();
    return o.reply;
  };
  send(Req.GET_FEATURES, new Uint8Array(0));
  send(Req.GET_PROTOCOL_FEATURES, new Uint8Array(0));
  send(Req.SET_PROTOCOL_FEATURES, u64(1n << 9n));
  send(Req.SET_OWNER, new Uint8Array(0));
  send(Req.SET_FEATURES, u64(features));
  send(Req.SET_MEM_TABLE, memTable([{ gpa: 0n, size: BigInt(RAM), uaddr: UADDR, offset: 0n }]), [ops.fd()]);
  rings.forEach((r, i) => {
    send(Req.SET_VRING_NUM, state(i, 16));
    send(Req.SET_VRING_BASE, state(i, 0));
    send(Req.SET_VRING_ADDR, addr(i, UADDR + BigInt(r.desc), UADDR + BigInt(r.used), UADDR + BigInt(r.avail)));
    send(Req.SET_VRING_KICK, u64(BigInt(i)), [ops.fd()]);
    send(Req.SET_VRING_CALL, u64(BigInt(i)), [ops.fd()]);
    send(Req.SET_VRING_ENABLE, state(i, 1));
  });
}

describe('vhost-user session', () => {
  it('answers GET_FEATURES with VERSION_1, F_IRQ and the protocol-features bit, and GET_CONFIG with the 8-byte config', () => {
    const ops = new FakeOps();
    const s = new VhostUserSession(ops, device());
    const f = s.handle(encodeRequest(Req.GET_FEATURES, new Uint8Array(0)), []);
    const v = new DataView(f.reply!.buffer).getBigUint64(HEADER_SIZE, true);
    expect(v).toBe((1n << 32n) | (1n << 30n) | 1n);
    const cfgReq = new Uint8Array(12 + 8);
    new DataView(cfgReq.buffer).setUint32(4, 8, true);
    const c = s.handle(encodeRequest(Req.GET_CONFIG, cfgReq), []);
    const body = c.reply!.subarray(HEADER_SIZE + 12);
    const names = GUEST_BOARD.device.lines.reduce((n, l) => n + l.name.length + 1, 0);
    expect(Array.from(body)).toEqual([8, 0, 0, 0, names & 0xff, names >> 8, 0, 0]);
  });

  it('runs a GET_VALUE from a driver ring through the device and signals the call fd', () => {
    const ops = new FakeOps();
    const rt = device();
    const s = new VhostUserSession(ops, rt);
    const mem = new GuestMemory(new ArrayBuffer(RAM), 0x1000);
    ops.mem = mem;
    const rq = allocRing(mem, 16);
    const eq = allocRing(mem, 16);
    handshake(s, ops, [rq, eq], (1n << 32n) | 1n | (1n << 30n));
    expect(rt.driverOk).toBe(true);
    const drv = new DriverQueue(mem, rq);
    const req = mem.alloc(8);
    const res = mem.alloc(2);
    mem.setLe16(req, 4); // GET_VALUE
    mem.setLe16(req + 2, 2); // line 2: button, pulled up
    drv.addPair(req, 8, res, 2, 1);
    s.kick(0);
    expect(drv.hasUsed()).toBe(true);
    expect(mem.u8(res)).toBe(0);
    expect(mem.u8(res + 1)).toBe(1);
    expect(ops.signals.length).toBe(1);
    expect(rt.counts.requests['GET_VALUE']).toBe(1);
    expect(rt.mustCount).toBe(0);
    // GET_VRING_BASE stops the rings and reports where the device got to.
    const b = s.handle(encodeRequest(Req.GET_VRING_BASE, state(0, 0)), []);
    expect(new DataView(b.reply!.buffer).getUint32(HEADER_SIZE + 4, true)).toBe(1);
    s.handle(encodeRequest(Req.GET_VRING_BASE, state(1, 0)), []);
    expect(rt.running).toBe(false);
    s.close();
    expect(ops.open.size).toBe(0);
    expect(ops.closedTwice).toBe(0);
  });

  it('times each kick from seen to the first call written (the bench\'s back-end share), and -1 for a kick that raised none', () => {
    const ops = new FakeOps();
    const rt = device();
    const s = new VhostUserSession(ops, rt);
    const mem = new GuestMemory(new ArrayBuffer(RAM), 0x1000);
    ops.mem = mem;
    const rq = allocRing(mem, 16);
    const eq = allocRing(mem, 16);
    handshake(s, ops, [rq, eq], (1n << 32n) | 1n | (1n << 30n));
    const timings: [number, number, number, number][] = [];
    rt.onKickDone = (q, seen, called, done) => timings.push([q, seen, called, done]);
    const drv = new DriverQueue(mem, rq);
    const req = mem.alloc(8);
    const res = mem.alloc(2);
    mem.setLe16(req, 4); // GET_VALUE
    drv.addPair(req, 8, res, 2, 1);
    s.kick(0);
    s.kick(0); // nothing new: no interrupt
    expect(timings.length).toBe(2);
    const [q, seen, called, done] = timings[0]!;
    expect(q).toBe(0);
    expect(called).toBeGreaterThan(seen);
    expect(done).toBeGreaterThan(called);
    expect(timings[1]![2]).toBe(-1);
    expect(ops.signals.length).toBe(1);
  });

  it('takes an eventq buffer queued before a request first, and leaves an idle eventq alone on a requestq kick', () => {
    const ops = new FakeOps();
    const rt = device();
    const s = new VhostUserSession(ops, rt);
    const mem = new GuestMemory(new ArrayBuffer(RAM), 0x1000);
    ops.mem = mem;
    const rq = allocRing(mem, 16);
    const eq = allocRing(mem, 16);
    handshake(s, ops, [rq, eq], (1n << 32n) | 1n | (1n << 30n));
    const pops = (): number => rt.trace.count(TK.RingPop);
    const drv = new DriverQueue(mem, rq);
    const req = mem.alloc(8);
    const res = mem.alloc(2);
    mem.setLe16(req, 4);
    drv.addPair(req, 8, res, 2, 1);
    s.kick(0);
    expect(pops()).toBe(1);
    expect(rt.device!.queues[1]!.nextAvail).toBe(0);
    // The driver arms line 0's eventq buffer, and its requestq kick is seen first: the buffer is still taken.
    const evq = new DriverQueue(mem, eq);
    const ereq = mem.alloc(2);
    const eres = mem.alloc(1);
    mem.setLe16(ereq, 0);
    evq.addPair(ereq, 2, eres, 1, 2);
    drv.addPair(req, 8, res, 2, 3);
    s.kick(0);
    expect(rt.device!.queues[1]!.nextAvail).toBe(1);
    expect(pops()).toBe(3);
    expect(rt.trace.count(TK.MsgMalformed)).toBe(0);
  });

  it('resumes a stopped ring at its base instead of zeroing the used index', () => {
    const ops = new FakeOps();
    const rt = device();
    const s = new VhostUserSession(ops, rt);
    const mem = new GuestMemory(new ArrayBuffer(RAM), 0x1000);
    ops.mem = mem;
    const rq = allocRing(mem, 16);
    const eq = allocRing(mem, 16);
    mem.setLe16(rq.used + 2, 5);
    mem.setLe16(rq.avail + 2, 5);
    const send = (req: number, p: Uint8Array, fds: number[] = []): void => void expect(s.handle(encodeRequest(req, p), fds).disconnect).toBeNull();
    send(Req.SET_FEATURES, u64((1n << 32n) | 1n));
    send(Req.SET_MEM_TABLE, memTable([{ gpa: 0n, size: BigInt(RAM), uaddr: UADDR, offset: 0n }]), [ops.fd()]);
    [rq, eq].forEach((r, i) => {
      send(Req.SET_VRING_NUM, state(i, 16));
      send(Req.SET_VRING_BASE, state(i, i === 0 ? 5 : 0));
      send(Req.SET_VRING_ADDR, addr(i, UADDR + BigInt(r.desc), UADDR + BigInt(r.used), UADDR + BigInt(r.avail)));
      send(Req.SET_VRING_KICK, u64(BigInt(i)), [ops.fd()]);
    });
    expect(rt.driverOk).toBe(true);
    expect(mem.le16(rq.used + 2)).toBe(5);
    expect(rt.ringBase(0)).toBe(5);
  });

  it('disconnects cleanly on hostile messages and closes every fd it was given', () => {
    const ops = new FakeOps();
    const s = new VhostUserSession(ops, device());
    const bad: [number, Uint8Array, number][] = [
      [Req.SET_MEM_TABLE, memTable([{ gpa: 0n, size: 0x2000n, uaddr: 0n, offset: 0n }, { gpa: 0x1000n, size: 0x2000n, uaddr: 0x10000n, offset: 0n }]), 2],
      [Req.SET_MEM_TABLE, memTable([{ gpa: 0xffff_f000n, size: 0x2000n, uaddr: 0n, offset: 0n }]), 1],
      [Req.SET_VRING_NUM, state(7, 16), 0],
      [Req.SET_VRING_NUM, state(0, 17), 0],
      [Req.SET_LOG_BASE, u64(0n), 1],
      [99, new Uint8Array(3), 0],
      [Req.SET_VRING_KICK, new Uint8Array(4), 1],
    ];
    for (const [req, p, nfds] of bad) {
      const fds = Array.from({ length: nfds }, () => ops.fd());
      const o = new VhostUserSession(ops, device()).handle(encodeRequest(req, p), fds);
      expect(o.disconnect).not.toBeNull();
    }
    expect(ops.open.size).toBe(0);
    expect(s.handle(new Uint8Array(5), []).disconnect).toMatch(/shorter than the header/);
  });

  it('survives any sequence of messages, fds and kicks without throwing or leaking fds (fuzz)', () => {
    const region = fc.record({
      gpa: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 0x1_2000_0000n }).map((x) => x & ~0xfffn), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
      size: fc.oneof(fc.constant(BigInt(RAM)), fc.bigInt({ min: 0n, max: 0x100_0000n }).map((x) => x & ~0xfffn), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
      uaddr: fc.oneof(fc.constant(UADDR), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
      offset: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
    });
    const ring = fc.integer({ min: 0, max: 3 });
    const anyU64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    const near = fc.integer({ min: 0, max: RAM + 64 }).map((x) => UADDR + BigInt(x));
    const op = fc.oneof(
      fc.record({ t: fc.constant('raw' as const), req: fc.integer({ min: 0, max: 45 }), flags: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 15 })), payload: fc.uint8Array({ maxLength: 300 }), nfds: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ t: fc.constant('mem' as const), regions: fc.array(region, { minLength: 0, maxLength: 9 }), nfds: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ t: fc.constant('state' as const), req: fc.constantFrom(Req.SET_VRING_NUM, Req.SET_VRING_BASE, Req.GET_VRING_BASE, Req.SET_VRING_ENABLE), i: ring, n: fc.oneof(fc.constantFrom(0, 1, 16, 256), fc.nat()) }),
      fc.record({ t: fc.constant('addr' as const), i: ring, desc: fc.oneof(near, anyU64), used: fc.oneof(near, anyU64), avail: fc.oneof(near, anyU64) }),
      fc.record({ t: fc.constant('fd' as const), req: fc.constantFrom(Req.SET_VRING_KICK, Req.SET_VRING_CALL, Req.SET_VRING_ERR), v: fc.oneof(ring.map(BigInt), anyU64), nfds: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ t: fc.constant('u64' as const), req: fc.constantFrom(Req.SET_FEATURES, Req.SET_PROTOCOL_FEATURES, Req.SET_STATUS), v: fc.oneof(fc.constantFrom((1n << 32n) | 1n, (1n << 32n) | (1n << 30n) | 1n, 1n << 9n), anyU64) }),
      fc.record({ t: fc.constant('hs' as const), pos: fc.array(fc.integer({ min: 0, max: RAM - 4096 }), { minLength: 6, maxLength: 6 }), irq: fc.boolean() }),
      fc.record({ t: fc.constant('kick' as const), q: fc.integer({ min: 0, max: 1 }), junk: fc.uint8Array({ minLength: 64, maxLength: 64 }), at: fc.integer({ min: 0, max: RAM - 64 }) }),
    );
    let reachedDriverOk = 0;
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops_) => {
        const ops = new FakeOps();
        const rt = device();
        const s = new VhostUserSession(ops, rt);
        for (const o of ops_) {
          const fds = 'nfds' in o ? Array.from({ length: o.nfds }, () => ops.fd()) : [];
          let out;
          switch (o.t) {
            case 'raw':
              out = s.handle(encodeRequest(o.req, o.payload, o.flags), fds);
              break;
            case 'mem':
              out = s.handle(encodeRequest(Req.SET_MEM_TABLE, memTable(o.regions)), fds);
              break;
            case 'state':
              out = s.handle(encodeRequest(o.req, state(o.i, o.n)), fds);
              break;
            case 'addr':
              out = s.handle(encodeRequest(Req.SET_VRING_ADDR, addr(o.i, o.desc, o.used, o.avail)), fds);
              break;
            case 'fd':
              out = s.handle(encodeRequest(o.req, u64(o.v)), fds);
              break;
            case 'u64':
              out = s.handle(encodeRequest(o.req, u64(o.v)), fds);
              break;
            case 'hs': {
              // A well-formed handshake with rings anywhere in RAM (overlapping, misaligned), so kicks reach the device.
              const p = o.pos;
              const seq: [number, Uint8Array, number][] = [
                [Req.SET_FEATURES, u64((1n << 32n) | (o.irq ? 1n : 0n)), 0],
                [Req.SET_MEM_TABLE, memTable([{ gpa: 0n, size: BigInt(RAM), uaddr: UADDR, offset: 0n }]), 1],
              ];
              for (let i = 0; i < 2; i++) {
                const [d, a, u] = [p[3 * i] as number, p[3 * i + 1] as number, p[3 * i + 2] as number];
                seq.push([Req.SET_VRING_NUM, state(i, 16), 0], [Req.SET_VRING_ADDR, addr(i, UADDR + BigInt(d), UADDR + BigInt(u), UADDR + BigInt(a)), 0], [Req.SET_VRING_KICK, u64(BigInt(i)), 1], [Req.SET_VRING_CALL, u64(BigInt(i)), 1]);
              }
              out = { reply: null, disconnect: null as string | null };
              for (const [req, pl, n] of seq) {
                out = s.handle(encodeRequest(req, pl), Array.from({ length: n }, () => ops.fd()));
                if (out.disconnect) break;
              }
              if (rt.driverOk) reachedDriverOk++;
              break;
            }
            case 'kick':
              // The guest scribbles on its RAM (rings included), then kicks.
              ops.mem?.bytes.set(o.junk, Math.min(o.at, ops.mem.size - 64));
              s.kick(o.q);
              continue;
          }
          expect(out.disconnect === null || typeof out.disconnect === 'string').toBe(true);
          expect(out.disconnect ?? '').not.toMatch(/internal error/);
          if (out.disconnect) break;
        }
        s.close();
        expect(ops.open.size).toBe(0);
        expect(ops.closedTwice).toBe(0);
        expect(ops.closedUnknown).toBe(0);
        rt.close();
      }),
      { numRuns: 400 },
    );
    expect(reachedDriverOk).toBeGreaterThan(20);
  });
});
