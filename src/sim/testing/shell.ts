/**
 * The shell tests' harness: a machine on an eight-line board with a button, a
 * switch, a level source and a kernel irq consumer, and ways to type into its
 * shell and read what the device was asked. For *.test.ts files only.
 */
import { expect } from 'vitest';
import { Machine } from '../machine';
import { loadScenario, resolveScenario } from '../scenario/load';
import { TK } from '../trace/kinds';
import type { Shell } from '../guest/shell/shell';

export const US = 1_000;
export const MS = 1_000_000;

export const LINES = [
  { name: 'button' }, // 0: a button (active low: idles high)
  { name: 'led' }, // 1: nothing outside drives it (pull-down)
  {}, // 2: unnamed
  { name: 'irqline' }, // 3: taken by a kernel irq consumer
  { name: 'a_very_long_line_name' }, // 4
  { name: 'sw' }, // 5: a switch, low at start
  { name: 'clk' }, // 6
  { name: 'lvl' }, // 7: a level source
];

export function build(extra: Record<string, unknown> = {}, withRun = true) {
  const s = loadScenario(
    JSON.stringify({
      version: 1,
      title: 'shell test',
      duration: '1s',
      device: { lines: LINES },
      world: { button: { kind: 'button' }, sw: { kind: 'toggle', initial: 0 }, lvl: { kind: 'level-source' } },
      clients: [{ kind: 'irq-consumer', line: 'irqline', trigger: 'edge-rising', name: 'mydrv' }],
      ...extra,
    }),
  );
  if (!s.ok) throw new Error(s.error);
  const cfg = resolveScenario(s.value);
  if (!cfg.ok) throw new Error(cfg.error);
  const m = new Machine(cfg.value);
  const shell = m.shell;
  if (withRun) shell.runFor = (ns) => void m.runUntil(m.now + ns);
  return { m, shell };
}

/** A machine whose guest has probed the chip. */
export function ready(extra: Record<string, unknown> = {}, probeNs = 1 * MS) {
  const r = build(extra);
  r.m.runUntil(probeNs);
  expect(r.m.chipReady).toBe(true);
  return r;
}

/** Types a command, lets `ns` of simulated time pass, returns what appeared. */
export function type(r: { m: Machine; shell: Shell }, cmd: string, ns = 1 * MS): string {
  const from = r.shell.transcript().length;
  r.shell.exec(cmd);
  r.m.runUntil(r.m.now + ns);
  return r.shell.transcript().slice(from);
}

/** Requests the device read (MsgRequest: a = type, b = value), in order, from trace seq `from`. */
export function requests(m: Machine, from = 0): string[] {
  const out: string[] = [];
  m.trace.forEach((e) => {
    if (e.kind === TK.MsgRequest) out.push(`${e.line}:${e.a}:${e.b}`);
  }, from);
  return out;
}

export const req = (line: number, type: number, value = 0): string => `${line}:${type}:${value}`;
