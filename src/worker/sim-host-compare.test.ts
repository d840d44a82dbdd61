import { describe, expect, test } from 'vitest';
import type { Message } from './protocol';
import { SimHost } from './sim-host';

function host(): { host: SimHost; compare(settings: unknown): Promise<Extract<Message, { type: 'compare' }>> } {
  let wall = 0;
  const out: Message[] = [];
  const h = new SimHost({ post: (m) => out.push(m), wallNow: () => (wall += 0.01), stamp: () => wall, isoDate: () => '2026-01-01T00:00:00.000Z' });
  return {
    host: h,
    async compare(settings) {
      await h.handle({ type: 'compare', req: 7, settings: settings as string[] });
      const m = out.at(-1)!;
      if (m.type !== 'compare') throw new Error(`expected a compare answer, got ${m.type}`);
      return m;
    },
  };
}

describe('"Compare with..." in the worker', () => {
  test('the session and the same session under rust-vmm, run to their ends: counts and the divergence vgpio diff reports', async () => {
    const h = host();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'two-edges-while-away' } });
    const m = await h.compare(['device.preset=rust-vmm']);
    expect(m.req).toBe(7);
    expect(m.error).toBe('');
    const c = m.result!;
    expect([c.a.label, c.b.label]).toEqual(['this run', 'with device.preset=rust-vmm']);
    expect(c.total).toEqual([
      { key: 'spurious', a: 0, b: 1 },
      { key: 'handlerCalls', a: 2, b: 3 },
      { key: 'deviceDelivered', a: 2, b: 3 },
      { key: 'deviceCoalesced', a: 1, b: 0 },
    ]);
    expect([c.divergence?.seq, c.divergence?.t, c.divergence?.a?.line]).toEqual([81, 1_100_000, 0]);
    // The live run is not disturbed: it is still at its start.
    expect(h.host.machine!.processed).toBe(0);
  });

  test('a live action is part of both runs', async () => {
    const h = host();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'two-edges-while-away' } });
    const before = (await h.compare(['device.preset=rust-vmm'])).result!;
    await h.host.handle({ type: 'action', action: { do: 'press', line: 0, pressed: true } });
    const after = (await h.compare(['device.preset=rust-vmm'])).result!;
    // Pressed at time zero (the active-low button goes low at once), in both runs.
    expect(before.a.lanes[0]!.t[0]).toBeGreaterThan(0);
    expect([after.a.lanes[0]!.t[0], after.a.lanes[0]!.level[0], after.b.lanes[0]!.t[0], after.b.lanes[0]!.level[0]]).toEqual([0, 0, 0, 0]);
  });

  test('bad settings are answered with the reason naming the setting; nothing else changes', async () => {
    const h = host();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    expect(await h.compare(['device.preset=qemu'])).toEqual({ type: 'compare', req: 7, result: null, error: 'Not compared: device.preset: expected "spec", "rust-vmm" or "rust-vmm-mock"' });
    expect((await h.compare('device.preset=rust-vmm')).error).toBe('Not compared: compare settings: expected a list of settings such as device.preset=rust-vmm');
    expect((await h.compare([])).error).toBe('Not compared: compare settings: give at least one setting to change, such as device.preset=rust-vmm');
    expect(h.host.machine!.processed).toBe(0);
  });
});
