import { useEffect, useRef } from 'react';
import { formatNs } from '../../sim/index';
import { SPEEDS, type Speed } from '../../worker/protocol';
import { live, onFrame } from '../live';
import { useMenu } from '../menu';
import { savePrefs } from '../prefs';
import { client } from '../sim-client';
import { addressShared, currentView } from '../address';
import { appActions, selectInfo, selectSpeed, selectStatus, selectTheme, useApp } from '../store';

function speedLabel(s: Speed): string {
  if (s === 'max') return 'max speed';
  return s >= 1 ? `${s}×` : `1/${Math.round(1 / s)}×`;
}

/** Simulated time, events, and the trace hash: written straight to the DOM each frame. */
function Readouts(): React.JSX.Element {
  const time = useRef<HTMLElement>(null);
  const events = useRef<HTMLElement>(null);
  const hash = useRef<HTMLElement>(null);
  useEffect(
    () =>
      onFrame(() => {
        const v = live.view;
        if (!v) return;
        if (time.current) time.current.textContent = formatNs(v.now);
        if (events.current) events.current.textContent = String(v.processed);
        if (hash.current) hash.current.textContent = live.hash;
      }),
    [],
  );
  return (
    <>
      <span className="readout" title="Simulated time, and events processed">
        t <b ref={time} data-testid="sim-time">0 ns</b> · <b ref={events} data-testid="sim-events">0</b> ev
      </span>
      <span className="readout" title="Trace hash: the same scenario and seed give the same hash, in the browser and in `vgpio run`">
        <span className="hash-label">hash </span>
        <b ref={hash} data-testid="trace-hash">-</b>
      </span>
    </>
  );
}

const EXPORTS: readonly { format: 'vcd-wires' | 'vcd-rich' | 'jsonl'; label: string }[] = [
  { format: 'vcd-wires', label: 'VCD for PulseView / sigrok (wires)' },
  { format: 'vcd-rich', label: 'VCD with message lanes (GTKWave, Surfer)' },
  { format: 'jsonl', label: 'Trace as JSON Lines' },
];

/** A menu button (arrow keys, Home / End, Escape, a click outside closes it): see ../menu.ts. */
function ExportMenu(): React.JSX.Element {
  const menu = useMenu(EXPORTS.length);
  const pick = (format: 'vcd-wires' | 'vcd-rich' | 'jsonl'): void => {
    menu.close(true);
    client.send({ type: 'export', format });
  };
  return (
    <div className="menu" ref={menu.root}>
      <button className="btn" id="export-button" aria-haspopup="menu" aria-controls="export-menu" aria-expanded={menu.open} {...menu.buttonProps}>
        Export ▾
      </button>
      {menu.open && (
        <div className="menu-list" role="menu" id="export-menu" aria-labelledby="export-button" {...menu.listProps}>
          {EXPORTS.map((x) => (
            <button key={x.format} role="menuitem" tabIndex={-1} onClick={() => pick(x.format)}>
              {x.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** Copy link: the scenario plus every live step, in the URL hash, replayable anywhere. */
async function share(): Promise<void> {
  // The link encoder loads on the first Copy link (the page starts without it), while the worker answers.
  const encoder = import('../share-link');
  const json = await client.shareJson();
  const { shareUrl } = await encoder;
  const made = await shareUrl(json, `${location.origin}${location.pathname}`, currentView());
  if (!made.ok) {
    // Too long to open: say so rather than copy a link that will not work.
    appActions().showToast(made.error);
    return;
  }
  const { url, link } = made.value;
  addressShared(link); // the address bar shows the link (and the view) until the session changes
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    // Clipboard access can be refused; the link is in the address bar either way.
  }
  appActions().showToast(`${copied ? 'Link copied' : 'Link is in the address bar'} (${url.length} characters). It replays this run to this point, and opens at this view.`);
}

export function Header(): React.JSX.Element {
  const info = useApp(selectInfo);
  const status = useApp(selectStatus);
  const speed = useApp(selectSpeed);
  const theme = useApp(selectTheme);
  const running = status === 'running';
  // A recording is read only: no run controls, nothing to share or export (the banner says why).
  const recording = info?.recording === true;
  return (
    <header className="header">
      <div className="brand" aria-label="vgpio-lab">
        vgpio<span>-lab</span>
      </div>
      <h1 className="scenario-title" title={info?.title} style={{ fontSize: 'inherit', margin: 0 }}>
        {info?.title ?? 'Loading…'}
      </h1>
      {!recording && (
        <div role="group" aria-label="Run controls" style={{ display: 'flex', gap: 4 }}>
          {/* Named by its visible word (the icon is decoration), so what a user sees is what they say. */}
          <button className="btn primary" onClick={() => client.send({ type: running ? 'pause' : 'run' })}>
            <span aria-hidden="true">{running ? '❚❚ ' : '▶ '}</span>
            {running ? 'Pause' : status === 'ended' ? 'Continue' : 'Run'}
          </button>
          <button className="btn" onClick={() => client.send({ type: 'step' })} title="Advance exactly one trace event (or say why not)">
            Step
          </button>
          <button className="btn" onClick={() => client.send({ type: 'run-until', until: 'interrupt' })} title="Run until the next handler call">
            Next IRQ
          </button>
          <button className="btn" onClick={() => client.send({ type: 'run-until', until: 'violation' })} title="Run until the next spec violation or lost / spurious / coalesced flag">
            Next flag
          </button>
          <label className="readout">
            <span className="sr-only">Speed</span>
            <select
              className="sel"
              aria-label="Speed"
              value={String(speed)}
              onChange={(e) => {
                const chosen: Speed = e.target.value === 'max' ? 'max' : Number(e.target.value);
                savePrefs({ speed: chosen });
                client.send({ type: 'speed', speed: chosen });
              }}
            >
              {SPEEDS.map((s) => (
                <option key={String(s)} value={String(s)}>
                  {speedLabel(s)}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <span className="readout" aria-live="polite" data-testid="run-status">
        {status}
      </span>
      <div className="spacer" />
      <Readouts />
      {!recording && (
        <>
          <button className="btn" onClick={() => void share()}>
            Copy link
          </button>
          <button
            className="btn"
            title="Compare with…: run this session again under other settings, side by side"
            onClick={() => {
              appActions().setTab('compare');
              requestAnimationFrame(() => document.querySelector<HTMLElement>('.cmp-form select')?.focus());
            }}
          >
            <span aria-hidden="true">⇆ </span>
            <span className="compare-label">Compare with…</span>
          </button>
          <ExportMenu />
        </>
      )}
      <button
        className="btn"
        aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        onClick={() => appActions().setTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        {theme === 'dark' ? '☀' : '☾'}
      </button>
    </header>
  );
}
