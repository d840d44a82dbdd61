import { useEffect, useRef, useState } from 'react';
import { selectInfo, useApp } from '../store';
import type { PoolStatus } from '../explore-pool';
import {
  boundFraction,
  cancelSearch,
  DEFAULT_FORM,
  EXPLORE_ENTRIES,
  entryLines,
  formFor,
  openCounterexample,
  LIVELOCK_RULE,
  PANEL_PROPERTIES,
  pool,
  SEARCH_MODES,
  POOL_SIZE,
  startSearch,
  useExplore,
  verdictText,
  type ExploreForm,
  type PanelProperty,
  type SearchMode,
} from '../explore-panel';
import { installExploreHandle } from '../explore-handle';
import { SEED_RULE } from '../number-field';
import { NumberField } from './NumberField';

/**
 * The Explore panel: searches the schedules of a scenario for one that breaks
 * a property, in a pool of Web Workers (one per core). Loaded lazily with its
 * tab (the core's explorer comes with it). The progress figures are read from
 * the pool four times a second, never per worker message.
 */

const PROGRESS_MS = 250;
const EXPLORE_LIBRARY_ENTRY = /^explore-/;

let form: ExploreForm = DEFAULT_FORM;

const MODE_LABELS: Record<SearchMode, string> = { 'breadth-first': 'breadth-first (exhaustive)', random: 'random (seeded)' };

function Progress({ maxSchedules, maxSeconds, random }: { maxSchedules: number; maxSeconds: number; random: boolean }): React.JSX.Element {
  const [s, setS] = useState<PoolStatus | null>(() => pool.status());
  const last = useRef<{ ran: number; at: number } | null>(null);
  const [rate, setRate] = useState(0);
  useEffect(() => {
    const id = window.setInterval(() => {
      const now = pool.status();
      if (now) {
        const prev = last.current;
        if (prev && now.elapsedMs > prev.at) setRate(((now.ran - prev.ran) * 1000) / (now.elapsedMs - prev.at));
        last.current = { ran: now.ran, at: now.elapsedMs };
      }
      setS(now);
    }, PROGRESS_MS);
    return () => window.clearInterval(id);
  }, []);
  if (!s) return <p className="readout">Starting the workers…</p>;
  const frac = boundFraction(s, maxSchedules, maxSeconds);
  return (
    <div className="explore-progress" data-testid="explore-progress">
      <progress max={1} value={frac} aria-label="Progress toward the search's bound" />
      <p className="readout">
        <b data-testid="explore-schedules">{s.schedules.toLocaleString('en-US')}</b> schedules (<b data-testid="explore-rate">{Math.round(rate).toLocaleString('en-US')}</b>/s),{' '}
        {random ? (
          'randomized,'
        ) : (
          <>
            <b data-testid="explore-states">{s.states.toLocaleString('en-US')}</b> states, depth <b data-testid="explore-depth">{s.depth}</b>,
          </>
        )}{' '}
        {(s.elapsedMs / 1000).toFixed(1)} s, {s.workers} {s.workers === 1 ? 'worker' : 'workers'}
      </p>
    </div>
  );
}

function Result(): React.JSX.Element | null {
  const outcome = useExplore((s) => s.outcome);
  const [opening, setOpening] = useState(false);
  if (!outcome) return null;
  const v = verdictText(outcome);
  const cex = outcome.result.counterexample;
  return (
    <section className="explore-result" aria-labelledby="explore-result-title" data-testid="explore-result" data-stop={outcome.cancelled ? 'cancelled' : outcome.result.stop}>
      <h3 id="explore-result-title">{v.title}</h3>
      <p>{v.detail}</p>
      {cex && (
        <>
          <p>Schedule (the choices that differ from the seeded default):</p>
          <ul className="explore-choices">
            {cex.choices.map((c) => (
              <li key={c.index}>
                choice {c.index} ({c.what === 'window' ? 'step time' : 'latency'}): {c.value.toLocaleString('en-US')} ns instead of {c.dflt.toLocaleString('en-US')} ns (range {c.min.toLocaleString('en-US')} .. {c.max.toLocaleString('en-US')} ns)
              </li>
            ))}
          </ul>
          <p className="readout">
            trace hash <b data-testid="explore-cex-hash">{cex.traceHash}</b>
          </p>
          <button
            type="button"
            className="btn primary"
            disabled={opening}
            onClick={async () => {
              setOpening(true);
              await openCounterexample(outcome);
              setOpening(false);
            }}
          >
            Open
          </button>
        </>
      )}
    </section>
  );
}

export default function ExplorePanel(): React.JSX.Element {
  const info = useApp(selectInfo);
  const phase = useExplore((s) => s.phase);
  const error = useExplore((s) => s.error);
  const bounds = useExplore((s) => s.bounds);
  const searchMode = useExplore((s) => s.mode);
  const [f, setF] = useState<ExploreForm>(form);
  useEffect(() => installExploreHandle(), []);
  // The workers start when the panel first opens and stay up (idle) for every later search: none pays for their start-up.
  useEffect(() => pool.warm(POOL_SIZE), []);
  const set = (next: ExploreForm): void => {
    form = next;
    setF(next);
  };
  const running = phase === 'running' || phase === 'starting';
  const lines: { value: string; label: string }[] =
    f.source === 'current'
      ? (info?.lines ?? []).map((l, i) => ({ value: String(i), label: l.name ? `${i} ${l.name}` : `${i}` }))
      : entryLines(f.source).map((label, i) => ({ value: String(i), label }));
  const labelled = f.property === 'lost' || f.property === 'spurious' || f.property === 'coalesced';
  return (
    <div className="explore" data-testid="explore-panel">
      <p className="explore-intro">
        Is there any timing, within the scenario's latency ranges and step windows, that breaks a property? The search runs in {POOL_SIZE} {POOL_SIZE === 1 ? 'worker' : 'workers'}: breadth-first, the first counterexample is a shortest one and an exhausted space is a proof; random, seeded tries for spaces too big to exhaust (the same seed finds the same counterexample). See docs/explore.md.
      </p>
      <form
        className="explore-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!running) void startSearch(f);
        }}
      >
        <label>
          <span>Scenario</span>
          <select className="sel" value={f.source} disabled={running} onChange={(e) => set(EXPLORE_LIBRARY_ENTRY.test(e.target.value) ? formFor(e.target.value, f) : { ...f, source: e.target.value })}>
            <option value="current">The current run{info ? `: ${info.title}` : ''}</option>
            {EXPLORE_ENTRIES.map((e) => (
              <option key={e.id} value={e.id}>
                {e.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Property</span>
          <select className="sel" value={f.property} disabled={running} onChange={(e) => set({ ...f, property: e.target.value as PanelProperty })}>
            {PANEL_PROPERTIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        {labelled && (
          <label>
            <span>Line</span>
            <select className="sel" value={f.line} disabled={running} onChange={(e) => set({ ...f, line: e.target.value })}>
              <option value="">any line</option>
              {lines.map((l) => (
                <option key={l.value} value={l.value}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {f.property === 'livelock' && <NumberField label="Livelock N (INVALID returns per ms)" rule={LIVELOCK_RULE} applied={f.livelock} onApply={(v) => set({ ...f, livelock: v })} disabled={running} />}
        {f.property === 'rule' && (
          <label>
            <span>Rule id</span>
            <input className="sel" value={f.rule} disabled={running} onChange={(e) => set({ ...f, rule: e.target.value })} placeholder="gpio.rq.type-change-via-none" />
          </label>
        )}
        <label>
          <span>Search</span>
          <select className="sel" value={f.mode} disabled={running} onChange={(e) => set({ ...f, mode: e.target.value as SearchMode })}>
            {SEARCH_MODES.map((m) => (
              <option key={m} value={m}>
                {MODE_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        {f.mode === 'random' && <NumberField label="Seed" rule={{ name: 'seed', ...SEED_RULE }} applied={f.seed} onApply={(v) => set({ ...f, seed: v })} disabled={running} />}
        <label>
          <span>Max schedules</span>
          <input className="sel" type="number" min={1} step={1} value={f.maxSchedules} disabled={running} onChange={(e) => set({ ...f, maxSchedules: Math.max(1, Math.floor(Number(e.target.value) || 1)) })} />
        </label>
        <label>
          <span>Max seconds</span>
          <input className="sel" type="number" min={1} step={1} value={f.maxSeconds} disabled={running} onChange={(e) => set({ ...f, maxSeconds: Math.max(1, Number(e.target.value) || 1) })} />
        </label>
        <div className="explore-buttons">
          <button type="submit" className="btn primary" disabled={running}>
            Start
          </button>
          <button type="button" className="btn" disabled={!running} onClick={() => cancelSearch()}>
            Cancel
          </button>
        </div>
      </form>
      {error && (
        <p className="explore-error" role="alert">
          Cannot start: {error}
        </p>
      )}
      <div aria-live="polite">{phase === 'done' && <Result />}</div>
      {running && <Progress maxSchedules={bounds.maxSchedules} maxSeconds={bounds.maxSeconds} random={searchMode === 'random'} />}
    </div>
  );
}
