import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import type { Machine } from '../machine';
import { LIBRARY } from '../scenario/library/index';
import { validateScenario } from '../scenario/load';
import { runScenario } from '../scenario/runner';
import type { ScenarioInput } from '../scenario/schema';
import { samplePeriod, toWaveJson, type WaveJson } from './wavejson';

// WaveDrom renders headless: renderAny builds an ONML tree, onml.stringify makes the SVG.
const require = createRequire(import.meta.url);
const wavedrom = require('wavedrom') as { renderAny: (index: number, source: unknown, skin: unknown) => unknown; waveSkin: unknown };
const onml = require('onml') as { stringify: (tree: unknown) => string };

const TINY: ScenarioInput = {
  version: 1,
  title: 'tiny edge',
  seed: 7,
  duration: '300us',
  device: { lines: [{ name: 'btn' }] },
  world: { btn: { kind: 'toggle' } },
  clients: [{ kind: 'irq-consumer', line: 'btn', trigger: 'edge-rising', name: 'k' }],
  timeline: [{ at: '200us', do: 'drive', line: 'btn', level: 1 }],
};

function run(input: unknown): Machine {
  const s = validateScenario(input);
  if (!s.ok) throw new Error(s.error);
  const r = runScenario(s.value, { traceCapacity: 5_000_000 });
  if (!r.ok) throw new Error(r.error);
  return r.value.machine;
}

/** WaveJSON's rules for what this export writes (wavedrom/schema WaveJSON.md), checked by hand: WaveDrom itself accepts anything. */
function checkRules(w: WaveJson, samples: number): void {
  expect(Object.keys(w).sort()).toEqual(['foot', 'head', 'signal']);
  expect(typeof w.head.text).toBe('string');
  expect(typeof w.foot.text).toBe('string');
  expect(w.signal.length).toBeGreaterThan(0);
  for (const s of w.signal) {
    expect(typeof s.name).toBe('string');
    expect(s.wave).toMatch(/^[01=][01=.]*$/); // a first period never "continues"
    expect(s.wave.length).toBe(samples);
    const dataSlots = [...s.wave].filter((c) => c === '=').length;
    if (dataSlots > 0) expect(s.data).toHaveLength(dataSlots);
    else expect(s.data).toBeUndefined();
    // No "." after a repeated value: a value is written only when it changes.
    for (let i = 1; i < s.wave.length; i++) if (s.wave[i] !== '.') expect(s.wave[i]).not.toBe(lastValue(s.wave.slice(0, i)));
  }
  expect(JSON.parse(JSON.stringify(w))).toEqual(w);
}

function lastValue(prefix: string): string {
  for (let i = prefix.length - 1; i >= 0; i--) if (prefix[i] !== '.') return prefix[i]!;
  return '';
}

function render(w: WaveJson): string {
  const svg = onml.stringify(wavedrom.renderAny(0, w, wavedrom.waveSkin));
  expect(svg).toMatch(/^<svg /);
  return svg;
}

describe('WaveJSON export of a window', () => {
  test('round sample periods that fit the window in the column budget', () => {
    expect(samplePeriod(300_000, 64)).toBe(5_000);
    expect(samplePeriod(1_000_000, 64)).toBe(20_000);
    expect(samplePeriod(64_000, 64)).toBe(1_000);
    expect(samplePeriod(10, 64)).toBe(1);
    expect(samplePeriod(3_000_000_000, 64)).toBe(50_000_000);
  });

  test('a tiny run: level, armed and handler lanes, sampled every 5 us, the 1 us handler call counted as lost', () => {
    const r = toWaveJson(run(TINY), { fromNs: 0, toNs: 300_000, lineNames: ['btn'], title: 'tiny edge' });
    expect(r.periodNs).toBe(5_000);
    expect(r.samples).toBe(60);
    const [level, armed, handler] = r.wavejson.signal;
    expect(level).toEqual({ name: 'gpio0 btn', wave: '0' + '.'.repeat(39) + '1' + '.'.repeat(19) });
    // Armed from 62 us (column 13 starts at 65 us), returned at 205 us, armed again at 211 us (column 43).
    expect(armed).toEqual({ name: 'gpio0 btn armed', wave: '0' + '.'.repeat(12) + '1' + '.'.repeat(27) + '0.1' + '.'.repeat(16) });
    expect(handler).toEqual({ name: 'gpio0 btn handler', wave: '0' + '.'.repeat(59) });
    expect(r.edges).toBe(6);
    expect(r.lostEdges).toBe(2);
    expect(r.wavejson.head.text).toBe('tiny edge: 0 ns to 300 us');
    expect(r.wavejson.foot.text).toBe('0 ns to 300 us, one column = 5 us (the state at its start); 6 changes, 2 not shown at this period (use the VCD for exact times)');
    checkRules(r.wavejson, r.samples);
    expect(render(r.wavejson)).toContain('gpio0 btn handler');
  });

  test('a narrow window shows the handler call exactly, nothing lost', () => {
    const r = toWaveJson(run(TINY), { fromNs: 200_000, toNs: 212_000, lineNames: ['btn'] });
    expect(r.periodNs).toBe(200);
    expect(r.samples).toBe(60);
    expect(r.lostEdges).toBe(0);
    expect(r.edges).toBe(4); // returned, handler on, handler off, armed again (the edge at 200 us is the window's start)
    expect(r.wavejson.signal[0]!.wave).toBe('1' + '.'.repeat(59));
    checkRules(r.wavejson, r.samples);
    render(r.wavejson);
  });

  test('bad windows are refused', () => {
    const m = run(TINY);
    expect(() => toWaveJson(m, { fromNs: 5, toNs: 5 })).toThrow(/from < to/);
    expect(() => toWaveJson(m, { fromNs: -1, toNs: 5 })).toThrow(/from < to/);
  });

  test('every built-in scenario, whole run and its middle third: valid WaveJSON that WaveDrom renders', () => {
    for (const entry of LIBRARY) {
      const m = run(entry.scenario);
      const end = m.now;
      for (const [from, to] of [[0, end], [Math.floor(end / 3), Math.floor((2 * end) / 3)]] as const) {
        const r = toWaveJson(m, { fromNs: from, toNs: to, title: entry.id });
        expect(r.samples).toBeLessThanOrEqual(64);
        expect(r.lostEdges).toBeGreaterThanOrEqual(0);
        expect(r.lostEdges).toBeLessThanOrEqual(r.edges);
        checkRules(r.wavejson, r.samples);
        const svg = render(r.wavejson);
        expect(svg).toContain(entry.id);
      }
    }
  });
});
