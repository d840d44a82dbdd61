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
