import { describe, expect, test } from 'vitest';
import { DeviceHarness } from '../testing/device-harness';
import {
  DIRECTION_IN,
  DIRECTION_NONE,
  DIRECTION_OUT,
  EVENTQ,
  IRQ_STATUS_INVALID as INVALID,
  IRQ_STATUS_VALID as VALID,
  IRQ_TYPE_EDGE_BOTH,
  IRQ_TYPE_EDGE_FALLING,
  IRQ_TYPE_EDGE_RISING,
  IRQ_TYPE_LEVEL_HIGH,
  IRQ_TYPE_LEVEL_LOW,
  IRQ_TYPE_NONE,
  MSG_GET_DIRECTION,
  MSG_GET_LINE_NAMES,
  MSG_GET_VALUE,
  MSG_SET_DIRECTION,
  MSG_SET_IRQ_TYPE,
  MSG_SET_VALUE,
  REQUESTQ,
  STATUS_ERR as ERR,
  STATUS_OK as OK,
} from './constants';
import { encodeNames } from './names';
import { STATUS_DEVICE_NEEDS_RESET } from '../virtio/constants';
import { Failure } from './device';

const irqType = (h: DeviceHarness, line: number, t: number): number => h.send(MSG_SET_IRQ_TYPE, line, t).status;

describe('configuration space (5.18.4)', () => {
  test('is le16 ngpio, two zero padding bytes, le32 gpio_names_size', () => {
    const h = new DeviceHarness({ ngpio: 3, names: ['a', '', 'ccc'] });
    expect([...h.dev.config]).toEqual([3, 0, 0, 0, 7, 0, 0, 0]);
  });

  test('the names block of the spec example is byte for byte the same', () => {
    const names = ['MMC-CD', '', '', '', '', 'Red LED Vdd', '', 'Ethernet reset', '', ''];
    const block = encodeNames(names);
    const expected = [...'MMC-CD'].map((c) => c.charCodeAt(0)).concat([0, 0, 0, 0, 0]);
    expected.push(...[...'Red LED Vdd'].map((c) => c.charCodeAt(0)), 0, 0);
    expected.push(...[...'Ethernet reset'].map((c) => c.charCodeAt(0)), 0, 0, 0);
    expect([...block]).toEqual(expected);
  });

  test('a device without names reports size 0 and refuses GET_LINE_NAMES', () => {
    const h = new DeviceHarness({ names: null });
    expect(h.dev.config[4]).toBe(0);
    expect(h.send(MSG_GET_LINE_NAMES, 0, 0, 1).status).toBe(ERR);
  });
});

describe('requestq messages (5.18.6)', () => {
  test('GET_LINE_NAMES writes status then the whole block, used length 1 + N', () => {
    const h = new DeviceHarness({ ngpio: 2, names: ['btn', 'led'] });
    const a = h.send(MSG_GET_LINE_NAMES, 0, 0, 1 + 8);
    expect(a).toMatchObject({ status: OK, usedLen: 9 });
  });

  test('GET_LINE_NAMES with the wrong response size or a non-zero gpio is ERR', () => {
    const h = new DeviceHarness({ ngpio: 2, names: ['btn', 'led'] });
    expect(h.send(MSG_GET_LINE_NAMES, 0, 0, 5).status).toBe(ERR);
    expect(h.send(MSG_GET_LINE_NAMES, 1, 0, 9).status).toBe(ERR);
  });

  test('every 2-byte response is fully written: status and value, used length 2', () => {
    const h = new DeviceHarness();
    h.levels[1] = 1;
    h.dev.levelChanged(1, 1);
    const a = h.send(MSG_GET_VALUE, 1, 0);
    expect(a).toEqual({ status: OK, value: 1, usedLen: 2 });
    // The harness poisons the response with 0xee; a SET_* reply must write value 0 over it.
    expect(h.send(MSG_SET_VALUE, 2, 1)).toEqual({ status: OK, value: 0, usedLen: 2 });
  });

  test('directions: GET reports what SET stored; OUT drives the SET_VALUE level; NONE releases', () => {
    const h = new DeviceHarness();
    expect(h.send(MSG_GET_DIRECTION, 0, 0).value).toBe(DIRECTION_IN);
    expect(h.send(MSG_SET_VALUE, 0, 1).status).toBe(OK);
    expect(h.send(MSG_SET_DIRECTION, 0, DIRECTION_OUT).status).toBe(OK);
    expect(h.send(MSG_GET_DIRECTION, 0, 0).value).toBe(DIRECTION_OUT);
    expect(h.outputs).toEqual([0, 1]);
    expect(h.send(MSG_GET_VALUE, 0, 0).value).toBe(1);
    expect(h.send(MSG_SET_DIRECTION, 0, DIRECTION_NONE).status).toBe(OK);
    expect(h.outputs).toEqual([0, 1, 0, -1]);
  });

  test('values outside the message tables are ERR', () => {
    const h = new DeviceHarness();
    expect(h.send(MSG_SET_DIRECTION, 0, 3).status).toBe(ERR);
    expect(h.send(MSG_SET_VALUE, 0, 2).status).toBe(ERR);
    expect(h.send(MSG_SET_IRQ_TYPE, 0, 5).status).toBe(ERR);
    expect(h.send(7, 0, 0).status).toBe(ERR);
    expect(h.violations()).toEqual(['gpio.rq.valid-value', 'gpio.rq.valid-value', 'gpio.rq.valid-value', 'gpio.rq.known-type']);
  });

  test('an out-of-range gpio is answered ERR by a spec device', () => {
    const h = new DeviceHarness({ ngpio: 4 });
    expect(h.send(MSG_GET_VALUE, 9, 0).status).toBe(ERR);
    expect(h.violations()).toContain('gpio.rq.gpio-range');
  });

  test('an out-of-range gpio kills a rust-vmm device (it panics) and nothing is answered any more', () => {
    const h = new DeviceHarness({ ngpio: 4, preset: 'rust-vmm' });
    h.post(MSG_GET_VALUE, 9, 0);
    h.run();
    expect(h.answers()).toEqual([]);
    expect(h.dev.failure).toBe(Failure.Crashed);
    h.post(MSG_GET_VALUE, 1, 0);
    h.run();
    expect(h.answers()).toEqual([]);
  });

  test('rust-vmm rules: OUT needs a SET_VALUE first, GET_VALUE needs a direction', () => {
    const h = new DeviceHarness({ preset: 'rust-vmm' });
    expect(h.send(MSG_SET_DIRECTION, 0, DIRECTION_OUT).status).toBe(ERR);
    expect(h.send(MSG_SET_DIRECTION, 1, DIRECTION_NONE).status).toBe(OK);
    expect(h.send(MSG_GET_VALUE, 1, 0).status).toBe(ERR);
  });
});

describe('ordering (5.18.6.9)', () => {
  test('messages for one line are answered in the order they arrived, even with random latencies', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const h = new DeviceHarness();
      (h.dev.cfg.latency as { request: { min: number; max: number } }).request = { min: 1_000, max: 50_000 };
      h.prng.range(0, seed); // Vary the stream per iteration.
      for (let slot = 0; slot < 5; slot++) h.post(MSG_GET_VALUE, 2, 0, 2, slot);
      h.run(1_000_000);
      expect(h.answers().map((a) => a.slot)).toEqual([0, 1, 2, 3, 4]);
    }
  });

  test('messages for different lines may overtake each other', () => {
    let overtaken = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const h = new DeviceHarness();
      (h.dev.cfg.latency as { request: { min: number; max: number } }).request = { min: 1_000, max: 50_000 };
      h.prng.range(0, seed);
      for (let slot = 0; slot < 4; slot++) h.post(MSG_GET_VALUE, slot, 0, 2, slot);
      h.run(1_000_000);
      const order = h.answers().map((a) => a.slot);
      expect([...order].sort()).toEqual([0, 1, 2, 3]);
      if (order.join() !== '0,1,2,3') overtaken++;
    }
    expect(overtaken).toBeGreaterThan(0);
  });
});

describe('SET_IRQ_TYPE rules', () => {
  test('a spec device accepts every defined type and refuses outputs and undefined types', () => {
    const h = new DeviceHarness();
    for (const t of [IRQ_TYPE_EDGE_RISING, IRQ_TYPE_EDGE_FALLING, IRQ_TYPE_EDGE_BOTH, IRQ_TYPE_LEVEL_HIGH, IRQ_TYPE_LEVEL_LOW, IRQ_TYPE_NONE]) {
      expect(irqType(h, 0, t)).toBe(OK);
    }
    h.send(MSG_SET_VALUE, 1, 0);
    h.send(MSG_SET_DIRECTION, 1, DIRECTION_OUT);
    expect(irqType(h, 1, IRQ_TYPE_EDGE_RISING)).toBe(ERR);
    expect(h.violations()).toContain('gpio.rq.irq-not-output');
  });

  test('rust-vmm: level types, the same type twice, and edge to edge without NONE are ERR', () => {
    const h = new DeviceHarness({ preset: 'rust-vmm' });
    expect(h.send(MSG_SET_DIRECTION, 0, DIRECTION_IN).status).toBe(OK); // the host request an edge type needs
    expect(irqType(h, 0, IRQ_TYPE_LEVEL_HIGH)).toBe(ERR);
    expect(irqType(h, 0, IRQ_TYPE_NONE)).toBe(ERR); // NONE -> NONE
    expect(irqType(h, 0, IRQ_TYPE_EDGE_RISING)).toBe(OK);
    expect(irqType(h, 0, IRQ_TYPE_EDGE_FALLING)).toBe(ERR);
    expect(h.dev.irqType[0]).toBe(IRQ_TYPE_EDGE_RISING);
  });

  test('without VIRTIO_GPIO_F_IRQ negotiated SET_IRQ_TYPE is ERR and breaks a driver rule', () => {
    const h = new DeviceHarness({ offerIrq: false });
    expect(irqType(h, 0, IRQ_TYPE_EDGE_RISING)).toBe(ERR);
    expect(h.violations()).toContain('gpio.rq.irq-needs-feature');
  });

  test('changing type without NONE breaks the v1.2 driver rule but not V8', () => {
    const v12 = new DeviceHarness({ spec: 'v1.2' });
    irqType(v12, 0, IRQ_TYPE_EDGE_RISING);
    irqType(v12, 0, IRQ_TYPE_EDGE_FALLING);
    expect(v12.violations()).toEqual(['gpio.rq.type-change-via-none']);
    const v8 = new DeviceHarness({ spec: 'v8' });
    irqType(v8, 0, IRQ_TYPE_EDGE_RISING);
    irqType(v8, 0, IRQ_TYPE_EDGE_FALLING);
    expect(v8.violations()).toEqual([]);
  });
});

describe('eventq (5.18.7)', () => {
  test('an edge on an armed line returns its buffer VALID with a 1-byte used length', () => {
    const h = new DeviceHarness();
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.run();
    expect(h.events()).toEqual([]);
    h.setLevel(0, 1);
    h.run();
    expect(h.events()).toEqual([{ line: 0, status: VALID, usedLen: 1 }]);
  });

  test('an edge of the other direction is ignored', () => {
    const h = new DeviceHarness();
    h.setLevel(0, 1);
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.run();
    h.setLevel(0, 0);
    h.run();
    expect(h.events()).toEqual([]);
  });

  test('edges while the buffer is away are latched once and reported on re-queue (single latch)', () => {
    const h = new DeviceHarness();
    irqType(h, 0, IRQ_TYPE_EDGE_BOTH);
    h.setLevel(0, 1);
    h.setLevel(0, 0);
    h.setLevel(0, 1);
    expect(h.dev.latch[0]).toBe(1);
    expect([h.dev.evDelivered[0], h.dev.evCoalesced[0]]).toEqual([1, 2]);
    h.arm(0);
    h.run();
    expect(h.events().map((e) => e.status)).toEqual([VALID]);
    h.arm(0);
    h.run();
    expect(h.events()).toEqual([]);
  });

  test('with queue:N each latched edge comes back on its own re-queue', () => {
    const h = new DeviceHarness({ policy: { edgeLatch: { kind: 'queue', depth: 16 } } });
    irqType(h, 0, IRQ_TYPE_EDGE_BOTH);
    for (const l of [1, 0, 1]) h.setLevel(0, l);
    for (let i = 0; i < 3; i++) {
      h.arm(0);
      h.run();
      expect(h.events().map((e) => e.status)).toEqual([VALID]);
    }
    h.arm(0);
    h.run();
    expect(h.events()).toEqual([]);
  });

  test('NONE discards the latch and returns the held buffer INVALID at once', () => {
    const h = new DeviceHarness();
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.run();
    irqType(h, 0, IRQ_TYPE_NONE);
    expect(h.events()).toEqual([{ line: 0, status: INVALID, usedLen: 1 }]);
    h.setLevel(0, 1);
    expect(h.dev.latch[0]).toBe(0);
    expect(h.dev.evMasked[0]).toBe(1);
    expect(h.violations()).toEqual([]);
  });

  test('rust-vmm keeps the buffer after NONE until the next edge', () => {
    const h = new DeviceHarness({ preset: 'rust-vmm' });
    h.send(MSG_SET_DIRECTION, 0, DIRECTION_IN);
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.run();
    irqType(h, 0, IRQ_TYPE_NONE);
    expect(h.events()).toEqual([]);
    expect(h.violations()).toEqual(['gpio.eq.none-returns-buffer']);
    h.setLevel(0, 1);
    h.run();
    expect(h.events()).toEqual([{ line: 0, status: INVALID, usedLen: 1 }]);
  });

  test('rust-vmm after SET_DIRECTION NONE on an armed line: the waiter keeps the old host request until its 1 s wait ends (EBUSY for a new request meanwhile), then returns INVALID (PhysDevice::wait_for_interrupt, GpioIrqNotEnabled)', () => {
    const h = new DeviceHarness({ preset: 'rust-vmm' });
    h.send(MSG_SET_DIRECTION, 0, DIRECTION_IN);
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.run();
    expect(h.send(MSG_SET_DIRECTION, 0, DIRECTION_NONE).status).toBe(OK);
    expect(h.dev.irqType[0]).toBe(IRQ_TYPE_EDGE_RISING); // GpioController::set_direction keeps irq_type
    expect(h.send(MSG_SET_DIRECTION, 0, DIRECTION_IN).status).toBe(ERR); // the old request still holds the line
    expect(h.events()).toEqual([]);
    h.run(1_000_000_000);
    expect(h.events()).toEqual([{ line: 0, status: INVALID, usedLen: 1 }]);
    expect(h.send(MSG_SET_DIRECTION, 0, DIRECTION_IN).status).toBe(OK);
    expect(irqType(h, 0, IRQ_TYPE_EDGE_RISING)).toBe(ERR); // "no change"
  });

  test('rust-vmm: an edge within that last wait is still reported VALID on the old request', () => {
    const h = new DeviceHarness({ preset: 'rust-vmm' });
    h.send(MSG_SET_DIRECTION, 0, DIRECTION_IN);
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.run();
    h.send(MSG_SET_DIRECTION, 0, DIRECTION_NONE);
    h.setLevel(0, 1);
    h.run();
    expect(h.events()).toEqual([{ line: 0, status: VALID, usedLen: 1 }]);
    expect(h.send(MSG_SET_DIRECTION, 0, DIRECTION_IN).status).toBe(OK); // the waiter ended, so did the old request
  });

  test('a buffer queued while NONE is returned INVALID under v1.2 ...', () => {
    const h = new DeviceHarness({ spec: 'v1.2' });
    h.arm(0);
    h.run();
    expect(h.events()).toEqual([{ line: 0, status: INVALID, usedLen: 1 }]);
    expect(h.violations()).toEqual(['gpio.eq.enable-before-unmask']);
  });

  test('... and held until SET_IRQ_TYPE under V8, then armed', () => {
    const h = new DeviceHarness({ spec: 'v8' });
    h.arm(0);
    h.run();
    expect(h.events()).toEqual([]);
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    h.setLevel(0, 1);
    h.run();
    expect(h.events().map((e) => e.status)).toEqual([VALID]);
  });

  test('a second buffer for the same line comes back INVALID and breaks the one-pair rule', () => {
    const h = new DeviceHarness();
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.arm(0);
    h.run();
    expect(h.events().map((e) => e.status)).toEqual([INVALID]);
    expect(h.violations()).toEqual(['gpio.eq.one-pair-per-line']);
  });

  test('a level is re-sampled when the buffer comes back, never latched', () => {
    const h = new DeviceHarness();
    irqType(h, 0, IRQ_TYPE_LEVEL_HIGH);
    h.setLevel(0, 1); // Buffer away: ignored, not latched.
    expect(h.dev.latch[0]).toBe(0);
    h.arm(0);
    h.run();
    expect(h.events().map((e) => e.status)).toEqual([VALID]);
    h.setLevel(0, 0);
    h.arm(0);
    h.run();
    expect(h.events()).toEqual([]);
    h.setLevel(0, 1);
    h.run();
    expect(h.events().map((e) => e.status)).toEqual([VALID]);
  });

  test('level-low is active low', () => {
    const h = new DeviceHarness();
    h.setLevel(1, 1);
    irqType(h, 1, IRQ_TYPE_LEVEL_LOW);
    h.arm(1);
    h.run();
    expect(h.events()).toEqual([]);
    h.setLevel(1, 0);
    h.run();
    expect(h.events().map((e) => e.status)).toEqual([VALID]);
  });

  test('a transition-only device does not re-sample a level that stayed active', () => {
    const h = new DeviceHarness({ policy: { levelSample: 'transition' } });
    irqType(h, 0, IRQ_TYPE_LEVEL_HIGH);
    h.arm(0);
    h.run();
    h.setLevel(0, 1);
    h.run();
    expect(h.events().map((e) => e.status)).toEqual([VALID]);
    h.arm(0);
    h.run();
    expect(h.events()).toEqual([]);
  });

  test('DIRECTION_NONE forgets the interrupt configuration and returns the buffer', () => {
    const h = new DeviceHarness();
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.run();
    h.send(MSG_SET_DIRECTION, 0, DIRECTION_NONE);
    expect(h.dev.irqType[0]).toBe(IRQ_TYPE_NONE);
    expect(h.events().map((e) => e.status)).toEqual([INVALID]);
    expect(h.violations()).toEqual(['gpio.rq.irq-none-when-done']);
  });

  test('the mock backend returns every armed buffer VALID at once', () => {
    const h = new DeviceHarness({ preset: 'rust-vmm-mock' });
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    for (let i = 0; i < 3; i++) {
      h.arm(0);
      h.run();
      expect(h.events().map((e) => e.status)).toEqual([VALID]);
    }
  });

  test('a faulty used length is reported as written beyond the buffer', () => {
    const h = new DeviceHarness({ faults: { eventqUsedLen: 2 } });
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.run();
    h.setLevel(0, 1);
    h.run();
    expect(h.events()).toEqual([{ line: 0, status: VALID, usedLen: 2 }]);
    expect(h.violations()).toEqual(['vq.used.len-written']);
  });
});

describe('malformed input never throws (and follows the policy)', () => {
  const req = (h: DeviceHarness): number => {
    const a = h.mem.alloc(8);
    h.mem.setLe16(a, MSG_GET_VALUE);
    return a;
  };

  test('a three-buffer request is answered ERR by a spec device', () => {
    const h = new DeviceHarness();
    const r = req(h);
    const resp = h.mem.alloc(2);
    h.postChain(REQUESTQ, [
      { addr: r, len: 4, write: false },
      { addr: r + 4, len: 4, write: false },
      { addr: resp, len: 2, write: true },
    ]);
    h.run();
    expect(h.rq.getBuf()).toBe(99);
    expect(h.mem.u8(resp)).toBe(ERR);
    expect(h.violations()).toEqual(['gpio.rq.both-buffers']);
  });

  test('rust-vmm never uses a bad chain (the driver would wait forever); a reset policy asks for a reset', () => {
    const stall = new DeviceHarness({ policy: { malformed: 'stall' } });
    stall.postChain(REQUESTQ, [{ addr: req(stall), len: 8, write: false }]);
    stall.run();
    expect(stall.rq.getBuf()).toBe(-1);
    const reset = new DeviceHarness({ policy: { malformed: 'reset' } });
    reset.postChain(REQUESTQ, [{ addr: req(reset), len: 8, write: false }]);
    reset.run();
    expect(reset.dev.status & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(reset.raised).toContain(-1); // The configuration-change interrupt.
  });

  test('a writable buffer before a readable one breaks the framing rule', () => {
    const h = new DeviceHarness();
    const r = req(h);
    h.postChain(REQUESTQ, [
      { addr: h.mem.alloc(2), len: 2, write: true },
      { addr: r, len: 8, write: false },
    ]);
    h.run();
    expect(h.violations()).toEqual(['vq.framing.write-after-read', 'gpio.rq.both-buffers']);
  });

  test('a wrongly shaped eventq chain is returned INVALID', () => {
    const h = new DeviceHarness();
    irqType(h, 0, IRQ_TYPE_EDGE_RISING);
    const resp = h.mem.alloc(4);
    h.postChain(EVENTQ, [
      { addr: h.mem.alloc(2), len: 2, write: false },
      { addr: resp, len: 4, write: true },
    ]);
    h.run();
    expect(h.eq.getBuf()).toBe(99);
    expect(h.mem.u8(resp)).toBe(INVALID);
    expect(h.violations()).toEqual(['gpio.eq.pair-shape']);
  });

  test('an eventq buffer naming a line that does not exist comes back INVALID', () => {
    const h = new DeviceHarness({ ngpio: 2 });
    h.arm(0, 7);
    h.run();
    expect(h.events()).toEqual([{ line: 0, status: INVALID, usedLen: 1 }]);
  });

  test('notifications before DRIVER_OK are ignored', () => {
    const h = new DeviceHarness();
    h.dev.writeStatus(0);
    h.post(MSG_GET_VALUE, 0, 0);
    h.run();
    expect(h.answers()).toEqual([]);
    expect(h.violations()).toEqual(['vq.init.driver-ok']);
  });
});
