import { useState } from 'react';
import { LIBRARY, type LibraryEntry } from '../../sim/index';
import type { SettingsPatch } from '../../worker/protocol';
import { NumberField } from './NumberField';
import { LATENCY_RULE, SEED_RULE } from '../number-field';
import { client } from '../sim-client';
import { readScenarioFile, type ScenarioFile } from '../scenario-file';
import { isRecordingName, readRecordingFile } from '../recording-file';
import { appActions, selectInfo, useApp } from '../store';

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

/** A trace file (`vgpio guest --trace out.jsonl`, or any trace export) opened as a read-only recording. */
async function openRecording(file: ScenarioFile): Promise<void> {
  const r = await readRecordingFile(file);
  if (r.ok) {
    appActions().showLoadError(null);
    client.openRecording(r.value);
  } else appActions().showLoadError(`This recording cannot be opened: ${r.error}`);
}

function Library(): React.JSX.Element {
  const info = useApp(selectInfo);
  return (
    <nav aria-labelledby="library-heading">
      <h2 id="library-heading">Scenario library</h2>
      <ul className="lib-list">
        {ENTRIES.map((e) => (
          <li key={e.id}>
            <button aria-current={info?.id === e.id} onClick={() => client.load({ kind: 'library', id: e.id })}>
              {e.title}
            </button>
          </li>
        ))}
      </ul>
      <label className="btn" style={{ display: 'inline-block' }}>
        Open a scenario file…
        <input
          type="file"
          accept="application/json,.json,.jsonl"
          className="sr-only"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            e.target.value = '';
            // A trace (.jsonl) picked here opens as a recording.
            if (isRecordingName(file.name)) return void (await openRecording(file));
            // The core's safe loader, as the CLI uses: size checked before reading, depth cap, no __proto__.
            const parsed = await readScenarioFile(file);
            if (parsed.ok) client.load({ kind: 'json', json: parsed.value });
            else appActions().showLoadError(`This file cannot be opened: ${parsed.error}`);
          }}
        />
      </label>{' '}
      <label className="btn" style={{ display: 'inline-block' }} title="A trace in JSON Lines: vgpio guest --trace out.jsonl, vgpio run --trace, or the app's own trace export">
        Open a recording…
        <input
          type="file"
          accept=".jsonl,.ndjson,application/x-ndjson"
          className="sr-only"
          data-testid="open-recording"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            e.target.value = '';
            await openRecording(file);
          }}
        />
      </label>
    </nav>
  );
}

type Json = Record<string, unknown>;
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Json)[k] : undefined), o);

function Select({ label, value, options, onChange }: { label: string; value: string; options: readonly string[]; onChange: (v: string) => void }): React.JSX.Element {
  return (
    <label>
      <span>{label}</span>
      <select className="sel" value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Spec revision, device policies, driver variant, transport, latencies, seed: a change restarts the run. */
function Settings(): React.JSX.Element | null {
  const info = useApp(selectInfo);
  const [open, setOpen] = useState(false);
  if (!info) return null;
  const j = info.json;
  const apply = (patch: SettingsPatch): void => client.send({ type: 'settings', patch });
  const policy = (key: string) => (v: string) => apply({ policy: { [key]: v } });
  const driver = (key: string) => (v: string) => apply({ driver: { [key]: v } });
  const str = (x: unknown, d: string): string => (typeof x === 'string' ? x : d);
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
          <fieldset>
            <legend>Device</legend>
            <Select label="spec" value={info.spec} options={['v1.2', 'v8']} onChange={(v) => apply({ spec: v as 'v1.2' | 'v8' })} />
            <Select label="preset" value={info.preset} options={['spec', 'rust-vmm', 'rust-vmm-mock']} onChange={(v) => apply({ preset: v as SettingsPatch['preset'] })} />
            <Select label="edge latch" value={str(get(j, 'device', 'policy', 'edgeLatch'), 'single')} options={['single', 'queue:4', 'queue:16']} onChange={policy('edgeLatch')} />
            <Select label="on NONE" value={str(get(j, 'device', 'policy', 'onNone'), 'now')} options={['now', 'lazy']} onChange={policy('onNone')} />
            <Select label="early buffer" value={str(get(j, 'device', 'policy', 'earlyBuffer'), info.spec === 'v8' ? 'held' : 'returned')} options={['returned', 'held']} onChange={policy('earlyBuffer')} />
            <Select label="type change" value={str(get(j, 'device', 'policy', 'typeChange'), 'accepted')} options={['accepted', 'rejected']} onChange={policy('typeChange')} />
            <Select label="level types" value={str(get(j, 'device', 'policy', 'level'), 'supported')} options={['supported', 'rejected']} onChange={policy('level')} />
            <Select label="level sample" value={str(get(j, 'device', 'policy', 'levelSample'), 'resample')} options={['resample', 'transition']} onChange={policy('levelSample')} />
            <Select label="transport" value={info.transport} options={['msi', 'intx', 'intx-irqfd']} onChange={(v) => apply({ transport: v as 'msi' | 'intx' | 'intx-irqfd' })} />
          </fieldset>
          <fieldset>
            <legend>Driver</legend>
            <Select label="flow" value={str(get(j, 'driver', 'flow'), 'level')} options={['level', 'fasteoi', 'edge']} onChange={driver('flow')} />
            <Select label="re-queue" value={str(get(j, 'driver', 'requeue'), 'after')} options={['after', 'before']} onChange={driver('requeue')} />
            <Select label="mask" value={str(get(j, 'driver', 'mask'), 'flag')} options={['flag', 'none-type']} onChange={driver('mask')} />
            <Select label="type change" value={str(get(j, 'driver', 'typeChange'), 'direct')} options={['direct', 'via-none']} onChange={driver('typeChange')} />
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
      {info && (
        <section aria-labelledby="about-heading">
          <h2 id="about-heading">About this scenario</h2>
          <p className="description">{info.description || 'No description.'}</p>
          {!info.recording && (
            <p className="readout">
              spec {info.spec} · device {info.preset} · {info.transport === 'msi' ? 'MSI-X' : info.transport === 'intx-irqfd' ? 'INTx via irqfd' : 'INTx'} · seed {info.seed}
              {info.recorded.length > 0 ? ` · ${info.recorded.length} live steps` : ''}
            </p>
          )}
        </section>
      )}
      {!info?.recording && <Settings />}
      <Library />
    </aside>
  );
}
