import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LIBRARY } from '../sim/index';
import { cli } from './cli-harness';

const GOOD = {
  version: 1,
  title: 'cli: button with expectations',
  seed: 5,
  duration: '2ms',
  device: { lines: [{ name: 'button', pull: 'up' }, { name: 'led', direction: 'out' }] },
  world: { button: { kind: 'button' } },
  clients: [{ kind: 'irq-consumer', line: 'button', trigger: 'edge-falling', name: 'keys' }],
  timeline: [
    { at: '500us', do: 'press', line: 'button', hold: '200us' },
    { at: '1200us', do: 'press', line: 'button', hold: '200us' },
  ],
  expect: { total: { delivered: 2, lost: 0, spurious: 0 }, lines: { button: { handlerCalls: 2 } }, violations: 'none' },
};

let dir = '';
const path = (name: string): string => join(dir, name);
const write = (name: string, content: unknown): string => {
  writeFileSync(path(name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path(name);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vgpio-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('vgpio (in process)', () => {
  test('--help, <cmd> --help and --version print to stdout and exit 0', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('vgpio run <file.json | link | id>');
    expect(help.stderr).toBe('');
    for (const cmd of ['run', 'list', 'link', 'bench']) {
      const r = await cli(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: vgpio ${cmd}`);
    }
    const v = await cli('--version');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  test('usage errors exit 2 with the usage on stderr and nothing on stdout', async () => {
    for (const argv of [[], ['frobnicate'], ['run'], ['run', 'a.json', 'b.json'], ['run', 'x.json', '--wat'], ['list', '--json=1'], ['run', 'x', '--seed', '-1'], ['run', 'x', '--seed', 'abc'], ['run', 'x', '--max-events', '0'], ['run', 'x', '--vcd-mode', 'pretty', '--vcd', 'a.vcd'], ['run', 'x', '--vcd-mode', 'rich'], ['link', 'x', '--base', 'not a url']]) {
      const r = await cli(...argv);
      expect([argv, r.code]).toEqual([argv, 2]);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/Usage/);
    }
  });

  test('a run whose expectations hold exits 0 with a human summary', async () => {
    const r = await cli('run', write('good.json', GOOD));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cli: button with expectations');
    expect(r.stdout).toMatch(/seed 5, spec v1\.2; simulated 2 ms, \d+ events \(\d+ traced\), trace hash [0-9a-f]{16}/);
    expect(r.stdout).toMatch(/^0 button\s+2\s+0\s+0\s+0\s+0\s+2$/m);
    expect(r.stdout).toContain('✓ total.delivered: expected 2, got 2');
    expect(r.stdout).toContain('violations: none');
    expect(r.stdout).toContain('result: ok');
  });

  test('--json prints exactly one JSON object: the report', async () => {
    const r = await cli('run', write('good.json', GOOD), '--json');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ title: GOOD.title, seed: 5, simulatedNs: 2_000_000, ok: true, violations: [], violationCount: 0 });
    expect(report.events).toBeGreaterThan(0);
    expect(report.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(report.lines[0]).toMatchObject({ line: 0, name: 'button', delivered: 2, coalesced: 0, spurious: 0, lost: 0, invalid: 0 });
    expect(report.total).toMatchObject({ delivered: 2, coalesced: 0, spurious: 0, lost: 0, invalid: 0 });
    expect(report.expectations.every((e: { ok: boolean }) => e.ok)).toBe(true);
  });

  test('failed expectations exit 1 and are marked ✗', async () => {
    const bad = { ...GOOD, title: 'cli: wrong expectation', expect: { total: { delivered: 3 } } };
    const r = await cli('run', write('bad-expect.json', bad));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ total.delivered: expected 3, got 2');
    expect(r.stdout).toContain('result: FAILED (1 of 1 expectations not met)');
    const j = await cli('run', path('bad-expect.json'), '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).ok).toBe(false);
  });

  test('hitting the event limit exits 1', async () => {
    const r = await cli('run', write('good.json', GOOD), '--max-events', '10', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.stop).toBe('event-limit');
    expect(report.expectations.at(-1)).toMatchObject({ what: 'run', ok: false });
  });

  test('a scenario without expectations exits 0', async () => {
    const { expect: _e, ...none } = GOOD;
    const r = await cli('run', write('none.json', none));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('expectations: none given');
  });

  test('an invalid scenario exits 2 with one message naming the field, and writes nothing else', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...GOOD, device: { lines: [{ name: 'button', pull: 'sideways' }] } }, /device\.lines\.0\.pull: expected "up", "down" or "none"/],
      [{ ...GOOD, duration: 'soon' }, /duration: expected a duration/],
      [{ ...GOOD, clients: [{ kind: 'irq-consumer', line: 'nope', trigger: 'edge-falling' }] }, /clients\.0\.line: no line named "nope"/],
      [{ ...GOOD, version: 9 }, /version: this scenario uses format version 9/],
    ];
    for (const [i, [scenario, message]] of cases.entries()) {
      const vcd = path(`never-${i}.vcd`);
      const r = await cli('run', write(`invalid-${i}.json`, scenario), '--vcd', vcd, '--json');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(vcd)).toBe(false);
    }
  });

  test('bad JSON, a missing file, an unknown id and a bad link exit 2', async () => {
    const cases: [string, RegExp][] = [
      [write('broken.json', '{"version": 1,'), /broken\.json: not valid JSON/],
      [path('does-not-exist.json'), /no such file, built-in scenario/],
      ['no-such-scenario', /no such file, built-in scenario/],
      ['http://localhost:5173/#s9.abc', /link format s9, newer/],
      ['#s1.!!!', /not valid base64url/],
      [dir, /is a directory/],
    ];
    for (const [ref, message] of cases) {
      const r = await cli('run', ref);
      expect([ref, r.code]).toEqual([ref, 2]);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });

  test('a scenario file with __proto__ is refused', async () => {
    const text = JSON.stringify(GOOD).replace('"world":{', '"world":{"__proto__":{"polluted":1},');
    const r = await cli('run', write('proto.json', text));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/key "__proto__" is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('shell steps run in the guest shell and expect.shell checks its output', async () => {
    const scenario = {
      version: 1,
      title: 'cli: shell steps',
      duration: '3ms',
      device: { lines: [{ name: 'button', pull: 'up' }] },
      timeline: [{ at: '1ms', do: 'shell', command: 'gpioget button' }],
      expect: { shell: ['"button"=active'] },
    };
    const r = await cli('run', write('shell.json', scenario));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('shell output:\n  $ gpioget button\n  "button"=active\n');
    expect(r.stdout).toContain('✓ shell');
  });

  test('--seed overrides the scenario seed', async () => {
    const a = JSON.parse((await cli('run', write('good.json', GOOD), '--json')).stdout);
    const b = JSON.parse((await cli('run', path('good.json'), '--json', '--seed', '99')).stdout);
    expect(b.seed).toBe(99);
    expect(a.seed).toBe(5);
  });

  test('a link made by `vgpio link` runs with the same trace hash as the file', async () => {
    const file = write('good.json', GOOD);
    const l = await cli('link', file);
    expect(l.code).toBe(0);
    const link = l.stdout.trim();
    expect(link).toMatch(/^http:\/\/localhost:5173\/#s1\.[A-Za-z0-9_-]+$/);
    const fromFile = JSON.parse((await cli('run', file, '--json')).stdout);
    const fromLink = await cli('run', link, '--json');
    expect(fromLink.code).toBe(0);
    expect(JSON.parse(fromLink.stdout).traceHash).toBe(fromFile.traceHash);
    // The bare payload works too, and --base changes only the address.
    const bare = await cli('run', link.slice(link.indexOf('#') + 1), '--json');
    expect(JSON.parse(bare.stdout).traceHash).toBe(fromFile.traceHash);
    const based = await cli('link', file, '--base', 'https://example.org/lab/#old');
    expect(based.stdout.trim()).toBe(`https://example.org/lab/${link.slice(link.indexOf('#'))}`);
  });

  test('`vgpio link` refuses an invalid scenario with exit 2', async () => {
    const r = await cli('link', write('bad-link.json', { ...GOOD, seed: -1 }));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/seed/);
  });

  test('--vcd and --trace write the files (and leave no temporary files)', async () => {
    const sub = mkdtempSync(join(dir, 'out-'));
    const vcd = join(sub, 'run.vcd');
    const jsonl = join(sub, 'run.jsonl');
    const r = await cli('run', write('good.json', GOOD), '--vcd', vcd, '--vcd-mode', 'rich', '--trace', jsonl, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    const vcdText = readFileSync(vcd, 'utf8');
    expect(vcdText).toMatch(/^\$date \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \$end\n\$version vgpio-lab \d+\.\d+\.\d+ \$end\n/);
    expect(vcdText).toContain(`hash=${report.traceHash}`);
    expect(vcdText).toContain('$var string 0 ');
    expect(vcdText).toContain('$var wire 1 ! gpio0_button $end');
    expect(vcdText.endsWith('\n')).toBe(true);
    const lines = readFileSync(jsonl, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'vgpio-trace', version: 1, title: GOOD.title, seed: 5, hash: report.traceHash, dropped: 0 });
    expect(lines.length - 1).toBe(report.traceEvents);
    expect(readdirSync(sub).sort()).toEqual(['run.jsonl', 'run.vcd']);
  });

  test('exports keep the whole run even when the scenario ring is small, and warn when they cannot', async () => {
    const small = { ...GOOD, trace: { capacity: 50 } };
    const jsonl = path('small.jsonl');
    const r = await cli('run', write('small.json', small), '--trace', jsonl, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const header = JSON.parse(readFileSync(jsonl, 'utf8').split('\n')[0]!);
    expect(header.dropped).toBe(0);
    expect(header.events).toBeGreaterThan(50);
  });

  test('an output in a missing folder is refused before running (exit 2)', async () => {
    const r = await cli('run', write('good.json', GOOD), '--vcd', path('no/such/dir/x.vcd'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/does not exist/);
  });

  test('`vgpio list` shows every built-in scenario; --json is one object', async () => {
    const r = await cli('list', '--json');
    expect(r.code).toBe(0);
    const { scenarios } = JSON.parse(r.stdout);
    expect(scenarios.map((s: { id: string }) => s.id)).toEqual(LIBRARY.map((e) => e.id));
    for (const s of scenarios) {
      expect(s.title.length).toBeGreaterThan(0);
      expect(s.summary).not.toContain('\n');
    }
    const human = await cli('list');
    for (const e of LIBRARY) expect(human.stdout).toContain(e.id);
  });

  test('a built-in scenario runs by id', async () => {
    const id = LIBRARY[0]!.id;
    const r = await cli('run', id, '--json');
    expect([0, 1]).toContain(r.code);
    expect(JSON.parse(r.stdout).title).toBe((LIBRARY[0]!.scenario as { title: string }).title);
  });

  test('`vgpio bench --json --quick` prints one object with every metric', async () => {
    const r = await cli('bench', '--json', '--quick');
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout);
    for (const k of ['requestRoundTripsPerSec', 'requestRoundTripsPerSecTraced', 'irqRoundTripsPerSec', 'eventsPerSec', 'traceBytesPer1MEvents', 'traceHeapBytesPer1MEvents']) {
      expect(typeof b[k]).toBe('number');
      expect(b[k]).toBeGreaterThan(0);
    }
    expect(b.traceBytesPer1MEvents).toBe(23_000_000);
    expect(b.node).toBe(process.version);
    expect(b.quick).toBe(true);
    expect(b.problems).toEqual([]);
    expect(b.targets.map((t: { metric: string }) => t.metric)).toContain('irqRoundTripsPerSec');
    expect(b.params.irq).toMatchObject({ lines: 8, trigger: 'edge-both' });
  });
});

describe('the packaged CLI (bin/vgpio.mjs)', () => {
  const root = resolve(__dirname, '../..');
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, stdio: 'pipe' });
  });

  test('runs a scenario file and exits with its status', () => {
    const file = write('bin-good.json', GOOD);
    const ok = spawnSync(process.execPath, ['bin/vgpio.mjs', 'run', file, '--json'], { cwd: root, encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ title: GOOD.title, ok: true });

    const failing = write('bin-bad.json', { ...GOOD, expect: { total: { lost: 1 } } });
    expect(spawnSync(process.execPath, ['bin/vgpio.mjs', 'run', failing], { cwd: root, encoding: 'utf8' }).status).toBe(1);

    const invalid = write('bin-invalid.json', { ...GOOD, device: { lines: [] } });
    const bad = spawnSync(process.execPath, ['bin/vgpio.mjs', 'run', invalid], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/device\.lines: a device needs at least one line/);
  });

  test('--version matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const r = spawnSync(process.execPath, ['bin/vgpio.mjs', '--version'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
