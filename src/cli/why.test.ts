import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli } from './cli-harness';

const dir = mkdtempSync(join(tmpdir(), 'vgpio-why-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vgpio run: why', () => {
  test('a "why" line under the table explains the lost count of mask-by-none-loses-edge', async () => {
    const r = await cli('run', 'mask-by-none-loses-edge');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const total = lines.findIndex((l) => l.startsWith('total '));
    expect(lines[total + 1]).toBe(
      '  why lost on 0 button: the falling edge at 1.050 ms on gpio 0 was lost: the device dropped it, because the driver masks by setting the trigger type NONE: ' +
        'it sent SET_IRQ_TYPE NONE at 1.008 ms from irq_mask and the device took it at 1.020 ms, and a line set to NONE forgets what it would have latched ' +
        '(driver.mask = none-type); the spec has a line set to NONE discard what it had latched, 5.18.6.9 [masked-by-none]',
    );
    expect(lines[total + 2]).toMatch(/^requestq messages: /);
    expect(r.stdout).toContain('  ✓ causes.lost: expected masked-by-none, got masked-by-none\n');
  });

  test('one line per non-zero count; many causes of one kind are summed up', async () => {
    const two = await cli('run', 'two-edges-while-away-queued');
    expect(two.stdout.split('\n').filter((l) => l.startsWith('  why ')).map((l) => l.replace(/: .*\[/, ': [')) ).toEqual([
      '  why coalesced on 0 button: [latched-while-away]',
      '  why spurious on 0 button: [counted-edge-stale]',
    ]);
    const storm = await cli('run', 'mock-storm');
    expect(storm.stdout).toMatch(/  why spurious on 0 gpio0: the handler call at 0\.070 ms on gpio 0 had nothing behind it: .* \[mock-storm\] \(and 84 more, all mock-storm\)\n/);
    const calm = await cli('run', 'calm-board');
    expect(calm.stdout).not.toContain('why ');
  });

  test('--json carries every cause with its chain', async () => {
    const r = await cli('run', 'mask-by-none-loses-edge', '--json');
    const report = JSON.parse(r.stdout) as { causes: { label: string; kind: string; t: number; chain: { seq: number; kind: string; text: string }[]; policy?: string; rule?: string }[] };
    expect(report.causes.map((c) => [c.label, c.kind, c.t])).toEqual([
      ['device-masked', 'masked-by-none', 1_050_000],
      ['lost', 'masked-by-none', 1_550_000],
    ]);
    const lost = report.causes[1]!;
    expect(lost.chain.map((l) => [l.seq, l.kind])).toEqual([[72, 'DrvIrqTypeSent'], [79, 'DevIrqType'], [88, 'LineLevel'], [89, 'DevIrqEvent'], [113, 'OracleLabel']]);
    expect(lost.chain[4]!.text).toBe('oracle: 1 owed interrupt on gpio 0 LOST');
    expect([lost.policy, lost.rule]).toEqual(['driver.mask = none-type', 'gpio.irq.disable-discards-latch']);
  });
});

describe('vgpio diff', () => {
  test('two-edges-while-away, spec against rust-vmm: both tables, the differences, the causes and the first divergence', async () => {
    const r = await cli('diff', 'two-edges-while-away', '--with', 'device.preset=rust-vmm');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'A: built-in two-edges-while-away: Two edges while away: one latch (spec)',
      '   seed 1, spec v1.2; 28 events (111 traced), trace hash 3398130d0dcb3781',
      'B: built-in two-edges-while-away with device.preset=rust-vmm: Two edges while away: one latch (spec)',
      '   seed 1, spec v1.2; 32 events (129 traced), trace hash e371d7773918e956',
      '',
      'run line    delivered  coalesced  spurious  lost  invalid  handler calls  dev masked  dev coalesced',
      'A 0 button          2          1         0     0        0              2           0              1',
      'A total             2          1         0     0        0              2           0              1',
      'B 0 button          2          1         1     0        0              3           0              0',
      'B total             2          1         1     0        0              3           0              0',
      '',
      'differences (A -> B):',
      '  0 button: spurious 0 -> 1, handler calls 2 -> 3, device delivered 2 -> 3, device coalesced 1 -> 0',
      '  total: spurious 0 -> 1, handler calls 2 -> 3, device delivered 2 -> 3, device coalesced 1 -> 0',
      '  why spurious: A none; B counted-edge-stale',
      '  why coalesced: A coalesced-in-latch; B latched-while-away',
      '  why device-coalesced: A coalesced-in-latch; B none',
      '',
      'traces diverge at event 81:',
      '  A at 1.1 ms: device: falling edge on gpio 0: coalesced; sink now latched',
      '  B at 1.1 ms: device: falling edge on gpio 0: delivered; sink now latched',
      '',
    ]);
  });

  test('--json: both sides with their causes, the differences and the divergence', async () => {
    const r = await cli('diff', 'two-edges-while-away', '--with=device.preset=rust-vmm', '--json');
    const j = JSON.parse(r.stdout) as { a: { traceHash: string }; b: { traceHash: string; causeCounts: Record<string, Record<string, number>> }; divergence: unknown; total: unknown };
    expect(j.divergence).toEqual({
      seq: 81,
      a: { t: 1_100_000, text: 'device: falling edge on gpio 0: coalesced; sink now latched' },
      b: { t: 1_100_000, text: 'device: falling edge on gpio 0: delivered; sink now latched' },
    });
    expect(j.b.causeCounts.spurious).toEqual({ 'counted-edge-stale': 1 });
    expect(j.total).toEqual([
      { key: 'spurious', a: 0, b: 1 },
      { key: 'handlerCalls', a: 2, b: 3 },
      { key: 'deviceDelivered', a: 2, b: 3 },
      { key: 'deviceCoalesced', a: 1, b: 0 },
    ]);
  });

  test('two files; settings repeat; identical runs say so', async () => {
    const same = await cli('diff', 'calm-board', 'calm-board');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('\ndifferences: none in the counts\n\ntraces: identical, event for event\n');
    const two = await cli('diff', 'mask-by-none-loses-edge', '--with', 'driver.mask=flag', '--with', 'seed=1');
    expect(two.stdout).toContain('B: built-in mask-by-none-loses-edge with driver.mask=flag, seed=1: ');
    expect(two.stdout).toContain('  0 button: delivered 1 -> 2, lost 1 -> 0, handler calls 1 -> 2, device delivered 1 -> 2, device masked 1 -> 0\n');
    expect(two.stdout).toContain('  why lost: A masked-by-none; B none\n');
  });

  test('bad settings and missing arguments are usage errors (exit 2) that name the field', async () => {
    expect(await cli('diff', 'two-edges-while-away')).toMatchObject({ code: 2, stdout: '' });
    const bad = await cli('diff', 'two-edges-while-away', '--with', 'device.policy.edgeLatch=queue:99999');
    expect(bad).toMatchObject({ code: 2, stdout: '', stderr: 'vgpio: --with: device.policy.edgeLatch: expected "single" or "queue:N"\n' });
    const unknown = await cli('diff', 'two-edges-while-away', '--with', 'device.color=red');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^vgpio: --with: device\.color: not a setting that can be changed: /);
  });

  test('a title with escape sequences reaches the terminal escaped', async () => {
    const f = join(dir, 'evil.json');
    writeFileSync(f, JSON.stringify({ version: 1, title: '\u001b]0;pwned\u0007', duration: '1ms', device: { lines: [{}] } }));
    const r = await cli('diff', f, f);
    expect(r.stdout).toContain(': \\x1b]0;pwned\\x07\n');
    expect(r.stdout).not.toContain('\u001b');
  });
});
