import { describe, expect, test } from 'vitest';
import { SimCore } from '../sim-context';
import { LevelCause, TK } from '../trace/kinds';
import type { TraceEvent } from '../trace/trace';
import { Wire } from './wire';
import type { Pull } from './world';

function board(pulls: Pull[]): { core: SimCore; wire: Wire } {
  const core = new SimCore(1, 1000, true);
  return { core, wire: new Wire(core, pulls) };
}

function traced(core: SimCore, kind: number): Omit<TraceEvent, 'seq'>[] {
  const out: Omit<TraceEvent, 'seq'>[] = [];
  core.trace.forEach(({ seq: _seq, ...e }) => {
    if (e.kind === kind) out.push(e);
  });
  return out;
}

describe('Wire: what level a line rests at', () => {
  test('a pull-up line rests high and a pull-down line rests low when nothing drives them', () => {
    const { wire } = board(['up', 'down', 'none']);
    expect([...wire.level]).toEqual([1, 0, 0]);
    expect([...wire.worldDrive]).toEqual([-1, -1, -1]);
    expect([...wire.deviceDrive]).toEqual([-1, -1, -1]);
  });

  test('init sets the time-zero level silently: no trace, no listener', () => {
    const { core, wire } = board(['down', 'down']);
    const heard: number[] = [];
    wire.listen({ levelChanged: (l) => heard.push(l) });
    wire.init(0, 1, -1);
    wire.init(1, 1, 0);
    expect([...wire.level]).toEqual([1, 0]);
    expect(core.trace.total).toBe(0);
    expect(heard).toEqual([]);
  });

  test('the world overrides the pull, and releasing falls back to the pull', () => {
    const { wire } = board(['up']);
    wire.setWorld(0, 0);
    expect(wire.level[0]).toBe(0);
    wire.setWorld(0, -1);
    expect(wire.level[0]).toBe(1);
  });

  test('the device output overrides the world', () => {
    const { wire } = board(['down']);
    wire.setWorld(0, 1);
    wire.setDevice(0, 0);
    expect(wire.level[0]).toBe(0);
    wire.setDevice(0, -1); // The device lets go: the world decides again.
    expect(wire.level[0]).toBe(1);
  });

  test('a floating line keeps its last level when every driver lets go', () => {
    const { wire } = board(['none', 'none']);
    wire.setWorld(0, 1);
    wire.setWorld(0, -1);
    expect(wire.level[0]).toBe(1);
    wire.setDevice(1, 1);
    wire.setDevice(1, 0);
    wire.setDevice(1, -1);
    expect(wire.level[1]).toBe(0);
  });
});

describe('Wire: what it traces', () => {
  test('a level change is traced as LineLevel with the world as cause', () => {
    const { core, wire } = board(['down']);
    core.now = 500;
    wire.setWorld(0, 1);
    expect(traced(core, TK.LineLevel)).toEqual([{ t: 500, kind: TK.LineLevel, line: 0, a: 1, b: LevelCause.World, c: 0 }]);
  });

  test('a level change made by the device output is traced with the device as cause', () => {
    const { core, wire } = board(['down']);
    wire.setDevice(0, 1);
    expect(traced(core, TK.LineLevel)).toEqual([{ t: 0, kind: TK.LineLevel, line: 0, a: 1, b: LevelCause.DeviceOutput, c: 0 }]);
  });

  test('falling back to the pull is traced with the pull as cause', () => {
    const { core, wire } = board(['up']);
    wire.setWorld(0, 0);
    wire.setWorld(0, -1);
    expect(traced(core, TK.LineLevel).map((e) => [e.a, e.b])).toEqual([
      [0, LevelCause.World],
      [1, LevelCause.Pull],
    ]);
  });

  test('a world change under a driving device output is credited to the device', () => {
    const { core, wire } = board(['down']);
    wire.setDevice(0, 0);
    wire.setWorld(0, 1); // Contended, no level change.
    wire.setDevice(0, 1); // Level changes to 1 because of the device.
    wire.setDevice(0, -1); // World still drives 1: no change.
    wire.setWorld(0, 0); // Now the world decides.
    expect(traced(core, TK.LineLevel).map((e) => [e.a, e.b])).toEqual([
      [1, LevelCause.DeviceOutput],
      [0, LevelCause.World],
    ]);
  });

  test('driving the level a line already has traces nothing and tells no one', () => {
    const { core, wire } = board(['up']);
    const heard: number[] = [];
    wire.listen({ levelChanged: (l, lvl) => heard.push(l, lvl) });
    wire.setWorld(0, 1);
    wire.setDevice(0, 1);
    expect(traced(core, TK.LineLevel)).toEqual([]);
    expect(heard).toEqual([]);
  });
});

describe('Wire: contention', () => {
  test('driving a line both ways is flagged, counted once and traced as LineContention', () => {
    const { core, wire } = board(['down']);
    core.now = 40;
    wire.setDevice(0, 1);
    wire.setWorld(0, 0);
    expect(wire.contended[0]).toBe(1);
    expect(wire.contentions[0]).toBe(1);
    expect(wire.level[0]).toBe(1); // The device wins.
    expect(traced(core, TK.LineContention)).toEqual([{ t: 40, kind: TK.LineContention, line: 0, a: 0, b: 1, c: 0 }]);
  });

  test('further changes during one contention episode do not count a new one', () => {
    const { core, wire } = board(['down']);
    wire.setDevice(0, 1);
    wire.setWorld(0, 0);
    wire.setWorld(0, 0);
    wire.setDevice(0, 1);
    expect(wire.contentions[0]).toBe(1);
    expect(traced(core, TK.LineContention)).toHaveLength(1);
  });

  test('a contention that ends and begins again is a second episode', () => {
    const { core, wire } = board(['down']);
    wire.setDevice(0, 1);
    wire.setWorld(0, 0); // Episode 1.
    wire.setWorld(0, 1); // Agree: over.
    expect(wire.contended[0]).toBe(0);
    wire.setWorld(0, 0); // Episode 2.
    wire.setWorld(0, -1); // Released: over.
    expect(wire.contended[0]).toBe(0);
    wire.setWorld(0, 0); // Episode 3.
    expect(wire.contentions[0]).toBe(3);
    expect(traced(core, TK.LineContention).map((e) => [e.a, e.b])).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
  });

  test('both sides driving the same level is not contention', () => {
    const { core, wire } = board(['down']);
    wire.setDevice(0, 1);
    wire.setWorld(0, 1);
    expect(wire.contended[0]).toBe(0);
    expect(wire.contentions[0]).toBe(0);
    expect(traced(core, TK.LineContention)).toEqual([]);
  });

  test('contention is kept per line', () => {
    const { wire } = board(['down', 'down']);
    wire.setDevice(1, 0);
    wire.setWorld(1, 1);
    expect([...wire.contended]).toEqual([0, 1]);
    expect([...wire.contentions]).toEqual([0, 1]);
  });
});

describe('Wire: listeners', () => {
  test('listeners are told of each real change in registration order, after the trace', () => {
    const { core, wire } = board(['down', 'up']);
    const heard: string[] = [];
    wire.listen({ levelChanged: (l, lvl) => heard.push(`first ${l}=${lvl} traced=${core.trace.total}`) });
    wire.listen({ levelChanged: (l, lvl) => heard.push(`second ${l}=${lvl}`) });
    wire.setWorld(0, 1);
    wire.setWorld(0, 1);
    wire.setDevice(1, 0);
    expect(heard).toEqual(['first 0=1 traced=1', 'second 0=1', 'first 1=0 traced=2', 'second 1=0']);
  });
});
