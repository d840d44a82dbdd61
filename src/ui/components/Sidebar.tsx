import { useEffect, useRef, useState } from 'react';
import {
  DEVICE_INFO,
  DRIVER_INFO,
  LIBRARY,
  POLICY_INFO,
  changedSettings,
  effectivePolicies,
  isBooleanPolicy,
  libraryEntry,
  type DriverKey,
  type LibraryEntry,
  type PolicyKey,
  type SettingDescription,
} from '../../sim/index';
import type { SettingsPatch } from '../../worker/protocol';
import { NumberField } from './NumberField';
import { LATENCY_RULE, SEED_RULE } from '../number-field';
import { client } from '../sim-client';
import { readScenarioFile } from '../scenario-file';
import { appActions, selectInfo, useApp } from '../store';
import { ExplainCard } from './ExplainCard';

/**
 * A library entry's title, read straight from its JSON: the entries are checked
 * by the core's tests, so the page need not carry the validator to name them.
 */
function libraryTitle(entry: LibraryEntry): string {
  const json: unknown = entry.scenario;
  const title = typeof json === 'object' && json !== null && 'title' in json ? json.title : undefined;
  return typeof title === 'string' ? title : entry.id;
}

/** The built-in scenarios, with titles read from their JSON. */
const ENTRIES = LIBRARY.map((e) => ({ id: e.id, title: libraryTitle(e) }));

function Library(): React.JSX.Element {
  const info = useApp(selectInfo);
  return (
    <nav aria-labelledby="library-heading">
      <h2 id="library-heading">Scenario library</h2>
      <ul className="lib-list">
        {ENTRIES.map((e) => {
          // The loaded entry, run with settings other than its file's: say which.
          const changed = info?.id === e.id ? changedSettings(libraryEntry(e.id)?.scenario, info.json) : [];
          return (
            <li key={e.id}>
              <button aria-current={info?.id === e.id} onClick={() => client.load({ kind: 'library', id: e.id })} title={changed.length ? `Settings changed from the file: ${changed.join(', ')}` : undefined}>
                {e.title}
                {changed.length > 0 && (
                  <span className="lib-changed" data-testid="library-changed">
                    {' '}
                    · settings changed ({changed.length})
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      <label className="btn" style={{ display: 'inline-block' }}>
        Open a scenario file…
        <input
          type="file"
          accept="application/json,.json"
          className="sr-only"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            e.target.value = '';
            // The core's safe loader, as the CLI uses: size checked before reading, depth cap, no __proto__.
            const parsed = await readScenarioFile(file);
            if (parsed.ok) client.load({ kind: 'json', json: parsed.value });
            else appActions().showLoadError(`This file cannot be opened: ${parsed.error}`);
          }}
        />
      </label>
    </nav>
  );
}

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

/** Spec revision, device policies, driver variant, transport, latencies, seed: a change restarts the run. */
function Settings(): React.JSX.Element | null {
  const info = useApp(selectInfo);
  const focus = useApp((s) => s.settingFocus);
  const [open, setOpen] = useState(false);
  const [missing, setMissing] = useState<string | null>(null);
  const pending = useRef<string | null>(null);
  // A card's policy link: open the panel, then focus that setting's field once it is drawn.
  useEffect(() => {
    if (!focus) return;
    pending.current = focus.path;
    setOpen(true);
  }, [focus]);
  useEffect(() => {
    const path = pending.current;
    if (!open || path === null) return;
    pending.current = null;
    const el = document.getElementById(fieldId(path));
    setMissing(el ? null : path);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus();
    }
  });
  if (!info) return null;
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
    <section className="settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">
        <button className="btn" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? '▾' : '▸'} Settings
        </button>
      </h2>
      {open && (
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
      )}
    </section>
  );
}

export function Sidebar(): React.JSX.Element {
  const info = useApp(selectInfo);
  return (
    <aside className="sidebar" aria-label="Scenario">
      <ExplainCard />
      {info && (
        <section aria-labelledby="about-heading">
          <h2 id="about-heading">About this scenario</h2>
          <p className="description">{info.description || 'No description.'}</p>
          <p className="readout">
            spec {info.spec} · device {info.preset} · {info.transport === 'msi' ? 'MSI-X' : info.transport === 'intx-irqfd' ? 'INTx via irqfd' : 'INTx'} · seed {info.seed}
            {info.recorded.length > 0 ? ` · ${info.recorded.length} live steps` : ''}
          </p>
        </section>
      )}
      <Settings />
      <Library />
    </aside>
  );
}
