import { describe, expect, test } from 'vitest';
import { DeviceHarness } from '../testing/device-harness';
import {
  DIRECTION_IN,
  DIRECTION_NONE,
  DIRECTION_OUT,
  EVENTQ,
  IRQ_TYPE_EDGE_RISING,
  IRQ_TYPE_NONE,
  MSG_GET_VALUE,
  MSG_SET_DIRECTION,
  MSG_SET_IRQ_TYPE,
  REQUESTQ,
} from '../gpio/constants';
import { DeliveryResult, EventCause } from '../trace/kinds';
import { AVAIL_IDX, AVAIL_RING, DESC_FLAGS, DESC_NEXT, DESC_SIZE, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT } from '../virtio/constants';
import { RULES } from './rules';

/** Corrupts the requestq the way a broken driver would, through guest memory. */
function corrupt(h: DeviceHarness, how: (desc: number, avail: number) => void): void {
  const { desc, avail } = h.rq.layout;
  h.post(MSG_GET_VALUE, 0, 0);
  how(desc, avail);
  h.run();
}

/** One crafted breach per live rule: the rule id it must produce. */
const BREACHES: Record<string, () => DeviceHarness> = {
  'gpio.config.padding-zero': () => {
    const h = new DeviceHarness({ spec: 'v8' });
    h.dev.config[2] = 1;
    h.monitors.checkConfig();
    return h;
  },
  'gpio.config.names-size': () => {
    const h = new DeviceHarness({ names: [] });
    h.monitors.checkConfig();
    return h;
  },
  'gpio.names.format': () => {
    const h = new DeviceHarness({ ngpio: 2, names: ['same', 'same'] });
    h.monitors.checkConfig();
    return h;
  },
  'gpio.rq.both-buffers': () => {
    const h = new DeviceHarness();
    h.postChain(REQUESTQ, [{ addr: h.mem.alloc(8), len: 8, write: false }]);
    h.run();
    return h;
  },
  'gpio.rq.request-size': () => {
    const h = new DeviceHarness();
    h.postChain(REQUESTQ, [
      { addr: h.mem.alloc(4), len: 4, write: false },
      { addr: h.mem.alloc(2), len: 2, write: true },
    ]);
    h.run();
    return h;
  },
  'gpio.rq.response-size': () => {
    const h = new DeviceHarness();
    h.send(MSG_GET_VALUE, 0, 0, 1);
    return h;
  },
  'gpio.rq.gpio-range': () => {
    const h = new DeviceHarness();
    h.send(MSG_GET_VALUE, 40, 0);
    return h;
  },
  'gpio.rq.known-type': () => {
    const h = new DeviceHarness();
    h.send(0, 0, 0);
    return h;
  },
  'gpio.rq.valid-value': () => {
    const h = new DeviceHarness();
    h.send(MSG_GET_VALUE, 0, 5);
    return h;
  },
  'gpio.rq.names-request': () => {
    const h = new DeviceHarness();
    h.send(1, 0, 3, 13);
    return h;
  },
  'gpio.rq.value-before-output': () => {
    const h = new DeviceHarness();
    h.send(MSG_SET_DIRECTION, 0, DIRECTION_OUT);
    return h;
  },
  'gpio.rq.irq-needs-feature': () => {
    const h = new DeviceHarness({ offerIrq: false });
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_EDGE_RISING);
    return h;
  },
  'gpio.rq.irq-not-output': () => {
    const h = new DeviceHarness();
    h.send(5, 0, 0);
    h.send(MSG_SET_DIRECTION, 0, DIRECTION_OUT);
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_EDGE_RISING);
    return h;
  },
  'gpio.rq.irq-none-when-done': () => {
    const h = new DeviceHarness();
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_EDGE_RISING);
    h.send(MSG_SET_DIRECTION, 0, DIRECTION_NONE);
    return h;
  },
  'gpio.rq.type-change-via-none': () => {
    const h = new DeviceHarness();
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_EDGE_RISING);
    h.send(MSG_SET_IRQ_TYPE, 0, 2);
    return h;
  },
  // The device model itself never breaks the next four; the monitor is exercised on what a broken device would report.
  'gpio.rq.response-filled': () => {
    const h = new DeviceHarness();
    h.monitors.response(0, MSG_GET_VALUE, 9, 2, 2, 0, -1);
    return h;
  },
  'gpio.rq.same-line-order': () => {
    const h = new DeviceHarness();
    h.monitors.request(0, MSG_GET_VALUE, 0, 3, -1);
    h.monitors.request(0, MSG_GET_VALUE, 0, 5, -1);
    h.monitors.response(0, MSG_GET_VALUE, 0, 2, 2, 5, -1);
    return h;
  },
  'gpio.rq.direction-none-discards': () => {
    const h = new DeviceHarness();
    h.monitors.direction(0, 2, DIRECTION_NONE, 0, false, IRQ_TYPE_NONE, IRQ_TYPE_EDGE_RISING, 0);
    return h;
  },
  'gpio.irq.edge-latched': () => {
    const h = new DeviceHarness();
    h.monitors.irqEvent(0, DeliveryResult.Masked, EventCause.Rising, IRQ_TYPE_EDGE_RISING);
    return h;
  },
  'gpio.eq.no-event-unless-enabled-unmasked': () => {
    const h = new DeviceHarness();
    h.monitors.eventReturn(0, 1, IRQ_TYPE_NONE, -1, -1);
    return h;
  },
  'gpio.irq.disable-discards-latch': () => {
    const h = new DeviceHarness({ preset: 'rust-vmm' });
    h.send(MSG_SET_DIRECTION, 0, DIRECTION_IN); // rust-vmm: the host request an edge type needs
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_EDGE_RISING);
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_NONE);
    h.setLevel(0, 1); // Still detected, queued in the FIFO.
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.run();
    return h;
  },
  'gpio.irq.v8-hold-early-buffer': () => {
    const h = new DeviceHarness({ spec: 'v8', policy: { earlyBuffer: 'returned' } });
    h.arm(0);
    h.run();
    return h;
  },
  'gpio.irq.v12-return-early-buffer': () => {
    const h = new DeviceHarness({ spec: 'v1.2', policy: { earlyBuffer: 'held' } });
    h.arm(0);
    h.run();
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_EDGE_RISING);
    return h;
  },
  'gpio.eq.enable-before-unmask': () => {
    const h = new DeviceHarness();
    h.arm(0);
    h.run();
    return h;
  },
  'gpio.eq.one-pair-per-line': () => {
    const h = new DeviceHarness();
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.arm(0);
    h.run();
    return h;
  },
  'gpio.eq.pair-shape': () => {
    const h = new DeviceHarness();
    h.postChain(EVENTQ, [
      { addr: h.mem.alloc(2), len: 2, write: false },
      { addr: h.mem.alloc(2), len: 2, write: true },
    ]);
    h.run();
    return h;
  },
  'gpio.eq.none-returns-buffer': () => {
    const h = new DeviceHarness({ preset: 'rust-vmm' });
    h.send(MSG_SET_DIRECTION, 0, DIRECTION_IN); // rust-vmm: the host request an edge type needs
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.run();
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_NONE);
    return h;
  },
  'vq.framing.write-after-read': () => {
    const h = new DeviceHarness();
    h.postChain(REQUESTQ, [
      { addr: h.mem.alloc(2), len: 2, write: true },
      { addr: h.mem.alloc(8), len: 8, write: false },
    ]);
    h.run();
    return h;
  },
  'vq.desc.no-loops': () => {
    const h = new DeviceHarness();
    corrupt(h, (desc) => {
      // Make the second descriptor point back at the head.
      h.mem.setLe16(desc + DESC_SIZE + DESC_FLAGS, VIRTQ_DESC_F_NEXT | 2);
      h.mem.setLe16(desc + DESC_SIZE + DESC_NEXT, 0);
    });
    return h;
  },
  'vq.desc.in-range': () => {
    const h = new DeviceHarness();
    corrupt(h, (_desc, avail) => h.mem.setLe16(avail + AVAIL_RING, 999));
    return h;
  },
  'vq.desc.indirect-negotiated': () => {
    const h = new DeviceHarness();
    corrupt(h, (desc) => h.mem.setLe16(desc + DESC_FLAGS, VIRTQ_DESC_F_INDIRECT));
    return h;
  },
  'vq.avail.head-in-flight': () => {
    // A request the device is still processing, then the same head published again in the avail ring.
    const h = new DeviceHarness({ latency: 50_000 });
    h.post(MSG_GET_VALUE, 0, 0);
    h.run(60_000); // The device took the chain (notify latency) and works on it (request latency).
    const avail = h.rq.layout.avail;
    const idx = h.mem.le16(avail + AVAIL_IDX);
    h.mem.setLe16(avail + AVAIL_RING + 2 * (idx & (h.rq.layout.size - 1)), h.rq.lastHead);
    h.mem.setLe16(avail + AVAIL_IDX, (idx + 1) & 0xffff);
    h.dev.wake(0); // The device looks at once, while the first request is still with it.
    h.run();
    return h;
  },
  'vq.avail.monotonic': () => {
    const h = new DeviceHarness();
    corrupt(h, (_desc, avail) => h.mem.setLe16(avail + AVAIL_IDX, 0x8000));
    return h;
  },
  'vq.used.len-written': () => {
    const h = new DeviceHarness({ faults: { eventqUsedLen: 3 } });
    h.send(MSG_SET_IRQ_TYPE, 0, IRQ_TYPE_EDGE_RISING);
    h.arm(0);
    h.setLevel(0, 1);
    h.run();
    return h;
  },
  'vq.init.driver-ok': () => {
    const h = new DeviceHarness();
    h.dev.writeStatus(0);
    h.post(MSG_GET_VALUE, 0, 0);
    h.run();
    return h;
  },
};

describe('the rule table', () => {
  test('ids are unique and every rule has a section, a paraphrase and a way it is held', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.section, r.id).toMatch(/^\d+(\.\d+)+$/);
      expect(r.text.length, r.id).toBeGreaterThan(20);
      expect(r.revisions.length, r.id).toBeGreaterThan(0);
      if (r.check === 'by-construction') expect(r.note, r.id).toBeTruthy();
    }
  });

  test('every live rule has a crafted breach below, and nothing else', () => {
    const live = RULES.filter((r) => r.check === 'live').map((r) => r.id).sort();
    expect(Object.keys(BREACHES).sort()).toEqual(live);
  });
});

describe('each live rule fires on its breach', () => {
  for (const [id, breach] of Object.entries(BREACHES)) {
    test(id, () => {
      expect(breach().violations()).toContain(id);
    });
  }

  test('a clean exchange breaks nothing', () => {
    const h = new DeviceHarness();
    h.monitors.checkConfig();
    h.send(5, 0, 1);
    h.send(MSG_SET_DIRECTION, 0, DIRECTION_OUT);
    h.send(MSG_SET_IRQ_TYPE, 1, IRQ_TYPE_EDGE_RISING);
    h.arm(1);
    h.setLevel(1, 1);
    h.run();
    h.send(MSG_SET_IRQ_TYPE, 1, IRQ_TYPE_NONE);
    h.send(MSG_SET_DIRECTION, 1, DIRECTION_NONE);
    expect(h.violations()).toEqual([]);
  });
});
