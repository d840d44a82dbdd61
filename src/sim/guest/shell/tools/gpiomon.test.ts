import { describe, expect, test } from 'vitest';
import { formatSecNs } from '../../../clock/time';
import { DIRECTION_IN, DIRECTION_NONE, IRQ_TYPE_EDGE_BOTH, IRQ_TYPE_NONE, MSG_GET_VALUE, MSG_SET_DIRECTION, MSG_SET_IRQ_TYPE } from '../../../gpio/constants';
import type { Machine } from '../../../machine';
import { TK } from '../../../trace/kinds';
import { SHELL_INTERRUPT } from '../shell';
import { LINES, MS, US, ready, req, requests, type } from '../../../testing/shell';

describe('gpiomon', () => {
  /** Times of gpiomon's primary handler calls (where the event timestamp is taken). */
  function stamps(m: Machine, clientId: number, from: number): number[] {
    const t: number[] = [];
    m.trace.forEach((e) => {
      if (e.kind === TK.HandlerStart && e.a === clientId && e.c === 0) t.push(e.t);
    }, from);
    return t;
  }

  test('prints each edge with the timestamp taken by the handler; -n 2 exits and releases', () => {
    const r = ready();
    const from = r.m.trace.total;
    expect(type(r, 'gpiomon --banner -n 2 sw')).toBe("gpiomon --banner -n 2 sw\nMonitoring line 'sw'...\n");
    const id = r.m.clients.length - 1;
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    r.m.world.set(5, 0);
    r.m.runUntil(r.m.now + 1 * MS);
    const [t1, t2] = stamps(r.m, id, from) as [number, number];
    expect(r.shell.transcript().endsWith(`Monitoring line 'sw'...\n${formatSecNs(t1)}\trising\t"sw"\n${formatSecNs(t2)}\tfalling\t"sw"\n$ `)).toBe(true);
    expect(r.shell.busy).toBe(false);
    // free_irq (SET_IRQ_TYPE NONE), then gpiod_free (SET_DIRECTION NONE).
    const tail = requests(r.m, from).slice(-2);
    expect(tail).toEqual([req(5, MSG_SET_IRQ_TYPE, IRQ_TYPE_NONE), req(5, MSG_SET_DIRECTION, DIRECTION_NONE)]);
    expect(r.m.gpiolib.consumer[5]).toBe(null);
    // More edges print nothing now.
    const mark = r.shell.transcript().length;
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript().length).toBe(mark);
  });

  test('-c formats: "gpiochip0 N" before the name; unnamed lines; -e rising; Ctrl-C stops', () => {
    const r = ready();
    type(r, 'gpiomon -c 0 -e rising 5 2');
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    r.m.world.set(5, 0);
    r.m.runUntil(r.m.now + 1 * MS);
    r.m.world.set(2, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    const lines = r.shell.transcript().split('\n').slice(-3, -1);
    expect(lines[0]).toMatch(/^\d+\.\d{9}\trising\tgpiochip0 5 "sw"$/);
    expect(lines[1]).toMatch(/^\d+\.\d{9}\trising\tgpiochip0 2$/);
    expect(r.shell.busy).toBe(true);
    const mark = r.shell.transcript().length;
    r.shell.exec(SHELL_INTERRUPT); // a scripted Ctrl-C
    expect(r.shell.transcript().slice(mark)).toBe('^C\n$ ');
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.m.gpiolib.consumer[5]).toBe(null);
    expect(r.m.gpiolib.consumer[2]).toBe(null);
  });

  test('-F format specifiers, --utc, -q, --unquoted, -l', () => {
    const r = ready();
    type(r, 'gpiomon -n 1 -F "%o|%l|%c|%e|%E|%S|%%|%x|" sw &');
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript()).toMatch(/\n5\|sw\|gpiochip0\|1\|rising\|\d\.\d{9}\|%\|%x\|\n\[1\]\+ {2}Done {20}gpiomon -n 1 -F '%o\|%l\|%c\|%e\|%E\|%S\|%%\|%x\|' sw\n\$ $/);
    type(r, 'gpiomon -n 1 --utc --unquoted sw &');
    r.m.world.set(5, 0);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript()).toMatch(/\n1970-01-01T00:00:00\.\d{9}Z\tfalling\tsw\n/);
    type(r, 'gpiomon -n 1 -l -F %E sw &');
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript()).toMatch(/\nfalling\n\[1\]\+ {2}Done/);
    const mark = r.shell.transcript().length;
    type(r, 'gpiomon -q -n 1 sw &');
    r.m.world.set(5, 0);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript().slice(mark)).toMatch(/^gpiomon -q -n 1 sw &\n\[1\] \d+\n\[1\]\+ {2}Done {20}gpiomon -q -n 1 sw\n\$ $/);
  });

  test('Ctrl-C during the request (direction_input + request_irq) takes effect when it returns; nothing leaks', () => {
    const r = ready();
    const from = r.m.trace.total;
    r.shell.exec('gpiomon --banner sw');
    r.shell.interrupt();
    expect(r.shell.busy).toBe(true);
    r.m.runUntil(r.m.now + 2 * MS);
    expect(r.shell.busy).toBe(false);
    expect(r.shell.transcript().endsWith('$ gpiomon --banner sw\n^C\n$ ')).toBe(true);
    expect(requests(r.m, from)).toEqual([
      req(5, MSG_SET_DIRECTION, DIRECTION_IN),
      req(5, MSG_SET_IRQ_TYPE, 3),
      req(5, MSG_SET_IRQ_TYPE, IRQ_TYPE_NONE),
      req(5, MSG_SET_DIRECTION, DIRECTION_NONE),
    ]);
    expect(r.m.irq.action[5]).toBe(null);
    expect(r.m.gpiolib.consumer[5]).toBe(null);
    type(r, 'gpiomon sw');
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript()).toMatch(/\n\$ gpiomon sw\n\d+\.\d{9}\trising\t"sw"\n$/);
  });

  test('--banner lists several lines with the serial comma, as gpiomon.c prints them', () => {
    const r = ready();
    expect(type(r, 'gpiomon --banner sw clk')).toBe("gpiomon --banner sw clk\nMonitoring lines 'sw', and 'clk'...\n");
    r.shell.exec(SHELL_INTERRUPT);
    expect(type(r, 'gpiomon --banner -c 0 sw clk 2')).toBe("gpiomon --banner -c 0 sw clk 2\nMonitoring lines 'sw', 'clk', and '2'...\n");
  });

  test('--debounce-period: gpiolib-cdev debounces in software (no .set_config): bounces inside the period print nothing', () => {
    const r = ready();
    const from = r.m.trace.total;
    type(r, 'gpiomon -p 1ms sw &');
    expect(type(r, 'gpioinfo sw', 100 * US)).toBe('gpioinfo sw\ngpiochip0 5\t"sw"            \tinput edges=both debounce-period=1ms consumer="gpiomon"\n$ ');
    // The level is read when the line is requested, then the interrupt is requested for both edges.
    expect(requests(r.m, from).slice(0, 3)).toEqual([req(5, MSG_SET_DIRECTION, DIRECTION_IN), req(5, MSG_GET_VALUE), req(5, MSG_SET_IRQ_TYPE, IRQ_TYPE_EDGE_BOTH)]);
    // A bouncing switch: three edges 100 us apart, settling high; then a 200 us glitch low that returns high.
    for (const level of [1, 0, 1]) {
      r.m.world.set(5, level);
      r.m.runUntil(r.m.now + 100 * US);
    }
    const settled = r.m.now - 100 * US;
    r.m.runUntil(r.m.now + 3 * MS);
    r.m.world.set(5, 0);
    r.m.runUntil(r.m.now + 200 * US);
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 3 * MS);
    const out = r.shell.transcript();
    expect(out.split('\n').filter((l) => /\t(rising|falling)\t"sw"$/.test(l))).toHaveLength(1);
    const [sec] = /^(\d+\.\d{9})\trising\t"sw"$/m.exec(out)!.slice(1) as [string];
    // Reported by the debounce work: one period after the last bounce, plus the interrupt and GET_VALUE round trips.
    const t = Math.round(Number(sec) * 1e9);
    expect(t).toBeGreaterThan(settled + 1 * MS);
    expect(t).toBeLessThan(settled + 1 * MS + 200 * US);
  });

  test('--idle-timeout exits after a quiet period', () => {
    const r = ready();
    r.shell.exec('gpiomon --idle-timeout 3ms sw');
    r.m.runUntil(r.m.now + 2 * MS);
    expect(r.shell.busy).toBe(true);
    r.m.runUntil(r.m.now + 2 * MS);
    expect(r.shell.busy).toBe(false);
    expect(r.shell.lastStatus).toBe(0);
  });

  test('no VIRTIO_GPIO_F_IRQ: the request fails with ENXIO after SET_DIRECTION IN, and the line is freed', () => {
    const r = ready({ device: { lines: LINES, irqFeature: false }, clients: [] });
    const from = r.m.trace.total;
    expect(type(r, 'gpiomon sw')).toBe('gpiomon sw\ngpiomon: unable to request lines on chip /dev/gpiochip0: No such device or address\n$ ');
    expect(requests(r.m, from)).toEqual([req(5, MSG_SET_DIRECTION, DIRECTION_IN), req(5, MSG_SET_DIRECTION, DIRECTION_NONE)]);
    expect(r.shell.lastStatus).toBe(1);
    expect(r.m.gpiolib.consumer[5]).toBe(null);
  });

  test('a busy line and option errors', () => {
    const r = ready();
    expect(type(r, 'gpiomon irqline')).toBe('gpiomon irqline\ngpiomon: unable to request lines on chip /dev/gpiochip0: Device or resource busy\n$ ');
    expect(type(r, 'gpiomon -e up sw')).toBe('gpiomon -e up sw\ngpiomon: invalid edges: up\n$ ');
    expect(type(r, 'gpiomon -n x sw')).toBe("gpiomon -n x sw\ngpiomon: invalid number: 'x'\n$ ");
    expect(type(r, 'gpiomon --s sw')).toBe("gpiomon --s sw\ngpiomon: option '--s' is ambiguous; possibilities: '--silent' '--strict'\ngpiomon: try gpiomon --help\n$ ");
    expect(type(r, 'gpiomon')).toBe('gpiomon\ngpiomon: at least one GPIO line must be specified\n$ ');
    const many = Array.from({ length: 65 }, (_, i) => `l${i}`).join(' ');
    expect(type(r, `gpiomon ${many}`)).toBe(`gpiomon ${many}\ngpiomon: too many lines given\n$ `);
  });
});
