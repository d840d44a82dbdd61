import { MSG_GET_VALUE, MSG_SET_DIRECTION, MSG_SET_IRQ_TYPE, MSG_SET_VALUE } from './constants';
import type { LatencyRange } from '../clock/time';

/**
 * Where real virtio-gpio devices differ from each other and from the spec, as
 * switchable policies (reference/implementations.md §2-§4). `spec` is what the
 * merged text (virtio 1.2, 5.18) asks for; `rust-vmm` is vhost-device-gpio's
 * physical backend as read from its code; `rust-vmm-mock` its mock backend.
 */
export interface DevicePolicy {
  /** Edges while the buffer is away: one latch (spec) or a FIFO of N counted edges (rust-vmm's kfifo). */
  edgeLatch: { kind: 'single' } | { kind: 'queue'; depth: number };
  /** SET_IRQ_TYPE NONE returns a held buffer at once (spec) or only on the next edge, edge detection staying on (rust-vmm). */
  onNone: 'now' | 'lazy';
  /** A buffer queued while the type is NONE: returned INVALID (v1.2 "should") or held until enabled (V8 "MUST wait"). */
  earlyBuffer: 'returned' | 'held';
  /** Changing one non-NONE type to another without NONE in between: accepted, or ERR keeping the old type (rust-vmm). */
  typeChange: 'accepted' | 'rejected';
  /** Setting the type the line already has: OK, or ERR (rust-vmm, even NONE -> NONE). */
  sameType: 'ok' | 'err';
  /** Level trigger types: supported, or ERR (rust-vmm: "only edge IRQs are supported"). */
  level: 'supported' | 'rejected';
  /**
   * When a level buffer comes back: sample the line and notify at once if still
   * active (the spec's re-sample, the "EOI" Arnd Bergmann described), or notify
   * only on a new transition to active (the level-over-edge hazard Marc Zyngier raised).
   */
  levelSample: 'resample' | 'transition';
  /** A gpio number >= ngpio: answered ERR, or the device fails (rust-vmm indexes without a check and panics). */
  badGpio: 'err' | 'crash';
  /**
   * A chain of the wrong shape or sizes: answered ERR when the response buffer
   * allows it, the whole batch never used (rust-vmm, the driver then waits
   * forever), or DEVICE_NEEDS_RESET.
   */
  malformed: 'err' | 'stall' | 'reset';
  /** SET_DIRECTION OUT before any SET_VALUE: allowed (spec "should"), or ERR (rust-vmm). */
  outNeedsValue: boolean;
  /** GET_VALUE on a line with direction NONE: answered, or ERR (rust-vmm: line not requested). */
  getNeedsDirection: boolean;
  /** rust-vmm's mock backend: every armed buffer comes straight back VALID. */
  mockStorm: boolean;
  /**
   * The response buffer's size: at least what the message needs, answered with
   * used length 2 (spec), or exactly what it needs, else ERR with used length
   * = the buffer's length (rust-vmm `process_requests`; the operation still runs).
   */
  responseSize: 'min' | 'exact';
  /**
   * SET_DIRECTION NONE: forget everything about the line (spec 5.18.6.9), or
   * keep the trigger type and drop only the cached value and the host request
   * (rust-vmm `GpioController::set_direction`).
   */
  directionNone: 'discard' | 'keep-irq-type';
  /**
   * The device holds a host line request, made by SET_DIRECTION IN/OUT (with no
   * edge detection) and dropped by SET_DIRECTION NONE; GET_VALUE and an edge
   * SET_IRQ_TYPE on a line without one answer ERR, and only SET_IRQ_TYPE turns
   * edge detection on (rust-vmm `PhysDevice::{set_direction, value, set_irq_type}`).
   */
  hostRequest: boolean;
}

/** How long rust-vmm's waiter thread waits for an edge before it looks at the line state again (`wait_edge_events(1 s)`). */
export const HOST_WAIT_NS = 1_000_000_000;

export type PolicyPreset = 'spec' | 'rust-vmm' | 'rust-vmm-mock';

export function policyPreset(preset: PolicyPreset, spec: 'v1.2' | 'v8'): DevicePolicy {
  switch (preset) {
    case 'spec':
      return {
        edgeLatch: { kind: 'single' },
        onNone: 'now',
        earlyBuffer: spec === 'v8' ? 'held' : 'returned',
        typeChange: 'accepted',
        sameType: 'ok',
        level: 'supported',
        levelSample: 'resample',
        badGpio: 'err',
        malformed: 'err',
        outNeedsValue: false,
        getNeedsDirection: false,
        mockStorm: false,
        responseSize: 'min',
        directionNone: 'discard',
        hostRequest: false,
      };
    case 'rust-vmm':
      return {
        edgeLatch: { kind: 'queue', depth: 16 },
        onNone: 'lazy',
        earlyBuffer: 'returned',
        typeChange: 'rejected',
        sameType: 'err',
        level: 'rejected',
        levelSample: 'resample',
        badGpio: 'crash',
        malformed: 'stall',
        outNeedsValue: true,
        getNeedsDirection: true,
        mockStorm: false,
        responseSize: 'exact',
        directionNone: 'keep-irq-type',
        hostRequest: true,
      };
    case 'rust-vmm-mock':
      // The type checks live in GpioController, in front of the mock backend too; the mock has no host requests.
      return { ...policyPreset('rust-vmm', spec), level: 'supported', mockStorm: true, hostRequest: false };
  }
}

/** Fault injection: a device that breaks the protocol in one specific way. */
export interface DeviceFaults {
  /** Report this used length for every eventq buffer instead of 1 (S-N2). */
  eventqUsedLen?: number;
  /** Write this status into eventq responses instead of VALID (an unknown status hits the driver's WARN). */
  eventqValidStatus?: number;
}


/** Latency ranges in ns, each drawn per occurrence from the seeded PRNG. */
export interface Latencies {
  /** Driver kick until the device starts looking at the ring (a VM exit, an eventfd wake-up). */
  notify: LatencyRange;
  /** Device time to process one requestq message (drawn per message). */
  request: LatencyRange;
  /** Device time from a line event (or an armed re-queue) to the buffer being in the used ring. */
  event: LatencyRange;
  /** Used-buffer interrupt until the guest's handler runs. */
  interrupt: LatencyRange;
  /** intx-irqfd: the back end's eventfd signal until KVM asserts the GSI (default 0). */
  irqfdAssert?: LatencyRange;
  /** intx-irqfd: the guest's ISR read until QEMU's deassert reaches KVM (default 0). */
  irqfdDeassert?: LatencyRange;
  /** intx-irqfd: the guest's EOI until the back end re-checks (the resample eventfd); absent: no resample eventfd. */
  irqfdResample?: LatencyRange;
}

export interface DeviceConfig {
  ngpio: number;
  /** Line names; null when the device does not implement GET_LINE_NAMES (gpio_names_size = 0). */
  names: string[] | null;
  /** Offer VIRTIO_GPIO_F_IRQ (QEMU before 9.0 never passed it through). */
  offerIrq: boolean;
  offerEventIdx: boolean;
  spec: 'v1.2' | 'v8';
  policy: DevicePolicy;
  faults: DeviceFaults;
  latency: Latencies;
  /** Initial direction of each line (0 none, 1 out, 2 in) and output value. */
  initialDirection: number[];
  initialValue: number[];
}

/**
 * Whether rust-vmm panics on a request for a gpio >= ngpio: the messages that index
 * its per-line state do (GpioController::set_direction, PhysDevice::value and
 * set_value, GpioController::set_irq_type once the type bits pass); GET_LINE_NAMES
 * ignores gpio, GET_DIRECTION asks libgpiod (an error, answered ERR), SET_VALUE
 * with a value above 1 and unknown message types are refused first.
 */
export function crashesOn(type: number, value: number): boolean {
  switch (type) {
    case MSG_SET_DIRECTION:
    case MSG_GET_VALUE:
      return true;
    case MSG_SET_VALUE:
      return value <= 1;
    case MSG_SET_IRQ_TYPE:
      return ((value & 0xffff) & ~IRQ_TYPE_ALL_BITS) === 0;
    default:
      return false;
  }
}

/** Every trigger bit (rust-vmm VIRTIO_GPIO_IRQ_TYPE_ALL). */
const IRQ_TYPE_ALL_BITS = 0x0f;
