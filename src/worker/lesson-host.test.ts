import { describe, expect, test } from 'vitest';
import { KINDS, lessonEntry, TK } from '../sim/index';
import type { Message } from './protocol';
import { SimHost } from './sim-host';

/** A host with a fake clock; collects what it posts. */
function harness(): { host: SimHost; out: Message[]; advance(ms: number): void; last<T extends Message['type']>(type: T): Extract<Message, { type: T }> } {
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

const lesson = (id: string): Record<string, unknown> => lessonEntry(id)!.lesson as Record<string, unknown>;

describe('the worker plays lessons', () => {
  test('lesson-anchors resolves every step of a built-in lesson; the challenge has none', async () => {
    const h = harness();
    await h.host.handle({ type: 'lesson-anchors', req: 7, lesson: lesson('mask-by-none-loses-edges') });
    const r = h.last('lesson-anchors');
    expect(r.req).toBe(7);
    expect(r.error).toBe('');
    expect(r.points).toHaveLength(4);
    expect(r.points![3]).toBeNull();
    expect(r.points!.slice(0, 3).every((p) => p !== null && p.seq !== null && p.t > 0)).toBe(true);
  });

  test('a broken lesson gets the reason naming the field, not a throw', async () => {
    const h = harness();
    await h.host.handle({ type: 'lesson-anchors', req: 1, lesson: { ...lesson('lazy-none'), minutes: 'soon' } });
    const r = h.last('lesson-anchors');
    expect(r.points).toBeNull();
    expect(r.error).toMatch(/^This lesson cannot be played: minutes/);
  });

  test('run-to stops just after the anchored event: it has happened, nothing later has', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'edge-while-away' } });
    await h.host.handle({ type: 'pause' });
    await h.host.handle({ type: 'lesson-anchors', req: 1, lesson: lesson('mask-by-none-loses-edges') });
    const p = h.last('lesson-anchors').points![1]!; // the second DevIrqEvent on the button
    await h.host.handle({ type: 'run-to', t: p.t });
    expect(h.host.status).toBe('running');
    h.advance(400);
    const m = h.host.machine!;
    expect(h.host.status).toBe('paused');
    expect(m.now).toBe(p.t);
    expect(m.nextEventTime()).toBeGreaterThan(p.t);
    expect(m.trace.total).toBeGreaterThan(p.seq!);
    expect(m.trace.get(p.seq!)!.kind).toBe(KINDS.codeOf('DevIrqEvent'));
    // Already there: run-to again only pauses, the run does not move.
    const events = m.processed;
    await h.host.handle({ type: 'run-to', t: p.t });
    h.advance(100);
    expect(m.processed).toBe(events);
    expect(h.host.status).toBe('paused');
  });

  test('lesson-check fails the untouched session with the reason, and passes once the student changes the driver setting', async () => {
    const h = harness();
    await h.host.handle({ type: 'load', source: { kind: 'library', id: 'edge-while-away' } });
    await h.host.handle({ type: 'lesson-check', req: 3, lesson: lesson('mask-by-none-loses-edges') });
    const before = h.last('lesson-check');
    expect(before.req).toBe(3);
    expect(before.result.passed).toBe(false);
    expect(before.result.reason).toBe('settings.changes: expected 1 changed, got 0 changed (nothing)');
    await h.host.handle({ type: 'settings', patch: { driver: { mask: 'none-type' } } });
    await h.host.handle({ type: 'lesson-check', req: 4, lesson: lesson('mask-by-none-loses-edges') });
    const after = h.last('lesson-check').result;
    expect(after).toMatchObject({ passed: true, reason: '', changed: ['driver.mask'] });
    expect(after.results.every((r) => r.ok)).toBe(true);
  });

  test('lesson-check sees commands typed in the terminal (the live steps)', async () => {
    const h = harness();
    const l = lesson('edge-interrupt-end-to-end');
    await h.host.handle({ type: 'load', source: { kind: 'json', json: l['scenario'] } });
    await h.host.handle({ type: 'run-to', t: 500_000 });
    h.advance(400);
    expect(h.host.machine!.trace.count(TK.HandlerStart)).toBe(0);
    await h.host.handle({ type: 'terminal', data: 'gpiomon -c gpiochip0 3 &\r' });
    await h.host.handle({ type: 'lesson-check', req: 1, lesson: l });
    expect(h.last('lesson-check').result).toMatchObject({ passed: true, changed: ['timeline.2'] });
  });
});
