import { describe, expect, test } from 'vitest';
import { Prng } from '../clock/prng';
import { EV, SimCore } from '../sim-context';
import { TK } from '../trace/kinds';
import { initialDrive, World, type SourceSpec } from './world';

const SEED = 7;

/** A world on a fake wire that records every drive as "t:line=level", run by hand from the queue. */
function harness(specs: SourceSpec[]) {
  const core = new SimCore(SEED, 1000, true);
  const drives: string[] = [];
  const episodes: string[] = [];
  const world = new World(
    core,
    { setWorld: (line, level) => drives.push(`${core.now}:${line}=${level}`) },
    { episode: (line) => episodes.push(`${core.now}:${line}`) },
    specs,
  );
  const run = (until: number): void => {
    const q = core.queue;
    while (q.peekTime() <= until) {
      q.pop();
      core.now = q.time;
      if (q.kind === EV.World) world.act(q.a, q.b, q.c);
    }
    core.now = until;
  };
  return { core, world, drives, episodes, run };
}

const button = (activeLow: boolean, bounce: { count: [number, number]; interval: [number, number] } | null = null): SourceSpec => ({
  kind: 'button',
  activeLow,
  bounce: bounce && { count: { min: bounce.count[0], max: bounce.count[1] }, interval: { min: bounce.interval[0], max: bounce.interval[1] } },
});
const clock = (periodNs: number, highNs: number, startNs: number, count: number | null, initial: 0 | 1 = 0): SourceSpec => ({
  kind: 'clock',
  periodNs,
  highNs,
  startNs,
  count,
  initial,
});
const levelSource = (o: { activeLow?: boolean; ack?: number; reassert?: number; everyNs?: number | null; startNs?: number } = {}): SourceSpec => ({
  kind: 'level-source',
  activeLow: o.activeLow ?? false,
  ackLatency: { min: o.ack ?? 1_000, max: o.ack ?? 1_000 },
  reassert: o.reassert ?? 0,
  everyNs: o.everyNs ?? null,
  startNs: o.startNs ?? 0,
});

describe('World: what each source drives before time starts', () => {
  test('nothing drives an unwired line; a toggle its initial level; an idle button its inactive level', () => {
    expect(initialDrive({ kind: 'none' })).toBe(-1);
    expect(initialDrive({ kind: 'toggle', initial: 0 })).toBe(0);
    expect(initialDrive({ kind: 'toggle', initial: 1 })).toBe(1);
    expect(initialDrive(button(true))).toBe(1);
    expect(initialDrive(button(false))).toBe(0);
  });

  test('a clock starts at its initial level and a level source at its inactive level', () => {
    expect(initialDrive(clock(1000, 500, 0, null, 0))).toBe(0);
    expect(initialDrive(clock(1000, 500, 0, null, 1))).toBe(1);
    expect(initialDrive(levelSource())).toBe(0);
    expect(initialDrive(levelSource({ activeLow: true }))).toBe(1);
  });

  test('start records the initial drives without driving the wire', () => {
    const h = harness([{ kind: 'none' }, { kind: 'toggle', initial: 1 }, button(true)]);
    h.world.start();
    expect([...h.world.drive]).toEqual([-1, 1, 1]);
    expect(h.drives).toEqual([]);
  });
});

describe('World: a clock', () => {
  test('toggles every half period with the given high time, for count periods, then stops', () => {
    const h = harness([clock(1000, 300, 200, 2)]);
    h.world.start();
    h.run(10_000);
    expect(h.drives).toEqual(['200:0=1', '500:0=0', '1200:0=1', '1500:0=0']);
    expect(h.core.queue.size).toBe(0);
  });

  test('a clock with no count keeps running', () => {
    const h = harness([clock(100, 50, 0, null)]);
    h.world.start();
    h.run(1_000);
    expect(h.drives).toHaveLength(21); // Edges at 0, 50, ..., 1000.
    expect(h.drives.at(-1)).toBe('1000:0=1');
    expect(h.core.queue.size).toBe(1);
  });

  test('a clock started on a line that is not a clock starts low and toggles from its current drive', () => {
    const h = harness([{ kind: 'toggle', initial: 0 }]);
    h.world.start();
    h.world.startClock(0, 400, 100, 0, 1);
    h.run(5_000);
    expect(h.drives).toEqual(['0:0=1', '100:0=0']);
    expect(h.world.specs[0]).toEqual({ kind: 'clock', periodNs: 400, highNs: 100, startNs: 0, count: 1, initial: 0 });
  });

  test('set stops a running clock: its later edges never come', () => {
    const h = harness([clock(1000, 500, 0, null)]);
    h.world.start();
    h.run(600); // Edges at 0 (high) and 500 (low).
    h.world.set(0, 1);
    h.run(10_000);
    expect(h.drives).toEqual(['0:0=1', '500:0=0', '600:0=1']);
  });

  test('release stops a running clock too', () => {
    const h = harness([clock(1000, 500, 0, null)]);
    h.world.start();
    h.run(100);
    h.world.release(0);
    h.run(10_000);
    expect(h.drives).toEqual(['0:0=1', '100:0=-1']);
    expect(h.world.drive[0]).toBe(-1);
  });
});

describe('World: a button', () => {
  test('pressing an active-low button drives 0, releasing it drives 1', () => {
    const h = harness([button(true)]);
    h.world.start();
    h.world.press(0, true);
    h.world.press(0, false);
    expect(h.drives).toEqual(['0:0=0', '0:0=1']);
  });

  test('pressing an active-high button drives 1', () => {
    const h = harness([button(false)]);
    h.world.start();
    h.world.press(0, true);
    expect(h.drives).toEqual(['0:0=1']);
  });

  test('a bouncing press ends on the pressed level after an even number of extra flips, timed by the PRNG', () => {
    const h = harness([button(true, { count: [1, 3], interval: [100, 900] })]);
    h.world.start();
    h.core.now = 1_000;
    h.world.press(0, true);
    h.run(1_000_000);
    // The same draws, in the same order, from a PRNG with the same seed.
    const p = new Prng(SEED);
    const flips = 2 * p.range(1, 3);
    const expected = ['1000:0=0'];
    let t = 1_000;
    for (let left = flips - 1; left >= 0; left--) {
      t += p.range(100, 900);
      expected.push(`${t}:0=${left % 2 === 1 ? 1 : 0}`);
    }
    expect(h.drives).toEqual(expected);
    expect(h.drives.length - 1).toBe(flips);
    expect(flips % 2).toBe(0);
    expect(h.world.drive[0]).toBe(0);
  });

  test('a bounce count of zero is a clean press', () => {
    const h = harness([button(false, { count: [0, 0], interval: [100, 100] })]);
    h.world.start();
    h.world.press(0, true);
    h.run(1_000_000);
    expect(h.drives).toEqual(['0:0=1']);
  });

  test('a bounce count whose toggles pass 2^31 keeps bouncing (a zero-interval storm at one instant), never wraps', () => {
    const h = harness([button(false, { count: [1_500_000_000, 1_500_000_000], interval: [0, 0] })]);
    h.world.start();
    h.world.press(0, true);
    const q = h.core.queue;
    for (let i = 0; i < 10_000; i++) {
      q.pop();
      h.world.act(q.a, q.b, q.c);
    }
    expect(h.drives).toHaveLength(10_001);
    expect(q.peekTime()).toBe(0); // still storming at t = 0
  });

  test('a release during bounce cancels the rest of the press bounce', () => {
    const h = harness([button(true, { count: [2, 2], interval: [100, 100] })]);
    h.world.start();
    h.world.press(0, true); // 0 at 0, then 1, 0, 1, 0 at 100 .. 400.
    h.run(150);
    h.world.press(0, false); // 1 at 150, then 0, 1, 0, 1 at 250 .. 550.
    h.run(10_000);
    expect(h.drives).toEqual(['0:0=0', '100:0=1', '150:0=1', '250:0=0', '350:0=1', '450:0=0', '550:0=1']);
  });
});

describe('World: a pulse', () => {
  test('a pulse goes to its level for its width and returns to the previous drive', () => {
    const h = harness([{ kind: 'toggle', initial: 0 }]);
    h.world.start();
    h.core.now = 100;
    h.world.pulse(0, 1, 250);
    h.run(10_000);
    expect(h.drives).toEqual(['100:0=1', '350:0=0']);
  });

  test('a pulse on an undriven line returns to not driving it', () => {
    const h = harness([{ kind: 'none' }]);
    h.world.start();
    h.world.pulse(0, 1, 10);
    h.run(100);
    expect(h.drives).toEqual(['0:0=1', '10:0=-1']);
  });
});

describe('World: a level source', () => {
  test('assert drives the active level and begins an episode, traced as SourceEpisode', () => {
    const h = harness([levelSource(), levelSource({ activeLow: true })]);
    h.world.start();
    h.core.now = 50;
    h.world.assert(0);
    h.world.assert(1);
    expect(h.drives).toEqual(['50:0=1', '50:1=0']);
    expect(h.episodes).toEqual(['50:0', '50:1']);
    expect([...h.world.episode]).toEqual([1, 1]);
    const eps: number[][] = [];
    h.core.trace.forEach((e) => {
      if (e.kind === TK.SourceEpisode) eps.push([e.t, e.line, e.a]);
    });
    expect(eps).toEqual([
      [50, 0, 1],
      [50, 1, 1],
    ]);
  });

  test('an assert while the line is already asserted does not start a new episode', () => {
    const h = harness([levelSource()]);
    h.world.start();
    h.world.assert(0);
    h.world.assert(0);
    expect(h.drives).toEqual(['0:0=1']);
    expect(h.episodes).toEqual(['0:0']);
    expect(h.world.episode[0]).toBe(1);
  });

  test('an ack takes the ack latency to release the line', () => {
    const h = harness([levelSource({ ack: 2_000 })]);
    h.world.start();
    h.world.assert(0);
    h.core.now = 300;
    h.world.ack(0);
    h.world.ack(0); // A second ack while one is pending changes nothing.
    h.run(2_299);
    expect(h.world.asserted[0]).toBe(1);
    h.run(10_000);
    expect(h.drives).toEqual(['0:0=1', '2300:0=0']);
    expect(h.world.asserted[0]).toBe(0);
  });

  test('an ack when nothing is asserted does nothing', () => {
    const h = harness([levelSource()]);
    h.world.start();
    h.world.ack(0);
    h.run(10_000);
    expect(h.drives).toEqual([]);
  });

  test('reassert starts a new episode at each ack without the line ever dropping', () => {
    const h = harness([levelSource({ ack: 1_000, reassert: 2 })]);
    h.world.start();
    h.world.assert(0);
    for (const t of [0, 5_000, 10_000]) {
      h.run(t);
      h.world.ack(0);
    }
    h.run(20_000);
    expect(h.episodes).toEqual(['0:0', '1000:0', '6000:0']);
    expect(h.world.episode[0]).toBe(3);
    expect(h.drives).toEqual(['0:0=1', '11000:0=0']);
  });

  test('a periodic source asserts from its start every period while released in between', () => {
    const h = harness([levelSource({ everyNs: 10_000, startNs: 1_000, ack: 500 })]);
    h.world.start();
    h.run(1_000);
    h.world.ack(0);
    h.run(11_000);
    h.world.ack(0);
    h.run(25_000);
    expect(h.drives).toEqual(['1000:0=1', '1500:0=0', '11000:0=1', '11500:0=0', '21000:0=1']);
    expect(h.episodes).toEqual(['1000:0', '11000:0', '21000:0']);
  });

  test('a periodic assert while still asserted does not start a new episode', () => {
    const h = harness([levelSource({ everyNs: 1_000, startNs: 0 })]);
    h.world.start();
    h.run(5_500);
    expect(h.drives).toEqual(['0:0=1']);
    expect(h.episodes).toEqual(['0:0']);
  });

  test('assert on a line that is not a level source does nothing', () => {
    const h = harness([button(true)]);
    h.world.start();
    h.world.assert(0);
    expect(h.drives).toEqual([]);
    expect(h.episodes).toEqual([]);
  });
});

describe('World: a person overriding a level source', () => {
  // Overriding a level source's line by hand ends its assertion: a later assert must assert again
  // (it used to be ignored silently, the source believing it still held the line).
  test('after a person drives an asserted level source inactive, the next assert asserts again', () => {
    const h = harness([levelSource()]);
    h.world.start();
    h.world.assert(0);
    h.core.now = 100;
    h.world.set(0, 0);
    h.core.now = 200;
    h.world.assert(0);
    expect(h.drives).toEqual(['0:0=1', '100:0=0', '200:0=1']);
    expect(h.episodes).toEqual(['0:0', '200:0']);
  });
});
