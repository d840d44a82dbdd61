import { Suspense, lazy, useEffect, useState } from 'react';
import { LIBRARY_CATALOG } from '../../sim/index';
import { client } from '../sim-client';
import type { ScenarioFile } from '../scenario-file';
import { isRecordingName } from '../recording-state';
import { appActions, selectInfo, useApp } from '../store';

/** A trace file (`vgpio guest --trace out.jsonl`, or any trace export) opened as a read-only recording. */
async function openRecording(file: ScenarioFile): Promise<void> {
  const { readRecordingFile } = await import('../recording-file');
  const r = await readRecordingFile(file);
  if (r.ok) {
    appActions().showLoadError(null);
    await client.openRecording(r.value);
  } else appActions().showLoadError(`This recording cannot be opened: ${r.error}`);
}

function Library(): React.JSX.Element {
  const info = useApp(selectInfo);
  return (
    <nav aria-labelledby="library-heading">
      <h2 id="library-heading">Scenario library</h2>
      <ul className="lib-list">
        {LIBRARY_CATALOG.map((e) => {
          // The loaded entry, run with settings other than its file's: say which.
          const changed = info?.id === e.id ? (info.changed ?? []) : [];
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
          accept="application/json,.json,.jsonl"
          className="sr-only"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            e.target.value = '';
            // A trace (.jsonl) picked here opens as a recording.
            if (isRecordingName(file.name)) return void (await openRecording(file));
            // The core's safe loader, as the CLI uses: size checked before reading, depth cap, no __proto__.
            // Loaded when a file is picked, as the recording reader is: the page starts without it.
            const { readScenarioFile } = await import('../scenario-file');
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

/** Spec revision, device policies, driver variant, transport, latencies, seed: a change restarts the run. */
function Settings(): React.JSX.Element | null {
  const info = useApp(selectInfo);
  const focus = useApp((s) => s.settingFocus);
  const [open, setOpen] = useState(false);
  // A card's policy link: open the panel; the form focuses that setting's field once it is drawn.
  useEffect(() => {
    if (focus) setOpen(true);
  }, [focus]);
  if (!info) return null;
  return (
    <section className="settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">
        <button className="btn" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? '▾' : '▸'} Settings
        </button>
      </h2>
      {open && (
        <Suspense fallback={<p className="readout">Loading the settings…</p>}>
          <SettingsForm info={info} focus={focus} />
        </Suspense>
      )}
    </section>
  );
}

// The settings form (every option described, each preset's policies) loads when the panel is first opened.
const SettingsForm = lazy(() => import('./SettingsForm'));

// The explanation card loads with the first flag asked about (the first page load stays small).
const ExplainCard = lazy(() => import('./ExplainCard').then((m) => ({ default: m.ExplainCard })));

function CardSlot(): React.JSX.Element | null {
  const open = useApp((s) => s.card !== null);
  if (!open) return null;
  return (
    <Suspense fallback={<p className="readout">Loading the explanation…</p>}>
      <ExplainCard />
    </Suspense>
  );
}

export function Sidebar(): React.JSX.Element {
  const info = useApp(selectInfo);
  return (
    <aside className="sidebar" aria-label="Scenario">
      <CardSlot />
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
