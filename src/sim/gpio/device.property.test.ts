import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DeviceHarness } from '../testing/device-harness';
import {
  IRQ_STATUS_INVALID as INVALID,
  IRQ_STATUS_VALID as VALID,
  IRQ_TYPE_NONE,
  MSG_SET_IRQ_TYPE,
  edgeQualifies,
  isEdgeType,
  isLevelType,
  levelActive,
} from './constants';

/** What a driver (or the world) can do to one line. */
type Op = { op: 'type'; t: number } | { op: 'arm' } | { op: 'level'; v: 0 | 1 };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 4, 8).map((t): Op => ({ op: 'type', t })),
  fc.constant<Op>({ op: 'arm' }),
  fc.constantFrom<0 | 1>(0, 1).map((v): Op => ({ op: 'level', v })),
);

/**
 * The spec's interrupt semantics for one line, written as plainly as possible
 * (virtio 1.2, 5.18.6.6, 5.18.6.9, 5.18.7): a trigger type, whether the device
 * holds the buffer, and an edge latch (a flag, or a count for queue:N).
 */
class Reference {
  type = IRQ_TYPE_NONE;
  held = false;
  latch = 0;
  level = 0;
  readonly out: number[] = [];
  private readonly depth: number;
  constructor(depth: number) {
    this.depth = depth;
  }

  apply(o: Op): void {
    switch (o.op) {
      case 'type':
        if (o.t === IRQ_TYPE_NONE) {
          this.latch = 0;
          if (this.held) this.give(INVALID);
        } else {
          this.latch = 0;
          this.type = o.t;
          if (this.held && isLevelType(o.t) && levelActive(o.t, this.level)) this.give(VALID);
        }
        if (o.t === IRQ_TYPE_NONE) this.type = IRQ_TYPE_NONE;
        return;
      case 'arm':
        if (this.held) {
          this.out.push(INVALID); // A second pair for the line goes straight back.
          return;
        }
        if (this.type === IRQ_TYPE_NONE) {
          this.out.push(INVALID); // v1.2: a buffer for a disabled line is returned.
          return;
        }
        this.held = true;
        if (this.latch > 0) {
          this.latch--;
          this.give(VALID);
        } else if (isLevelType(this.type) && levelActive(this.type, this.level)) {
          this.give(VALID);
        }
        return;
      case 'level': {
        const prev = this.level;
        this.level = o.v;
        if (prev === o.v || this.type === IRQ_TYPE_NONE) return;
        if (isEdgeType(this.type)) {
          if (!edgeQualifies(this.type, prev, o.v)) return;
          if (this.held) this.give(VALID);
          else this.latch = Math.min(this.depth, this.latch + 1);
        } else if (levelActive(this.type, o.v) && this.held) {
          this.give(VALID);
        }
      }
    }
  }

  private give(status: number): void {
    this.held = false;
    this.out.push(status);
  }
}

function run(ops: Op[], depth: number): { device: number[]; reference: number[] } {
  const h = new DeviceHarness({ ngpio: 1, policy: depth === 1 ? {} : { edgeLatch: { kind: 'queue', depth } } });
  const ref = new Reference(depth);
  const device: number[] = [];
  for (const o of ops) {
    ref.apply(o);
    if (o.op === 'type') h.send(MSG_SET_IRQ_TYPE, 0, o.t);
    else if (o.op === 'arm') h.arm(0);
    else h.setLevel(0, o.v);
    h.run(50_000); // Every decided return reaches the used ring before the next step.
    for (const e of h.events()) device.push(e.status);
  }
  return { device, reference: ref.out };
}

describe('device vs a reference model of the spec', () => {
  test('single latch (spec): the same statuses, in the same order, for any sequence', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const { device, reference } = run(ops, 1);
        expect(device).toEqual(reference);
      }),
      { numRuns: 300, seed: 4242 },
    );
  });

  test('queue:4 (rust-vmm-like counting): the same statuses, in the same order', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const { device, reference } = run(ops, 4);
        expect(device).toEqual(reference);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  test('the device never reports VALID unless enabled and holding the buffer (monitor stays quiet)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const h = new DeviceHarness({ ngpio: 1 });
        for (const o of ops) {
          if (o.op === 'type') h.send(MSG_SET_IRQ_TYPE, 0, o.t);
          else if (o.op === 'arm') h.arm(0);
          else h.setLevel(0, o.v);
          h.run(50_000);
          h.events();
        }
        const deviceRules = h.monitors.violations.filter((v) => v.side === 'device').map((v) => v.rule);
        expect(deviceRules).toEqual([]);
      }),
      { numRuns: 200, seed: 99 },
    );
  });
});
