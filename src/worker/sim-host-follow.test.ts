import { describe, expect, test } from 'vitest';
import { TK, describeEvent, type TraceEvent } from '../sim/index';
import { NOTHING_PENDING } from './follow';
import type { Message } from './protocol';
import { SimHost } from './sim-host';

type Batch = Extract<Message, { type: 'batch' }>;

/** A host with a fake wall clock that only moves when the test says so; collects what it posts. */
function harness(): { host: SimHost; out: Message[]; advance(ms: number): void; frame(): Promise<Batch>; errors(): string[] } {
  let wall = 0;
  const out: Message[] = [];
  const host = new SimHost({ post: (m) => out.push(m), wallNow: () => wall, stamp: () => wall, isoDate: () => '2026-01-01T00:00:00.000Z' });
  return {
    host,
    out,
    advance(ms: number) {
      for (let i = 0; i < ms / 8; i++) {
        wall += 8;
        host.tick();
      }
    },
    async frame() {
      await host.handle({ type: 'frame' });
      for (let i = out.length - 1; i >= 0; i--) if (out[i]!.type === 'batch') return out[i] as Batch;
      throw new Error('no batch');
    },
    errors: () => out.flatMap((m) => (m.type === 'error' ? [m.message] : [])),
  };
}

/** calm-board run to its end at full speed: nothing is pending any more (an idle board). */
async function idleCalmBoard(): Promise<ReturnType<typeof harness>> {
  const h = harness();
  await h.host.handle({ type: 'load', source: { kind: 'library', id: 'calm-board' } });
  await h.host.handle({ type: 'speed', speed: 'max' });
  for (let i = 0; i < 200 && h.host.status !== 'ended'; i++) {
    h.advance(8);
    await h.frame(); // the page takes the trace, so backpressure never holds the run
  }
  expect(h.host.status).toBe('ended');
  await h.frame();
  return h;
}

const text = (h: ReturnType<typeof harness>, seq: number): string => describeEvent(h.host.machine!.trace.get(seq) as TraceEvent);

describe('Step and follow mode in the host', () => {
  test('Step on an idle board advances nothing and says why, where the page shows it', async () => {
    const h = await idleCalmBoard();
    const total = h.host.machine!.trace.total;
    await h.host.handle({ type: 'step' });
    expect(h.errors()).toContain(NOTHING_PENDING);
    expect(h.host.machine!.trace.total).toBe(total);
    const b = await h.frame();
    expect(b.follow).toEqual({ pace: null, current: -1, note: NOTHING_PENDING });
  });

  test('Step reveals exactly one trace event and makes it the current one; the rest of its simulation event waits', async () => {
    const h = await idleCalmBoard();
    const sent = h.host.machine!.trace.total;
    await h.host.handle({ type: 'follow', pace: 1 });
    await h.host.handle({ type: 'follow', pace: null });
    // A button press (applied while not following) shows at once; pressing Step afterwards walks the next events.
    await h.host.handle({ type: 'action', action: { do: 'press', line: 0, pressed: true } });
    let b = await h.frame();
    expect(b.trace!.firstSeq + b.trace!.t.length).toBe(h.host.machine!.trace.total);
    expect(b.follow?.current).toBe(-1);
    const before = h.host.machine!.trace.total;
    await h.host.handle({ type: 'step' });
    b = await h.frame();
    expect(b.follow?.current).toBe(before);
    expect(text(h, before)).toBe("device returns gpio 0's eventq buffer VALID [01], used length 1");
    // Only that one event went to the page, though the simulation event emitted three.
    expect(b.trace!.firstSeq).toBe(before);
    expect(b.trace!.t.length).toBe(1);
    expect(h.host.machine!.trace.total).toBe(before + 3);
    await h.host.handle({ type: 'step' });
    b = await h.frame();
    expect(b.follow?.current).toBe(before + 1);
    expect(b.trace!.t.length).toBe(1);
    expect(sent).toBeLessThan(before);
  });

  test('following at 5 events per second reveals one event every 200 ms, in order, the round trip included', async () => {
    const h = await idleCalmBoard();
    await h.host.handle({ type: 'follow', pace: 5 });
    expect(h.host.status).toBe('paused');
    const start = h.host.machine!.trace.total;
    // The press is applied at once, but the page is walked through what it caused one event at a time.
    await h.host.handle({ type: 'action', action: { do: 'press', line: 0, pressed: true } });
    const seen: number[] = [];
    for (let i = 0; i < 60; i++) {
      h.advance(104);
      const b = await h.frame();
      seen.push(b.follow!.current);
      expect(b.follow!.pace).toBe(5);
      // The page never holds an event past the current one.
      expect(b.trace ? b.trace.firstSeq + b.trace.t.length : 0).toBeLessThanOrEqual(b.follow!.current + 1);
    }
    const advancing = seen.filter((s, i) => i === 0 || s !== seen[i - 1]);
    expect(advancing.slice(0, 21)).toEqual(Array.from({ length: 21 }, (_, i) => start + i));
    const kinds = advancing.map((s) => h.host.machine!.trace.get(s)!.kind);
    const order = [TK.LineLevel, TK.EvqReturn, TK.HandlerStart, TK.RingAdd, TK.EvqArm].map((k) => kinds.indexOf(k));
    expect(order.every((x, i) => x >= 0 && (i === 0 || x > (order[i - 1] as number)))).toBe(true);
    // Then nothing is pending: following waits, and says so.
    const last = await h.frame();
    expect(last.follow?.note).toBe(NOTHING_PENDING);
  });

  test('a pace tick never advances two events at once, and Run ends follow mode with everything shown', async () => {
    const h = await idleCalmBoard();
    await h.host.handle({ type: 'follow', pace: 2 });
    await h.host.handle({ type: 'action', action: { do: 'press', line: 0, pressed: true } });
    h.advance(8);
    const first = (await h.frame()).follow!.current;
    h.advance(496);
    expect((await h.frame()).follow!.current).toBe(first + 1);
    h.advance(400);
    expect((await h.frame()).follow!.current).toBe(first + 1);
    h.advance(104);
    expect((await h.frame()).follow!.current).toBe(first + 2);
    await h.host.handle({ type: 'run' });
    h.advance(8); // at full speed: the rest of the round trip runs, and all of it goes to the page
    const b = await h.frame();
    expect(b.trace!.firstSeq).toBe(first + 3);
    expect(b.follow).toEqual({ pace: null, current: -1, note: '' });
    expect(b.trace!.firstSeq + b.trace!.t.length).toBe(h.host.machine!.trace.total);
  });

  test('a pace that is not a positive number is refused with a message naming it', async () => {
    const h = await idleCalmBoard();
    await h.host.handle({ type: 'follow', pace: -3 });
    expect(h.errors().at(-1)).toBe('Follow mode not started: pace must be 1 to 1000 events per second, not -3');
    expect((await h.frame()).follow?.pace ?? null).toBe(null);
  });
});
