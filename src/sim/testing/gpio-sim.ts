/**
 * A gpio-sim-like board for the port of libgpiod's gpio-tools-test.bash
 * (src/sim/guest/shell/gpio-tools*.test.ts): one chip with the test's line
 * names, the pulls driven by the world, and run_prog / dut_run helpers.
 * For *.test.ts files only.
 */
import type { Machine } from '../machine';
import type { Shell } from '../guest/shell/shell';
import { MS, ready, type } from './shell';

export type Board = { m: Machine; shell: Shell };

/** gpiosim_chip: `n` lines, names by offset, pull-up on `up` (gpio-sim's default pull is down). */
export function sim(n: number, names: Record<number, string> = {}, up: number[] = []): Board {
  const pull = (i: number): string => (up.includes(i) ? 'up' : 'down');
  const lines = Array.from({ length: n }, (_, i) => (names[i] !== undefined ? { name: names[i], pull: pull(i) } : { pull: pull(i) }));
  // The world drives each line at its pull, so setPull can move it. A scenario names a line by its name
  // first: a named line is keyed by its name, an unnamed one by its offset unless a line bears that
  // number as its name; a name given to two lines names neither, and those lines keep only the pulls.
  const world: Record<string, unknown> = {};
  const all = Object.values(names);
  for (let i = 0; i < n; i++) {
    const name = names[i];
    const key = name !== undefined ? (all.filter((x) => x === name).length === 1 ? name : null) : all.includes(String(i)) ? null : String(i);
    if (key !== null) world[key] = { kind: 'toggle', initial: up.includes(i) ? 1 : 0 };
  }
  return ready({ device: { lines }, world, clients: [] });
}

/** gpiosim_set_pull: the world drives the line to the pull's level. */
export function setPull(r: Board, line: number, pull: 'pull-up' | 'pull-down'): void {
  r.m.world.set(line, pull === 'pull-up' ? 1 : 0);
  r.m.runUntil(r.m.now + 1 * MS);
}

/** run_prog: the output (without the echoed command and the prompt) and the exit status. */
export function run(r: Board, cmd: string, ns = 1 * MS): { out: string; status: number } {
  const t = type(r, cmd, ns);
  return { out: t.slice(t.indexOf('\n') + 1).replace(/\$ $/, ''), status: r.shell.lastStatus };
}

/** dut_run: a long-running tool, in the background so run_prog can go on. */
export function dut(r: Board, cmd: string): void {
  type(r, `${cmd} &`);
}

export const level = (r: Board, line: number): number => r.m.wire.level[line] as number;
export const values = (r: Board, n: number): number[] => Array.from({ length: n }, (_, i) => level(r, i));
/** What the background tools printed since `mark` (job notices and prompts left out). */
export function dutOut(r: Board, mark: number): string[] {
  return r.shell
    .transcript()
    // Background output replaces a showing prompt ("$ ") at the mark: start two characters early.
    .slice(Math.max(0, mark - 2))
    .split('\n')
    .map((l) => l.replace(/^\$ /, ''))
    .filter((l) => l !== '' && !/^\[\d+\]/.test(l) && !/&$/.test(l));
}

