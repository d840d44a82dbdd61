import { describe, expect, test } from 'vitest';
import { compareView, MAX_COMPARE_SETTINGS, settingsPatch } from './compare-view';
import { LIBRARY } from './library/index';
import { validateScenario } from './load';
import { OracleLabel } from '../trace/kinds';
import { Workspace } from './workspace';
import type { Scenario } from './schema';

const raw = (id: string): unknown => LIBRARY.find((e) => e.id === id)!.scenario;
function valid(json: unknown): Scenario {
  const v = validateScenario(json);
  if (!v.ok) throw new Error(v.error);
  return v.value;
}
function withPatch(id: string, settings: string[]): Scenario {
  const p = settingsPatch(settings);
  if (!p.ok) throw new Error(p.error);
  const ws = Workspace.open(raw(id));
  if (!ws.ok) throw new Error(ws.error);
  const w = ws.value.withSettings(p.value);
  if (!w.ok) throw new Error(w.error);
  const s = w.value.scenario();
  if (!s.ok) throw new Error(s.error);
  return s.value;
}

describe('settings for a comparison (from a person or a link)', () => {
  test('dotted settings merge into one patch', () => {
    expect(settingsPatch(['device.preset=rust-vmm', 'driver.mask=none-type'])).toEqual({ ok: true, value: { preset: 'rust-vmm', policy: {}, driver: { mask: 'none-type' }, latency: {} } });
  });
  test('untrusted lists are refused with the reason, never a throw', () => {
    expect(settingsPatch([])).toEqual({ ok: false, error: 'compare settings: give at least one setting to change, such as device.preset=rust-vmm' });
    expect(settingsPatch([42])).toEqual({ ok: false, error: 'compare settings: each setting is text such as device.preset=rust-vmm' });
    expect(settingsPatch(Array.from({ length: MAX_COMPARE_SETTINGS + 1 }, () => 'seed=1'))).toEqual({ ok: false, error: `compare settings: at most ${MAX_COMPARE_SETTINGS} settings (got ${MAX_COMPARE_SETTINGS + 1})` });
    expect(settingsPatch(['seed=' + '1'.repeat(300)])).toEqual({ ok: false, error: 'compare settings: a setting is at most 200 characters (got 305)' });
    expect(settingsPatch(['nonsense'])).toEqual({ ok: false, error: 'expected a setting such as device.preset=rust-vmm, got "nonsense"' });
    expect(settingsPatch('device.preset=rust-vmm' as unknown as string[])).toEqual({ ok: false, error: 'compare settings: expected a list of settings such as device.preset=rust-vmm' });
  });
});

describe('two runs side by side, as the app draws them', () => {
  test('two edges while away, spec against rust-vmm: the counts vgpio diff shows, the divergence at 1.1 ms on gpio 0, both runs lane by lane', () => {
    const c = compareView({ label: 'as loaded', scenario: valid(raw('two-edges-while-away')) }, { label: 'device.preset=rust-vmm', scenario: withPatch('two-edges-while-away', ['device.preset=rust-vmm']), settings: ['device.preset=rust-vmm'] });
    if (!c.ok) throw new Error(c.error);
    const v = c.value;
    expect(v.settings).toEqual(['device.preset=rust-vmm']);
    expect(v.lines).toEqual([
      {
        line: 0,
        name: 'button',
        counts: [
          { key: 'spurious', a: 0, b: 1 },
          { key: 'handlerCalls', a: 2, b: 3 },
          { key: 'deviceDelivered', a: 2, b: 3 },
          { key: 'deviceCoalesced', a: 1, b: 0 },
        ],
      },
    ]);
    expect(v.divergence).toEqual({
      seq: 81,
      t: 1_100_000,
      a: { t: 1_100_000, line: 0, text: 'device: falling edge on gpio 0: coalesced; sink now latched' },
      b: { t: 1_100_000, line: 0, text: 'device: falling edge on gpio 0: delivered; sink now latched' },
    });
    expect([v.a.events, v.b.events, v.a.cut, v.b.cut]).toEqual([28, 32, false, false]);
    // The world drives the same button in both runs: the same level changes; only the flags differ.
    const [la, lb] = [v.a.lanes[0]!, v.b.lanes[0]!];
    expect(la.name).toBe('button');
    expect(la.t).toEqual(lb.t);
    expect(la.level).toEqual(lb.level);
    expect(la.initial).toBe(1); // an active-low button, released
    expect(la.t.length).toBeGreaterThan(0);
    expect(la.flag).toEqual([OracleLabel.Coalesced]);
    expect([...lb.flag].sort()).toEqual([OracleLabel.Coalesced, OracleLabel.Spurious].sort());
    expect([v.a.total.spurious, v.b.total.spurious, v.a.total.handlerCalls, v.b.total.handlerCalls]).toEqual([0, 1, 2, 3]);
  });

  test('the same settings twice: no differences, no divergence', () => {
    const s = valid(raw('edge-while-away'));
    const c = compareView({ label: 'a', scenario: s }, { label: 'b', scenario: s, settings: ['seed=1'] });
    if (!c.ok) throw new Error(c.error);
    expect([c.value.sameTrace, c.value.divergence, c.value.lines, c.value.total]).toEqual([true, null, [], []]);
  });
});
