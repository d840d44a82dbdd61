/**
 * The gpio-tools-test.bash port (see gpio-tools.test.ts): the cases that time
 * a running tool or end it — gpioset's hold and toggle periods, and SIGTERM
 * sent to gpioset -i, gpiomon and gpionotify (dut_kill -SIGTERM: here `kill`,
 * whose default signal is SIGTERM). dut_wait's exit status is read from the
 * shell's job notice: bash reports an exit status of 0 as "Done" and a job
 * that died of SIGTERM (status 143 = 128 + 15) as "Terminated".
 */
import { describe, expect, test } from 'vitest';
import { MS } from '../../testing/shell';
import { dut, dutOut, level, setPull, sim, type Board } from '../../testing/gpio-sim';

const at = (r: Board, ns: number): void => void r.m.runUntil(ns);
/** The shell's notices of jobs that ended since `mark` (not the "[1] <pid>" of a start). */
const notices = (r: Board, mark: number): string[] =>
  r.shell.transcript().slice(Math.max(0, mark - 2)).split('\n').map((l) => l.replace(/^\$ /, '')).filter((l) => /^\[\d+\][-+ ] /.test(l));

describe('gpio-tools-test.bash: gpioset over time', () => {
  test('gpioset_with_hold_period', () => {
    const r = sim(8, {}, [5]);
    const mark = r.shell.transcript().length;
    const t0 = r.m.now;
    dut(r, 'gpioset --banner --hold-period=1200ms -t0 --chip gpiochip0 0=1 5=0 7=1');
    expect([level(r, 0), level(r, 5), level(r, 7)]).toEqual([1, 0, 1]);
    at(r, t0 + 1100 * MS);
    expect(notices(r, mark)).toEqual([]); // still holding
    at(r, t0 + 1300 * MS);
    expect(notices(r, mark)).toEqual(['[1]+  Done                    gpioset --banner --hold-period=1200ms -t0 --chip gpiochip0 0=1 5=0 7=1']);
  });

  test('gpioset_toggle_terminated', () => {
    const r = sim(8, { 1: 'foo', 4: 'bar', 7: 'baz' }, [4]);
    const vals = (): number[] => [level(r, 1), level(r, 4), level(r, 7)];
    let mark = r.shell.transcript().length;
    let t0 = r.m.now;
    // The hold period lets the test sample before gpioset exits: toggle at 1 s, hold 600 ms, exit.
    dut(r, 'gpioset --banner --toggle 1s,0 -p 600ms foo=1 bar=0 baz=1');
    expect(vals()).toEqual([1, 0, 1]);
    at(r, t0 + 1010 * MS); // sleep 1
    expect(vals()).toEqual([0, 1, 0]);
    expect(notices(r, mark)).toEqual([]);
    at(r, t0 + 1700 * MS); // dut_wait
    expect(notices(r, mark)[0]).toMatch(/^\[1\]\+  Done {20}gpioset --banner --toggle 1s,0/);

    // --toggle 0 exits after the hold period, without toggling.
    mark = r.shell.transcript().length;
    t0 = r.m.now;
    dut(r, 'gpioset --banner -t0 -p 600ms foo=1 bar=0 baz=1');
    expect(vals()).toEqual([1, 0, 1]);
    expect(notices(r, mark)).toEqual([]);
    at(r, t0 + 700 * MS);
    expect(notices(r, mark)[0]).toMatch(/^\[1\]\+  Done {20}gpioset --banner -t0 -p 600ms/);
  });

  test('gpioset_toggle_continuous', () => {
    const r = sim(8, { 1: 'foo', 4: 'bar', 7: 'baz' }, [4, 7]);
    const vals = (): number[] => [level(r, 1), level(r, 4), level(r, 7)];
    const t0 = r.m.now;
    dut(r, 'gpioset --banner --toggle 100ms foo=1 bar=0 baz=0');
    const seen = [vals()];
    // gpiosim_wait_value: each 100 ms the three lines flip together, for as long as it runs.
    for (let k = 1; k <= 3; k++) {
      at(r, t0 + k * 100 * MS + 5 * MS);
      seen.push(vals());
    }
    expect(seen).toEqual([[1, 0, 0], [0, 1, 1], [1, 0, 0], [0, 1, 1]]);
    expect(r.m.gpiolib.consumer[1]).toBe('gpioset');
  });
});

describe('gpio-tools-test.bash: SIGTERM', () => {
  const terminated = (r: Board, cmd: string): void => {
    const mark = r.shell.transcript().length;
    dut(r, cmd);
    r.shell.exec('kill %1'); // dut_kill -SIGTERM
    r.m.runUntil(r.m.now + 1 * MS);
    expect(notices(r, mark)).toEqual([`[1]+  Terminated              ${cmd}`]);
    expect(r.m.gpiolib.consumer.filter((c) => c !== null && c !== undefined)).toEqual([]); // its lines are given back
  };

  test('gpioset_interactive_after_SIGTERM', () => {
    const r = sim(8, { 1: 'foo' });
    terminated(r, 'gpioset -i foo=1');
  });

  test('gpiomon_exit_after_SIGTERM', () => {
    const r = sim(8);
    const mark = r.shell.transcript().length;
    terminated(r, 'gpiomon --banner --chip gpiochip0 4');
    setPull(r, 4, 'pull-up');
    expect(dutOut(r, mark)).toEqual(["Monitoring line '4'...", 'kill %1']); // no event after the banner
  });

  test('gpionotify_exit_after_SIGTERM', () => {
    const r = sim(8);
    const mark = r.shell.transcript().length;
    terminated(r, 'gpionotify --banner --chip gpiochip0 4');
    expect(dutOut(r, mark)[0]).toBe("Watching line '4'...");
    expect(r.m.gpiolib.infoWatchers.size).toBe(0);
  });
});
