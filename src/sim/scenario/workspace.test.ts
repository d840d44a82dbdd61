import { describe, expect, test } from 'vitest';
import { libraryEntry } from './library/index';
import { validateScenario } from './load';
import { MAX_DURATION_NS, MAX_STEPS } from './schema';
import { Workspace } from './workspace';

function calm(): Workspace {
  const ws = Workspace.open(libraryEntry('calm-board')!.scenario, 'calm-board');
  if (!ws.ok) throw new Error(ws.error);
  return ws.value;
}

describe('Workspace: the recorded session always composes into a valid scenario', () => {
  test('a shell command over 1024 characters is refused with the reason and not recorded', () => {
    const ws = calm();
    expect(ws.record({ at: 10, event: 1, action: { do: 'shell', command: 'x'.repeat(1024) } })).toBeNull();
    expect(ws.record({ at: 10, event: 1, action: { do: 'shell', command: 'x'.repeat(1025) } })).toBe(
      'shell commands are at most 1024 characters (this one has 1025)',
    );
    expect(ws.recorded).toHaveLength(1);
    expect(ws.scenario().ok).toBe(true);
  });

  test('an action after one simulated hour is refused; at the hour exactly it is recorded', () => {
    const ws = calm();
    expect(ws.record({ at: MAX_DURATION_NS, event: 5, action: { do: 'drive', line: 3, level: 1 } })).toBeNull();
    expect(ws.record({ at: MAX_DURATION_NS + 1, event: 6, action: { do: 'drive', line: 3, level: 0 } })).toMatch(/^the run is past one simulated hour/);
    expect(ws.recorded).toHaveLength(1);
    const s = ws.scenario();
    expect(s.ok && s.value.duration).toBe(MAX_DURATION_NS);
    // A share link made past the hour replays the whole run (no pause step it could not hold).
    expect(validateScenario(ws.share(MAX_DURATION_NS + 1, 7)).ok).toBe(true);
  });

  test('at most MAX_STEPS steps with the base timeline, one kept for the share link pause', () => {
    const ws = calm();
    const base = ws.base.timeline?.length ?? 0;
    let refused = 0;
    for (let i = 0; i < MAX_STEPS; i++) if (ws.record({ at: i, event: i, action: { do: 'drive', line: 3, level: 1 } }) !== null) refused++;
    expect(ws.recorded).toHaveLength(MAX_STEPS - 1 - base);
    expect(refused).toBe(base + 1);
    expect(validateScenario(ws.share(MAX_STEPS, MAX_STEPS)).ok).toBe(true);
  });

  test('steps that do not fit this scenario are refused by withRecorded, naming the field', () => {
    const ws = calm();
    expect(ws.withRecorded([{ at: 0, do: 'press', line: 'no-such-line' }])).toEqual({ ok: false, error: 'timeline.6.line: no line named "no-such-line"' });
    expect(ws.withRecorded([{ at: 0, do: 'shell', command: 'y'.repeat(4096) }])).toEqual({
      ok: false,
      error: 'timeline.6.command: shell commands are at most 1024 characters',
    });
    const ok = ws.withRecorded([{ at: 0, do: 'drive', line: 3, level: 1 }]);
    expect(ok.ok && ok.value.recorded).toHaveLength(1);
  });

  test('a settings change is all or nothing', () => {
    const ws = calm();
    ws.record({ at: 0, event: 0, action: { do: 'drive', line: 3, level: 1 } });
    expect(ws.withSettings({ seed: -1 })).toEqual({ ok: false, error: 'seed: at least 0, got -1' });
    const next = ws.withSettings({ seed: 3 });
    expect(next.ok && next.value.base.seed).toBe(3);
    expect(next.ok && next.value.recorded).toEqual([{ at: 0, do: 'drive', line: 3, level: 1 }]);
  });

  test('replayTo goes on past a pause step to the instant asked for', () => {
    const ws = calm();
    const shared = Workspace.open(ws.share(1_000, 0));
    if (!shared.ok) throw new Error(shared.error);
    const m = shared.value.replayTo(2_000_000, 1_000_000);
    expect(m?.now).toBe(2_000_000);
  });
});
