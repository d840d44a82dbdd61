import { describe, expect, test } from 'vitest';
import { MAX_DURATION_NS, MAX_STEPS, OracleLabel, TK, encodeLink, validateScenario } from '../sim/index';
import type { Message } from './protocol';
import { IDLE_MESSAGE, SimHost } from './sim-host';

/** A host with a fake clock; collects what it posts. */
function harness(): { host: SimHost; out: Message[]; advance(ms: number): void; pass(ms: number): void; last<T extends Message['type']>(type: T): Extract<Message, { type: T }> } {
  // Wall time also creeps forward on every read, as it does while a real tick spends its budget.
  let wall = 0;
  const out: Message[] = [];
  const host = new SimHost({ post: (m) => out.push(m), wallNow: () => (wall += 0.01), stamp: () => wall, isoDate: () => '2026-01-01T00:00:00.000Z' });
  return {
    host,
    out,
    /** Wall time passes with no timer tick (the worker's timer has not fired yet). */
    pass(ms: number) {
      wall += ms;
    },
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

/** Eight 10 us clocks with an interrupt consumer each: about 13 million trace events a second. */
const busy = {
  version: 1,
  title: 'busy',
  seed: 1,
  duration: '80ms',
  device: { lines: Array.from({ length: 8 }, (_, i) => ({ name: `l${i}` })) },
  world: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`l${i}`, { kind: 'clock', period: '10us', start: `${(i + 1) * 10}us` }])),
  clients: Array.from({ length: 8 }, (_, i) => ({ kind: 'irq-consumer', line: `l${i}`, trigger: 'edge-both', name: `c${i}` })),
};

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

  test('a frame asked for while running paced carries the simulation up to that instant, not up to the last tick', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await h.host.handle({ type: 'speed', speed: 0.001 });
    await h.host.handle({ type: 'run' });
    h.advance(80);
    const before = (await frame(h)).view.now;
    h.pass(6); // 6 ms of wall time, no timer tick: 6 us of simulated time at 1/1000x.
    const after = (await frame(h)).view.now;
    expect(after - before).toBeGreaterThanOrEqual(6_000);
    expect(after - before).toBeLessThan(6_100);
  });

  test('a frame asked for at full speed is sent at once, without spending a tick\'s budget first', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'json', json: busy } });
    await h.host.handle({ type: 'speed', speed: 'max' });
    await h.host.handle({ type: 'run' });
    h.advance(8);
    const before = (await frame(h)).view.now;
    h.pass(6);
    expect((await frame(h)).view.now).toBe(before);
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

describe('runs that stop by themselves', () => {
  test('"Next IRQ" runs until just after the next handler call, then pauses', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await h.host.handle({ type: 'pause' });
    const m = h.host.machine!;
    const calls = (): number => m.trace.count(TK.HandlerStart);
    expect(calls()).toBe(0);
    await h.host.handle({ type: 'run-until', until: 'interrupt' });
    expect(h.host.status).toBe('running');
    h.advance(200);
    expect(h.host.status).toBe('paused');
    expect(calls()).toBe(1);
    // The button's first press (at 1 ms) is the first interrupt.
    expect(m.now).toBeGreaterThan(1_000_000);
    expect(m.now).toBeLessThan(1_100_000);
    await h.host.handle({ type: 'run-until', until: 'interrupt' });
    h.advance(200);
    expect(calls()).toBe(2);
  });

  test('"Next flag" stops at the first lost / spurious / coalesced label or violation', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'mask-by-none-loses-edge' } });
    await h.host.handle({ type: 'pause' });
    await h.host.handle({ type: 'run-until', until: 'violation' });
    h.advance(500);
    const m = h.host.machine!;
    const o = m.oracle.total();
    expect(h.host.status).toBe('paused');
    expect(m.trace.count(TK.Violation) + o.lost + o.spurious + o.coalesced).toBe(1);
  });

  test('with nothing left to simulate it says so and pauses', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'edge-while-away' } });
    await h.host.handle({ type: 'speed', speed: 'max' });
    h.advance(200);
    expect(h.host.status).toBe('ended');
    await h.host.handle({ type: 'run-until', until: 'interrupt' });
    h.advance(100);
    expect(h.host.status).toBe('paused');
    expect(h.last('error').message).toBe('No further interrupt: nothing left to simulate.');
  });

  test('the shell\'s `run 1ms` advances exactly 1 ms, then pauses', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await h.host.handle({ type: 'speed', speed: 'max' });
    h.advance(8);
    await h.host.handle({ type: 'pause' });
    const t0 = h.host.machine!.now;
    await h.host.handle({ type: 'terminal', data: 'run 1ms\r' });
    expect(h.host.status).toBe('running');
    h.advance(100);
    expect(h.host.status).toBe('paused');
    expect(h.host.machine!.now).toBe(t0 + 1_000_000);
  });

  test('a replayed `run` does not stop the replay short of where the link was shared', async () => {
    const a = harness();
    await a.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await a.host.handle({ type: 'pause' });
    a.advance(8);
    await a.host.handle({ type: 'step' });
    // Step is one trace event: 160 of them get past the probe and the clients' setup, so the shell runs commands.
    for (let i = 0; i < 160; i++) await a.host.handle({ type: 'step' });
    const t0 = a.host.machine!.now;
    await a.host.handle({ type: 'terminal', data: 'run 500us\r' });
    a.advance(100);
    expect(a.host.status).toBe('paused');
    expect(a.host.machine!.now).toBe(t0 + 500_000); // The typed run did run.
    const afterRun = a.host.machine!.processed;
    await a.host.handle({ type: 'speed', speed: 0.1 });
    await a.host.handle({ type: 'run' });
    a.advance(40); // 4 ms wall at 0.1x = 0.4 ms more.
    await a.host.handle({ type: 'pause' });
    expect(a.host.machine!.processed).toBeGreaterThan(afterRun); // Activity after the run, which the replay must reach.
    await a.host.handle({ type: 'share' });
    const link = await encodeLink(a.last('share').json);
    const b = harness();
    await b.host.handle({ type: 'load', source: { kind: 'link', link: `http://x/#${link}` } });
    b.advance(2000);
    expect(b.host.status).toBe('paused');
    expect(b.host.machine!.processed).toBe(a.host.machine!.processed);
    expect(b.host.machine!.trace.hash()).toBe(a.host.machine!.trace.hash());
  });
});

describe('backpressure', () => {
  /** 8 clocks at 100 kHz with edge-both consumers: about 15 trace events per simulated microsecond. */

  test('at max speed the run waits for the page, so no event it was not sent is ever overwritten', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'json', json: busy } });
    await h.host.handle({ type: 'speed', speed: 'max' });
    h.advance(3000); // The page asks for no frames: nothing is taken.
    const m = h.host.machine!;
    expect(h.host.status).toBe('running');
    expect(m.trace.total).toBeLessThanOrEqual(500_000);
    expect(m.trace.total).toBeGreaterThan(400_000);
    // Now the page takes batches: every event arrives, in order, without a gap.
    let next = 0;
    for (let i = 0; i < 2000 && h.host.status !== 'ended'; i++) {
      const b = await frame(h);
      if (b.trace) {
        expect(b.trace.firstSeq).toBe(next);
        expect(b.trace.t.length).toBeLessThanOrEqual(40_000);
        next = b.trace.firstSeq + b.trace.t.length;
      }
      h.advance(8);
    }
    expect(h.host.status).toBe('ended');
    for (let i = 0; i < 100 && next < m.trace.total; i++) {
      const b = await frame(h);
      expect(b.trace?.firstSeq).toBe(next);
      next = b.trace!.firstSeq + b.trace!.t.length;
    }
    expect(next).toBe(m.trace.total);
    expect(m.trace.total).toBeGreaterThan(1_000_000); // More than the ring holds, all of it delivered.
  });
});

describe('hostile use: the session always replays', () => {
  type Sent = Extract<Message, { type: 'share' }>;
  async function shared(h: ReturnType<typeof harness>): Promise<unknown> {
    await h.host.handle({ type: 'share' });
    return (h.last('share') as Sent).json;
  }
  const errors = (h: ReturnType<typeof harness>): string[] => h.out.flatMap((m) => (m.type === 'error' ? [m.message] : []));

  test('a shell command over 1024 characters is refused with a message, not recorded; Copy link and Restart keep working', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await h.host.handle({ type: 'action', action: { do: 'drive', line: 3, level: 1 } });
    await h.host.handle({ type: 'action', action: { do: 'shell', command: `echo ${'x'.repeat(2000)}` } });
    expect(errors(h)).toEqual(['Not done: shell commands are at most 1024 characters (this one has 2005)']);
    const json = await shared(h);
    expect(validateScenario(json).ok).toBe(true);
    await h.host.handle({ type: 'restart' });
    expect(h.last('loaded').info.recorded).toHaveLength(1);
    // Typed in the terminal, the line stops at 1024 characters (the bell rings).
    await h.host.handle({ type: 'terminal', data: 'y'.repeat(3000) });
    const b = await frame(h);
    expect(b.terminal).toContain('\x07');
    expect(b.terminal.match(/y/g)).toHaveLength(1024);
  });

  test('after one simulated hour live actions are refused with a message; the session still restarts with its steps', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await h.host.handle({ type: 'action', action: { do: 'drive', line: 3, level: 1 } });
    h.host.machine!.runUntil(MAX_DURATION_NS + 1);
    await h.host.handle({ type: 'action', action: { do: 'drive', line: 3, level: 0 } });
    expect(errors(h)).toEqual([
      'Not done: the run is past one simulated hour, the longest a scenario can replay (restart, or open a link, to go on acting)',
    ]);
    await h.host.handle({ type: 'terminal', data: 'gpiodetect\r' });
    expect((await frame(h)).terminal).toContain('Not run: the run is past one simulated hour');
    expect(validateScenario(await shared(h)).ok).toBe(true);
    await h.host.handle({ type: 'restart' });
    expect(h.last('loaded').info.recorded).toEqual([{ at: 0, event: expect.any(Number), do: 'drive', line: 3, level: 1 }]);
  });

  test('the 10,000-step limit: the last action that fits is recorded, the next refused, and the link still opens', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await h.host.handle({ type: 'pause' });
    for (let i = 0; i < MAX_STEPS; i++) await h.host.handle({ type: 'action', action: { do: 'drive', line: 3, level: (i & 1) as 0 | 1 } });
    const base = 6; // calm-board's own timeline
    const kept = MAX_STEPS - 1 - base; // one kept free for the share link's pause step
    expect(h.host.machine!.trace.count(TK.Step)).toBeGreaterThanOrEqual(kept);
    expect(errors(h)).toHaveLength(MAX_STEPS - kept);
    expect(errors(h)[0]).toBe('Not done: a scenario holds at most 10,000 steps, and this session has 9999: restart or load a scenario to go on');
    const json = await shared(h);
    expect(validateScenario(json).ok).toBe(true);
    await h.host.handle({ type: 'restart' });
    expect(h.last('loaded').info.recorded).toHaveLength(kept);
  });

  test("a restart with another scenario's steps keeps the last good state and says why", async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await h.host.handle({ type: 'action', action: { do: 'drive', line: 3, level: 1 } });
    await h.host.handle({ type: 'restart', steps: [{ at: 0, do: 'press', line: 'no-such-line' }] });
    expect(errors(h)).toEqual(['Restarted without the 1 recorded steps: timeline.6.line: no line named "no-such-line"']);
    expect(h.last('loaded').info.recorded).toHaveLength(1);
  });

  test('a settings change that cannot be applied leaves everything as it was', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    const before = h.out.filter((m) => m.type === 'loaded').length;
    await h.host.handle({ type: 'settings', patch: { seed: -5 } });
    expect(errors(h)).toEqual(['Settings not applied: seed: at least 0, got -5']);
    expect(h.out.filter((m) => m.type === 'loaded')).toHaveLength(before);
    await h.host.handle({ type: 'settings', patch: { seed: 9 } });
    expect(h.last('loaded').info.seed).toBe(9);
  });

  test('an idle board at max speed stands still and says there is nothing left to simulate', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
    await h.host.handle({ type: 'speed', speed: 'max' });
    h.advance(200);
    expect(h.host.status).toBe('ended');
    await h.host.handle({ type: 'run' }); // on past the end: nothing is queued
    const m = h.host.machine!;
    const t = m.now;
    h.advance(2000);
    expect(m.now).toBe(t);
    expect(errors(h)).toEqual([IDLE_MESSAGE]);
    // Acting queues events again: time moves, and a later idle stretch is announced again.
    await h.host.handle({ type: 'action', action: { do: 'press', line: 0, pressed: true } });
    h.advance(200);
    expect(m.now).toBeGreaterThan(t);
    expect(errors(h)).toEqual([IDLE_MESSAGE, IDLE_MESSAGE]);
  });

  test('a live run stops at one simulated hour with a message', async () => {
    const h = harness();
    const ticking = { version: 1, title: 'tick', duration: '3s', device: { lines: [{ name: 'c' }] }, world: { c: { kind: 'clock', period: '1s' } } };
    await h.host.handle({ type: 'load', source: { kind: 'json', json: ticking } });
    await h.host.handle({ type: 'speed', speed: 'max' });
    h.advance(100);
    expect(h.host.status).toBe('ended');
    const m = h.host.machine!;
    m.runUntil(MAX_DURATION_NS - 5_000_000); // 5 ms before the hour
    await h.host.handle({ type: 'run' }); // on past the scenario's end
    h.advance(500);
    expect(m.now).toBe(MAX_DURATION_NS);
    expect(h.host.status).toBe('paused');
    expect(errors(h)).toEqual(['The run reached one simulated hour, the longest a scenario can hold (restart and share links replay it); paused.']);
  });

  test('time travel replays in slices across ticks, and past the event cap says so instead of showing another instant', async () => {
    const out: Message[] = [];
    let wall = 0;
    const host = new SimHost(
      { post: (m) => out.push(m), wallNow: () => (wall += 0.01), stamp: () => 0, isoDate: () => 'x' },
      { seekMaxEvents: 200_000, seekEventsPerTick: 50_000 },
    );
    await host.handle({ type: 'load', source: { kind: 'json', json: busy } });
    host.machine!.runUntil(70_000_000);
    const snapshots = (): Extract<Message, { type: 'snapshot' }>[] => out.filter((m) => m.type === 'snapshot') as never;
    // A near instant: one tick is enough.
    await host.handle({ type: 'seek', t: 100_000 });
    host.tick();
    expect(snapshots().map((s) => s.t)).toEqual([100_000]);
    // A far instant: the cap is reached after four ticks of 50,000 events; never a snapshot labelled with it.
    await host.handle({ type: 'seek', t: 60_000_000 });
    for (let i = 0; i < 3; i++) host.tick();
    expect(out.filter((m) => m.type === 'error')).toHaveLength(0);
    host.tick();
    expect(snapshots().map((s) => s.t)).toEqual([100_000]);
    const err = out.filter((m) => m.type === 'error').pop() as Extract<Message, { type: 'error' }>;
    expect(err.message).toMatch(/^Time travel to 0\.060 s refused: replaying to it takes more than 200,000 events \(the replay reached 0\.0\d\d s\)\.$/);
  });
});

describe('SimHost explain', () => {
  /** mask-by-none-loses-edge run to its end: the host and the LOST label's seq. */
  async function ended(): Promise<{ h: ReturnType<typeof harness>; lost: number }> {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'mask-by-none-loses-edge' } });
    await h.host.handle({ type: 'speed', speed: 'max' });
    for (let i = 0; i < 200 && h.host.status !== 'ended'; i++) h.advance(8);
    expect(h.host.status).toBe('ended');
    const tr = h.host.machine!.trace;
    let lost = -1;
    for (let s = tr.firstSeq; s < tr.total; s++) if (tr.get(s)?.kind === TK.OracleLabel && tr.get(s)?.a === OracleLabel.Lost) lost = s;
    return { h, lost };
  }

  test('explain answers with the card of the LOST flag: the edge at 1.05 ms, SET_IRQ_TYPE NONE, driver.mask = none-type', async () => {
    const { h, lost } = await ended();
    await h.host.handle({ type: 'explain', req: 7, seq: lost });
    const msg = h.last('explanation');
    expect(msg.req).toBe(7);
    expect(msg.seq).toBe(lost);
    expect(msg.error).toBe('');
    expect(msg.card?.flag).toBe('LOST');
    expect(msg.card?.steps.find((s) => s.role === 'owed')?.time).toBe('1.05 ms');
    expect(msg.card?.steps[0]?.text).toBe('driver sends SET_IRQ_TYPE none for gpio 0 (from irq_mask)');
    expect(msg.card?.settings).toEqual([{ path: 'driver.mask', value: 'none-type', editable: true }]);
  });

  test('explain of an event that is no flag, or not in the run, says why there is no card', async () => {
    const { h } = await ended();
    await h.host.handle({ type: 'explain', req: 1, seq: 0 });
    expect(h.last('explanation')).toMatchObject({ req: 1, card: null, error: expect.stringContaining('No cause is recorded') });
    await h.host.handle({ type: 'explain', req: 2, seq: 1e9 });
    expect(h.last('explanation')).toMatchObject({ req: 2, card: null, error: 'This event is not part of the run.' });
  });
});
