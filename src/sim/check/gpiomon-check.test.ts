import { describe, expect, test } from 'vitest';
import { IRQ_TYPE_EDGE_BOTH, IRQ_TYPE_EDGE_RISING } from '../gpio/constants';
import type { SimContext } from '../sim-context';
import { machineFor } from '../testing/build';
import { libraryEntry } from '../scenario/library';
import { loadScenario } from '../scenario/load';
import { runScenario } from '../scenario/runner';
import { GpiomonMismatch, TK } from '../trace/kinds';
import { GpiomonCheck } from './gpiomon-check';

const US = 1_000;

/** A check on one line (settle 500 us) with a clock the test moves and the mismatches it traced. */
function bench(level = 0) {
  const emitted: number[][] = [];
  const ctx = { now: 0, emit: (kind: number, line: number, a: number, b: number, c: number) => void emitted.push([kind, line, a, b, c]) };
  const check = new GpiomonCheck(ctx as unknown as SimContext, 1, 500 * US, Uint8Array.of(level));
  const at = (t: number, lvl: number): void => {
    ctx.now = t;
    check.levelChanged(0, lvl);
  };
  const report = (t: number, edge: 'rising' | 'falling', stamp: number): void => {
    ctx.now = t;
    check.gpiomonReported(0, edge, stamp);
  };
  return { ctx, check, emitted, at, report };
}

describe('gpiomon check', () => {
  test('edges reported in order with the right direction: no mismatch, nothing traced', () => {
    const b = bench();
    b.check.gpiomonArmed(0, IRQ_TYPE_EDGE_BOTH);
    b.at(100 * US, 1);
    b.report(140 * US, 'rising', 110 * US);
    b.at(300 * US, 0);
    b.report(340 * US, 'falling', 310 * US);
    b.ctx.now = 2_000 * US;
    b.check.finish();
    expect(b.check.lines[0]).toEqual({ reported: 2, wrongDirection: 0, missed: 0, phantom: 0 });
    expect(b.emitted).toEqual([]);
  });

  test('a short pulse read back late is a wrong direction; the latched second edge pairs with the next report', () => {
    const b = bench();
    b.check.gpiomonArmed(0, IRQ_TYPE_EDGE_BOTH);
    b.at(100 * US, 1);
    b.at(102 * US, 0);
    b.report(140 * US, 'falling', 108 * US); // The read-back saw the line low again.
    b.report(170 * US, 'falling', 140 * US); // The latched falling edge.
    expect(b.check.lines[0]).toEqual({ reported: 2, wrongDirection: 1, missed: 0, phantom: 0 });
    expect(b.emitted).toEqual([[TK.GpiomonMismatch, 0, GpiomonMismatch.WrongDirection, 2, 1]]);
  });

  test('an edge folded into a report and never reported is missed once the settle window passed', () => {
    const b = bench();
    b.check.gpiomonArmed(0, IRQ_TYPE_EDGE_BOTH);
    b.at(100 * US, 1);
    b.at(102 * US, 0);
    b.report(140 * US, 'falling', 108 * US);
    b.at(2_000 * US, 1);
    b.report(2_040 * US, 'rising', 2_008 * US); // The left-over falling edge is 1.9 ms old: missed.
    expect(b.check.lines[0]).toEqual({ reported: 2, wrongDirection: 1, missed: 1, phantom: 0 });
    expect(b.emitted[1]).toEqual([TK.GpiomonMismatch, 0, GpiomonMismatch.Missed, 0, 2]);
  });

  test('a report with no edge before its timestamp is a phantom', () => {
    const b = bench();
    b.check.gpiomonArmed(0, IRQ_TYPE_EDGE_BOTH);
    b.report(50 * US, 'rising', 40 * US);
    b.at(100 * US, 1); // After the timestamp: not what that report stood for.
    b.report(140 * US, 'rising', 108 * US);
    expect(b.check.lines[0]).toEqual({ reported: 2, wrongDirection: 0, missed: 0, phantom: 1 });
    expect(b.emitted).toEqual([[TK.GpiomonMismatch, 0, GpiomonMismatch.Phantom, 1, 0]]);
  });

  test('only edges of the requested trigger are owed; unreported ones are missed at the end, recent ones pending', () => {
    const b = bench();
    b.check.gpiomonArmed(0, IRQ_TYPE_EDGE_RISING);
    b.at(100 * US, 1);
    b.at(200 * US, 0); // Falling: not asked for.
    b.at(300 * US, 1);
    b.report(340 * US, 'rising', 310 * US); // Pairs with the rising edge at 100 us.
    b.at(1_000 * US, 0);
    b.at(1_200 * US, 1);
    b.ctx.now = 1_500 * US;
    b.check.finish();
    // Rising at 300 us: 1.2 ms old, never reported; rising at 1.2 ms: younger than the settle window.
    expect(b.check.lines[0]).toEqual({ reported: 1, wrongDirection: 0, missed: 1, phantom: 0 });
    expect(b.check.pendingAtEnd).toBe(1);
  });

  test('edges before edge detection started, or after it stopped, are not owed', () => {
    const b = bench();
    b.at(50 * US, 1);
    b.check.gpiomonArmed(0, IRQ_TYPE_EDGE_BOTH);
    b.at(100 * US, 0);
    b.ctx.now = 150 * US;
    b.check.gpiomonDisarmed(0); // 50 us old: withdrawn, not missed.
    b.at(200 * US, 1);
    b.ctx.now = 5_000 * US;
    b.check.finish();
    expect(b.check.lines[0]).toEqual({ reported: 0, wrongDirection: 0, missed: 0, phantom: 0 });
    expect(b.check.pendingAtEnd).toBe(0);
  });

  test('in a machine: a gpiomon client on slow edges agrees with the waveform', () => {
    const m = machineFor({
      device: { lines: [{ name: 'in' }] },
      world: { in: { kind: 'toggle' } },
      clients: [{ kind: 'gpiomon', lines: ['in'], edges: 'both' }],
    });
    m.runUntil(1_000_000);
    for (const t of [1_100_000, 1_400_000, 1_700_000]) {
      m.runUntil(t);
      m.apply({ do: 'drive', line: 0, level: (m.wire.level[0] ? 0 : 1) as 0 | 1 });
    }
    m.runUntil(3_000_000);
    m.finish();
    expect(m.gpiomonCheck.lines[0]).toEqual({ reported: 3, wrongDirection: 0, missed: 0, phantom: 0 });
    expect(m.trace.count(TK.GpiomonMismatch)).toBe(0);
  });

  test('the library scenario gpiomon-short-pulse prints rising twice in a row and the check counts one wrong direction', () => {
    const s = loadScenario(JSON.stringify(libraryEntry('gpiomon-short-pulse')?.scenario));
    if (!s.ok) throw new Error(s.error);
    const r = runScenario(s.value);
    if (!r.ok) throw new Error(r.error);
    const { report, machine } = r.value;
    expect(report.ok).toBe(true);
    const printed = report.shellOutput.split('\n').filter((l) => l.includes('"sensor"')).map((l) => l.split('\t')[1]);
    expect(printed).toEqual(['rising', 'rising', 'falling', 'rising']);
    expect(report.lines[0]).toMatchObject({ gpiomonWrongDirection: 1, gpiomonMissed: 0, gpiomonPhantom: 0 });
    expect(report.total.gpiomonWrongDirection).toBe(1);
    expect(machine.trace.count(TK.GpiomonMismatch)).toBe(1);
  });
});
