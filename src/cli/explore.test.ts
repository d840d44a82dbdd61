import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { libraryEntry } from '../sim/index';
import { cli } from './cli-harness';

const dir = mkdtempSync(join(tmpdir(), 'vgpio-explore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vgpio explore', () => {
  test('a race: exit 1, the shortest schedule in words, the link and the concrete file replay to the same trace', async () => {
    const out = join(dir, 'cex.json');
    const r = await cli('explore', 'explore-mask-by-none', '--link', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('property: a lost interrupt on line 0 (button)');
    expect(r.stdout).toContain('Counterexample: a lost interrupt on line 0 (button), 1 choice away from the seeded default run (a shortest one).');
    expect(r.stdout).toContain('choice 0 (step time): 33.975 us instead of 212.825 us (range 0 ns .. 500 us)');
    const link = /link: (\S+)/.exec(r.stdout)?.[1] as string;
    expect(link).toMatch(/^http:\/\/localhost:5173\/#s1\./);
    const hash = /trace hash ([0-9a-f]{16})/.exec(r.stdout)?.[1];
    for (const ref of [link, out]) {
      const run = await cli('run', ref, '--json');
      const report = JSON.parse(run.stdout) as { traceHash: string; lines: { lost: number }[] };
      expect(report.traceHash).toBe(hash);
      expect(report.lines[0]!.lost).toBe(1);
    }
    const file = JSON.parse(readFileSync(out, 'utf8')) as { timeline: { at: unknown }[] };
    expect(file.timeline.map((t) => t.at)).toEqual(['1ms', 1_033_975]);
  });

  test('a correct setup: exit 0 and the statement that the space was exhausted, with its bounds', async () => {
    const r = await cli('explore', 'explore-single-edge-spec');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'No schedule within these bounds breaks the property: every choice point was tried at one value per order class (at most 8 per choice), over the latency ranges and step windows the scenario gives; 144 schedules, 312 distinct states.',
    );
    expect(r.stdout).toMatch(/bounds: max 100000 schedules, 8 values per choice, no depth limit, no time limit, visited set 1000000 states \(16\.0 MiB\)/);
  });

  test('a scenario without choice points: its one run is the whole space, and the output says how to add some', async () => {
    const r = await cli('explore', 'calm-board');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No counterexample: the scenario has no choice points (every latency fixed, no step window), so its one run is the whole space.');
    expect(r.stdout).toContain('explored: 1 schedule, 0 distinct states, 71 simulated events');
  });

  test('stopped early: exit 0 but no claim of proof', async () => {
    const r = await cli('explore', 'explore-level-timer-v1.2', '--max-schedules', '5');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No counterexample found, but the space was NOT exhausted (it stopped at --max-schedules 5): this is no proof.');
  });

  test('--json: one object with the verdict, counts and the counterexample schedule', async () => {
    const r = await cli('explore', 'explore-two-edges-while-away', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { stop: string; schedules: number; counterexample: { schedule: number[][] }; verdict: string };
    expect(j.stop).toBe('found');
    expect(j.schedules).toBe(57);
    expect(j.counterexample.schedule).toEqual([
      [0, 30001],
      [1, 60002],
    ]);
  });

  test('--random --seed: finds the race and shrinks it', async () => {
    const r = await cli('explore', 'explore-mask-by-none', '--random', '--seed', '7', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { mode: string; counterexample: { schedule: number[][] } };
    expect(j.mode).toBe('random');
    expect(j.counterexample.schedule.length).toBe(1);
  });

  test('--property and --line override the entry; a rule by id', async () => {
    const r = await cli('explore', 'type-change-without-none', '--property', 'rule:gpio.rq.type-change-via-none');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('none: the seeded default run itself breaks the property');
  });

  test('vgpio list names the explorer entries apart, with their property', async () => {
    const r = await cli('list', '--json');
    const j = JSON.parse(r.stdout) as { explore: { id: string; property: string }[] };
    expect(j.explore.map((e) => `${e.id}:${e.property}`)).toContain('explore-mask-by-none:lost');
    expect(j.explore.length).toBe(8);
    expect((await cli('list')).stdout).toContain('For the explorer (latency ranges and step windows; vgpio explore <id>):');
  });

  test('invalid input: exit 2 with the field named', async () => {
    expect((await cli('explore', 'explore-mask-by-none', '--property', 'nonsense')).stderr).toContain('property: expected one of lost, spurious');
    expect((await cli('explore', 'explore-mask-by-none', '--line', 'nope')).code).toBe(2);
    expect((await cli('explore', 'explore-mask-by-none', '--seed', '3')).stderr).toContain('--seed needs --random');
    expect((await cli('explore', 'explore-mask-by-none', '--max-seconds', 'soon')).code).toBe(2);
    expect((await cli('explore', 'no-such-thing')).code).toBe(2);
  });

  test('text from the scenario reaches the terminal sanitized', async () => {
    const raw = libraryEntry('explore-mask-by-none')!.scenario as Record<string, unknown>;
    const path = join(dir, 'evil.json');
    writeFileSync(path, JSON.stringify({ ...raw, title: 'evil \u001b]0;owned\u0007 title', device: { ...(raw.device as object), lines: [{ name: 'b\u001b[31m', pull: 'up' }] }, timeline: [{ at: '1ms', do: 'press', line: 0, hold: '20us' }, { at: ['1ms', '1.5ms'], do: 'press', line: 0, hold: '20us' }] }));
    const r = await cli('explore', path, '--line', '0');
    expect(r.code).toBe(2); // Line names must be printable ASCII: refused by the loader, message sanitized.
    expect(r.stderr).not.toContain('\u001b');
    writeFileSync(path, JSON.stringify({ ...raw, title: 'evil \u001b]0;owned\u0007 title' }));
    const t = await cli('explore', path);
    expect(t.code).toBe(1);
    expect(t.stdout).not.toContain('\u001b');
    expect(t.stdout).not.toContain('\u0007');
  });
});
