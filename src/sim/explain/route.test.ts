import { expect, test } from 'vitest';
import { machineFor } from '../testing/build';
import { irqRoute } from './route';

test('the route shows each layer and its mask state as the interrupt moves', () => {
  const m = machineFor({
    device: { lines: [{ name: 'btn' }] },
    world: { btn: { kind: 'toggle' } },
    clients: [{ kind: 'irq-consumer', line: 'btn', trigger: 'edge-rising', handlerTime: '50us' }],
  });
  m.runUntil(1_000_000);
  const armed = irqRoute(m, 0);
  expect(armed.map((l) => `${l.layer}: ${l.id}${l.masked ? ' (masked)' : ''}`)).toEqual([
    'device line: gpio 0',
    'gpio irq_chip: hwirq 0',
    'line irq: virq 40',
    'eventq: vq 1',
    'transport: MSI-X vector 2',
  ]);
  expect(armed[0]!.state).toBe('edge-rising, buffer held (armed), sink normal');
  m.apply({ do: 'drive', line: 0, level: 1 });
  m.runUntil(1_020_000); // Inside the 50 us handler.
  const inHandler = irqRoute(m, 0);
  expect(inHandler[0]).toMatchObject({ masked: true, state: 'edge-rising, no buffer, sink normal' });
  expect(inHandler[1]).toMatchObject({ masked: true, state: 'masked' });
  expect(inHandler[2]!.state).toBe('enabled, in handler');
});

test('an INTx transport shows the shared line', () => {
  const m = machineFor({ device: { lines: [{ name: 'a' }], transport: 'intx' } });
  m.runUntil(1_000_000);
  expect(irqRoute(m, 0).at(-1)).toEqual({ layer: 'transport', id: 'INTx GSI 11', masked: false, state: 'deasserted, ISR 0x0' });
});

test('an intx-irqfd transport shows its two parties: the back end that asserts and the one that deasserts (seed 002)', () => {
  const lib = (resample: boolean) =>
    machineFor({ device: { lines: [{ name: 'a' }], transport: 'intx-irqfd', latency: { assert: '2us', deassert: '5us', ...(resample ? { resample: '3us' } : {}) } } });
  const plain = lib(false);
  plain.runUntil(1_000_000);
  expect(irqRoute(plain, 0).slice(-2).map((l) => l.id)).toEqual(['assert: back end -> eventfd -> KVM irqfd (GSI 11)', 'deassert: guest ISR read -> QEMU -> KVM']);
  expect(irqRoute(plain, 0).at(-1)!.state).toBe('asserts lost to a later deassert: 0');
  const rs = lib(true);
  rs.runUntil(1_000_000);
  expect(irqRoute(rs, 0).at(-1)!.id).toBe('deassert: KVM resampler at EOI -> resample eventfd -> back end');
});
