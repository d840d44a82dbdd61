import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eventRecord } from '../explain/describe';
import { validateScenario } from '../scenario/load';
import { runScenario } from '../scenario/runner';
import { LIBRARY } from '../scenario/library';
import { IRQ_TYPE_EDGE_BOTH } from '../gpio/constants';
import { TK, KIND_NAMES } from '../trace/kinds';
import type { TraceEvent } from '../trace/trace';
import { exportRun } from './file';
import { toJsonl } from './jsonl';
import { readRecording, recordingCounts, recordingSizeError, recordingView, RECORDING_MAX_BYTES } from './recording';

/** A header line as `vgpio guest --trace` writes it. */
const header = (events: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ format: 'vgpio-trace', version: 1, title: 't', seed: 1, hash: '0123abcd', events, dropped: 0, simulatedNs: 1e9, source: 'real-guest', lines: [{ name: 'a', direction: 'in' }, { name: 'b', direction: 'out' }], initialLevels: [1, 0], ...extra });
const rec = (seq: number, kind: string, line: number, a = 0, b = 0, c = 0, t = seq * 1000): string => JSON.stringify({ seq, t, cat: 'x', kind, line, a, b, c, text: 'ignored' });

const FIXTURE = readFileSync(new URL('../../../e2e/fixtures/real-guest.jsonl', import.meta.url), 'utf8');

describe('reading a recording', () => {
  test('the committed real-guest recording reads whole: its board, its 219 events, and the lines as they ended', () => {
    const r = readRecording(FIXTURE);
    if (!r.ok) throw new Error(r.error);
    const v = r.value;
    expect(v.source).toBe('real-guest');
    expect(v.lines.map((l) => l.name)).toEqual(['led0', 'led1', 'button', 'door', 'relay', 'sensor-a', 'sensor-b', 'clock']);
    expect(v.initialLevels).toEqual([0, 0, 1, 0, 0, 0, 0, 1]);
    expect(v.trace.t.length).toBe(219);
    expect(v.violations).toEqual([]);
    const c = recordingCounts(v);
    expect(c.requests).toBe(28);
    expect(c.valid).toBe(2);
    expect(c.invalid).toBe(1);
    const end = recordingView(v);
    expect(end.lines.level[2]).toBe(1); // the pulled-up button
    expect(end.totals.invalid).toBe(1); // gpiomon's buffer back INVALID at its exit
    expect(end.lines.deviceType[7]).toBe(0); // gpiomon set both edges, then NONE
    expect(end.lines.armed[7]).toBe(0);
    // Mid-gpiomon: the clock line has both edges enabled and its buffer held.
    const type = Array.from({ length: v.trace.t.length }, (_, i) => i).find((i) => v.trace.kind[i] === TK.DevIrqType && v.trace.b[i] === IRQ_TYPE_EDGE_BOTH)!;
    const arm = Array.from({ length: v.trace.t.length }, (_, i) => i).find((i) => i > type && v.trace.kind[i] === TK.EvqArm)!;
    const mid = recordingView(v, v.trace.t[arm]);
    expect(mid.lines.deviceType[7]).toBe(IRQ_TYPE_EDGE_BOTH);
    expect(mid.lines.armed[7]).toBe(1);
    expect(mid.processed).toBe(arm + 1);
  });

  test('the simulator\u2019s own export reads back event for event, with its oracle labels and violations counted', () => {
    const entry = LIBRARY.find((e) => e.id === 'edge-while-away')!;
    const s = validateScenario(entry.scenario);
    if (!s.ok) throw new Error(s.error);
    const run = runScenario(s.value, { traceCapacity: 1_000_000 });
    if (!run.ok) throw new Error(run.error);
    const m = run.value.machine;
    const r = readRecording(toJsonl(m, { title: s.value.title }));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.source).toBe('unknown');
    expect(r.value.trace.t.length).toBe(m.trace.total - m.trace.dropped);
    for (let i = 0; i < r.value.trace.t.length; i++) {
      const e = m.trace.get(m.trace.firstSeq + i) as TraceEvent;
      expect([r.value.trace.t[i], r.value.trace.kind[i], r.value.trace.line[i], r.value.trace.a[i], r.value.trace.b[i], r.value.trace.c[i]]).toEqual([e.t, e.kind, e.line, e.a, e.b, e.c]);
    }
    const v = recordingView(r.value);
    expect(m.trace.count(TK.OracleLabel)).toBeGreaterThan(0);
    expect(v.totals.violations).toBe(m.monitors.mustCount);
    expect(v.totals.delivered + v.totals.coalesced + v.totals.spurious + v.totals.lost).toBe(m.trace.count(TK.OracleLabel));
    expect(Array.from(v.lines.level)).toEqual(Array.from(m.wire.level).slice(0, v.lines.level.length));
  });

  test('the app\'s own trace export opens as a simulated run with its lines named', () => {
    const s = validateScenario(LIBRARY.find((e) => e.id === 'calm-board')!.scenario);
    if (!s.ok) throw new Error(s.error);
    const run = runScenario(s.value, { traceCapacity: 1_000_000 });
    if (!run.ok) throw new Error(run.error);
    const file = exportRun(run.value.machine, 'jsonl', { name: 'calm-board', title: s.value.title, seed: s.value.seed, date: '2026-01-01T00:00:00Z', version: 'test' });
    const r = readRecording(file.text);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.source).toBe('simulation');
    expect(r.value.lines.map((l) => l.name)).toEqual(s.value.device.lines.map((l) => l.name));
    expect(r.value.lines.map((l) => l.direction)).toEqual(s.value.device.lines.map((l) => l.direction));
  });

  test('each refusal names the line and the field', () => {
    const ok = [header(2), rec(0, 'LineLevel', 0, 0), rec(1, 'MsgRequest', 1, 4)];
    const withLine = (i: number, text: string): string => ok.map((l, j) => (j === i ? text : l)).join('\n');
    const cases: [string, string][] = [
      ['', 'the file is empty'],
      ['{"format":"vcd"}', 'line 1: format is not "vgpio-trace"'],
      [withLine(0, header(2, { version: 2 })), 'line 1: version must be 1'],
      [withLine(0, header(2, { lines: [{ name: 'a', direction: 'sideways' }] })), 'line 1: lines[0].direction must be'],
      [withLine(0, header(2, { initialLevels: [1, 0, 1] })), 'line 1: initialLevels has 3 levels for 2 lines'],
      [withLine(0, header(2, { seed: -1 })), 'line 1: seed must be'],
      [withLine(0, header(1e12)), 'line 4: the file ends after 2 records; its header announces 1000000000000'],
      [withLine(2, '{"seq":1,'), 'line 3: not a JSON object'],
      [withLine(2, '[1,2]'), 'line 3: not a JSON object'],
      [withLine(2, rec(5, 'MsgRequest', 1)), 'line 3: seq must be 1'],
      [withLine(2, rec(1, 'constructor', 1)), 'line 3: kind is not a trace kind name'],
      [withLine(2, rec(1, 'MsgRequest', 40000)), 'line 3: line must be a whole number'],
      [withLine(2, rec(1, 'MsgRequest', 1, 0, 2 ** 31)), 'line 3: b must be a 32-bit whole number'],
      [withLine(2, rec(1, 'MsgRequest', 1, 0, 0, 0, -5)), 'line 3: t must be a time in ns'],
      [[header(2), rec(0, 'LineLevel', 0, 0, 0, 0, 5000), rec(1, 'MsgRequest', 1, 0, 0, 0, 4000)].join('\n'), 'line 3: t goes back in time (4000 after 5000)'],
      [withLine(2, 'x'.repeat(5000)), 'line 3: longer than 4,096 characters'],
      [[header(3), rec(0, 'LineLevel', 0), rec(1, 'LineLevel', 0), rec(2, 'LineLevel', 0), rec(3, 'LineLevel', 0)].join('\n'), 'line 5: one record more than the 3'],
      [[header(3), rec(0, 'LineLevel', 0), rec(1, 'LineLevel', 0), rec(2, 'LineLevel', 0)].slice(0, 3).join('\n') + '\n' + ' '.repeat(200), 'the file ends after 2 records; its header announces 3'],
    ];
    for (const [text, msg] of cases) {
      const r = readRecording(text);
      expect(r.ok, text.slice(0, 80)).toBe(false);
      if (!r.ok) expect(r.error).toContain(msg);
    }
    expect(readRecording(ok.join('\r\n') + '\r\n').ok).toBe(true);
  });

  test('the size is refused before reading, with the cap in the message', () => {
    expect(recordingSizeError(RECORDING_MAX_BYTES)).toBeNull();
    expect(recordingSizeError(RECORDING_MAX_BYTES + 1)).toBe('the file is 65 MB; a recording is at most 64 MB');
  });

  test('an older file without its board gets as many lines as its line events name, each starting at the level before its first change', () => {
    const text = [JSON.stringify({ format: 'vgpio-trace', version: 1, title: 'old', seed: 3, hash: 'ab', events: 3, dropped: 0, simulatedNs: 5000 }), rec(0, 'LineLevel', 4, 1), rec(1, 'LineLevel', 2, 1), rec(2, 'LineLevel', 0, 0)].join('\n');
    const r = readRecording(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.lines.length).toBe(5);
    expect(r.value.initialLevels).toEqual([1, 0, 0, 0, 0]);
    expect(Array.from(recordingView(r.value).lines.level)).toEqual([0, 0, 1, 0, 1]);
  });
});

/** Any well-formed event, written the way the exporter writes it. */
const event = fc.record({
  kind: fc.constantFrom(...Object.values(TK)),
  line: fc.integer({ min: -1, max: 9 }),
  a: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  b: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  c: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  dt: fc.integer({ min: 0, max: 1e6 }),
});

function write(events: { kind: number; line: number; a: number; b: number; c: number; dt: number }[]): { text: string; ts: number[] } {
  let t = 0;
  const ts: number[] = [];
  const body = events.map((e, seq) => {
    t += e.dt;
    ts.push(t);
    return JSON.stringify(eventRecord({ seq, t, kind: e.kind, line: e.line, a: e.a, b: e.b, c: e.c }));
  });
  return { text: [header(events.length, { simulatedNs: t }), ...body].join('\n') + '\n', ts };
}

describe('reading a recording (fuzz)', () => {
  test('whatever well-formed events a file holds, they read back exactly, and the view at any time is built without error', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), fc.double({ min: 0, max: 7e7, noNaN: true }), (events, at) => {
        const { text, ts } = write(events);
        const r = readRecording(text);
        if (!r.ok) throw new Error(r.error);
        expect(Array.from(r.value.trace.kind)).toEqual(events.map((e) => e.kind));
        expect(Array.from(r.value.trace.a)).toEqual(events.map((e) => e.a));
        expect(Array.from(r.value.trace.t)).toEqual(ts);
        const v = recordingView(r.value, at);
        expect(v.processed).toBe(ts.filter((t) => t <= at).length);
        expect(v.lines.level.length).toBe(2);
      }),
      { numRuns: 300 },
    );
  });

  test('any damage to a file (a line replaced, cut, or junk text) gives ok or a refusal naming a line, never a throw', () => {
    const damage = fc.oneof(
      fc.record({ k: fc.constant('replace' as const), at: fc.nat(), with: fc.oneof(fc.string({ maxLength: 80 }), fc.json({ maxDepth: 3 }), fc.constantFrom('{"seq":0}', '{"__proto__":{"x":1}}', 'null', '1e999', '"\\u001b[31m"')) }),
      fc.record({ k: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ k: fc.constant('junk' as const), text: fc.string({ maxLength: 300, unit: 'binary' }) }),
      fc.record({ k: fc.constant('field' as const), at: fc.nat(), key: fc.constantFrom('seq', 't', 'kind', 'line', 'a', 'b', 'c', 'format', 'events', 'dropped', 'lines', 'initialLevels'), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 1e300, 0.5, 'toString', '__proto__', 2 ** 31)) }),
    );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 20 }), damage, (events, d) => {
        const { text } = write(events);
        const lines = text.split('\n');
        let broken: string;
        if (d.k === 'replace') {
          lines[d.at % lines.length] = d.with;
          broken = lines.join('\n');
        } else if (d.k === 'cut') broken = text.slice(0, d.at % text.length);
        else if (d.k === 'junk') broken = d.text;
        else {
          const i = d.at % (lines.length - 1);
          const o = JSON.parse(lines[i] as string) as Record<string, unknown>;
          o[d.key] = d.value;
          lines[i] = JSON.stringify(o);
          broken = lines.join('\n');
        }
        const r = readRecording(broken);
        if (!r.ok) {
          expect(r.error).toMatch(/^(line \d+: |the file is empty)/);
          expect(r.error).not.toMatch(/[\u0000-\u001f\u007f]/);
        } else {
          expect(r.value.trace.t.length).toBe(r.value.events - r.value.dropped);
          for (let i = 0; i < r.value.trace.kind.length; i++) expect(KIND_NAMES[r.value.trace.kind[i] as number]).toBeDefined();
          recordingView(r.value);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
