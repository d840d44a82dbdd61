import { useEffect, useState } from 'react';
import { DEVICE_INFO, DRIVER_INFO, POLICY_INFO, effectivePolicies, isBooleanPolicy, type DriverKey, type PolicyKey, type SettingDescription } from '../../sim/index';
import type { ScenarioInfo, SettingsPatch } from '../../worker/protocol';
import { LATENCY_RULE, SEED_RULE } from '../number-field';
import { client } from '../sim-client';
import { NumberField } from './NumberField';

type Json = Record<string, unknown>;
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Json)[k] : undefined), o);

/** The settings panel's id of a setting's field (a card's policy link focuses it). */
const fieldId = (path: string): string => `setting-${path}`;

/**
 * One choice: its label, the options, a line saying what the setting decides and what the
 * chosen option means, and (for a policy) a mark when the value differs from the preset's own.
 */
function Select({
  path,
  info,
  value,
  presetValue,
  presetName,
  onChange,
}: {
  path: string;
  info: SettingDescription;
  value: string;
  presetValue?: string;
  presetName?: string;
  onChange: (v: string) => void;
}): React.JSX.Element {
  const options = Object.keys(info.options);
  if (!options.includes(value)) options.push(value);
  const differs = presetValue !== undefined && presetValue !== value;
  const helpId = `${fieldId(path)}-help`;
  return (
    <div className="setting" data-setting={path} data-differs={differs ? '1' : undefined}>
      <label>
        <span>{info.label}</span>
        <select id={fieldId(path)} className="sel" value={value} aria-describedby={helpId} onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => (
            <option key={o} value={o} title={info.options[o]}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <p id={helpId} className="setting-help">
        {info.text}: <i>{info.options[value] ?? value}</i>
        {differs && (
          <span className="setting-differs" data-testid="setting-differs">
            {' '}
            (differs from {presetName}’s {presetValue})
          </span>
        )}
      </p>
    </div>
  );
}

/** The last card policy link focused (`n` of the store's settingFocus). */
let focusedN = 0;

/**
 * The body of the settings panel: spec revision, device policies (the values the chosen preset
 * really runs with), driver variant, transport, latencies and seed; a change restarts the run.
 * Loaded when the panel is first opened. `focus`: a card's policy link, whose field is focused.
 */
export default function SettingsForm({ info, focus }: { info: ScenarioInfo; focus: { path: string; n: number } | null }): React.JSX.Element {
  const [missing, setMissing] = useState<string | null>(null);
  useEffect(() => {
    // Each link once: reopening the panel later does not jump back to an old one.
    if (!focus || focus.n === focusedN) return;
    focusedN = focus.n;
    const el = document.getElementById(fieldId(focus.path));
    setMissing(el ? null : focus.path);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus();
    }
  }, [focus]);
  const j = info.json;
  const apply = (patch: SettingsPatch): void => client.send({ type: 'settings', patch });
  const str = (x: unknown, d: string): string => (typeof x === 'string' ? x : d);
  const preset = info.preset as 'spec' | 'rust-vmm' | 'rust-vmm-mock';
  const spec = info.spec as 'v1.2' | 'v8';
  // What the device runs with: the preset's policies (as the loader resolves them) with the file's and the panel's overrides.
  const policies = effectivePolicies(preset, spec, (get(j, 'device', 'policy') ?? {}) as Record<string, unknown>);
  const setPolicy = (key: PolicyKey, v: string): void => {
    // Yes/no policies are booleans in the scenario format.
    apply({ policy: { [key]: isBooleanPolicy(key) ? v === 'true' : v } });
  };
  const latency = (key: 'notify' | 'request' | 'event' | 'interrupt', defUs: number): React.JSX.Element => {
    const cur = get(j, 'device', 'latency', key);
    const ns = Array.isArray(cur) ? Number(cur[0]) : typeof cur === 'number' ? cur : defUs * 1000;
    return (
      <NumberField
        key={key}
        label={`${key} (ns)`}
        rule={{ name: key, ...LATENCY_RULE }}
        applied={Number.isFinite(ns) ? ns : defUs * 1000}
        onApply={(v) => apply({ latency: { [key]: [v, v] } })}
      />
    );
  };
  const driverKeys = Object.keys(DRIVER_INFO) as DriverKey[];
  return (
    <div key={`${info.title}-${info.seed}`}>
      <p className="readout">Changing a setting restarts the run with it; live steps replay at their times.</p>
      {missing && (
        <p className="readout" role="status">
          {missing} is set in the scenario file; this panel has no field for it.
        </p>
      )}
      <fieldset>
        <legend>Device</legend>
        <Select path="device.spec" info={DEVICE_INFO.spec} value={info.spec} onChange={(v) => apply({ spec: v as 'v1.2' | 'v8' })} />
        <Select path="device.preset" info={DEVICE_INFO.preset} value={info.preset} onChange={(v) => apply({ preset: v as SettingsPatch['preset'] })} />
        {policies.map((p) => (
          <Select
            key={p.key}
            path={`device.policy.${p.key}`}
            info={POLICY_INFO[p.key]}
            value={p.value}
            presetValue={p.preset}
            presetName={info.preset}
            onChange={(v) => setPolicy(p.key, v)}
          />
        ))}
        <Select path="device.transport" info={DEVICE_INFO.transport} value={info.transport} onChange={(v) => apply({ transport: v as 'msi' | 'intx' | 'intx-irqfd' })} />
      </fieldset>
      <fieldset>
        <legend>Driver</legend>
        {driverKeys.map((k) => (
          <Select
            key={k}
            path={`driver.${k}`}
            info={DRIVER_INFO[k]}
            value={str(get(j, 'driver', k), Object.keys(DRIVER_INFO[k].options)[0] as string)}
            onChange={(v) => apply({ driver: { [k]: v } })}
          />
        ))}
      </fieldset>
      <fieldset>
        <legend>Latencies and seed</legend>
        {latency('notify', 2)}
        {latency('request', 10)}
        {latency('event', 5)}
        {latency('interrupt', 3)}
        <NumberField label="seed" rule={{ name: 'seed', ...SEED_RULE }} applied={info.seed} onApply={(v) => apply({ seed: v })} />
      </fieldset>
    </div>
  );
}
