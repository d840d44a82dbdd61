import { useEffect, useRef, useState } from 'react';
import { formatNs } from '../../sim/index';
import { SPEEDS, type Speed } from '../../worker/protocol';
import { live, onFrame } from '../live';
import { client } from '../sim-client';
import { shareUrl } from '../share-link';
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
        hash <b ref={hash} data-testid="trace-hash">-</b>
      </span>
    </>
  );
}

function ExportMenu(): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const pick = (format: 'vcd-wires' | 'vcd-rich' | 'jsonl'): void => {
    setOpen(false);
    client.send({ type: 'export', format });
  };
  return (
    <div className="menu">
      <button className="btn" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Export ▾
      </button>
      {open && (
        <div className="menu-list" role="menu" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <button role="menuitem" onClick={() => pick('vcd-wires')}>
            VCD for PulseView / sigrok (wires)
          </button>
          <button role="menuitem" onClick={() => pick('vcd-rich')}>
            VCD with message lanes (GTKWave, Surfer)
          </button>
          <button role="menuitem" onClick={() => pick('jsonl')}>
            Trace as JSON Lines
          </button>
        </div>
      )}
    </div>
  );
}

/** Copy link: the scenario plus every live step, in the URL hash, replayable anywhere. */
async function share(): Promise<void> {
  const json = await client.shareJson();
  const made = await shareUrl(json, `${location.origin}${location.pathname}`);
  if (!made.ok) {
    // Too long to open: say so rather than copy a link that will not work.
    appActions().showToast(made.error);
    return;
  }
  const { url, hash } = made.value;
  history.replaceState(null, '', hash);
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    // Clipboard access can be refused; the link is in the address bar either way.
  }
  appActions().showToast(`${copied ? 'Link copied' : 'Link is in the address bar'} (${url.length} characters). It replays this run to this point.`);
}

export function Header(): React.JSX.Element {
  const info = useApp(selectInfo);
  const status = useApp(selectStatus);
  const speed = useApp(selectSpeed);
  const theme = useApp(selectTheme);
  const running = status === 'running';
  return (
    <header className="header">
      <div className="brand" aria-label="vgpio-lab">
        vgpio<span>-lab</span>
      </div>
      <h1 className="scenario-title" title={info?.title} style={{ fontSize: 'inherit', margin: 0 }}>
        {info?.title ?? 'Loading…'}
      </h1>
      <div role="group" aria-label="Run controls" style={{ display: 'flex', gap: 4 }}>
        <button className="btn primary" onClick={() => client.send({ type: running ? 'pause' : 'run' })} aria-label={running ? 'Pause' : 'Run'}>
          {running ? '❚❚ Pause' : status === 'ended' ? '▶ Continue' : '▶ Run'}
        </button>
        <button className="btn" onClick={() => client.send({ type: 'step' })} title="Process exactly one event">
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
            onChange={(e) => client.send({ type: 'speed', speed: e.target.value === 'max' ? 'max' : Number(e.target.value) })}
          >
            {SPEEDS.map((s) => (
              <option key={String(s)} value={String(s)}>
                {speedLabel(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <span className="readout" aria-live="polite" data-testid="run-status">
        {status}
      </span>
      <div className="spacer" />
      <Readouts />
      <button className="btn" onClick={() => void share()}>
        Copy link
      </button>
      <ExportMenu />
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
