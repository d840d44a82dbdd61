import { describe, expect, test } from 'vitest';
import { encodeLink } from '../sim/index';
import type { Message } from './protocol';
import { SimHost } from './sim-host';

/** A host with a fake clock; collects what it posts. */
function harness(): { host: SimHost; out: Message[]; advance(ms: number): void; last<T extends Message['type']>(type: T): Extract<Message, { type: T }> } {
  // Wall time also creeps forward on every read, as it does while a real tick spends its budget.
  let wall = 0;
  const out: Message[] = [];
  const host = new SimHost({ post: (m) => out.push(m), wallNow: () => (wall += 0.01), stamp: () => wall, isoDate: () => '2026-01-01T00:00:00.000Z' });
  return {
    host,
    out,
    advance(ms: number) {
      for (let i = 0; i < ms / 8; i++) {
        wall += 8;
        host.tick();
      }
    },
    last(type) {
      for (let i = out.length - 1; i >= 0; i--) if (out[i]!.type === type) return out[i] as never;
      throw new Error(`no ${type} message`);
    },
  };
}

async function frame(h: ReturnType<typeof harness>): Promise<Extract<Message, { type: 'batch' }>> {
  await h.host.handle({ type: 'frame' });
  return h.last('batch');
}

describe('SimHost', () => {
  test('loads a library scenario and sends a batch only when the UI asks for a frame', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    expect(h.last('loaded').info.title).toBe('A calm board');
    expect(h.out.filter((m) => m.type === 'batch')).toHaveLength(0);
    const b = await frame(h);
    expect(b.view.lines.level.length).toBe(6);
    expect(b.trace?.t.length).toBeGreaterThan(0);
    h.advance(100);
    expect(h.out.filter((m) => m.type === 'batch')).toHaveLength(1); // No frame asked: nothing sent.
  });

  test('runs at the chosen speed and pauses at the scenario\'s end', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'edge-while-away' } });
    await h.host.handle({ type: 'speed', speed: 0.001 });
    h.advance(1000); // 1 s wall = 1 ms simulated.
    expect(h.host.machine!.now).toBeGreaterThanOrEqual(990_000);
    expect(h.host.machine!.now).toBeLessThanOrEqual(1_010_000);
    await h.host.handle({ type: 'speed', speed: 'max' });
    h.advance(200);
    expect(h.host.status).toBe('ended');
    expect(h.host.machine!.now).toBe(2_000_000);
  });

  test('step processes exactly one event', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await h.host.handle({ type: 'pause' });
    const before = h.host.machine!.processed;
    await h.host.handle({ type: 'step' });
    expect(h.host.machine!.processed).toBe(before + 1);
    expect(h.host.status).toBe('paused');
  });

  test('a shared run replays to the same trace hash, live actions and typed commands included', async () => {
    const a = harness();
    await a.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await a.host.handle({ type: 'speed', speed: 'max' });
    a.advance(40);
    await a.host.handle({ type: 'action', action: { do: 'press', line: 0, pressed: true } });
    a.advance(16);
    await a.host.handle({ type: 'terminal', data: 'gpioinfo button\r' });
    a.advance(16);
    await a.host.handle({ type: 'action', action: { do: 'irq-type', client: 0, trigger: 3 } });
    a.advance(16);
    await a.host.handle({ type: 'pause' });
    const hashA = a.host.machine!.trace.hash();
    await a.host.handle({ type: 'share' });
    const json = a.last('share').json;
    const link = await encodeLink(json);

    const b = harness();
    await b.host.handle({ type: 'load', source: { kind: 'link', link: `http://x/#${link}` } });
    b.advance(2000);
    expect(b.host.status).toBe('paused');
    expect(b.host.machine!.trace.hash()).toBe(hashA);
    expect(b.host.machine!.processed).toBe(a.host.machine!.processed);
    expect(b.host.speed).toBe(0.001); // Back to watching speed after the replay.
  });

  test('a corrupt or oversized link gives a clear message and the default scenario still loads', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'link', link: '#s1.!!!!' } });
    const err = h.out.find((m) => m.type === 'load-error') as Extract<Message, { type: 'load-error' }>;
    expect(err.message).toMatch(/^This link cannot be opened: /);
    expect(err.fallback).toBe(true);
    expect(h.last('loaded').info.id).toBe('calm-board');
    const big = harness();
    await big.host.handle({ type: 'load', source: { kind: 'link', link: `#s1.${'A'.repeat(9000)}` } });
    expect((big.out.find((m) => m.type === 'load-error') as { message: string }).message).toMatch(/8192|8 KB|too long/i);
  });

  test('a link from a newer version is refused with a message saying so', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'link', link: '#s2.AAAA' } });
    expect((h.out.find((m) => m.type === 'load-error') as { message: string }).message).toMatch(/newer/);
  });

  test('typed commands reach the shell; the echo comes from the line editor, once', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await h.host.handle({ type: 'speed', speed: 'max' });
    h.advance(16);
    await frame(h);
    await h.host.handle({ type: 'terminal', data: 'gpiodetect\r' });
    h.advance(16);
    const text = (await frame(h)).terminal;
    expect(text).toContain('gpiochip0 [virtio1] (6 lines)');
    expect(text.split('gpiodetect').length - 1).toBe(1);
  });

  test('time travel shows the state at an earlier instant without disturbing the live run', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await h.host.handle({ type: 'speed', speed: 'max' });
    h.advance(300);
    const live = h.host.machine!.now;
    await h.host.handle({ type: 'seek', t: 1_100_000 }); // The button is held down then.
    h.advance(8);
    const snap = h.last('snapshot');
    expect(snap.view.now).toBe(1_100_000);
    expect(snap.view.lines.level[0]).toBe(0);
    expect(h.host.machine!.now).toBe(live);
  });

  test('exports the current run as VCD (both modes) and JSONL', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'edge-while-away' } });
    await h.host.handle({ type: 'speed', speed: 'max' });
    h.advance(100);
    await h.host.handle({ type: 'export', format: 'vcd-wires' });
    expect(h.last('file').text).toMatch(/^\$date 2026-01-01T00:00:00.000Z \$end/);
    await h.host.handle({ type: 'export', format: 'vcd-rich' });
    expect(h.last('file').text).toContain('$var string');
    await h.host.handle({ type: 'export', format: 'jsonl' });
    expect(JSON.parse(h.last('file').text.split('\n')[0]!)).toMatchObject({ format: 'vgpio-trace' });
  });

  test('settings restart the scenario with the change, deterministically', async () => {
    const run = async (): Promise<string> => {
      const h = harness();
      await h.host.handle({ type: 'load', source: { kind: 'library', id: 'two-edges-while-away' } });
      await h.host.handle({ type: 'settings', patch: { policy: { edgeLatch: 'queue:16' } } });
      await h.host.handle({ type: 'speed', speed: 'max' });
      h.advance(200);
      expect(h.host.machine!.oracle.total().spurious).toBe(1);
      return h.host.machine!.trace.hash();
    };
    expect(await run()).toBe(await run());
  });
});

describe('after the scenario ends', () => {
  test('an action continues the run, so its consequences happen', async () => {
    // Wall time moves on every read, as it does while a real tick spends its budget.
    let wall = 0;
    const out: Message[] = [];
    const host = new SimHost({ post: (m) => out.push(m), wallNow: () => (wall += 0.5), stamp: () => wall, isoDate: () => 'x' });
    await host.handle({ type: 'load', source: { kind: 'library', id: 'edge-while-away' } });
    await host.handle({ type: 'speed', speed: 'max' });
    for (let i = 0; i < 20; i++) {
      wall += 8;
      host.tick();
    }
    expect(host.status).toBe('ended');
    const calls = host.machine!.irq.calls[0];
    await host.handle({ type: 'action', action: { do: 'press', line: 0, pressed: true } });
    expect(host.status).toBe('running');
    for (let i = 0; i < 5; i++) {
      wall += 8;
      host.tick();
    }
    expect(host.machine!.irq.calls[0]).toBe(calls! + 1);
  });

  test('a pause the user chose is kept when they act', async () => {
    const out: Message[] = [];
    const host = new SimHost({ post: (m) => out.push(m), wallNow: () => 0, stamp: () => 0, isoDate: () => 'x' });
    await host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await host.handle({ type: 'pause' });
    await host.handle({ type: 'action', action: { do: 'drive', line: 3, level: 1 } });
    expect(host.status).toBe('paused');
  });
});

describe('time travel and view detail', () => {
  test('opening the inspector while time-travelling rebuilds the snapshot with the ring state', async () => {
    let wall = 0;
    const out: Message[] = [];
    const host = new SimHost({ post: (m) => out.push(m), wallNow: () => (wall += 0.01), stamp: () => wall, isoDate: () => 'x' });
    await host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await host.handle({ type: 'seek', t: 20_000 });
    host.tick();
    const first = out.filter((m) => m.type === 'snapshot').pop() as Extract<Message, { type: 'snapshot' }>;
    expect(first.view.queues).toEqual([]); // Nobody asked for ring state.
    await host.handle({ type: 'detail', queues: true });
    host.tick();
    const second = out.filter((m) => m.type === 'snapshot').pop() as Extract<Message, { type: 'snapshot' }>;
    expect(second.t).toBe(20_000);
    expect(second.view.queues.map((q) => q.name)).toEqual(['requestq', 'eventq']);
    await host.handle({ type: 'inspect', line: 1 });
    host.tick();
    const third = out.filter((m) => m.type === 'snapshot').pop() as Extract<Message, { type: 'snapshot' }>;
    expect(third.view.route?.[0]?.id).toBe('gpio 1');
  });
});
