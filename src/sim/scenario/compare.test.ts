import { describe, expect, test } from 'vitest';
import { applySetting, compareScenarios, withSettings } from './compare';
import { LIBRARY } from './library/index';
import { validateScenario } from './load';
import type { Scenario } from './schema';

const raw = (id: string): unknown => LIBRARY.find((e) => e.id === id)!.scenario;
function valid(json: unknown): Scenario {
  const v = validateScenario(json);
  if (!v.ok) throw new Error(v.error);
  return v.value;
}

describe('settings as dotted assignments', () => {
  test('each SettingsPatch field, as the scenario file spells it', () => {
    let p = {};
    for (const s of ['seed=7', 'device.spec=v8', 'device.preset=rust-vmm', 'device.transport=intx', 'device.policy.edgeLatch=queue:4', 'device.policy.mockStorm=true', 'driver.mask=none-type', 'device.latency.event=2us..9us', 'device.latency.notify=1us']) {
      const r = applySetting(p, s);
      if (!r.ok) throw new Error(r.error);
      p = r.value;
    }
    expect(p).toEqual({
      seed: 7,
      spec: 'v8',
      preset: 'rust-vmm',
      transport: 'intx',
      policy: { edgeLatch: 'queue:4', mockStorm: true },
      driver: { mask: 'none-type' },
      latency: { event: [2000, 9000], notify: [1000, 1000] },
    });
  });

  test('malformed or unknown settings are refused, naming the key', () => {
    expect(applySetting({}, 'device.preset')).toEqual({ ok: false, error: 'expected a setting such as device.preset=rust-vmm, got "device.preset"' });
    expect(applySetting({}, 'seed=-1')).toEqual({ ok: false, error: 'seed: expected a whole number from 0 to 4294967295' });
    expect(applySetting({}, 'device.latency.event=soon')).toEqual({ ok: false, error: 'device.latency.event: expected a duration (2us) or a range (2us..9us)' });
    const unknown = applySetting({}, 'world.button=toggle');
    expect(unknown.ok ? '' : unknown.error).toMatch(/^world\.button: not a setting that can be changed/);
    // Values are checked by the scenario validator, which names the field.
    expect(withSettings(raw('calm-board'), ['device.preset=qemu'])).toEqual({ ok: false, error: 'device.preset: expected "spec", "rust-vmm" or "rust-vmm-mock"' });
  });
});

describe('comparing two runs', () => {
  test('spec against rust-vmm on two edges while away: the first difference is the third press, coalesced against counted', () => {
    const a = valid(raw('two-edges-while-away'));
    const b = withSettings(raw('two-edges-while-away'), ['device.preset=rust-vmm']);
    if (!b.ok) throw new Error(b.error);
    const c = compareScenarios({ label: 'spec', scenario: a }, { label: 'rust-vmm', scenario: valid(b.value) });
    if (!c.ok) throw new Error(c.error);
    expect(c.value.sameTrace).toBe(false);
    expect(c.value.divergence?.seq).toBe(81);
    expect(c.value.lines).toEqual([
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
    expect(c.value.causes).toEqual([
      { label: 'spurious', a: {}, b: { 'counted-edge-stale': 1 } },
      { label: 'coalesced', a: { 'coalesced-in-latch': 1 }, b: { 'latched-while-away': 1 } },
      { label: 'device-coalesced', a: { 'coalesced-in-latch': 1 }, b: {} },
    ]);
  });

  test('the same scenario twice: no differences and no divergence; a longer run diverges where the shorter one ended', () => {
    const s = valid(raw('edge-while-away'));
    const same = compareScenarios({ label: 'a', scenario: s }, { label: 'b', scenario: s });
    if (!same.ok) throw new Error(same.error);
    expect([same.value.sameTrace, same.value.divergence, same.value.lines, same.value.total]).toEqual([true, null, [], []]);
    const longer = compareScenarios({ label: 'a', scenario: s }, { label: 'b', scenario: { ...s, duration: s.duration * 2, timeline: [...s.timeline, { at: s.duration + 1000, do: 'press', line: 0, pressed: true }] } });
    if (!longer.ok) throw new Error(longer.error);
    const d = longer.value.divergence!;
    expect(d.seq).toBe(same.value.a.report.traceEvents);
    expect(d.a).toBe(null);
    expect(d.b?.t).toBe(s.duration + 1000);
  });
});
