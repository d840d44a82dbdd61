import { describe, expect, test } from 'vitest';
import { IRQ_TYPE_EDGE_FALLING, MSG_SET_IRQ_TYPE } from '../../gpio/constants';
import { IrqConsumer } from '../clients';
import { US, MS, build, ready, type, requests, req } from '../../testing/shell';

describe('simulator verbs', () => {
  test('drive, release, pulse, press, clock, assert change the wire', () => {
    const r = ready();
    type(r, 'drive sw 1', 0);
    expect(r.m.wire.level[5]).toBe(1);
    type(r, 'drive 5 0', 0);
    expect(r.m.wire.level[5]).toBe(0);
    type(r, 'drive led 1', 0);
    expect(r.m.wire.level[1]).toBe(1);
    type(r, 'release led', 0);
    expect(r.m.wire.level[1]).toBe(0);
    type(r, 'pulse sw 50us', 20 * US);
    expect(r.m.wire.level[5]).toBe(1);
    r.m.runUntil(r.m.now + 40 * US);
    expect(r.m.wire.level[5]).toBe(0);
    expect(r.m.wire.level[0]).toBe(1);
    type(r, 'press button 2ms', 1 * MS);
    expect(r.m.wire.level[0]).toBe(0);
    r.m.runUntil(r.m.now + 2 * MS);
    expect(r.m.wire.level[0]).toBe(1);
    type(r, 'press button down', 0);
    expect(r.m.wire.level[0]).toBe(0);
    type(r, 'press button up', 0);
    expect(r.m.wire.level[0]).toBe(1);
    type(r, 'clock clk 1ms 2', 0);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      seen.push(r.m.wire.level[6] as number);
      r.m.runUntil(r.m.now + 500 * US);
    }
    expect(seen).toEqual([1, 0, 1, 0, 0]);
    type(r, 'assert lvl', 0);
    expect(r.m.wire.level[7]).toBe(1);
  });

  test('irq changes the irq-consumer trigger through irq_set_irq_type', () => {
    const r = ready();
    const from = r.m.trace.total;
    expect(type(r, 'irq irqline edge-falling')).toBe('irq irqline edge-falling\n$ ');
    const c = r.m.clients[0] as IrqConsumer;
    expect(c.trigger).toBe(IRQ_TYPE_EDGE_FALLING);
    expect(requests(r.m, from)).toEqual([req(3, MSG_SET_IRQ_TYPE, IRQ_TYPE_EDGE_FALLING)]);
    expect(type(r, 'irq sw rising')).toBe('irq sw rising\nirq: no irq-consumer client on line 5 (the scenario\'s clients own interrupts; gpiomon uses its own)\n$ ');
    expect(type(r, 'irq irqline sideways')).toBe(
      "irq irqline sideways\nirq: invalid trigger 'sideways' (none, edge-rising, edge-falling, edge-both, level-high, level-low)\n$ ",
    );
  });

  test('verb errors', () => {
    const r = ready();
    expect(type(r, 'drive')).toBe('drive\ndrive: missing line (a name or an offset 0..7)\n$ ');
    expect(type(r, 'drive nope 1')).toBe("drive nope 1\ndrive: no line 'nope' (give a line name or an offset 0..7)\n$ ");
    expect(type(r, 'drive sw 2')).toBe("drive sw 2\ndrive: invalid level '2' (0 or 1)\n$ ");
    expect(type(r, 'drive sw 1 2')).toBe('drive sw 1 2\ndrive: too many arguments (usage: drive <line> <0|1>)\n$ ');
    expect(type(r, 'pulse sw 5')).toMatch(/^pulse sw 5\npulse: invalid width '5' \(a duration from 1 ns to 1 hour/);
    expect(type(r, 'press sw')).toBe("press sw\npress: line 5 is not wired to a button (its source is 'toggle'); use drive or pulse\n$ ");
    expect(type(r, 'assert sw')).toBe("assert sw\nassert: line 5 is not wired to a level source (its source is 'toggle')\n$ ");
    expect(type(r, 'clock clk 50ns')).toMatch(/^clock clk 50ns\nclock: invalid period '50ns'/);
    expect(type(r, 'clock clk 1ms 0')).toBe("clock clk 1ms 0\nclock: invalid count '0' (a number of periods, at least 1)\n$ ");
    expect(type(r, 'run')).toMatch(/^run\nrun: missing duration/);
  });

  test('run advances time through the host; without one it says who drives time', () => {
    const r = ready();
    const t = r.m.now;
    r.shell.exec('run 2ms');
    expect(r.m.now).toBe(t + 2 * MS);
    expect(type(r, 'time', 0)).toBe(`time\n0.003000000 s since boot (3 ms)\n$ `);
    const noHost = build({}, false);
    noHost.m.runUntil(1 * MS);
    expect(type(noHost, 'run 1ms', 0)).toBe("run 1ms\nrun: simulated time is driven by the app's controls here (play / step), not by the shell\n$ ");
  });

  test('levels', () => {
    const r = ready();
    type(r, 'drive sw 1');
    expect(type(r, 'levels sw 2 button')).toBe('levels sw 2 button\n   5  "sw"              1  world (1)\n   2  unnamed           0  pull-down\n   0  "button"          1  world (1)\n$ ');
  });

  test('help lists the tools and verbs', () => {
    const r = ready();
    const out = type(r, 'help', 0);
    for (const w of ['gpiodetect', 'gpioinfo', 'gpioget', 'gpioset', 'gpiomon', 'drive', 'release', 'pulse', 'press', 'clock', 'assert', 'irq', 'run', 'jobs']) expect(out).toContain(w);
    expect(type(r, 'help gpiomon', 0)).toContain('Format specifiers:');
  });
});
