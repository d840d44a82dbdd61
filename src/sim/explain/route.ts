import { EVENTQ, IRQ_TYPE_NAMES } from '../gpio/constants';
import { Flag, flagNames } from '../guest/gpio-driver';
import type { Machine } from '../machine';
import { SINK_NAMES } from '../trace/kinds';
import { TransportInterrupt } from '../virtio/transport-irq';

/** One layer of an interrupt's path from the wire to the CPU, with its own mask state. */
export interface RouteLayer {
  layer: 'device line' | 'gpio irq_chip' | 'line irq' | 'eventq' | 'transport';
  /** How the layer names this interrupt. */
  id: string;
  /** Can an interrupt pass this layer right now? */
  masked: boolean;
  /** Short human-readable state. */
  state: string;
}

/** Linux numbers the gpio chip's interrupts after the platform's; these are for display only. */
export const VIRQ_BASE = 40;

/**
 * The route a GPIO line's interrupt takes (seed 003's hierarchy): the device's
 * per-line state, the driver's irq_chip (hwirq = line) and the Linux irq above
 * it, the eventq whose used buffers carry it, and the transport vector or GSI.
 * Read from the live model, so it shows each layer's mask state as it is now.
 */
export function irqRoute(m: Machine, line: number): RouteLayer[] {
  const dev = m.device;
  const chip = m.chip;
  const t = m.transport;
  const type = dev.irqType[line] as number;
  const layers: RouteLayer[] = [
    {
      layer: 'device line',
      id: `gpio ${line}`,
      masked: dev.held[line] === -1 || type === 0,
      state: `${IRQ_TYPE_NAMES[type] ?? type}, ${dev.held[line] !== -1 ? 'buffer held (armed)' : 'no buffer'}, sink ${SINK_NAMES[dev.sinkState(line)]}${dev.latch[line] ? `, latch ${dev.latch[line]}` : ''}`,
    },
  ];
  if (chip.ready && chip.hasIrq) {
    const flags = chip.flagBits(line);
    layers.push({ layer: 'gpio irq_chip', id: `hwirq ${line}`, masked: (flags & (Flag.Disabled | Flag.Masked)) !== 0, state: flagNames(flags) });
    const action = m.irq.action[line];
    layers.push({
      layer: 'line irq',
      id: `virq ${VIRQ_BASE + line}`,
      masked: m.irq.descDisabled[line] === 1,
      state: action ? `${m.irq.descDisabled[line] ? 'disabled' : 'enabled'}${m.irq.inProgress[line] ? ', in handler' : ''}${m.irq.threadActive[line] ? ', thread' : ''}` : 'not requested',
    });
    const eq = chip.eventq;
    layers.push({
      layer: 'eventq',
      id: 'vq 1',
      masked: eq ? !eq.callbacksEnabled() : true,
      state: eq ? `avail ${eq.availIdx}, used seen ${eq.lastUsedIdx}, callbacks ${eq.callbacksEnabled() ? 'on' : 'off'}` : 'absent',
    });
  }
  const v = TransportInterrupt.vectorOf(EVENTQ);
  if (t.irqfd) {
    // Seed 002: one party asserts, another deasserts, and KVM keeps the line's level between them.
    const fd = t.irqfd;
    layers.push(
      { layer: 'transport', id: `assert: back end -> eventfd -> KVM irqfd (GSI ${TransportInterrupt.INTX_GSI})`, masked: false, state: `ISR 0x${t.isr.toString(16)}, line ${t.asserted ? 'asserted' : 'deasserted'} at KVM` },
      {
        layer: 'transport',
        id: fd.resample ? 'deassert: KVM resampler at EOI -> resample eventfd -> back end' : 'deassert: guest ISR read -> QEMU -> KVM',
        masked: false,
        state: fd.resample ? `the back end re-checks after EOI (re-asserted ${t.resampleReasserts}x)` : `asserts lost to a later deassert: ${t.lostToDeassert}`,
      },
    );
    return layers;
  }
  layers.push(
    t.mode === 'msi'
      ? { layer: 'transport', id: `MSI-X vector ${v}`, masked: t.vectorMasked[v] === 1, state: t.vectorPending[v] ? 'pending' : 'idle' }
      : { layer: 'transport', id: `INTx GSI ${TransportInterrupt.INTX_GSI}`, masked: false, state: `${t.asserted ? 'asserted' : 'deasserted'}, ISR 0x${t.isr.toString(16)}` },
  );
  return layers;
}
